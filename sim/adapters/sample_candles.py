"""The shipped real Binance 1h candles (``data/sample/<SYMBOL>-1h.csv.gz``).

Values are kept as the strings the file holds and parsed to Decimal, so replayed prices are exact.
See ``data/SOURCES.md`` for where they come from.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Bar:
    open_time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


def sample_path(sample_dir: Path, symbol: str, interval: str = "1h") -> Path:
    return sample_dir / f"{symbol}-{interval}.csv.gz"


def read_bars(path: Path) -> list[Bar]:
    """All rows of one shipped file, oldest first."""
    with gzip.open(path, "rt", newline="") as fh:
        reader = csv.DictReader(fh)
        return [
            Bar(
                datetime.fromtimestamp(int(r["open_time"]) / 1000, tz=UTC),
                Decimal(r["open"]),
                Decimal(r["high"]),
                Decimal(r["low"]),
                Decimal(r["close"]),
                Decimal(r["volume"]),
            )
            for r in reader
        ]


CANDLE_COLUMNS = ("open_time", "open", "high", "low", "close", "volume")


def merge_into_file(path: Path, rows: list[tuple[int, str, str, str, str, str]]) -> int:
    """Merge ``rows`` (open time in ms, then open, high, low, close, volume as text) into the
    candle file ``path`` (the shipped sample's format), creating it when missing.

    A row for an open time already in the file replaces it; the file stays sorted by open time.
    Written to a temporary file beside it and swapped in with ``os.replace``, so a reader sees the
    old file or the new one. Returns how many rows the file holds.
    """
    import os
    import tempfile

    merged: dict[int, tuple[str, ...]] = {}
    if path.is_file():
        with gzip.open(path, "rt", newline="") as fh:
            for r in csv.DictReader(fh):
                merged[int(r["open_time"])] = tuple(r[c] for c in CANDLE_COLUMNS[1:])
    for row in rows:
        merged[row[0]] = row[1:]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(CANDLE_COLUMNS)
            for t in sorted(merged):
                writer.writerow([t, *merged[t]])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(merged)
