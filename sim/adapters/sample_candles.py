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
