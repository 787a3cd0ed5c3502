"""Daily batch of the crypto paper-trading simulator (thin TaskFlow wrappers).

retrain (and evaluate; promotion by the forecasting rule only), and score forecasts -> per-user
reports (they show the scored track record; retraining runs beside them, so a failed retrain
fails the run without holding back the reports), each a call into :mod:`pipeline.jobs.batch`
(callable without Airflow). The report date is the run's data interval start (``YYYY-MM-DD``);
a report covers market time up to the end of that day and is stamped with it (not the wall clock),
so rerunning a day rebuilds the same reports.

Params: ``symbols`` (empty: the ``SYMBOLS`` setting), ``horizons`` (bars of 1h, default 1 and 4),
``quick`` (small models on the latest ``max_rows`` candles, for smoke runs and tests; refuses to
write into the shipped ``models/``), ``max_rows`` (0: all stored candles).
Models go to ``MODELS_DIR``, reports to ``REPORTS_DIR`` (settings). Nothing runs at import.
Last, ``record_success`` (only when every other task succeeded) pushes the run's success time to
``PUSHGATEWAY_URL`` for the BatchDagNotSucceeded alert (:mod:`sim.observability.batch`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

PARAMS = {
    "symbols": Param([], type="array", description="symbols to retrain; empty: the SYMBOLS setting"),
    "horizons": Param([1, 4], type="array", description="forecast horizons in 1h bars"),
    "quick": Param(False, type="boolean", description="small fast models (tests, smoke runs)"),
    "max_rows": Param(0, type="integer", minimum=0, description="train on the latest N candles; 0: all"),
}


@dag(
    dag_id="crypto_batch_processing",
    schedule=CronDataIntervalTimetable("30 0 * * *", timezone="UTC"),
    start_date=datetime(2020, 1, 1),  # before the shipped data, so tests can run 2023 intervals
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
    tags=["crypto", "models", "reports"],
    doc_md=__doc__,
)
def crypto_batch_processing() -> None:
    @task
    def retrain() -> list[dict[str, Any]]:
        from pipeline.jobs.batch import run_retrain

        ctx = get_current_context()
        p = ctx["params"]
        return run_retrain(
            p["symbols"] or None,
            [int(h) for h in p["horizons"]],
            end=ctx["data_interval_end"],
            quick=bool(p["quick"]),
            max_rows=int(p["max_rows"]) or None,
        )

    @task
    def score_forecasts() -> dict[str, Any]:
        from pipeline.jobs.batch import run_score_forecasts

        return run_score_forecasts()

    @task
    def reports() -> list[dict[str, Any]]:
        from pipeline.jobs.batch import run_reports

        start = get_current_context()["data_interval_start"]
        assert start is not None
        return run_reports(start.date())

    @task
    def record_success() -> dict[str, object]:
        from sim.observability.batch import record_success

        return record_success("crypto_batch_processing")

    [retrain(), score_forecasts() >> reports()] >> record_success()


DAG = crypto_batch_processing()
