"""Candle history for the API: the shipped candles until the history store takes over."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.adapters.sample_candles import sample_path

if TYPE_CHECKING:
    from sim.services import Simulator

RULES = {"1h": "1h", "4h": "4h", "1d": "1D"}


@lru_cache(maxsize=16)
def _frame(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    df["open_time"] = pd.to_datetime(df["open_time"], unit="ms", utc=True)
    return df


def candles(sim: Simulator, symbol: str, interval: str, start: object, end: object) -> pd.DataFrame:
    instrument = sim.instruments.get_or_raise(symbol)
    if interval not in RULES:
        from sim.domain.errors import InvalidInput

        raise InvalidInput(f"interval must be one of {', '.join(RULES)} for the shipped candles.")
    df = _frame(sample_path(sim.settings.sample_dir, instrument.symbol))
    now = pd.Timestamp(sim.now())
    df = df[df["open_time"] + pd.Timedelta(hours=1) <= now]
    if interval != "1h":
        df = (
            df.set_index("open_time")
            .resample(RULES[interval], label="left", closed="left")
            .agg({"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"})
            .dropna()
            .reset_index()
        )
    if start is not None:
        df = df[df["open_time"] >= pd.Timestamp(start, tz="UTC")]  # type: ignore[arg-type]
    if end is not None:
        df = df[df["open_time"] < pd.Timestamp(end, tz="UTC")]  # type: ignore[arg-type]
    return df.reset_index(drop=True)
