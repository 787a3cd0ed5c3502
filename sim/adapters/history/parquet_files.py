"""The files of the embedded history store: their schema, listing, atomic writes and locks.

One partition directory (``candles/symbol=<S>/interval=<I>/``) holds ``base-<token>.parquet``
(compacted rows), ``rollup1h-<token>.parquet`` (the 1h aggregates of the base with the same token)
and ``part-<token>.parquet`` (one per upsert). See :mod:`sim.adapters.history.duckdb_store` for the
guarantees. Assumptions:
- A file is written under a hidden temporary name, fsynced, then renamed (``os.replace`` is atomic
  on POSIX), so a reader lists and sees whole files only; temporary names start with ``.``.
- Prices and volumes are DECIMAL(38, 8) (exact); times are ms timestamps in UTC.
- Locks are ``flock`` on a lock file: advisory, between processes of one machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from sim.adapters.history.base import INTERVAL_MS, ROLLUP_INTERVAL, CandleRow

DEC = pa.decimal128(38, 8)
TS = pa.timestamp("ms", tz="UTC")
SCHEMA = pa.schema(
    [("open_time", TS)]
    + [(name, DEC) for name in ("open", "high", "low", "close", "volume")]
    + [("closed", pa.bool_()), ("version", pa.int64()), ("written_at", pa.int64())]
)
ROLLUP_SCHEMA = pa.schema(
    [("open_time", TS)]
    + [(name, DEC) for name in ("open", "high", "low", "close", "volume")]
    + [("n", pa.int64())]
)
ROW_GROUP = 65_536  # lets DuckDB skip row groups by open_time min/max
H_MS = INTERVAL_MS[ROLLUP_INTERVAL]


@dataclass
class Files:
    """A snapshot of one partition's data files."""

    bases: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    rollups: dict[str, str] = field(default_factory=dict)  # token -> path

    @property
    def data(self) -> list[str]:
        return self.bases + self.parts

    def rollup(self) -> str | None:
        """The rollup of the single base, if there is exactly one base and it has one."""
        if len(self.bases) != 1:
            return None
        token = Path(self.bases[0]).name[len("base-") : -len(".parquet")]
        return self.rollups.get(token)


def list_files(directory: Path) -> Files:
    """The data files in ``directory`` now, in name (so token, so time) order; none if it is absent."""
    files = Files()
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return files
    for entry in sorted(entries, key=lambda e: e.name):
        name = entry.name
        if not name.endswith(".parquet"):
            continue
        if name.startswith("base-"):
            files.bases.append(entry.path)
        elif name.startswith("part-"):
            files.parts.append(entry.path)
        elif name.startswith("rollup1h-"):
            files.rollups[name[len("rollup1h-") : -len(".parquet")]] = entry.path
    return files


def write_atomic(table: pa.Table, directory: Path, name: str) -> Path:
    """Write ``table`` to ``directory/name`` so that a reader sees the whole file or none."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "wb") as handle:
            pq.write_table(table, handle, row_group_size=ROW_GROUP)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, directory / name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return directory / name


@contextlib.contextmanager
def flock(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on ``path``; with ``wait=False`` yield False at once if it is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sample_table(path: Path) -> pa.Table:
    """A shipped sample file (``open_time`` ms, then OHLCV as text) as closed rows, exactly."""
    names = ["open_time", "open", "high", "low", "close", "volume"]
    raw = pa_csv.read_csv(
        path,
        convert_options=pa_csv.ConvertOptions(
            column_types={"open_time": pa.int64(), **{n: pa.string() for n in names[1:]}}
        ),
    )
    count = raw.num_rows
    columns = [raw["open_time"].cast(TS)] + [raw[n].cast(DEC) for n in names[1:]]
    columns += [
        pa.array([True] * count, pa.bool_()),
        pa.array([0] * count, pa.int64()),
        pa.array([time.time_ns()] * count, pa.int64()),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA).sort_by("open_time")


def rows_table(rows: list[CandleRow], written_at: int) -> pa.Table:
    """``rows`` as one part file's table, each stamped ``written_at`` (ns)."""
    return pa.Table.from_arrays(
        [
            pa.array([r.open_ms for r in rows], pa.int64()).cast(TS),
            pa.array([r.open for r in rows], DEC),
            pa.array([r.high for r in rows], DEC),
            pa.array([r.low for r in rows], DEC),
            pa.array([r.close for r in rows], DEC),
            pa.array([r.volume for r in rows], DEC),
            pa.array([r.closed for r in rows], pa.bool_()),
            pa.array([r.version for r in rows], pa.int64()),
            pa.array([written_at] * len(rows), pa.int64()),
        ],
        schema=SCHEMA,
    )
