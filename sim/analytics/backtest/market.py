"""Candles for the backtester: one symbol's frame or a dict of them, aligned on one time index.

Accepted input per symbol: a pandas DataFrame with ``open, high, low, close`` (``volume``
optional; capitalised names such as ``Open`` are accepted too) and either an ``open_time`` column
(integer milliseconds since the epoch, UTC, or datetimes) or a DatetimeIndex of candle open
times. Naive datetimes are taken as UTC. Open times must be strictly increasing; gaps are kept.

Several symbols are aligned on the open times they **all** have (the intersection): a bar where
one symbol has no candle (an exchange outage) is dropped for all, so every bar has a real candle
for every symbol and no candle is ever invented.

Prices are float64 here; the trade loop turns the few prices it trades at into Decimal through
their shortest round-trip text (``Decimal(repr(x))``), which gives back the exchange's text for
prices read from files such as the shipped CSVs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

PRICE_COLUMNS = ("open", "high", "low", "close")

Candles: TypeAlias = pd.DataFrame | Mapping[str, pd.DataFrame]


class CandleError(ValueError):
    """The candles are malformed: missing columns, unordered or duplicated open times, no rows."""


def _column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    """The column called ``name``, matched case-insensitively (no copy of the frame)."""
    if name in frame.columns:
        return frame[name]
    for column in frame.columns:
        if isinstance(column, str) and column.lower() == name:
            return frame[column]
    return None


def normalize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One symbol's candles as float columns indexed by a UTC DatetimeIndex named ``open_time``."""
    times = _column(frame, "open_time")
    if times is not None:
        if pd.api.types.is_integer_dtype(times):  # a view of the milliseconds, one copy by tz_localize
            stamps = np.asarray(times.to_numpy(), dtype=np.int64).view("datetime64[ms]")
            index = pd.DatetimeIndex(stamps, copy=False).tz_localize("UTC")
        elif pd.api.types.is_float_dtype(times):
            index = pd.DatetimeIndex(pd.to_datetime(times.to_numpy(), unit="ms", utc=True))
        else:
            index = pd.DatetimeIndex(pd.to_datetime(times, utc=True))
    elif isinstance(frame.index, pd.DatetimeIndex):
        index = frame.index
        index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    else:
        raise CandleError("candles need an 'open_time' column or a DatetimeIndex of open times")
    columns = {c: _column(frame, c) for c in (*PRICE_COLUMNS, "volume")}
    missing = [c for c in PRICE_COLUMNS if columns[c] is None]
    if missing:
        raise CandleError(f"candles lack the columns {missing}")
    if len(index) == 0:
        raise CandleError("candles have no rows")
    open_times = index.asi8
    if len(index) > 1 and not (open_times[1:] > open_times[:-1]).all():
        raise CandleError("open times must be strictly increasing (sorted, no duplicates)")
    return pd.DataFrame(
        {c: np.asarray(col, dtype=np.float64) for c, col in columns.items() if col is not None},
        index=index.rename("open_time"),
        copy=False,
    )


@dataclass(frozen=True)
class Market:
    """Aligned candles: ``open``/``high``/``low``/``close`` are (bars, symbols) float64 arrays."""

    index: pd.DatetimeIndex
    symbols: tuple[str, ...]
    frames: dict[str, pd.DataFrame]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    single: bool

    @property
    def bars(self) -> int:
        return len(self.index)

    def strategy_input(self) -> pd.DataFrame | dict[str, pd.DataFrame]:
        """What a strategy is called with: the frame itself for one symbol, else the dict."""
        return self.frames[self.symbols[0]] if self.single else dict(self.frames)


def load_market(candles: Candles, symbol: str | None = None) -> Market:
    """Normalize and align ``candles`` (a frame, or a dict symbol -> frame).

    A single frame is traded as ``symbol`` (default ``"ASSET"``; give the real symbol so its
    exchange filters apply).
    """
    if isinstance(candles, pd.DataFrame):
        name = symbol or "ASSET"
        frames = {name: normalize_frame(candles)}
        single = True
    elif isinstance(candles, Mapping):
        if not candles:
            raise CandleError("no symbols given")
        frames = {str(s): normalize_frame(f) for s, f in candles.items()}
        single = False
    else:
        raise CandleError(f"expected a DataFrame or a dict of DataFrames, got {type(candles)!r}")
    symbols = tuple(frames)
    index = frames[symbols[0]].index
    for name in symbols[1:]:
        index = index.intersection(frames[name].index)
    if len(index) == 0:
        raise CandleError("the symbols share no candle open time")
    if len(symbols) > 1:
        frames = {s: f.loc[index] if len(f.index) != len(index) else f for s, f in frames.items()}

    def stack(column: str) -> np.ndarray:
        if len(symbols) == 1:
            return frames[symbols[0]][column].to_numpy().reshape(-1, 1)
        return np.column_stack([frames[s][column].to_numpy() for s in symbols])

    return Market(
        index=index,
        symbols=symbols,
        frames=frames,
        open=stack("open"),
        high=stack("high"),
        low=stack("low"),
        close=stack("close"),
        single=single,
    )
