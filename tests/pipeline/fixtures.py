"""Paths to the real Binance payloads copied into ``tests/fixtures/binance`` and small loaders."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "binance"
WS = FIXTURES / "ws"
REST = FIXTURES / "rest"
DOCS = FIXTURES / "binance_spot_docs_examples.json"
SAMPLE = Path(__file__).resolve().parent.parent.parent / "data" / "sample"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


def docs(name: str) -> Any:
    return load(DOCS)[name]


def sample_rows(symbol: str = "BTCUSDT", count: int | None = None) -> list[list[str]]:
    """Rows ``[open_time_ms, open, high, low, close, volume]`` (text) of a shipped sample file."""
    rows = []
    with gzip.open(SAMPLE / f"{symbol}-1h.csv.gz", "rt") as fh:
        next(fh)
        for line in fh:
            rows.append(line.strip().split(","))
            if count is not None and len(rows) == count:
                break
    return rows
