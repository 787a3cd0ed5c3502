"""The hourly data upkeep, one data interval ``[start, end)`` at a time (see :mod:`pipeline.jobs`).

Steps (each one a DAG task, each safe to rerun for the same interval):
1. :func:`run_backfill`: fetch the closed klines whose open time is in ``[start, end)`` for the
   tracked symbols and upsert them into the history store (keyed on symbol, interval, open time;
   the store's never-older rule makes a rerun change nothing). Sources:
   - ``binance``: the public REST klines endpoint (:class:`~pipeline.sources.binance_rest.BinanceRest`);
   - ``offline``: the shipped real candles (``data/sample/<SYMBOL>-1h.csv.gz``, 1h only, up to
     2023-12-31) or, with ``dump_dir``, Binance public dump files ``<SYMBOL>-<interval>-*.zip|csv``
     in that directory; an interval the offline data does not cover yields no candles (the
     check then records them as missing: nothing is invented);
   - ``auto``: ``binance`` when ``GET /api/v3/ping`` answers within a few seconds, else ``offline``
   (the sources are in :mod:`pipeline.jobs.candle_sources`).
2. :func:`run_checks`: per symbol, a :class:`~pipeline.jobs.findings.Finding` (gaps, OHLC sanity,
   duplicates, mismatches against the source), upserted into the findings table.
3. :func:`run_compact`: merge the small Parquet files of the DuckDB history store
   (:meth:`DuckDBHistoryStore.compact`); other stores need no compaction (skipped, logged).
4. :func:`run_features`: recompute :func:`~sim.analytics.forecast.compute_features` from every
   stored candle before ``end`` and upsert the rows (keyed on ``open_time``) into
   ``<runtime_dir>/features/<SYMBOL>-<interval>.parquet``. Features only look back, so a rerun
   for an older interval rewrites the same values and keeps the newer rows.

Results are small JSON-able dicts (they become Airflow XComs). Times are aware UTC datetimes or
ISO strings.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl

from pipeline.jobs.candle_sources import choose_source, fetch_binance, fetch_offline
from pipeline.jobs.findings import Finding, problem_status, upsert_findings
from sim.adapters.history import history_from_settings
from sim.adapters.history.base import HistoryStore, candle_row
from sim.market import Candle, datetime_to_ms, interval_delta, ms_to_datetime
from sim.settings import RUNTIME_DIR, Settings, load_settings

log = logging.getLogger(__name__)


# --- paths and times --------------------------------------------------------------------------
@dataclass(frozen=True)
class Paths:
    """Where the data jobs write, under one runtime directory (default ``data/runtime``)."""

    runtime_dir: Path

    @classmethod
    def of(cls, runtime_dir: str | Path | None) -> Paths:
        return cls(Path(runtime_dir) if runtime_dir else RUNTIME_DIR)

    @property
    def findings(self) -> Path:
        return self.runtime_dir / "quality" / "findings"

    @property
    def features(self) -> Path:
        return self.runtime_dir / "features"


def utc(value: datetime | str) -> datetime:
    """An aware UTC datetime from a datetime (naive = UTC) or an ISO string."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime.fromtimestamp(when.timestamp(), UTC)


