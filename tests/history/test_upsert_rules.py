"""Upserts: idempotent, keyed, and never replacing a stored candle with an older version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim.domain.errors import InvalidInput
from tests.history.conftest import MakeStore
from tests.history.helpers import T0, minute_rows


def state(store, interval: str = "1m") -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (r.open_ms, r.open, r.high, r.low, r.close, r.volume, r.closed, r.version)
        for r in store.stored_rows("BTCUSDT", interval)
    ]


def test_same_rows_twice_give_the_same_state(make_store: MakeStore) -> None:
    store = make_store()
    rows = minute_rows(T0, 120)
    store.upsert_candles("BTCUSDT", "1m", rows)
    once, frame_once = state(store), store.candles("BTCUSDT", "1h")
    store.upsert_candles("BTCUSDT", "1m", rows)
    store.upsert_candles("BTCUSDT", "1m", rows[10:20])
    assert state(store) == once
    assert store.candles("BTCUSDT", "1h").equals(frame_once)
    assert store.coverage("BTCUSDT", "1m") == (T0, T0 + timedelta(minutes=119), 120)
    assert store.last_open_time("BTCUSDT", "1m") == T0 + timedelta(minutes=119)
    assert len(store.candles("BTCUSDT", "1m")) == 120  # no duplicated candle


def candle(close: str, closed: bool, version: int = 0) -> dict:
    return {
        "open_time": T0,
        "open": "10",
        "high": "20",
        "low": "5",
        "close": close,
        "volume": "1.5",
        "closed": closed,
        "version": version,
    }


def test_closed_candle_is_never_replaced_by_an_open_or_older_one(make_store: MakeStore) -> None:
    store = make_store()
    store.upsert_candles("BTCUSDT", "1m", [candle("11", closed=False, version=3)])
    store.upsert_candles("BTCUSDT", "1m", [candle("12", closed=False, version=2)])  # older: lost
    assert store.stored_rows("BTCUSDT", "1m")[0].close == Decimal("11")
    store.upsert_candles("BTCUSDT", "1m", [candle("13", closed=False, version=4)])  # newer open
    assert store.stored_rows("BTCUSDT", "1m")[0].close == Decimal("13")
    store.upsert_candles("BTCUSDT", "1m", [candle("14", closed=True, version=1)])  # closed wins
    store.upsert_candles("BTCUSDT", "1m", [candle("15", closed=False, version=99)])  # open: lost
    store.upsert_candles("BTCUSDT", "1m", [candle("16", closed=True, version=0)])  # older: lost
    row = store.stored_rows("BTCUSDT", "1m")[0]
    assert (row.close, row.closed, row.version) == (Decimal("14"), True, 1)
    # an exact tie: the later write wins (a corrected resend of the final candle)
    store.upsert_candles("BTCUSDT", "1m", [candle("17", closed=True, version=1)])
    assert store.stored_rows("BTCUSDT", "1m")[0].close == Decimal("17")
    assert store.candles("BTCUSDT", "1h")["close"].tolist() == [17.0]
    # inside one batch the same rule picks the winner
    store.upsert_candles(
        "BTCUSDT", "1m", [candle("18", closed=True, version=5), candle("19", closed=False, version=9)]
    )
    assert store.stored_rows("BTCUSDT", "1m")[0].close == Decimal("18")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"open_time": datetime(2024, 1, 1)}, "timezone-aware"),
        ({"open_time": T0 + timedelta(seconds=30)}, "boundary"),
        ({"close": "1.123456789"}, "more than 8 decimals"),
        ({"high": "1"}, "Inconsistent"),
        ({"volume": "NaN"}, "finite"),
        ({"open": "1e3"}, "exponent"),
    ],
)
def test_malformed_rows_are_refused(make_store: MakeStore, change: dict, message: str) -> None:
    store = make_store()
    with pytest.raises(InvalidInput, match=message):
        store.upsert_candles("BTCUSDT", "1m", [{**candle("11", True), **change}])
    assert store.stored_rows("BTCUSDT", "1m") == []


def test_values_are_exact_to_eight_decimals(make_store: MakeStore) -> None:
    store = make_store()
    row = {
        "open_time": datetime(2024, 1, 1, 0, 1, tzinfo=UTC),
        "open": Decimal("0.00000001"),
        "high": "123456789012.12345678",
        "low": "0.00000001",
        "close": "99999.99999999",
        "volume": "0.1",
    }
    store.upsert_candles("BTCUSDT", "1m", [row])
    got = store.stored_rows("BTCUSDT", "1m")[0]
    assert (got.open, got.high, got.close, got.volume) == (
        Decimal("0.00000001"),
        Decimal("123456789012.12345678"),
        Decimal("99999.99999999"),
        Decimal("0.1"),
    )
