"""The batch DAGs' last success, pushed to a Prometheus Pushgateway.

Why a Pushgateway: a DAG run is a short batch job with no process left to scrape, and "did it
succeed in its window" is best asked of a *last-success timestamp* (alert when
``time() - sim_batch_last_success_timestamp_seconds > window``). That is the use Prometheus
documents the Pushgateway for (service-level batch jobs). Airflow's own statsd metrics would need a
statsd exporter with a mapping of Airflow's metric names, and give counters that reset with the
exporter and a success that is only visible as the absence of increase. The Pushgateway keeps the
last value (with ``--persistence.file``, across its restarts), and Prometheus scrapes it with
``honor_labels`` so the ``dag`` label stays.

Each DAG's last task (it runs only when every other task succeeded) calls :func:`push_success`.
With ``PUSHGATEWAY_URL`` unset, nothing is pushed; a push that fails is logged and does not fail the
DAG (its work is done; the alert then fires because no fresh success arrived, which is right: the
monitoring does not know of it). The timestamp is the wall clock: it says when the run finished.
"""

from __future__ import annotations

import logging
import time

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway

from sim.observability.metrics import BATCH_METRIC

log = logging.getLogger(__name__)
JOB = "sim_batch"


def push_success(dag: str, url: str | None, now: float | None = None, timeout: float = 10.0) -> bool:
    """Push ``sim_batch_last_success_timestamp_seconds{dag=...}`` = ``now``; True when pushed.

    Grouped by ``job="sim_batch"`` and ``dag``, so each DAG replaces only its own value."""
    if not url:
        log.info(
            "PUSHGATEWAY_URL is not set: the success of %s is not pushed",
            dag,
            extra={"event": "batch_success", "dag": dag},
        )
        return False
    registry = CollectorRegistry()
    gauge = Gauge(BATCH_METRIC, "When the DAG last succeeded (Unix seconds).", registry=registry)
    stamp = time.time() if now is None else now
    gauge.set(stamp)  # the Pushgateway adds the grouping key's labels: job and dag
    try:
        push_to_gateway(url, job=JOB, registry=registry, grouping_key={"dag": dag}, timeout=timeout)
    except Exception as exc:  # monitoring down: the DAG's work still succeeded
        log.warning(
            "could not push the success of %s to %s: %s",
            dag,
            url,
            exc,
            extra={"event": "batch_push_failed", "dag": dag},
        )
        return False
    log.info(
        "pushed the success of %s", dag, extra={"event": "batch_success", "dag": dag, "timestamp": stamp}
    )
    return True


def record_success(dag: str) -> dict[str, object]:
    """The DAGs' last task: push ``dag``'s success to ``PUSHGATEWAY_URL`` (see the module doc)."""
    from sim.settings import load_settings

    url = load_settings().pushgateway_url
    return {"dag": dag, "pushed": push_success(dag, url), "pushgateway": url or ""}
