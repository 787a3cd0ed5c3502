"""First use imports the shipped real candles exactly, and reports their real gaps."""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sim.adapters.history import HistoryUnavailable
from tests.history.conftest import SAMPLE_DIR, MakeStore

SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT")


def csv_rows(symbol: str) -> list[list[str]]:
    with gzip.open(SAMPLE_DIR / f"{symbol}-1h.csv.gz", "rt") as handle:
        return list(csv.reader(handle))[1:]


def test_first_use_loads_every_symbol_exactly(make_store: MakeStore) -> None:
    store = make_store(sample=True, symbols=SYMBOLS)
    assert store.symbols() == sorted(SYMBOLS)
    for symbol in SYMBOLS:
        first, last, count = store.coverage(symbol, "1h")
        assert count == 28_732
        assert first == datetime(2020, 9, 20, tzinfo=UTC)
        assert last == datetime(2023, 12, 31, 23, tzinfo=UTC)
    # a second store on the same backend (another process, say) does not import again
    again = make_store(sample=True, symbols=SYMBOLS)
    assert again.coverage("XRPUSDT", "1h")[2] == 28_732


@pytest.mark.parametrize("symbol", ["BTCUSDT", "XRPUSDT"])
def test_values_equal_the_csv_text(make_store: MakeStore, symbol: str) -> None:
    store = make_store(sample=True, symbols=(symbol,))
    expected = csv_rows(symbol)
    stored = store.stored_rows(symbol, "1h")
    assert len(stored) == len(expected) == 28_732
    for index in (0, 1, 9_999, 28_731):
        ms, *values = expected[index]
        row = stored[index]
        assert row.open_ms == int(ms)
        assert [row.open, row.high, row.low, row.close, row.volume] == [Decimal(v) for v in values]
        assert row.closed is True
    frame = store.candles(symbol, "1h")
    assert len(frame) == 28_732
    assert frame["close"].iloc[-1] == float(expected[-1][4])
    assert frame["open_time"].is_monotonic_increasing


def test_real_gaps_are_reported_not_filled(make_store: MakeStore) -> None:
    store = make_store(sample=True)
    gaps = store.gaps("BTCUSDT", "1h")
    assert len(gaps) == 10
    starts = {g[0].date().isoformat() for g in gaps}
    assert {"2020-12-21", "2021-04-25", "2021-08-13", "2023-03-24"} <= starts
    outage = next(g for g in gaps if g[0].date().isoformat() == "2020-12-21")
    assert outage == (datetime(2020, 12, 21, 14, tzinfo=UTC), datetime(2020, 12, 21, 18, tzinfo=UTC))
    missing_hours = sum((end - start).total_seconds() / 3600 for start, end in gaps)
    first, last, count = store.coverage("BTCUSDT", "1h")
    assert first is not None and last is not None
    assert count + missing_hours == (last - first).total_seconds() / 3600 + 1
    # the outage day's 1d candle is built from the 20 hours that exist, not padded
    day = store.candles(
        "BTCUSDT", "1d", datetime(2020, 12, 21, tzinfo=UTC), datetime(2020, 12, 22, tzinfo=UTC)
    )
    assert len(day) == 1
    hours = store.stored_rows(
        "BTCUSDT", "1h", datetime(2020, 12, 21, tzinfo=UTC), datetime(2020, 12, 22, tzinfo=UTC)
    )
    assert len(hours) == 20
    assert day["volume"].iloc[0] == pytest.approx(float(sum(h.volume for h in hours)), rel=1e-12)
    # gaps of a window: missing candles before/after the stored ones count too
    window = store.gaps(
        "BTCUSDT", "1h", datetime(2023, 12, 31, 22, tzinfo=UTC), datetime(2024, 1, 1, 3, tzinfo=UTC)
    )
    assert window == [(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, 3, tzinfo=UTC))]


def test_finer_than_stored_is_refused_with_what_is_stored(make_store: MakeStore) -> None:
    store = make_store(sample=True)
    with pytest.raises(HistoryUnavailable, match=r"only 1h candles are stored"):
        store.candles("BTCUSDT", "15m")
    assert store.candles("DOGEUSDT", "1h").empty  # nothing stored for that symbol at all
    whole = store.candles("BTCUSDT", "4h")
    assert whole["open_time"].dt.hour.isin([0, 4, 8, 12, 16, 20]).all()
