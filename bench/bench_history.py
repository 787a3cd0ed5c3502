"""Benchmark: one year of 1h candles from a store of 1m candles, on both history backends.

Run from the repo root: ``.venv/bin/python -m bench.bench_history [--postgres URL] [--runs N]``.
Postgres defaults to ``TEST_POSTGRES_URL`` (or postgres@127.0.0.1:5432); a scratch database is
created and dropped. Writes the table to ``bench/results/history.md``.

Data: 525,600 synthetic 1m BTCUSDT candles for 2023, derived from the shipped real 1h candles:
within each hour the price moves linearly from the previous hour's close to this hour's close
(rounded to the 0.01 tick, exact Decimals), each minute's open is the previous minute's close, and
the hour's volume is split evenly (1e-8 units, remainder on the last minute). A missing real hour
repeats the previous close, so the year has no gaps. Stored through ``upsert_candles`` (then
compacted on DuckDB), so both stores have their 1h rollups (pre-aggregated, see the backends).

Anchors, measured in the same run: DuckDB - plain ``read_parquet`` + GROUP BY over the same
files without the store; Postgres - plain psycopg2 SQL (date_bin + GROUP BY) on the ``candles``
table without rollups. Ratio = store p50 / anchor p50 (below 1 means faster than the anchor).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from sim.adapters.history import open_history
from sim.adapters.history.duckdb_store import DuckDBHistoryStore
from sim.settings import DATA_DIR, ROOT

YEAR = (datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC))
CENT = Decimal("0.01")
UNIT = Decimal("0.00000001")


def minute_rows() -> list[dict[str, object]]:
    """The 525,600 synthetic 1m rows of 2023 (see the module docstring)."""
    import csv
    import gzip

    with gzip.open(DATA_DIR / "sample" / "BTCUSDT-1h.csv.gz", "rt") as handle:
        hours = {int(r["open_time"]): r for r in csv.DictReader(handle)}
    start_ms = int(YEAR[0].timestamp() * 1000)
    previous = hours.get(start_ms - 3_600_000)
    prev_close = Decimal(previous["close"]) if previous else Decimal(hours[start_ms]["open"])
    rows: list[dict[str, object]] = []
    for h in range(365 * 24):
        ms = start_ms + h * 3_600_000
        real = hours.get(ms)
        target = Decimal(real["close"]) if real else prev_close
        volume = Decimal(real["volume"]) if real else Decimal(0)
        share = (volume / 60).quantize(UNIT, rounding=ROUND_DOWN)
        open_ = prev_close
        for i in range(60):
            close = (prev_close + (target - prev_close) * (i + 1) / 60).quantize(CENT)
            vol = share if i < 59 else volume - share * 59
            rows.append(
                {
                    "open_time": datetime.fromtimestamp(ms / 1000 + 60 * i, tz=UTC),
                    "open": open_,
                    "high": max(open_, close),
                    "low": min(open_, close),
                    "close": close,
                    "volume": vol,
                }
            )
            open_ = close
        prev_close = target
    assert len(rows) == 525_600
    return rows


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    fn()  # warm up
    samples = []
    result: object = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], result


def load(store, rows: list[dict[str, object]]) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    for k in range(0, len(rows), 100_000):
        store.upsert_candles("BTCUSDT", "1m", rows[k : k + 100_000])
    if isinstance(store, DuckDBHistoryStore):
        store.compact("BTCUSDT", "1m")
    return time.perf_counter() - t0


def bench_duckdb(rows: list[dict[str, object]], runs: int) -> list[tuple[str, ...]]:
    import duckdb

    root = Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        store = open_history(f"duckdb:///{root / 'history.duckdb'}", DATA_DIR / "sample", ("BTCUSDT",))
        seconds = load(store, rows)
        con = duckdb.connect()
        files = str(root / "history" / "candles" / "*" / "*" / "*.parquet")
        raw_sql = f"""
            SELECT time_bucket(INTERVAL 1 hour, open_time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                   arg_min(open, open_time)::DOUBLE AS open, max(high)::DOUBLE AS high,
                   min(low)::DOUBLE AS low, arg_max(close, open_time)::DOUBLE AS close,
                   sum(volume)::DOUBLE AS volume
            FROM read_parquet('{files}', hive_partitioning = true, union_by_name = true)
            WHERE symbol = 'BTCUSDT' AND interval = '1m' AND closed IS NOT NULL
              AND open_time >= TIMESTAMPTZ '2023-01-01 00:00:00+00'
              AND open_time < TIMESTAMPTZ '2024-01-01 00:00:00+00'
            GROUP BY 1 ORDER BY 1"""
        return measure("DuckDB (Parquet)", store, lambda: con.sql(raw_sql).df(), seconds, runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def bench_postgres(url: str, rows: list[dict[str, object]], runs: int) -> list[tuple[str, ...]]:
    import psycopg2

    admin = url.replace("postgresql+psycopg2://", "postgresql://")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    db_url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        store = open_history(db_url, DATA_DIR / "sample", ("BTCUSDT",))
        seconds = load(store, rows)
        raw = psycopg2.connect(db_url)
        raw_sql = """
            SELECT date_bin('1 hour', open_time, TIMESTAMPTZ 'epoch') AS t,
                   ((array_agg(open ORDER BY open_time))[1])::float8, max(high)::float8,
                   min(low)::float8, ((array_agg(close ORDER BY open_time DESC))[1])::float8,
                   sum(volume)::float8
            FROM candles WHERE symbol = 'BTCUSDT' AND interval = '1m'
              AND open_time >= '2023-01-01Z' AND open_time < '2024-01-01Z'
            GROUP BY 1 ORDER BY 1"""

        def anchor() -> object:
            import pandas as pd

            with raw.cursor() as cur:
                cur.execute(raw_sql)
                return pd.DataFrame(cur.fetchall())

        try:
            return measure("PostgreSQL 15", store, anchor, seconds, max(5, runs // 4))
        finally:
            raw.close()
            store.close()
    finally:
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def measure(
    backend: str,
    store,
    anchor: Callable[[], object],
    load_s: float,
    runs: int,  # type: ignore[no-untyped-def]
) -> list[tuple[str, ...]]:
    year = lambda: store.candles("BTCUSDT", "1h", *YEAR)  # noqa: E731
    p50, p95, frame = timed(year, runs)
    a50, a95, raw = timed(anchor, runs)
    assert len(frame) == len(raw) == 8760, (len(frame), len(raw))  # type: ignore[arg-type]
    whole50, whole95, whole = timed(lambda: store.candles("BTCUSDT", "1h", end=YEAR[0]), runs)
    d50, d95, _ = timed(lambda: store.candles("BTCUSDT", "1d"), runs)
    ms = lambda a, b: f"{a:.1f} / {b:.1f}"  # noqa: E731
    return [
        (backend, "1 year of 1h from 525,600 1m rows (store)", ms(p50, p95), f"{p50 / a50:.2f}"),
        (backend, "same, raw anchor without the store", ms(a50, a95), "1.00"),
        (backend, f"shipped 1h history, {len(whole)} rows (store)", ms(whole50, whole95), ""),  # type: ignore[arg-type]
        (backend, "1d over everything stored (store)", ms(d50, d95), ""),
        (backend, "load 525,600 rows via upsert_candles (+compact)", f"{load_s:.1f} s", ""),
    ]


def machine() -> str:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    mem = free[1].split()[1] if len(free) > 1 else "?"
    return f"{os.cpu_count()} CPUs (nproc), {mem} RAM (free -h), {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rows = minute_rows()
    table = bench_duckdb(rows, args.runs)
    if not args.no_postgres:
        table += bench_postgres(args.postgres, rows, args.runs)
    lines = [
        "# History store benchmark",
        "",
        f"Command: `.venv/bin/python -m bench.bench_history` (run {datetime.now(UTC):%Y-%m-%d}).",
        f"Machine: {machine()}.",
        "Target: 1 year of 1h candles from a 1m store under 20 ms (p50). Both stores answer it",
        "from pre-aggregated 1h rollups kept beside the 1m rows (see sim/adapters/history).",
        "",
        "| backend | query | p50 / p95 ms | ratio to anchor (p50) |",
        "|---|---|---|---|",
        *[f"| {' | '.join(row)} |" for row in table],
    ]
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "history.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
