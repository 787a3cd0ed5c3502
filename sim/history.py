"""Candle history for the API: the history store when configured, else the shipped candles; and
what is read from it: the 24h ticker (:func:`ticker`) and the intervals a chart can use.

Either way only candles *closed* at the simulator's clock are returned, so a replay never shows
its future.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.domain.errors import InvalidInput
from sim.domain.values import to_decimal
from sim.market.intervals import CANDLE_INTERVAL_MS as INTERVAL_MS
from sim.market.intervals import CANDLE_INTERVALS as INTERVALS
from sim.universe import candle_file

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
        raise InvalidInput.of("interval.unknown", names=", ".join(INTERVALS), value=interval)
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
        raise InvalidInput.of("interval.hourly_sample", names=", ".join(SAMPLE_RULES))
    path = candle_file(sim.settings, instrument.symbol)  # shipped, else imported (sim.universe)
    if path is None:
        raise InvalidInput.of("history.no_candles", symbol=instrument.symbol)
    df = _sample_frame(path)
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


def ticker(ctx: Simulator, symbol: str) -> dict[str, Any] | None:
    """The latest price of ``symbol`` with its 24h change: see :meth:`sim.services.Simulator.ticker`."""
    instrument = ctx.instruments.get_or_raise(symbol)
    tick = ctx.market.last(instrument.symbol)
    if tick is None:
        return None
    open_24h: Decimal | None = None
    source = "candles"
    mini = getattr(ctx.market, "ticker", None)
    ticker = mini(instrument.symbol) if callable(mini) else None
    if ticker is not None:
        open_24h, source = ticker.open, "ticker"
    else:
        open_24h = open_24h_of(ctx, instrument.symbol, ctx.now())
    change = (tick.price / open_24h - 1) * 100 if open_24h else None
    return {
        "symbol": instrument.symbol,
        "price": tick.price,
        "time": tick.time,
        "open_24h": open_24h,
        "change_pct": change,
        "source": source,
    }


def open_24h_of(ctx: Simulator, symbol: str, now: datetime) -> Decimal | None:
    """Open of the first hourly candle of the last 24 hours; the same all hour long, so it is
    kept per (symbol, hour) — market data only, never anything of a user."""
    key = (symbol, now.replace(minute=0, second=0, microsecond=0))
    cache = ctx._open_24h_cache
    if key not in cache:
        try:
            frame = candles(ctx, symbol, "1h", now - timedelta(hours=24), None)
            first = None if frame.empty else float(frame["open"].iloc[0])
        except Exception:  # a history store that is not there must not hide the price
            first = None
        if len(cache) > 256:
            cache.clear()
        cache[key] = to_decimal(repr(first), "open") if first is not None else None
    return cache[key]


def chart_intervals(ctx: Simulator, symbol: str) -> list[str]:
    """The candle intervals the history store can give for ``symbol`` (finest first)."""
    store = ctx.history_store
    stored = store.stored_intervals(symbol) if store is not None else ["1h"]
    if not stored:
        return ["1h", "4h", "1d"]
    return [i for i in INTERVALS if any(INTERVAL_MS[i] % INTERVAL_MS[s] == 0 for s in stored)]


__all__ = ["candles", "chart_intervals", "open_24h_of", "ticker"]
