"""Both live stores (in-memory and the machine's Redis) under duplicates, shuffles and old data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim.adapters.live.base import FeedStatus
from sim.adapters.live.memory import InMemoryLiveStore
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import BookTop, Candle, Trade
from sim.market.raw_trades import RawTrade

D = Decimal
T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "redis"])
def store_factory(request: pytest.FixtureRequest) -> Iterator[object]:
    if request.param == "memory":
        yield InMemoryLiveStore
    else:
        url, prefix = request.getfixturevalue("redis_url")
        count = iter(range(100))
        yield lambda: RedisLiveStore(url, prefix=f"{prefix}{next(count)}:")


def trades(n: int = 120) -> list[Trade]:
    rng = random.Random(7)
    price = D("40000.00")
    out = []
    for i in range(n):
        price += D(rng.randint(-300, 300)) / 100
        out.append(Trade("BTCUSDT", 1000 + i, price, D("0.00123"), T0 + timedelta(seconds=i), False))
    return out


def state(store) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    return (
        store.last("BTCUSDT"),
        [t.trade_id for t in store.recent_trades("BTCUSDT", 500)],
        store.forming_candle("BTCUSDT"),
        store.book_top("BTCUSDT"),
    )


def test_duplicates_and_shuffles_give_the_in_order_state(store_factory) -> None:  # type: ignore[no-untyped-def]
    msgs = [
        *trades(),
        BookTop("BTCUSDT", 5, D("1.00"), D("2"), D("1.01"), D("3")),
        BookTop("BTCUSDT", 7, D("1.02"), D("2"), D("1.03"), D("3")),
    ]
    in_order = store_factory()
    in_order.write(msgs, now_ms=1)
    mixed = msgs + msgs[10:50]
    random.Random(3).shuffle(mixed)
    shuffled = store_factory()
    for i in range(0, len(mixed), 17):
        shuffled.write(mixed[i : i + 17], now_ms=1)
    assert state(shuffled) == state(in_order)
    assert in_order.book_top("BTCUSDT").update_id == 7


def test_raw_trades_big_batches_and_partial_replays_give_the_in_order_state(store_factory) -> None:  # type: ignore[no-untyped-def]
    ts = trades(4_500)  # 75 minutes, more trades than one Redis script call takes
    ref = InMemoryLiveStore()
    for t in ts:
        ref.write([t], now_ms=1)
    raw = [RawTrade.from_trade(t) for t in ts]
    store = store_factory()
    store.write(raw[:-10], now_ms=1)
    store.write(raw[-30:], now_ms=1)  # the newest minute: 20 trades counted already, 10 new
    store.write(raw[100:130] + raw[-5:], now_ms=1)  # a replay changes nothing
    assert state(store) == state(ref)
    assert store.forming_candle("BTCUSDT").trades == 60


def test_forming_candle_is_exact_and_price_never_goes_back(store_factory) -> None:  # type: ignore[no-untyped-def]
    ts = trades(120)  # two minutes: the forming candle is the second one
    store = store_factory()
    store.write(ts, now_ms=1)
    minute2 = [t for t in ts if t.time >= T0 + timedelta(minutes=1)]
    c = store.forming_candle("BTCUSDT")
    assert c.open_time == T0 + timedelta(minutes=1)
    assert (c.open, c.close) == (minute2[0].price, minute2[-1].price)
    assert (c.high, c.low) == (max(t.price for t in minute2), min(t.price for t in minute2))
    assert c.volume == D("0.00123") * len(minute2) and c.trades == len(minute2)
    store.write([ts[3]], now_ms=2)  # an old trade arriving late
    assert store.last("BTCUSDT").price == ts[-1].price
    kline = Candle("BTCUSDT", "1m", T0 + timedelta(minutes=1), D("1"), D("2"), D("1"), D("2"), D("5"), True)
    store.write([kline], now_ms=3)
    assert store.forming_candle("BTCUSDT") == kline


def test_health_reports_freshness(store_factory) -> None:  # type: ignore[no-untyped-def]
    store = store_factory()
    store.write(trades(2), now_ms=1_000_000)
    store.record_consumer(1234.5, 7, 1_000_000)
    h = store.health(["BTCUSDT", "ETHUSDT"], now_ms=1_002_000)
    assert [s.status for s in h.symbols] == [FeedStatus.LIVE, FeedStatus.STALE]
    assert (h.messages_per_second, h.consumer_lag) == (1234.5, 7)
    assert store.health(["BTCUSDT"], now_ms=1_030_000).symbols[0].status is FeedStatus.DELAYED
    assert store.health(["BTCUSDT"], now_ms=1_100_000).symbols[0].status is FeedStatus.STALE


def test_unreachable_redis_is_stale_not_a_crash() -> None:
    store = RedisLiveStore("redis://127.0.0.1:1/0")
    h = store.health(["BTCUSDT"], now_ms=0)
    assert h.symbols[0].status is FeedStatus.STALE and "cannot be reached" in h.error
