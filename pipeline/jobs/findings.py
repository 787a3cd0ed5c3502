"""The data-quality findings table: one row per (symbol, interval, data interval start), upserted.

Layout under ``root``: ``symbol=<S>/interval=<I>/<YYYY-MM-DD>.parquet`` (the UTC day of the
interval start), hive-partitioned, so a notebook reads everything with
``duckdb.sql("SELECT * FROM read_parquet('<root>/**/*.parquet', hive_partitioning=true)")`` or
:func:`read_findings`.

Upsert: under an exclusive ``flock`` on the day file's lock, the day file is read, rows with the
same ``interval_start`` are replaced by the new ones, and the result is written to a temporary
file and renamed over the old one (readers see the old or the new file, never half of one).
Writing the same findings twice leaves the same rows. Rows carry no wall-clock time, so a rerun
over unchanged data is byte-for-byte the same table.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

TS = pa.timestamp("ms", tz="UTC")


@dataclass(frozen=True)
class Finding:
    """What the checks found for one symbol, interval and data interval ``[start, end)``.

    ``expected``: candles the interval should hold; ``fetched``: candles the source delivered
    (before de-duplication); ``stored``: candles stored for the interval after the backfill;
    ``missing``: expected candles not stored (``gaps`` lists them as ``first..last`` open times);
    ``duplicates``: source candles whose open time the source had already delivered;
    ``conflicts``: those duplicates whose values differ from the first copy;
    ``stored_duplicates``: stored rows sharing an open time (0 unless a store breaks its key);
    ``bad_ohlc``: stored candles with ``low > min(open, close)``, ``high < max(open, close)``,
    ``low <= 0`` or ``volume < 0``; ``mismatched``: stored candles that differ from the source's
    (the store kept a newer version, or the source was corrected); ``status``: ``ok`` or the
    comma-joined names of the non-zero problem counts.
    """

    symbol: str
    interval: str
    interval_start: datetime
    interval_end: datetime
    source: str
    expected: int
    fetched: int
    stored: int
    missing: int
    gaps: str
    duplicates: int
    conflicts: int
    stored_duplicates: int
    bad_ohlc: int
    mismatched: int
    status: str


_TIMES = ("interval_start", "interval_end")
_TEXT = ("symbol", "interval", "source", "gaps", "status")
SCHEMA = pa.schema(
    [
        (f.name, TS if f.name in _TIMES else pa.string() if f.name in _TEXT else pa.int64())
        for f in fields(Finding)
    ]
)


def problem_status(counts: dict[str, int]) -> str:
    problems = [name for name, count in counts.items() if count]
    return ",".join(problems) if problems else "ok"


def _day_file(root: Path, symbol: str, interval: str, start: datetime) -> Path:
    return root / f"symbol={symbol}" / f"interval={interval}" / f"{start:%Y-%m-%d}.parquet"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _frame(rows: Sequence[Finding]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in rows], columns=SCHEMA.names)
    for name in ("interval_start", "interval_end"):
        frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[ms, UTC]")
    return frame


def upsert_findings(root: Path, rows: Sequence[Finding]) -> int:
    """Store ``rows``, replacing stored rows with the same key; returns how many were written."""
    groups: dict[Path, list[Finding]] = {}
    for row in rows:
        groups.setdefault(_day_file(root, row.symbol, row.interval, row.interval_start), []).append(row)
    for path, new in groups.items():
        with _locked(path):
            fresh = _frame(new)
            if path.exists():
                old = pq.read_table(path).to_pandas()
                old = old[~old["interval_start"].isin(fresh["interval_start"])]
                fresh = pd.concat([old, fresh], ignore_index=True) if len(old) else fresh
            fresh = fresh.sort_values("interval_start", kind="stable").reset_index(drop=True)
            table = pa.Table.from_pandas(fresh, schema=SCHEMA, preserve_index=False)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            try:
                pq.write_table(table, tmp)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
    return len(rows)


def read_findings(root: Path, symbol: str | None = None, interval: str | None = None) -> pd.DataFrame:
    """Every stored finding (optionally of one symbol / interval), sorted by key."""
    pattern = f"symbol={symbol or '*'}/interval={interval or '*'}/*.parquet"
    paths = sorted(Path(root).glob(pattern))
    if not paths:
        return _frame([])
    frame = pd.concat([pq.read_table(p).to_pandas() for p in paths], ignore_index=True)
    return frame.sort_values(["symbol", "interval", "interval_start"]).reset_index(drop=True)
