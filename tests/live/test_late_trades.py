"""Issue 13, point 3: a trade older than the symbol's last applied one (e.g. 5 minutes in the past
with the next trade id) never moves the last price, its time or the market clock backwards; on both
live stores (in-memory and the machine's Redis), whatever the order of arrival."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sim.market import Trade
from sim.market.raw_trades import RawTrade
from tests.live import test_live_store as base
from tests.live.test_live_store import state, trades

D = Decimal
store_factory = base.store_factory  # both stores, as in test_live_store


def late(after: Trade, seconds_back: int, price: str = "12345.67", qty: str = "0.5") -> Trade:
    """The next trade id after ``after``, dated ``seconds_back`` before it."""
    return Trade(
        "BTCUSDT", after.trade_id + 1, D(price), D(qty), after.time - timedelta(seconds=seconds_back), False
    )


def test_a_trade_five_minutes_old_with_the_next_id_moves_nothing_back(store_factory) -> None:  # type: ignore[no-untyped-def]
    ts = trades(120)
    store = store_factory()
    store.write(ts, now_ms=1)
    before_last = store.last("BTCUSDT")
    before_candle = store.forming_candle("BTCUSDT")
    clock_before = store.health(["BTCUSDT"], now_ms=2).symbols[0].last_event
    stale = late(ts[-1], 300)
    store.write([stale], now_ms=2)
    assert store.last("BTCUSDT") == before_last  # neither the price nor its time went back
    assert store.health(["BTCUSDT"], now_ms=3).symbols[0].last_event == clock_before
    assert store.forming_candle("BTCUSDT") == before_candle  # its minute is over: counted nowhere
    assert store.recent_trades("BTCUSDT", 1)[0].trade_id == stale.trade_id  # the tape lists it by id


def test_a_late_trade_counts_into_its_own_forming_minute_only(store_factory) -> None:  # type: ignore[no-untyped-def]
    ts = trades(90)  # the forming minute holds ts[60:90], 12:01:00 .. 12:01:29
    store = store_factory()
    store.write([RawTrade.from_trade(t) for t in ts], now_ms=1)
    candle = store.forming_candle("BTCUSDT")
    stale = late(ts[-1], 20)  # 12:01:09, still inside the forming minute
    store.write([RawTrade.from_trade(stale)], now_ms=2)
    assert store.last("BTCUSDT").price == ts[-1].price
    after = store.forming_candle("BTCUSDT")
    assert after.trades == candle.trades + 1 and after.volume == candle.volume + D("0.5")
    assert after.low == min(candle.low, stale.price)
    # close is the highest trade id's price, as candles are built today (see the live store docs)
    assert after.close == stale.price


def test_the_latest_by_time_then_id_wins_in_any_order(store_factory) -> None:  # type: ignore[no-untyped-def]
    ts = trades(120)
    msgs = [*ts, late(ts[-1], 300), late(ts[-1], 1, price="1.00")]
    msgs[-1] = Trade("BTCUSDT", ts[-1].trade_id + 2, D("1.00"), D("1"), ts[-1].time, False)  # same ms
    ref = store_factory()
    ref.write(msgs, now_ms=1)
    assert ref.last("BTCUSDT").price == D("1.00")  # equal times: the higher id
    for seed in range(3):
        mixed = list(msgs)
        random.Random(seed).shuffle(mixed)
        store = store_factory()
        for i in range(0, len(mixed), 7):
            store.write([RawTrade.from_trade(t) for t in mixed[i : i + 7]], now_ms=1)
        assert state(store) == state(ref)
        assert store.last("BTCUSDT").time == ts[-1].time
