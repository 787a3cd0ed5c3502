"""The app's metrics endpoint: started once per Streamlit server process, on ``METRICS_PORT``.

Streamlit runs the script once per visit and rerun, so the endpoint is a cached resource (one
per process, whatever the sessions). Besides the facade's metrics (orders, fills, forecasts,
logins: :mod:`sim.observability.instrument`, applied by ``open_runtime``) it exports
``sim_app_active_sessions``: Streamlit's own count of sessions with an open websocket, read from its
stats manager when Prometheus scrapes (the same figure Streamlit serves at ``/_stcore/metrics``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import streamlit as st
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from sim.observability import metrics
from sim.settings import load_settings

log = logging.getLogger(__name__)


class ActiveSessions(Collector):
    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(metrics.ACTIVE_SESSIONS_METRIC, "Browser sessions connected to the app.")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(metrics.ACTIVE_SESSIONS_METRIC, "Browser sessions connected to the app.")
        try:
            from streamlit import runtime

            stats = runtime.get_instance().stats_mgr.get_stats(["active_sessions"])
            family.add_metric([], float(sum(s.value for s in stats.get("active_sessions", []))))  # type: ignore[attr-defined]
        except Exception as exc:  # no Streamlit runtime (bare runs): no sample
            log.debug("active sessions unknown: %s", exc)
        yield family


@st.cache_resource(show_spinner=False)
def start_metrics() -> bool:
    """Serve the metrics if ``METRICS_PORT`` is set (once per process); True when served."""
    port = load_settings().metrics_port
    if not port:
        return False
    metrics.register_once(ActiveSessions())
    return metrics.serve_metrics(port)
