"""Candle history for the API: the history store when configured, else the shipped candles.

Either way only candles *closed* at the simulator's clock are returned, so a replay never shows
its future.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sim.adapters.history.base import INTERVALS
from sim.adapters.sample_candles import sample_path
from sim.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext as Simulator

SAMPLE_RULES = {"1h": "1h", "4h": "4h", "1d": "1D"}


@lru_cache(maxsize=16)
def _sample_frame(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    df["open_time"] = pd.to_datetime(df["open_time"], unit="ms", utc=True)
    return df


def _ts(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def candles(sim: Simulator, symbol: str, interval: str, start: object, end: object) -> pd.DataFrame:
    instrument = sim.instruments.get_or_raise(symbol)
    if interval not in INTERVALS:
        raise InvalidInput(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}.")
    step = pd.Timedelta(INTERVALS[interval])
    now = pd.Timestamp(sim.now())
    lo, hi = _ts(start), _ts(end)
    if sim.history_store is not None:
        # a bucket is closed when open_time + interval <= now
        cutoff = now - step
        upper = (
            min(hi, cutoff + pd.Timedelta(milliseconds=1))
            if hi is not None
            else cutoff + pd.Timedelta(milliseconds=1)
        )
        frame = sim.history_store.candles(
            instrument.symbol,
            interval,
            lo.to_pydatetime() if lo is not None else None,
            upper.to_pydatetime(),
        )
        return frame.reset_index(drop=True)
    if interval not in SAMPLE_RULES:
        raise InvalidInput(
            f"The shipped candles are hourly: interval must be one of {', '.join(SAMPLE_RULES)}."
        )
    df = _sample_frame(sample_path(sim.settings.sample_dir, instrument.symbol))
    if interval != "1h":
        df = (
            df.set_index("open_time")
            .resample(SAMPLE_RULES[interval], label="left", closed="left")
            .agg({"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"})
            .dropna()
            .reset_index()
        )
    df = df[df["open_time"] + step <= now]
    if lo is not None:
        df = df[df["open_time"] >= lo]
    if hi is not None:
        df = df[df["open_time"] < hi]
    return df.reset_index(drop=True)


__all__ = ["candles"]
