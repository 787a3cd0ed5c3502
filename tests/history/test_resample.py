"""Resampling against formulas on hand-made candles; time-range and limit rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from sim.adapters.history import HistoryUnavailable
from tests.history.conftest import MakeStore
from tests.history.helpers import T0, minute_rows

H = timedelta(hours=1)


def test_1h_from_60_one_minute_rows(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "1m", minute_rows(T0, 60))
    frame = store.candles("BTCUSDT", "1h")
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["open_time"] == T0
    assert row["open"] == 100  # first open
    assert row["high"] == 101 + 59  # max high
    assert row["low"] == 99  # min low
    assert row["close"] == 100.5 + 59  # last close
    assert row["volume"] == float(sum(Decimal("0.001") * (i + 1) for i in range(60)))  # 1.83


def test_5m_and_15m_from_1m_rows(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "1m", minute_rows(T0, 30))
    five = store.candles("BTCUSDT", "5m")
    assert len(five) == 6
    for k in range(6):
        assert five["open"].iloc[k] == 100 + 5 * k
        assert five["close"].iloc[k] == 100.5 + 5 * k + 4
        assert five["high"].iloc[k] == 101 + 5 * k + 4
        assert five["low"].iloc[k] == 99 + 5 * k
    assert len(store.candles("BTCUSDT", "15m")) == 2


def test_4h_and_1d_from_1h_rows(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "1h", minute_rows(T0, 30, step=H))  # 30 hours
    four = store.candles("BTCUSDT", "4h")
    assert list(four["open_time"]) == [T0 + 4 * k * H for k in range(8)]
    for k in range(7):  # full buckets: hours 4k .. 4k+3
        assert four["open"].iloc[k] == 100 + 4 * k
        assert four["high"].iloc[k] == 101 + 4 * k + 3
        assert four["low"].iloc[k] == 99 + 4 * k
        assert four["close"].iloc[k] == 100.5 + 4 * k + 3
    # the last 4h bucket is partial (hours 28, 29): returned with what is stored
    assert four["open"].iloc[7] == 128 and four["close"].iloc[7] == 129.5
    day = store.candles("BTCUSDT", "1d")
    assert len(day) == 2
    assert day["close"].iloc[0] == 100.5 + 23 and day["open"].iloc[1] == 124
    assert day["volume"].iloc[1] == pytest.approx(sum(0.001 * (i + 1) for i in range(24, 30)))


def test_range_is_start_inclusive_end_exclusive_on_bucket_times(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "1m", minute_rows(T0, 180))  # three hours
    got = store.candles("BTCUSDT", "1h", start=T0 + H, end=T0 + 2 * H)
    assert list(got["open_time"]) == [T0 + H]
    assert got["open"].iloc[0] == 160  # whole bucket, from its first minute
    # a start inside a bucket begins at the next bucket; an end inside one keeps that bucket
    got = store.candles("BTCUSDT", "1h", start=T0 + timedelta(minutes=30), end=T0 + 2.5 * H)
    assert list(got["open_time"]) == [T0 + H, T0 + 2 * H]
    assert got["close"].iloc[1] == 100.5 + 179  # aggregated from all its rows
    minutes = store.candles("BTCUSDT", "1m", start=T0 + timedelta(minutes=5), end=T0 + H)
    assert len(minutes) == 55
    assert store.candles("BTCUSDT", "1h", start=T0 + 3 * H).empty
    latest = store.candles("BTCUSDT", "1h", limit=2)
    assert list(latest["open_time"]) == [T0 + H, T0 + 2 * H]  # the latest two, ascending


def test_each_bucket_uses_the_source_covering_it_most(make_store: MakeStore) -> None:
    store = make_store()
    hourly = minute_rows(T0, 3, step=H)
    store.upsert_candles("BTCUSDT", "1h", hourly)
    # the consumer's 1m rows: a conflicting partial hour 2 and a new hour 3
    store.upsert_candles("BTCUSDT", "1m", minute_rows(T0 + 2 * H, 10))
    store.upsert_candles("BTCUSDT", "1m", minute_rows(T0 + 3 * H, 60))
    frame = store.candles("BTCUSDT", "1h")
    assert list(frame["open_time"]) == [T0 + k * H for k in range(4)]
    assert frame["open"].iloc[2] == 102  # the complete 1h candle beats 10 minutes
    assert frame["close"].iloc[3] == 100.5 + 59  # only 1m rows there
    four = store.candles("BTCUSDT", "4h")
    assert len(four) == 1 and four["open"].iloc[0] == 100  # 3 hours beat 70 minutes


def test_interval_finer_than_stored_raises(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "5m", minute_rows(T0, 3, step=timedelta(minutes=5)))
    with pytest.raises(HistoryUnavailable, match="only 5m candles are stored"):
        store.candles("BTCUSDT", "1m")
    assert len(store.candles("BTCUSDT", "15m")) == 1
