"""Candles for the backtest tests: the shipped real ones, cut, and tiny hand-made ones."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from sim.settings import DATA_DIR


@lru_cache(maxsize=8)
def _shipped(symbol: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "sample" / f"{symbol}-1h.csv.gz")


def shipped(symbol: str = "BTCUSDT", rows: int | None = None) -> pd.DataFrame:
    """The shipped 1h candles of ``symbol`` (the first ``rows`` of them), a fresh copy."""
    df = _shipped(symbol)
    return (df if rows is None else df.iloc[:rows]).copy()


def candles(opens: list[float], closes: list[float] | None = None) -> pd.DataFrame:
    """Hourly candles from 2023-01-01 with the given opens (and closes; default next open)."""
    o = np.asarray(opens, dtype=float)
    c = np.asarray(closes, dtype=float) if closes is not None else np.r_[o[1:], o[-1]]
    start = pd.Timestamp("2023-01-01", tz="UTC")
    index = pd.date_range(start, periods=len(o), freq="1h")
    return pd.DataFrame(
        {
            "open_time": index.as_unit("ms").asi8,
            "open": o,
            "high": np.maximum(o, c) + 1,
            "low": np.minimum(o, c) - 1,
            "close": c,
            "volume": 1.0,
        }
    )
