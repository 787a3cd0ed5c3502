"""Daily batch of the crypto paper-trading simulator (thin TaskFlow wrappers).

retrain (and evaluate; promotion by the forecasting rule only), and score forecasts -> per-user
reports (they show the scored track record; retraining runs beside them, so a failed retrain
fails the run without holding back the reports), each a call into :mod:`pipeline.jobs.batch`
(callable without Airflow). The report date is the run's data interval start (``YYYY-MM-DD``);
a report covers market time up to the end of that day and is stamped with it (not the wall clock),
so rerunning a day rebuilds the same reports; each is written in its user's language (Settings;
English when none is chosen). Beside them, ``finalize_competitions`` freezes every
competition season whose end has passed in market time (its final standings; idempotent).

The work spreads by Airflow's dynamic task mapping: ``retrain`` is one mapped task per symbol and
horizon (``retrain_targets``), ``reports`` one per batch of users (``report_batches``), so an
executor with several workers (CeleryExecutor: the compose file's ``celery`` profile) runs them side
by side; every worker must see the same ``MODELS_DIR``/``REPORTS_DIR`` and ledger. An empty batch
list (no user traded) maps to no report task, which Airflow marks skipped; ``record_success``
runs when no task failed (trigger rule ``none_failed``), so such a day still counts as a success.

Params: ``symbols`` (empty: the ``SYMBOLS`` setting), ``horizons`` (bars of 1h, default 1 and 4),
``report_batch_size`` (users per mapped report task, default 50),
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
from airflow.task.trigger_rule import TriggerRule
from airflow.timetables.interval import CronDataIntervalTimetable

PARAMS = {
    "symbols": Param([], type="array", description="symbols to retrain; empty: the SYMBOLS setting"),
    "horizons": Param([1, 4], type="array", description="forecast horizons in 1h bars"),
    "quick": Param(False, type="boolean", description="small fast models (tests, smoke runs)"),
    "max_rows": Param(0, type="integer", minimum=0, description="train on the latest N candles; 0: all"),
    "report_batch_size": Param(50, type="integer", minimum=1, description="users per mapped report task"),
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
    def retrain_targets() -> list[dict[str, Any]]:
        from pipeline.jobs.batch import retrain_targets

        p = get_current_context()["params"]
        return retrain_targets(p["symbols"] or None, [int(h) for h in p["horizons"]])

    @task(map_index_template="{{ retrain_label }}")
    def retrain(target: dict[str, Any]) -> dict[str, Any]:
        from pipeline.jobs.batch import run_retrain

        ctx = get_current_context()
        ctx["retrain_label"] = f"{target['symbol']} h{target['horizon']}"  # type: ignore[typeddict-unknown-key]
        p = ctx["params"]
        (result,) = run_retrain(
            [target["symbol"]],
            [int(target["horizon"])],
            end=ctx["data_interval_end"],
            quick=bool(p["quick"]),
            max_rows=int(p["max_rows"]) or None,
        )
        return result

    @task
    def score_forecasts() -> dict[str, Any]:
        from pipeline.jobs.batch import run_score_forecasts

        return run_score_forecasts()

    @task
    def report_batches() -> list[list[int]]:
        from pipeline.jobs.batch import report_batches

        return report_batches(int(get_current_context()["params"]["report_batch_size"]))

    @task
    def reports(user_ids: list[int]) -> list[dict[str, Any]]:
        from pipeline.jobs.batch import run_reports

        start = get_current_context()["data_interval_start"]
        assert start is not None
        return run_reports(start.date(), user_ids=user_ids)

    @task
    def finalize_competitions() -> list[dict[str, Any]]:
        from pipeline.jobs.batch import run_finalize_competitions

        return run_finalize_competitions()

    @task(trigger_rule=TriggerRule.NONE_FAILED)  # a mapped task with nothing to map is skipped
    def record_success() -> dict[str, object]:
        from sim.observability.batch import record_success

        return record_success("crypto_batch_processing")

    batches = report_batches()
    score_forecasts() >> batches
    finals = finalize_competitions()
    [retrain.expand(target=retrain_targets()), reports.expand(user_ids=batches), finals] >> record_success()


DAG = crypto_batch_processing()
