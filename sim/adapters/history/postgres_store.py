"""The PostgreSQL history store (psycopg2, plain SQL).

Tables (created if missing; the DDL is idempotent and serialized by an advisory lock, so several
processes may start together):

- ``candles(symbol, interval, open_time timestamptz, open, high, low, close, volume
  NUMERIC(38, 8), closed bool, version bigint, PRIMARY KEY (symbol, interval, open_time))``;
- ``candle_rollups``: 1h aggregates (``n`` = rows aggregated) of every interval finer than 1h,
  keyed ``(symbol, source_interval, open_time)``. They are recomputed for the touched hours in
  the same transaction as the upsert, so they always equal aggregating ``candles``; they keep the
  one-year-of-1h chart from 1m rows fast (8,760 rows read instead of 525,600).

Writes: ``INSERT ... ON CONFLICT (symbol, interval, open_time) DO UPDATE ... WHERE
(EXCLUDED.closed, EXCLUDED.version) >= (candles.closed, candles.version)``: the never-older rule of
:mod:`.base`. Writers of one series are serialized by ``pg_advisory_xact_lock`` so the rollup of an
hour never misses a row committed by a concurrent writer. Resampling runs in SQL (epoch floor on
``open_time``; first/last via ``array_agg(... ORDER BY open_time)``), floats cast in SQL.

First use loads the shipped 1h sample (``<sample_dir>/<SYMBOL>-1h.csv.gz``) for each tracked symbol
with no 1h rows, through ``COPY`` of the CSV text (exact) into a temporary table. Nothing connects
at import time; a small thread-safe pool is created on the first call.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg2
import psycopg2.extras
import psycopg2.pool

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
)

H_MS = INTERVAL_MS[ROLLUP_INTERVAL]
LOCK_DDL = 7_311_001  # advisory lock key for the DDL

DDL = """
CREATE TABLE IF NOT EXISTS candles (
    symbol text NOT NULL,
    interval text NOT NULL,
    open_time timestamptz NOT NULL,
    open NUMERIC(38, 8) NOT NULL,
    high NUMERIC(38, 8) NOT NULL,
    low NUMERIC(38, 8) NOT NULL,
    close NUMERIC(38, 8) NOT NULL,
    volume NUMERIC(38, 8) NOT NULL,
    closed boolean NOT NULL DEFAULT true,
    version bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (symbol, interval, open_time)
);
CREATE TABLE IF NOT EXISTS candle_rollups (
    symbol text NOT NULL,
    source_interval text NOT NULL,
    open_time timestamptz NOT NULL,
    open NUMERIC(38, 8) NOT NULL,
    high NUMERIC(38, 8) NOT NULL,
    low NUMERIC(38, 8) NOT NULL,
    close NUMERIC(38, 8) NOT NULL,
    volume NUMERIC(38, 8) NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (symbol, source_interval, open_time)
);
"""

UPSERT = """
INSERT INTO candles AS c (symbol, interval, open_time, open, high, low, close, volume, closed, version)
VALUES %s
ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
    open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    volume = EXCLUDED.volume, closed = EXCLUDED.closed, version = EXCLUDED.version
WHERE (EXCLUDED.closed, EXCLUDED.version) >= (c.closed, c.version)
"""

# One hour bucket of a timestamptz, by epoch floor (exact for whole milliseconds).
HOUR = "date_bin('1 hour', open_time, TIMESTAMPTZ 'epoch')"

REFRESH_ROLLUPS = f"""
INSERT INTO candle_rollups AS r (symbol, source_interval, open_time, open, high, low, close, volume, n)
SELECT symbol, interval, {HOUR},
       (array_agg(open ORDER BY open_time))[1], max(high), min(low),
       (array_agg(close ORDER BY open_time DESC))[1], sum(volume), count(*)
FROM candles
WHERE symbol = %(symbol)s AND interval = %(interval)s
  AND open_time >= %(lo)s AND open_time < %(hi)s
  AND {HOUR} = ANY(%(hours)s::timestamptz[])
GROUP BY symbol, interval, {HOUR}
ON CONFLICT (symbol, source_interval, open_time) DO UPDATE SET
    open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    volume = EXCLUDED.volume, n = EXCLUDED.n
