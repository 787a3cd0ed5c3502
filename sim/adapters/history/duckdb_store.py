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

The files (schema, listing, atomic writes, locks) are in :mod:`sim.adapters.history.parquet_files`,
the SQL that reads them in :mod:`sim.adapters.history.duckdb_sql`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from sim.adapters.history.base import (
    INTERVAL_MS,
    INTERVALS,
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
from sim.adapters.history.duckdb_sql import ROLLUP_SQL, WINNER, rows_sql, source_sql
from sim.adapters.history.parquet_files import (
    H_MS,
    ROLLUP_SCHEMA,
    SCHEMA,
    Files,
    flock,
    list_files,
    rows_table,
    sample_table,
    write_atomic,
)

READ_RETRIES = 20


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

    def _list(self, symbol: str, interval: str) -> Files:
        return list_files(self._partition(symbol, interval))

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

    # ---- first use: the shipped sample ----------------------------------------------------

    def _ensure_sample(self) -> None:
        if self._sample_done:
            return
        assert self.sample_dir is not None
        with flock(self.root / ".sample.lock"):
            for symbol in self.tracked:
                path = self.sample_dir / f"{symbol}-1h.csv.gz"
                if path.is_file() and not self._list(symbol, "1h").data:
                    write_atomic(
                        sample_table(path),
                        self._partition(symbol, "1h"),
                        f"base-{self._token()}.parquet",
                    )
        self._sample_done = True

    # ---- writes ---------------------------------------------------------------------------

    def upsert_candles(self, symbol: str, interval: str, rows: Iterable[Any]) -> int:
        check_symbol(symbol)
        candles = normalize_rows(interval, rows)
        self._ensure_sample()
        if not candles:
            return 0
        part_dir = self._partition(symbol, interval)
        write_atomic(rows_table(candles, int(self._token()[:20])), part_dir, f"part-{self._token()}.parquet")
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
        with flock(part_dir / ".compact.lock", wait) as locked:
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
                    rollup = cursor.sql(ROLLUP_SQL).to_arrow_table()
                finally:
                    cursor.unregister("merged_rows")
                rollup = rollup.cast(ROLLUP_SCHEMA)
                write_atomic(rollup, part_dir, f"rollup1h-{token}.parquet")
            write_atomic(merged, part_dir, f"base-{token}.parquet")
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

        def run(files: Files) -> tuple[datetime | None, datetime | None, int]:
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

        def run(files: Files) -> list[CandleRow]:
            if not files.data:
                return []
            params: dict[str, Any] = {"lo": from_ms(lo), "hi": from_ms(hi)}
            rows = rows_sql(files, "r", "open_time >= $lo AND open_time < $hi", params)
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

        def run(_: Files) -> pd.DataFrame:
            params: dict[str, Any] = {"lo": from_ms(lo), "hi": from_ms(hi)}
            selects = []
            for k, source in enumerate(sources):
                sql = source_sql(self._list(symbol, source), source, interval, f"s{k}", params)
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