def expected_open_times(interval: str, start: datetime, end: datetime) -> list[datetime]:
    """Open times on the interval's epoch grid with ``start <= t < end``."""
    step_ms = int(interval_delta(interval).total_seconds() * 1000)
    lo, hi = datetime_to_ms(start), datetime_to_ms(end)
    first = -(-lo // step_ms) * step_ms
    return [ms_to_datetime(t) for t in range(first, hi, step_ms)]


def _dedupe(candles: Sequence[Candle]) -> tuple[list[Candle], int, int]:
    """First copy of each open time, how many later copies there were, and how many differed."""
    first: dict[datetime, Candle] = {}
    duplicates = conflicts = 0
    for c in candles:
        seen = first.get(c.open_time)
        if seen is None:
            first[c.open_time] = c
            continue
        duplicates += 1
        if (seen.open, seen.high, seen.low, seen.close, seen.volume) != (
            c.open,
            c.high,
            c.low,
            c.close,
            c.volume,
        ):
            conflicts += 1
    return [first[t] for t in sorted(first)], duplicates, conflicts


# --- steps ------------------------------------------------------------------------------------
def _settings(settings: Settings | None) -> Settings:
    return settings or load_settings()


def _symbols(settings: Settings, symbols: Sequence[str] | None) -> list[str]:
    return list(symbols) if symbols else list(settings.symbols)


@contextlib.contextmanager
def _store(settings: Settings, store: HistoryStore | None) -> Iterator[HistoryStore]:
    if store is not None:
        yield store
        return
    opened = history_from_settings(settings)
    try:
        yield opened
    finally:
        opened.close()


def run_backfill(
    start: datetime | str,
    end: datetime | str,
    *,
    source: str = "auto",
    symbols: Sequence[str] | None = None,
    interval: str = "1h",
    dump_dir: str | Path | None = None,
    settings: Settings | None = None,
    store: HistoryStore | None = None,
    fetch: Callable[[str, str, datetime, datetime], list[Candle]] | None = None,
) -> dict[str, Any]:
    """Backfill ``[start, end)`` for ``symbols`` (default the tracked ones); see the module doc.

    Returns ``{"source", "interval", "start", "end", "symbols": {symbol: {"fetched",
    "duplicates", "conflicts", "written", "source_rows"}}}``; ``source_rows`` are the distinct
    source candles (open time ms and the five values as text) for :func:`run_checks` to compare.
    ``fetch`` replaces the source (tests).
    """
    settings = _settings(settings)
    lo, hi = utc(start), utc(end)
    used = "custom" if fetch is not None else choose_source(source)
    dump = Path(dump_dir) if dump_dir else None

    def get(symbol: str) -> list[Candle]:
        if fetch is not None:
            return fetch(symbol, interval, lo, hi)
        if used == "binance":
            return fetch_binance(symbol, interval, lo, hi)
        return fetch_offline(settings, symbol, interval, lo, hi, dump)

    out: dict[str, Any] = {
        "source": used,
        "interval": interval,
        "start": lo.isoformat(),
        "end": hi.isoformat(),
    }
    per: dict[str, Any] = {}
    with _store(settings, store) as history:
        for symbol in _symbols(settings, symbols):
            candles = get(symbol)
            unique, duplicates, conflicts = _dedupe(candles)
            rows = [candle_row(c, closed=True) for c in unique]
            written = history.upsert_candles(symbol, interval, rows) if rows else 0
            per[symbol] = {
                "fetched": len(candles),
                "duplicates": duplicates,
                "conflicts": conflicts,
                "written": written,
                "source_rows": [
                    [
                        datetime_to_ms(c.open_time),
                        *(str(v) for v in (c.open, c.high, c.low, c.close, c.volume)),
                    ]
                    for c in unique
                ],
            }
            log.info("%s %s [%s, %s): %d candles from %s", symbol, interval, lo, hi, len(candles), used)
    out["symbols"] = per
    return out


def check_symbol(
    history: HistoryStore,
    symbol: str,
    interval: str,
    start: datetime,
    end: datetime,
    fetched: dict[str, Any] | None = None,
    source: str = "",
) -> Finding:
    """The finding for one symbol over ``[start, end)`` (see :class:`Finding` for the fields)."""
    rows = history.stored_rows(symbol, interval, start, end)
    expected = expected_open_times(interval, start, end)
    stored_ms = [r.open_ms for r in rows]
    present = set(stored_ms)
    gaps = [(a, b) for a, b in history.gaps(symbol, interval, start, end)]
    missing = sum(1 for t in expected if datetime_to_ms(t) not in present)
    bad = sum(
        1
        for r in rows
        if r.low > min(r.open, r.close) or r.high < max(r.open, r.close) or r.low <= 0 or r.volume < 0
    )
    fetched = fetched or {}
    by_time = {int(r[0]): [str(v) for v in r[1:]] for r in fetched.get("source_rows", [])}
    mismatched = 0
    for r in rows:
        want = by_time.get(r.open_ms)
        if want is not None:
            have = (r.open, r.high, r.low, r.close, r.volume)
            if any(Decimal(w) != h for w, h in zip(want, have, strict=True)):
                mismatched += 1
    step = interval_delta(interval)
    counts = {
        "missing": missing,
        "duplicates": int(fetched.get("duplicates", 0)),
        "conflicts": int(fetched.get("conflicts", 0)),
        "stored_duplicates": len(stored_ms) - len(present),
        "bad_ohlc": bad,
        "mismatched": mismatched,
    }
    return Finding(
        symbol=symbol,
        interval=interval,
        interval_start=start,
        interval_end=end,
        source=source,
        expected=len(expected),
        fetched=int(fetched.get("fetched", 0)),
        stored=len(present),
        gaps="; ".join(f"{a.isoformat()}..{(b - step).isoformat()}" for a, b in gaps),
        status=problem_status(counts),
        **counts,
    )


def run_checks(
    start: datetime | str,
    end: datetime | str,
    backfill: dict[str, Any] | None = None,
    *,
    symbols: Sequence[str] | None = None,
    interval: str = "1h",
    runtime_dir: str | Path | None = None,
    settings: Settings | None = None,
    store: HistoryStore | None = None,
) -> dict[str, Any]:
    """Check ``[start, end)`` per symbol and upsert the findings; returns ``{symbol: status}``.

    ``backfill`` is :func:`run_backfill`'s result (for the source-side counts); without it only
    the store is checked.
    """
    settings = _settings(settings)
    lo, hi = utc(start), utc(end)
    backfill = backfill or {}
    per = backfill.get("symbols", {})
    with _store(settings, store) as history:
        findings = [
            check_symbol(history, s, interval, lo, hi, per.get(s), str(backfill.get("source", "")))
            for s in _symbols(settings, symbols or list(per) or None)
        ]
    upsert_findings(Paths.of(runtime_dir).findings, findings)
    for f in findings:
        (log.info if f.status == "ok" else log.warning)("%s %s %s: %s", f.symbol, f.interval, lo, f.status)
    return {f.symbol: f.status for f in findings}


def run_compact(
    *,
    symbols: Sequence[str] | None = None,
    settings: Settings | None = None,
    store: HistoryStore | None = None,
) -> dict[str, int]:
    """Compact every stored interval of ``symbols``; returns ``{"SYMBOL/interval": files merged}``."""
    settings = _settings(settings)
    merged: dict[str, int] = {}
    with _store(settings, store) as history:
        compact = getattr(history, "compact", None)
        if compact is None:
            log.info("%s keeps no small files: nothing to compact", type(history).__name__)
            return merged
        for symbol in _symbols(settings, symbols):
            for interval in history.stored_intervals(symbol):
                merged[f"{symbol}/{interval}"] = int(compact(symbol, interval))
    return merged


def _write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        frame.write_parquet(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def run_features(
    end: datetime | str,
    *,
    symbols: Sequence[str] | None = None,
    interval: str = "1h",
    runtime_dir: str | Path | None = None,
    settings: Settings | None = None,
    store: HistoryStore | None = None,
) -> dict[str, int]:
    """Upsert the feature rows of every candle before ``end``; returns ``{symbol: rows in file}``."""
    from sim.analytics.forecast import compute_features

    settings = _settings(settings)
    hi = utc(end)
    out: dict[str, int] = {}
    root = Paths.of(runtime_dir).features
    with _store(settings, store) as history:
        for symbol in _symbols(settings, symbols):
            candles: pd.DataFrame = history.candles(symbol, interval, end=hi)
            if candles.empty:
                out[symbol] = 0
                continue
            fresh = compute_features(candles)
            path = root / f"{symbol}-{interval}.parquet"
            root.mkdir(parents=True, exist_ok=True)
            with open(root / f".{path.name}.lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if path.exists():
                    old = pl.read_parquet(path)
                    keep = old.filter(~pl.col("open_time").is_in(fresh["open_time"].implode()))
                    # diagonal: a file written before a feature was added lacks its column (null there)
                    fresh = pl.concat([keep, fresh], how="diagonal_relaxed")
                fresh = fresh.sort("open_time")
                _write_parquet_atomic(fresh, path)
                fcntl.flock(lock, fcntl.LOCK_UN)
            out[symbol] = fresh.height
    return out
