"""The embedded history store: Parquet files written atomically, read through in-memory DuckDB.

Why files and not one ``.duckdb`` database: the consumer (writing candles) and the Streamlit app
(reading them) are separate processes that run at the same time. DuckDB lets one process open a
database file for writing and no other process may open it then, not even read-only. So nothing
here holds a database file open: every process uses its own in-memory DuckDB connection (one
``.cursor()`` per thread) and queries immutable Parquet files.

Layout under ``root`` (``HISTORY_URL=duckdb:///.../history.duckdb`` -> ``.../history/``)::

    candles/symbol=BTCUSDT/interval=1m/base-<token>.parquet      compacted, deduplicated rows
                                      /rollup1h-<token>.parquet  1h aggregates of that base
                                      /part-<token>.parquet      one per upsert call, appended

``<token>`` is ``<unix ns>-<uuid>``. Assumptions and guarantees:

- **Atomic appends.** A file is written under a hidden temporary name, fsynced, then renamed
  (``os.replace``, atomic on POSIX), so a reader sees a whole file or none; several writers may
  append at once (different names). Readers list the directory at each query (hive layout, so
  ``read_parquet('candles/**/*.parquet', hive_partitioning=true)`` works from a notebook too).
- **Deduplication at read time.** Each row carries ``closed``, ``version`` and ``written_at`` (ns,
  increasing within a process). Per open time the winner is the row with the greatest
  ``(closed, version, written_at)``: the never-older rule of :mod:`.base`.
- **Compaction** (:meth:`DuckDBHistoryStore.compact`, run by the writer every ``compact_every``
  parts, under a per-partition ``flock`` so only one compaction runs) merges a snapshot of the
  files into one new base (winners only, ``written_at`` kept), plus a 1h rollup for intervals
  finer than 1h. It renames the rollup, then the base, then deletes exactly the files it merged;
  parts written meanwhile stay. Every intermediate state reads correctly (two bases are simply
  deduplicated); a reader whose file vanished under it retries the query on a fresh listing.
- **Rollups** (pre-aggregated, to keep the 1-year-of-1h chart under 20 ms from 1m rows): a 1h
  rollup is used only with the base of the same token; hours touched by newer part files are
  recomputed from the rows, so the answer always equals aggregating the deduplicated rows.
- **First use** loads the shipped 1h sample (``<sample_dir>/<SYMBOL>-1h.csv.gz``) for each tracked
  symbol that has no 1h rows yet, values read as text into DECIMAL(38, 8) (exact), under a lock so
  two processes starting together import it once.
- Nothing is opened or read at import time; the DuckDB connection is created on first query.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from sim.adapters.history.base import (
    INTERVAL_MS,
    INTERVALS,
    ROLLUP_INTERVAL,
    CandleRow,
    HistoryStore,
    check_interval,
    check_symbol,
    empty_frame,
    frame_from_arrays,
    from_ms,
    normalize_rows,
    plan_sources,
    query_range,
    sorted_intervals,
)

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
READ_RETRIES = 20
H_MS = INTERVAL_MS[ROLLUP_INTERVAL]
WINNER = "row_number() OVER (PARTITION BY open_time ORDER BY closed DESC, version DESC, written_at DESC) = 1"


@dataclass
class _Files:
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


class DuckDBHistoryStore(HistoryStore):
    """Candle history in Parquet files under ``root``; safe for one writer and many readers."""

    def __init__(
        self,
        root: Path,
        sample_dir: Path | None = None,
        symbols: Sequence[str] = (),
        compact_every: int = 64,
    ) -> None:
        self.root = Path(root)
        self.sample_dir = sample_dir
        self.tracked = tuple(symbols)
        self.compact_every = compact_every
        self._lock = threading.Lock()
        self._local = threading.local()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._generation = 0
        self._sample_done = sample_dir is None
        self._last_ns = 0

    # ---- plumbing -------------------------------------------------------------------------

    @property
    def candles_dir(self) -> Path:
        return self.root / "candles"

    def _partition(self, symbol: str, interval: str) -> Path:
        return self.candles_dir / f"symbol={symbol}" / f"interval={interval}"

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None or getattr(self._local, "generation", -1) != self._generation:
            with self._lock:
                if self._con is None:
                    self._con = duckdb.connect(":memory:")
                cursor = self._con.cursor()
            self._local.cursor = cursor
            self._local.generation = self._generation
        return cursor

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
            self._generation += 1

    def _token(self) -> str:
        with self._lock:
            self._last_ns = max(time.time_ns(), self._last_ns + 1)
            return f"{self._last_ns:020d}-{uuid.uuid4().hex[:12]}"

    def _list(self, symbol: str, interval: str) -> _Files:
        files = _Files()
        try:
            entries = list(os.scandir(self._partition(symbol, interval)))
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

    def _write_atomic(self, table: pa.Table, directory: Path, name: str) -> Path:
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

    def _read(self, symbol: str, interval: str, run: Any) -> Any:
        """Run ``run(files)`` on a fresh listing, retrying when compaction removed a file."""
        for attempt in range(READ_RETRIES):
            files = self._list(symbol, interval)
            try:
                return run(files)
            except (duckdb.IOException, FileNotFoundError):
                if attempt == READ_RETRIES - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _flock(self, path: Path, wait: bool = True) -> Iterator[bool]:
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

    # ---- first use: the shipped sample ----------------------------------------------------

    def _ensure_sample(self) -> None:
        if self._sample_done:
            return
        assert self.sample_dir is not None
        with self._flock(self.root / ".sample.lock"):
            for symbol in self.tracked:
                path = self.sample_dir / f"{symbol}-1h.csv.gz"
                if path.is_file() and not self._list(symbol, "1h").data:
                    self._write_atomic(
                        self._sample_table(path),
                        self._partition(symbol, "1h"),
                        f"base-{self._token()}.parquet",
                    )
        self._sample_done = True

    def _sample_table(self, path: Path) -> pa.Table:
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

    # ---- writes ---------------------------------------------------------------------------

    def _rows_table(self, rows: list[CandleRow]) -> pa.Table:
        stamp = int(self._token()[:20])
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
                pa.array([stamp] * len(rows), pa.int64()),
            ],
            schema=SCHEMA,
        )

    def upsert_candles(self, symbol: str, interval: str, rows: Iterable[Any]) -> int:
        check_symbol(symbol)
        candles = normalize_rows(interval, rows)
        self._ensure_sample()
        if not candles:
            return 0
        part_dir = self._partition(symbol, interval)
        self._write_atomic(self._rows_table(candles), part_dir, f"part-{self._token()}.parquet")
        if self.compact_every and len(self._list(symbol, interval).parts) >= self.compact_every:
            self.compact(symbol, interval, wait=False)
        return len(candles)

    def compact(self, symbol: str, interval: str, wait: bool = True) -> int:
        """Merge the partition's files into one base (+ 1h rollup); returns files merged.

        Safe while readers read and writers append (see the module docstring). With
        ``wait=False`` it returns 0 at once when another compaction holds the lock.
        """
        check_symbol(symbol)
        check_interval(interval)
        part_dir = self._partition(symbol, interval)
        with self._flock(part_dir / ".compact.lock", wait) as locked:
            if not locked:
                return 0
            files = self._list(symbol, interval)
            needs_rollup = INTERVAL_MS[interval] < H_MS
            if not files.data or (
                len(files.bases) == 1 and not files.parts and (files.rollup() is not None or not needs_rollup)
            ):
                return 0
            cursor = self._cursor()
            merged = cursor.sql(
                f"SELECT * FROM read_parquet($f) QUALIFY {WINNER} ORDER BY open_time",
                params={"f": files.data},
            ).to_arrow_table()
            merged = merged.select(SCHEMA.names).cast(SCHEMA)
            token = self._token()
            if needs_rollup:
                cursor.register("merged_rows", merged)
                try:
                    rollup = cursor.sql(
                        f"""SELECT to_timestamp(((epoch_ms(open_time) // {H_MS}) * {H_MS})
                                 / 1000) AS open_time,
                               arg_min(open, open_time) AS open, max(high) AS high,
                               min(low) AS low, arg_max(close, open_time) AS close,
                               sum(volume) AS volume, count(*) AS n
                           FROM merged_rows GROUP BY 1 ORDER BY 1"""
                    ).to_arrow_table()
                finally:
                    cursor.unregister("merged_rows")
                rollup = rollup.cast(ROLLUP_SCHEMA)
                self._write_atomic(rollup, part_dir, f"rollup1h-{token}.parquet")
            self._write_atomic(merged, part_dir, f"base-{token}.parquet")
            old = files.bases + files.parts + list(files.rollups.values())
            for path in old:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            return len(files.data)

    # ---- reads ----------------------------------------------------------------------------

    def stored_intervals(self, symbol: str) -> list[str]:
        self._ensure_sample()
        return sorted_intervals(i for i in INTERVALS if self._list(symbol, i).data)

    def symbols(self) -> list[str]:
        self._ensure_sample()
        if not self.candles_dir.is_dir():
            return []
        found = []
        for entry in os.scandir(self.candles_dir):
            if entry.name.startswith("symbol="):
                symbol = entry.name[len("symbol=") :]
                if any(self._list(symbol, i).data for i in INTERVALS):
                    found.append(symbol)
        return sorted(found)

    def coverage(self, symbol: str, interval: str) -> tuple[datetime | None, datetime | None, int]:
        check_interval(interval)
        self._ensure_sample()

        def run(files: _Files) -> tuple[datetime | None, datetime | None, int]:
            if not files.data:
                return None, None, 0
            first, last, count = (
                self._cursor()
                .execute(
                    "SELECT epoch_ms(min(open_time)), epoch_ms(max(open_time)), "
                    "count(DISTINCT open_time) FROM read_parquet($f)",
                    {"f": files.data},
                )
                .fetchall()[0]
            )
            return from_ms(first), from_ms(last), int(count)

        result: tuple[datetime | None, datetime | None, int] = self._read(symbol, interval, run)
        return result

    def stored_rows(
        self,
        symbol: str,
        interval: str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[CandleRow]:
        check_interval(interval)
        self._ensure_sample()
        lo, hi = query_range(interval, start, end)

        def run(files: _Files) -> list[CandleRow]:
            if not files.data:
                return []
            params: dict[str, Any] = {"lo": from_ms(lo), "hi": from_ms(hi)}
            rows = self._rows_sql(files, "r", "open_time >= $lo AND open_time < $hi", params)
            got = (
                self._cursor()
                .execute(
                    f"""SELECT epoch_ms(open_time), open, high, low, close, volume, closed, version
                    FROM ({rows}) ORDER BY open_time""",
                    params,
                )
                .fetchall()
            )
            return [CandleRow(*row) for row in got]

        result: list[CandleRow] = self._read(symbol, interval, run)
        return result

    def candles(
        self,
        symbol: str,
        interval: str = "1h",
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        check_interval(interval)
        self._ensure_sample()
        sources = plan_sources(symbol, interval, self.stored_intervals(symbol))
        if not sources:
            return empty_frame()
        lo, hi = query_range(interval, start, end)
        if lo >= hi or (limit is not None and limit <= 0):
            return empty_frame()

        def run(_: _Files) -> pd.DataFrame:
            params: dict[str, Any] = {"lo": from_ms(lo), "hi": from_ms(hi)}
            selects = []
            for k, source in enumerate(sources):
                sql = self._source_sql(symbol, source, interval, f"s{k}", params)
                if sql is not None:
                    selects.append(sql)
            if not selects:
                return empty_frame()
            union = " UNION ALL ".join(f"({s})" for s in selects)
            pick = (
                ""
                if len(selects) == 1
                else "QUALIFY row_number() OVER (PARTITION BY t ORDER BY covered DESC, src DESC) = 1"
            )
            order = f"ORDER BY t DESC LIMIT {int(limit)}" if limit is not None else "ORDER BY t"
            sql = f"""SELECT t, open::DOUBLE AS open, high::DOUBLE AS high, low::DOUBLE AS low,
                             close::DOUBLE AS close, volume::DOUBLE AS volume
                      FROM ({union}) {pick} {order}"""
            got = self._cursor().execute(sql, params).fetchnumpy()
            arrays = [got[c] for c in ("t", "open", "high", "low", "close", "volume")]
            if limit is not None:
                arrays = [a[::-1] for a in arrays]
            return frame_from_arrays(*arrays)

        frame: pd.DataFrame = self._read(symbol, interval, run)
        return frame

    def _source_sql(
        self, symbol: str, source: str, interval: str, tag: str, params: dict[str, Any]
    ) -> str | None:
        """SQL giving ``t, open, high, low, close, volume, covered, src`` per asked bucket."""
        files = self._list(symbol, source)
        if not files.data:
            return None
        src_ms, step = INTERVAL_MS[source], INTERVAL_MS[interval]
        rng = "open_time >= $lo AND open_time < $hi"
        rollup = files.rollup()
        if rollup is not None and src_ms < H_MS and step % H_MS == 0:
            params[f"{tag}r"] = rollup
            hourly = (
                "SELECT epoch_ms(open_time) AS t, open, high, low, close, volume, n "
                f"FROM read_parquet(${tag}r) WHERE {rng}"
            )
            if files.parts:
                params[f"{tag}p"] = files.parts
                params[f"{tag}b"] = files.bases
                hour = f"(epoch_ms(open_time) // {H_MS}) * {H_MS}"
                hourly = f"""
                    WITH p AS (SELECT * FROM read_parquet(${tag}p) WHERE {rng}),
                    touched AS (SELECT DISTINCT {hour} AS h FROM p),
                    fresh AS (
                        SELECT * FROM (
                            SELECT * FROM read_parquet(${tag}b)
                            WHERE {rng} AND open_time >= (SELECT to_timestamp(min(h) / 1000) FROM touched)
                              AND {hour} IN (SELECT h FROM touched)
                            UNION ALL SELECT * FROM p) QUALIFY {WINNER})
                    {hourly} AND epoch_ms(open_time) NOT IN (SELECT h FROM touched)
                    UNION ALL
                    SELECT {hour}, arg_min(open, open_time), max(high), min(low),
                           arg_max(close, open_time), sum(volume), count(*)
                    FROM fresh GROUP BY 1"""
            if step == H_MS:
                return (
                    f"SELECT t, open, high, low, close, volume, n * {src_ms} AS covered, "
                    f"{src_ms} AS src FROM ({hourly})"
                )
            return f"""SELECT (t // {step}) * {step} AS t, arg_min(open, t) AS open, max(high) AS high,
                              min(low) AS low, arg_max(close, t) AS close, sum(volume) AS volume,
                              sum(n) * {src_ms} AS covered, {src_ms} AS src
                       FROM ({hourly}) GROUP BY 1"""
        rows = self._rows_sql(files, tag, rng, params)
        if src_ms == step:
            return (
                "SELECT epoch_ms(open_time) AS t, open, high, low, close, volume, "
                f"{src_ms} AS covered, {src_ms} AS src FROM ({rows})"
            )
        return f"""SELECT (epoch_ms(open_time) // {step}) * {step} AS t,
                          arg_min(open, open_time) AS open, max(high) AS high, min(low) AS low,
                          arg_max(close, open_time) AS close, sum(volume) AS volume,
                          count(*) * {src_ms} AS covered, {src_ms} AS src
                   FROM ({rows}) GROUP BY 1"""

    def _rows_sql(self, files: _Files, tag: str, rng: str, params: dict[str, Any]) -> str:
        """SQL of the deduplicated stored rows in range (the never-older winners)."""
        params[f"{tag}b"] = files.bases
        if len(files.bases) == 1 and not files.parts:
            return f"SELECT * FROM read_parquet(${tag}b) WHERE {rng}"
        if not files.bases or len(files.bases) > 1:
            params[f"{tag}b"] = files.data
            return f"SELECT * FROM read_parquet(${tag}b) WHERE {rng} QUALIFY {WINNER}"
        params[f"{tag}p"] = files.parts
        return f"""
            WITH p AS (SELECT * FROM read_parquet(${tag}p) WHERE {rng}),
            b AS (SELECT * FROM read_parquet(${tag}b) WHERE {rng})
            SELECT * FROM b ANTI JOIN p USING (open_time)
            UNION ALL
            SELECT * FROM (SELECT * FROM b SEMI JOIN p USING (open_time) UNION ALL SELECT * FROM p)
            QUALIFY {WINNER}"""
