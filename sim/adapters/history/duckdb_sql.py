"""The DuckDB SQL the embedded history store reads its Parquet files with.

Pure string builders: each takes a :class:`~sim.adapters.history.parquet_files.Files` snapshot and
returns SQL, adding its file lists and bounds to ``params`` under names made from ``tag`` (so
several sources can share one query). Assumptions: ``rng`` is a condition on ``open_time`` with
``$lo``/``$hi`` bound by the caller; per open time the winning row is the one with the greatest
``(closed, version, written_at)`` (:data:`WINNER`, the never-older rule of
:mod:`sim.adapters.history.base`); a 1h rollup is used only with the base of the same token, and
hours touched by newer part files are recomputed from the rows.
"""

from __future__ import annotations

from typing import Any

from sim.adapters.history.base import INTERVAL_MS
from sim.adapters.history.parquet_files import H_MS, Files

WINNER = "row_number() OVER (PARTITION BY open_time ORDER BY closed DESC, version DESC, written_at DESC) = 1"
# The 1h rollup of the rows registered as ``merged_rows`` (compaction).
ROLLUP_SQL = f"""SELECT to_timestamp(((epoch_ms(open_time) // {H_MS}) * {H_MS})
                         / 1000) AS open_time,
                       arg_min(open, open_time) AS open, max(high) AS high,
                       min(low) AS low, arg_max(close, open_time) AS close,
                       sum(volume) AS volume, count(*) AS n
                   FROM merged_rows GROUP BY 1 ORDER BY 1"""


def source_sql(files: Files, source: str, interval: str, tag: str, params: dict[str, Any]) -> str | None:
    """SQL giving ``t, open, high, low, close, volume, covered, src`` per asked bucket, from the
    ``source`` interval's ``files``; adds its parameters (named after ``tag``) to ``params``."""
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
    rows = rows_sql(files, tag, rng, params)
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


def rows_sql(files: Files, tag: str, rng: str, params: dict[str, Any]) -> str:
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
