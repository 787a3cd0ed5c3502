"""Fixtures for the forecast tests: slices of the shipped real candles (read once per session)."""

from __future__ import annotations

import polars as pl
import pytest

from sim.analytics.forecast.data import load_candles


@pytest.fixture(scope="session")
def btc() -> pl.DataFrame:
    return load_candles("BTCUSDT")


@pytest.fixture(scope="session")
def btc_recent(btc: pl.DataFrame) -> pl.DataFrame:
    """The last 4,000 hourly candles of BTCUSDT (about 5.5 months), enough for small folds."""
    return btc.tail(4000)
