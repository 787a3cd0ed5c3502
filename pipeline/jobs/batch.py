"""The daily batch: retrain and evaluate the forecast models, score forecasts, build reports.

- :func:`run_retrain`: for each symbol and horizon, :func:`sim.analytics.forecast.train_one` on
  the 1h candles of the history store before ``end`` (the whole stored history by default). The
  promotion rule of :func:`sim.analytics.forecast.decide_promotion` alone decides what is served:
  a candidate replaces the served model only when its recent walk-forward log loss beats every
  baseline and the served model's on the same folds; otherwise it is kept under
  ``<models_dir>/candidates/``. Models go to ``settings.models_dir`` (``MODELS_DIR``).
  ``quick=True`` trains small models on the latest ``max_rows`` candles (3 folds, 20 rounds) for
  tests and smoke runs; it refuses to write into the repository's shipped ``models/`` so a
  smoke run can never replace a shipped model.
- :func:`run_score_forecasts`: calls ``Simulator.score_forecasts()`` when the simulator has it;
  otherwise logs that scoring is not available and returns ``{"skipped": reason}``.
- :func:`run_reports`: :func:`sim.reports.build_reports` for the report date (``YYYY-MM-DD``):
  one HTML + Parquet per user with fills, each in that user's language (``users.language``;
  English when none is chosen), under ``settings.reports_dir/<user_id>/``, as of the end
  of that day in market time (or the market clock when earlier, :mod:`sim.reports.asof`), so a
  rerun of a past day gives the same rows; with ``user_ids``, only those users' (one batch of
  :func:`report_batches`).
- :func:`run_finalize_competitions`: freeze every competition season whose end (in market time)
  has passed: its resting orders canceled at the end, its final standings stored
  (``Simulator.finalize_competitions``); a season already frozen is left alone, so reruns change
  nothing.
- :func:`retrain_targets` and :func:`report_batches`: the work split for Airflow's dynamic task
  mapping (one mapped task per symbol and horizon, one per batch of users), so an executor with
  several workers (the compose file's ``celery`` profile) runs them side by side. Assumes every
  worker sees the same ``MODELS_DIR`` and ``REPORTS_DIR`` (a shared volume) and the same ledger.
The simulator is opened on the configured services without the embedded feed
(:func:`pipeline.runtime.open_runtime`), and closed afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sim.settings import Settings, load_settings

log = logging.getLogger(__name__)
HORIZONS = (1, 4)
QUICK = {"n_folds": 3, "n_recent": 2, "num_boost_round": 20}
QUICK_MAX_ROWS = 2_000


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | Path):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def run_retrain(
    symbols: Sequence[str] | None = None,
    horizons: Sequence[int] = HORIZONS,
    *,
    end: datetime | str | None = None,
    quick: bool = False,
    max_rows: int | None = None,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Retrain, evaluate and maybe promote each (symbol, horizon); one result dict each."""
    from sim.adapters.history import history_from_settings
    from sim.analytics.forecast import train_one
    from sim.analytics.forecast.registry import MODELS_DIR

    settings = settings or load_settings()
    models_dir = Path(settings.models_dir)
    if quick and models_dir.resolve() == MODELS_DIR.resolve():
        raise ValueError(
            f"quick mode trains small models on a slice of the data; it will not write into the "
            f"shipped {MODELS_DIR}. Set MODELS_DIR to another directory."
        )
    rows = max_rows or (QUICK_MAX_ROWS if quick else None)
    options: dict[str, Any] = dict(QUICK) if quick else {}
    stop = None
    if end is not None:
        from pipeline.jobs.data import utc

        stop = utc(end)
    results = []
    store = history_from_settings(settings)
    try:
        for symbol in symbols or settings.symbols:
            candles = store.candles(symbol, "1h", end=stop)
            if rows:
                candles = candles.tail(rows).reset_index(drop=True)
            for horizon in horizons:
                r = train_one(symbol, int(horizon), candles=candles, models_dir=models_dir, **options)
                log.info("%s: %s", r.key, r.decision.reason)
                results.append(
                    {
                        "key": r.key,
                        "candidate_id": r.model_id,
                        "promoted": r.decision.promoted,
                        "served_id": r.served_id,
                        "reason": r.decision.reason,
                        "rows": len(candles),
                        "seconds": round(r.seconds, 2),
                    }
                )
    finally:
        store.close()
    return results


def retrain_targets(
    symbols: Sequence[str] | None = None, horizons: Sequence[int] = HORIZONS, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """``[{"symbol": s, "horizon": h}, ...]``: one retraining each, symbols first (empty: ``SYMBOLS``)."""
    chosen = list(symbols) if symbols else list((settings or load_settings()).symbols)
    return [{"symbol": s, "horizon": int(h)} for s in chosen for h in horizons]


def report_batches(size: int = 50, settings: Settings | None = None) -> list[list[int]]:
    """The users with fills, ascending, in batches of at most ``size`` (none: an empty list)."""
    from pipeline.runtime import open_runtime
    from sim.reports import users_with_fills

    if size < 1:
        raise ValueError(f"a batch of users holds at least 1 user, not {size}")
    runtime = open_runtime(settings or load_settings(), start_feed=False)
    try:
        users = users_with_fills(runtime.sim)
    finally:
        runtime.close()
    return [users[i : i + size] for i in range(0, len(users), size)]


def run_score_forecasts(settings: Settings | None = None) -> dict[str, Any]:
    """Score the forecasts whose horizon has passed, if the simulator can (see the module doc)."""
    from pipeline.runtime import open_runtime

    runtime = open_runtime(settings or load_settings(), start_feed=False)
    try:
        score = getattr(runtime.sim, "score_forecasts", None)
        if score is None:
            reason = "Simulator.score_forecasts() does not exist yet; forecasts were not scored"
            log.warning(reason)
            return {"skipped": reason}
        return {"result": _jsonable(score())}
    finally:
        runtime.close()


def run_finalize_competitions(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Freeze the competition seasons that have ended (see the module docstring); one dict each."""
    from pipeline.runtime import open_runtime

    runtime = open_runtime(settings or load_settings(), start_feed=False)
    try:
        done = runtime.sim.finalize_competitions()
    finally:
        runtime.close()
    for season in done:
        log.info("competition %s season %s: final standings frozen", season["competition"], season["season"])
    return [_jsonable(d) for d in done]


def run_reports(
    report_date: date | str, settings: Settings | None = None, user_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Build the report of ``report_date`` for every user with fills (or for ``user_ids`` only: a
    user without fills gets none); one dict per report."""
    from pipeline.runtime import open_runtime
    from sim.reports import build_report, build_reports

    if isinstance(report_date, datetime):
        report_date = report_date.date()
    rid = report_date.isoformat() if isinstance(report_date, date) else str(report_date)[:10]
    runtime = open_runtime(settings or load_settings(), start_feed=False)
    try:
        if user_ids is None:
            built = build_reports(runtime.sim, rid)
        else:
            built = [i for u in user_ids if (i := build_report(runtime.sim, int(u), rid)) is not None]
    finally:
        runtime.close()
    for info in built:
        log.info(
            "report %s of user %s: %s (%d bytes)",
            info.report_id,
            info.user_id,
            info.html_path,
            info.size_bytes,
        )
    return [
        {"user_id": i.user_id, "report_id": i.report_id, "html": str(i.html_path), "table": str(i.table_path)}
        for i in built
    ]