"""


def _dsn(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


class PostgresHistoryStore(HistoryStore):
    """Candle history in PostgreSQL tables ``candles`` and ``candle_rollups``."""

    def __init__(
        self,
        url: str,
        sample_dir: Path | None = None,
        symbols: Sequence[str] = (),
        max_connections: int = 8,
    ) -> None:
        self.dsn = _dsn(url)
        self.sample_dir = sample_dir
        self.tracked = tuple(symbols)
        self.max_connections = max_connections
        self._pool: psycopg2.pool.ThreadedConnectionPool | None = None
        self._lock = threading.Lock()
        self._setup_lock = threading.Lock()
        self._ready = False

    # ---- plumbing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _conn(self) -> Iterator[Any]:
        """A pooled connection inside one transaction (committed on success)."""
        with self._lock:
            if self._pool is None:
                self._pool = psycopg2.pool.ThreadedConnectionPool(1, self.max_connections, self.dsn)
            pool = self._pool
        conn = pool.getconn()
        try:
            with conn:  # commit / rollback
                yield conn
        finally:
            pool.putconn(conn)

    def _ensure(self) -> None:
        """Create the tables and import the sample once per process (first use)."""
        if self._ready:
            return
        with self._setup_lock:
            if self._ready:
                return
            with self._conn() as conn, conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_DDL,))
                cur.execute(DDL)
            if self.sample_dir is not None:
                self._load_sample(self.sample_dir)
            self._ready = True

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None

    def _load_sample(self, sample_dir: Path) -> None:
        for symbol in self.tracked:
            path = sample_dir / f"{symbol}-1h.csv.gz"
            if not path.is_file():
                continue
            with self._conn() as conn, conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{symbol}/1h",))
                cur.execute("SELECT 1 FROM candles WHERE symbol = %s AND interval = '1h' LIMIT 1", (symbol,))
                if cur.fetchone():
                    continue
                cur.execute(
                    "CREATE TEMP TABLE sample_rows (ms bigint, open text, high text, low text, "
                    "close text, volume text) ON COMMIT DROP"
                )
                with gzip.open(path, "rt", encoding="ascii") as handle:
                    cur.copy_expert("COPY sample_rows FROM STDIN WITH (FORMAT csv, HEADER)", handle)
                cur.execute(
                    """INSERT INTO candles (symbol, interval, open_time, open, high, low, close,
                                            volume, closed, version)
                       SELECT %s, '1h', to_timestamp(ms / 1000.0), open::numeric(38, 8),
                              high::numeric(38, 8), low::numeric(38, 8), close::numeric(38, 8),
                              volume::numeric(38, 8), true, 0
                       FROM sample_rows ON CONFLICT DO NOTHING""",
                    (symbol,),
                )

    # ---- writes ---------------------------------------------------------------------------

    def upsert_candles(self, symbol: str, interval: str, rows: Iterable[Any]) -> int:
        check_symbol(symbol)
        candles = normalize_rows(interval, rows)
        self._ensure()
        if not candles:
            return 0
        values = [
            (symbol, interval, r.open_time, r.open, r.high, r.low, r.close, r.volume, r.closed, r.version)
            for r in candles
        ]
        with self._conn() as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{symbol}/{interval}",))
            psycopg2.extras.execute_values(cur, UPSERT, values, page_size=5000)
            if INTERVAL_MS[interval] < H_MS:
                hours = sorted({r.open_ms // H_MS * H_MS for r in candles})
                cur.execute(
                    REFRESH_ROLLUPS,
                    {
                        "symbol": symbol,
                        "interval": interval,
                        "lo": from_ms(hours[0]),
                        "hi": from_ms(hours[-1] + H_MS),
                        "hours": [from_ms(h) for h in hours],
                    },
                )
        return len(candles)

    # ---- reads ----------------------------------------------------------------------------

    def stored_intervals(self, symbol: str) -> list[str]:
        self._ensure()
        with self._conn() as conn, conn.cursor() as cur:
            cur.execute(
                """SELECT i FROM unnest(%s::text[]) AS i
                   WHERE EXISTS (SELECT 1 FROM candles WHERE symbol = %s AND interval = i)""",
                (list(INTERVALS), symbol),
            )
            found = {row[0] for row in cur.fetchall()}
        return [i for i in INTERVALS if i in found]

    def symbols(self) -> list[str]:
        self._ensure()
        with self._conn() as conn, conn.cursor() as cur:
            # loose index scan over the primary key: one probe per distinct symbol
            cur.execute(
                """WITH RECURSIVE s AS (
                       (SELECT symbol FROM candles ORDER BY symbol LIMIT 1)
                       UNION ALL
                       SELECT (SELECT symbol FROM candles WHERE symbol > s.symbol
                               ORDER BY symbol LIMIT 1) FROM s WHERE s.symbol IS NOT NULL)
                   SELECT symbol FROM s WHERE symbol IS NOT NULL"""
            )
            return [row[0] for row in cur.fetchall()]

    def coverage(self, symbol: str, interval: str) -> tuple[datetime | None, datetime | None, int]:
        check_interval(interval)
        self._ensure()
        with self._conn() as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT min(open_time), max(open_time), count(*) FROM candles "
                "WHERE symbol = %s AND interval = %s",
                (symbol, interval),
            )
            first, last, count = cur.fetchone()
        return first, last, int(count)

    def stored_rows(
        self,
        symbol: str,
        interval: str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[CandleRow]:
        check_interval(interval)
        self._ensure()
        lo, hi = query_range(interval, start, end)
        with self._conn() as conn, conn.cursor() as cur:
            cur.execute(
                """SELECT (extract(epoch FROM open_time) * 1000)::bigint, open, high, low, close,
                          volume, closed, version
                   FROM candles WHERE symbol = %s AND interval = %s
                     AND open_time >= %s AND open_time < %s ORDER BY open_time""",
                (symbol, interval, from_ms(lo), from_ms(hi)),
            )
            return [CandleRow(*row) for row in cur.fetchall()]

    def candles(
        self,
        symbol: str,
        interval: str = "1h",
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        check_interval(interval)
        sources = plan_sources(symbol, interval, self.stored_intervals(symbol))
        if not sources:
            return empty_frame()
        lo, hi = query_range(interval, start, end)
        if lo >= hi or (limit is not None and limit <= 0):
            return empty_frame()
        params: dict[str, Any] = {"symbol": symbol, "lo": from_ms(lo), "hi": from_ms(hi)}
        selects = [self._source_sql(source, interval, f"s{k}", params) for k, source in enumerate(sources)]
        union = " UNION ALL ".join(f"({s})" for s in selects)
        order = f"ORDER BY t DESC LIMIT {int(limit)}" if limit is not None else "ORDER BY t"
        if len(selects) == 1:
            sql = f"SELECT t, open, high, low, close, volume FROM ({union}) x {order}"
        else:
            sql = f"""SELECT t, open, high, low, close, volume FROM (
                          SELECT DISTINCT ON (t) * FROM ({union}) u
                          ORDER BY t, covered DESC, src DESC) x {order}"""
        with self._conn() as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        if not rows:
            return empty_frame()
        if limit is not None:
            rows.reverse()
        columns = list(zip(*rows, strict=True))
        return frame_from_arrays(*columns)

    def _source_sql(self, source: str, interval: str, tag: str, params: dict[str, Any]) -> str:
        """SQL giving ``t`` (epoch ms), OHLCV as float8, ``covered`` and ``src`` per bucket."""
        src_ms, step = INTERVAL_MS[source], INTERVAL_MS[interval]
        params[f"{tag}i"] = source
        floats = (
            "open::float8 AS open, high::float8 AS high, low::float8 AS low, "
            "close::float8 AS close, volume::float8 AS volume"
        )
        ms = "(extract(epoch FROM open_time) * 1000)::bigint"
        if src_ms == step:
            return f"""SELECT {ms} AS t, {floats}, {src_ms}::bigint AS covered, {src_ms} AS src
                       FROM candles WHERE symbol = %(symbol)s AND interval = %({tag}i)s
                         AND open_time >= %(lo)s AND open_time < %(hi)s"""
        if src_ms < H_MS and step % H_MS == 0:
            table, key, count = "candle_rollups", "source_interval", "sum(n)"
        else:
            table, key, count = "candles", "interval", "count(*)"
        return f"""SELECT t, {floats}, covered, {src_ms} AS src FROM (
                       SELECT {ms} / {step} * {step} AS t,
                              (array_agg(open ORDER BY open_time))[1] AS open,
                              max(high) AS high, min(low) AS low,
                              (array_agg(close ORDER BY open_time DESC))[1] AS close,
                              sum(volume) AS volume, {count} * {src_ms} AS covered
                       FROM {table} WHERE symbol = %(symbol)s AND {key} = %({tag}i)s
                         AND open_time >= %(lo)s AND open_time < %(hi)s
                       GROUP BY 1) a"""
