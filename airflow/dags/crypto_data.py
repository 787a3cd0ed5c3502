"""Hourly data upkeep of the crypto paper-trading simulator (thin TaskFlow wrappers).

For the run's data interval ``[data_interval_start, data_interval_end)``:
backfill -> check -> compact -> features, each a call into :mod:`pipeline.jobs.data` (callable
without Airflow). ``compact`` and ``features`` are mapped (dynamic task mapping), one task per
symbol, so an executor with several workers (the compose file's ``celery`` profile) spreads them.
Every task is safe to rerun for the same interval (keyed upserts). Last,
``record_success`` (only when every other task succeeded) pushes the run's success time to
``PUSHGATEWAY_URL`` for the DataDagNotSucceeded alert (:mod:`sim.observability.batch`).

Params: ``source`` (``auto``: Binance REST when reachable, else the offline shipped data;
``binance``; ``offline``), ``symbols`` (empty: the ``SYMBOLS`` setting), ``interval`` (``1h``),
``dump_dir`` (offline: a directory of Binance dump files instead of the shipped candles),
``runtime_dir`` (where findings and feature tables go; empty: ``data/runtime``).
Nothing runs at import: the project's modules are imported inside the tasks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

PARAMS = {
    "source": Param("auto", enum=["auto", "binance", "offline"], description="where the klines come from"),
    "symbols": Param([], type="array", description="symbols to upkeep; empty: the SYMBOLS setting"),
    "interval": Param("1h", enum=["1m", "5m", "15m", "1h", "4h", "1d"]),
    "dump_dir": Param("", type="string", description="offline: directory of Binance dump files"),
    "runtime_dir": Param("", type="string", description="findings and features root; empty: data/runtime"),
}


def _run() -> tuple[str, str, dict[str, Any]]:
    ctx = get_current_context()
    start, end = ctx["data_interval_start"], ctx["data_interval_end"]
    assert start is not None and end is not None
    return start.isoformat(), end.isoformat(), dict(ctx["params"])


@dag(
    dag_id="crypto_data",
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    start_date=datetime(2020, 1, 1),  # before the shipped data, so tests can run 2023 intervals
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=2)},
    tags=["crypto", "data"],
    doc_md=__doc__,
)
def crypto_data() -> None:
    @task
    def backfill() -> dict[str, Any]:
        from pipeline.jobs.data import run_backfill

        start, end, p = _run()
        return run_backfill(
            start,
            end,
            source=p["source"],
            symbols=p["symbols"] or None,
            interval=p["interval"],
            dump_dir=p["dump_dir"] or None,
        )

    @task
    def check(fetched: dict[str, Any]) -> dict[str, Any]:
        from pipeline.jobs.data import run_checks

        start, end, p = _run()
        return run_checks(start, end, fetched, interval=p["interval"], runtime_dir=p["runtime_dir"] or None)

    @task
    def symbols() -> list[str]:
        p = get_current_context()["params"]
        if p["symbols"]:
            return [str(s) for s in p["symbols"]]
        from sim.settings import load_settings

        return list(load_settings().symbols)

    @task
    def compact(symbol: str) -> dict[str, int]:
        from pipeline.jobs.data import run_compact

        return run_compact(symbols=[symbol])

    @task
    def features(symbol: str) -> dict[str, int]:
        from pipeline.jobs.data import run_features

        _, end, p = _run()
        return run_features(
            end, symbols=[symbol], interval=p["interval"], runtime_dir=p["runtime_dir"] or None
        )

    @task
    def record_success() -> dict[str, object]:
        from sim.observability.batch import record_success

        return record_success("crypto_data")

    fetched = backfill()
    checked = check(fetched)
    chosen = symbols()
    compacted = compact.expand(symbol=chosen)
    checked >> compacted
    compacted >> features.expand(symbol=chosen) >> record_success()


DAG = crypto_data()
