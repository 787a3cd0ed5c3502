"""The replay source on the shipped real candles: determinism, ranges, ordering and pacing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice, pairwise, takewhile
from pathlib import Path
from typing import Any

import pytest

from pipeline.sources.replay_source import (
    ReplayMessage,
    ReplaySource,
    read_sample_candles,
    tick_sizes_from_exchange_info,
)
from sim.market import Candle, Trade, decode, encode

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
EXCHANGE_INFO = ROOT / "data" / "exchange_info.json"
SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT")
START = datetime(2020, 9, 20, tzinfo=UTC)
HOUR = timedelta(hours=1)


def replay(**options: Any) -> ReplaySource:
    opts: dict[str, Any] = {"start": START, "end": START + 48 * HOUR}
    opts.update(options)
    return ReplaySource.from_sample(SAMPLE, EXCHANGE_INFO, SYMBOLS, **opts)


def split(msgs: list[ReplayMessage]) -> list[tuple[list[Trade], Candle]]:
    """Per symbol, the trades of each candle followed by that candle."""
    out: list[tuple[list[Trade], Candle]] = []
    pending: dict[str, list[Trade]] = {}
    for m in msgs:
        if isinstance(m, Trade):
            pending.setdefault(m.symbol, []).append(m)
        else:
            out.append((pending.pop(m.symbol), m))
    assert not pending
    return out


def test_tick_sizes_come_from_the_exchange_rules() -> None:
    ticks = tick_sizes_from_exchange_info(EXCHANGE_INFO)
    assert ticks["BTCUSDT"] == Decimal("0.01") and ticks["XRPUSDT"] == Decimal("0.0001")
    assert set(ticks) == set(SYMBOLS)


def test_sample_candles_are_read_exactly() -> None:
    first = next(read_sample_candles(SAMPLE / "BTCUSDT-1h.csv.gz"))
    assert first == Candle(
        "BTCUSDT",
        "1h",
        START,
        open=Decimal("11080.64"),
        high=Decimal("11080.64"),
        low=Decimal("11042.7"),
        close=Decimal("11056.0"),
        volume=Decimal("1168.906046"),
        closed=True,
    )


def test_deterministic_for_a_seed() -> None:
    a = list(replay(seed=3, ticks_per_candle=8).messages())
    b = list(replay(seed=3, ticks_per_candle=8).messages())
    c = list(replay(seed=4, ticks_per_candle=8).messages())
    assert a == b
    assert len(a) == len(c) and a != c
    assert [m for m in a if isinstance(m, Candle)] == [m for m in c if isinstance(m, Candle)]


def test_ticks_stay_in_range_end_at_close_and_carry_the_volume() -> None:
    n = 10
    msgs = list(replay(ticks_per_candle=n).messages())
    candles = split(msgs)
    assert len(candles) == 48 * len(SYMBOLS)
    ticks = tick_sizes_from_exchange_info(EXCHANGE_INFO)
    for trades, candle in candles:
        assert candle.closed
        assert len(trades) == n
        assert all(candle.low <= t.price <= candle.high for t in trades)
        assert trades[0].price == candle.open and trades[-1].price == candle.close
        assert {candle.high, candle.low} <= {t.price for t in trades}
        assert sum(t.quantity for t in trades) == candle.volume
        assert trades[0].time == candle.open_time
        assert trades[-1].time == candle.open_time + HOUR - timedelta(milliseconds=1)
        waypoints = {candle.open, candle.high, candle.low, candle.close}
        assert all(t.price in waypoints or t.price % ticks[t.symbol] == 0 for t in trades)
        ids = [t.trade_id for t in trades]
        assert ids == sorted(ids) and len(set(ids)) == n
        assert trades[0].is_buyer_maker == (candle.close < candle.open)
        for before, after in pairwise(trades):
            assert after.is_buyer_maker == (after.price < before.price)


def test_one_stream_in_time_order_across_symbols() -> None:
    msgs = list(replay().messages())
    times = [m.time if isinstance(m, Trade) else m.open_time + HOUR - timedelta(milliseconds=1) for m in msgs]
    assert times == sorted(times)
    # every symbol's candle at 00:00 closes before any symbol's 01:00 candle starts trading
    first_hour = msgs[: 5 * len(SYMBOLS)]
    assert {m.symbol for m in first_hour if isinstance(m, Candle)} == set(SYMBOLS)
    assert all(m.time < START + HOUR for m in first_hour if isinstance(m, Trade))
    for m in msgs:
        assert decode(encode(m)) == m  # everything the replay makes is a valid bus message


def test_start_and_end_select_candles_and_replay_identically() -> None:
    full = list(replay(seed=9).messages())
    later = START + 30 * HOUR
    tail = list(replay(seed=9, start=later).messages())
    assert tail == [m for m in full if (m.time if isinstance(m, Trade) else m.open_time) >= later]
    candles = [m for m in tail if isinstance(m, Candle)]
    assert min(c.open_time for c in candles) == later
    assert max(c.open_time for c in candles) == START + 47 * HOUR


def test_real_gaps_are_not_filled_and_flat_zero_volume_candles_replay() -> None:
    # 2021-02-11: an hour with zero volume and o = h = l = c in every shipped file
    flat_time = datetime(2021, 2, 11, 3, tzinfo=UTC)
    msgs = list(replay(start=flat_time, end=flat_time + HOUR).messages())
    for trades, candle in split(msgs):
        assert candle.volume == 0
        assert all(t.price == candle.close and t.quantity == 0 for t in trades)
    # 2020-12-21: a Binance outage; the replay skips the missing hours
    outage = datetime(2020, 12, 21, tzinfo=UTC)
    btc = ReplaySource.from_sample(SAMPLE, EXCHANGE_INFO, ["BTCUSDT"], start=outage, end=outage + 24 * HOUR)
    played = [m.open_time for m in btc.messages() if isinstance(m, Candle)]
    until = outage + 24 * HOUR
    head = takewhile(lambda c: c.open_time < until, read_sample_candles(SAMPLE / "BTCUSDT-1h.csv.gz"))
    stored = [c.open_time for c in head if c.open_time >= outage]
    assert played == stored and len(played) < 24


def test_pacing_in_candles_per_second() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    source = replay(end=START + 4 * HOUR, speed=2.0)  # 2 candles a second: 1 h of market = 0.5 s
    emitted = [(now[0], m) for m in source.play(sleep=sleep, monotonic=lambda: now[0])]
    assert all(s > 0 for s in sleeps)
    for wall, m in emitted:
        market = (m.time if isinstance(m, Trade) else m.open_time + HOUR - timedelta(milliseconds=1)) - START
        assert wall - 100.0 == pytest.approx(market / HOUR * 0.5, abs=1e-9)
    assert now[0] - 100.0 == pytest.approx(4 * 0.5, abs=1e-3)


def test_async_play_gives_the_same_messages() -> None:
    async def collect() -> list[ReplayMessage]:
        return [m async for m in replay(seed=2).aplay()]

    assert asyncio.run(collect()) == list(replay(seed=2).messages())


def test_refusals() -> None:
    with pytest.raises(ValueError, match="no tick size for DOGEUSDT"):
        ReplaySource({"DOGEUSDT": []}, {"BTCUSDT": Decimal("0.01")})
    with pytest.raises(ValueError, match="speed must be positive"):
        replay(speed=0)
    candles = list(islice(read_sample_candles(SAMPLE / "ETHUSDT-1h.csv.gz"), 3))
    backwards = ReplaySource({"ETHUSDT": [candles[1], candles[0]]}, {"ETHUSDT": Decimal("0.01")})
    with pytest.raises(ValueError, match="not in time order"):
        list(backwards.messages())
    mixed = ReplaySource.from_candles(candles, {"ETHUSDT": Decimal("0.01")})
    assert [m for m in mixed.messages() if isinstance(m, Candle)] == candles
