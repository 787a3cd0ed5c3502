"""Loading candles for forecasting, and the fingerprint of the data a model was trained on.

Assumptions and definitions:
- A candle frame has the columns ``open_time, open, high, low, close, volume``; ``open_time`` is the
  candle's open in milliseconds since the Unix epoch, UTC (an integer), or a datetime column that
  is converted to that. Prices and volume are float64 here (analytics, not money).
- Rows are one interval apart except across real exchange outages: gaps are kept as gaps, no
  candle is invented. ``open_time`` must be strictly increasing (checked).
- A candle's *close time* is ``open_time + interval`` (Binance reports ``open_time + interval -
  1 ms``; the boundary is used so that ``as_of`` values are round times).
- The fingerprint is the sha256 of the canonical bytes of the six columns: ``open_time`` as
  little-endian int64, then ``open, high, low, close, volume`` as little-endian float64, each column
  contiguous, in that order. It does not depend on the file format the candles came from.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sim.settings import DATA_DIR

CANDLE_COLUMNS = ("open_time", "open", "high", "low", "close", "volume")
PRICE_COLUMNS = CANDLE_COLUMNS[1:]
SHIPPED_SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT")
SAMPLE_DIR = DATA_DIR / "sample"

_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


class CandleDataError(ValueError):
    """The candle frame is malformed (missing columns, unordered or duplicated open times)."""


def interval_ms(interval: str) -> int:
    """Milliseconds in a Binance interval string such as ``"1m"``, ``"4h"``, ``"1d"``."""
    match = re.fullmatch(r"(\d+)([mhdw])", interval)
    if not match:
        raise ValueError(f"unknown interval {interval!r}; expected e.g. '1m', '1h', '1d'")
    return int(match.group(1)) * _UNIT_MS[match.group(2)]


def default_path(symbol: str, interval: str = "1h") -> Path:
    """The shipped sample file for a symbol: ``data/sample/<SYMBOL>-<interval>.csv.gz``."""
    return SAMPLE_DIR / f"{symbol}-{interval}.csv.gz"


def load_candles(symbol: str = "BTCUSDT", path: str | Path | None = None) -> pl.DataFrame:
    """Read a shipped candle CSV (gzip or plain) into a checked polars frame."""
    source = Path(path) if path is not None else default_path(symbol)
    frame = pl.read_csv(source, schema_overrides={"open_time": pl.Int64})
    return to_polars(frame)


def to_polars(candles: Any) -> pl.DataFrame:
    """A polars candle frame from a polars or pandas frame with the candle columns.

    ``open_time`` becomes Int64 milliseconds (datetime columns are converted, naive ones taken as
    UTC), the other columns Float64; extra columns are dropped; the order is checked.
    """
    if isinstance(candles, pl.LazyFrame):
        candles = candles.collect()
    if not isinstance(candles, pl.DataFrame):
        if hasattr(candles, "to_dict") and hasattr(candles, "columns"):  # pandas
            candles = pl.from_pandas(candles.reset_index(drop=True)[list(CANDLE_COLUMNS)])
        else:
            raise CandleDataError(f"expected a polars or pandas DataFrame, got {type(candles)!r}")
    missing = [c for c in CANDLE_COLUMNS if c not in candles.columns]
    if missing:
        raise CandleDataError(f"candle frame lacks columns {missing}")
    open_time = pl.col("open_time")
    dtype = candles.schema["open_time"]
    if isinstance(dtype, pl.Datetime):
        open_time = open_time.dt.epoch("ms")
    frame = candles.select(
        open_time.cast(pl.Int64).alias("open_time"),
        *(pl.col(c).cast(pl.Float64) for c in PRICE_COLUMNS),
    )
    if frame.height > 1:
        steps = frame["open_time"].diff().drop_nulls()
        if steps.min() <= 0:  # type: ignore[operator]
            raise CandleDataError("open_time must be strictly increasing (sorted, no duplicates)")
    return frame


def fingerprint(candles: Any) -> str:
    """sha256 (hex) of the canonical bytes of the candle columns; see the module docstring."""
    frame = to_polars(candles)
    digest = hashlib.sha256()
    digest.update(frame["open_time"].to_numpy().astype("<i8").tobytes())
    for column in PRICE_COLUMNS:
        digest.update(np.ascontiguousarray(frame[column].to_numpy(), dtype="<f8").tobytes())
    return digest.hexdigest()
