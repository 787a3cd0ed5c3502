"""The one runtime per server process (engines, live store, embedded feed), cached by Streamlit.

Nothing user-specific is cached here: pages fetch each user's data on every run.

- ``EMBEDDED_FEED=0`` keeps the replay feed from starting (tests drive prices themselves).
- The cache key is the environment that shapes the runtime (``DATABASE_URL``, ``HISTORY_URL``, ...),
  so tests pointing at different temp databases each get their own runtime.
"""

from __future__ import annotations

import gc
import importlib
import json
import os

import streamlit as st

from pipeline.runtime import Runtime, open_runtime
from ui.metrics import start_metrics

KEY_VARS = (
    "DATABASE_URL",
    "HISTORY_URL",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "KAFKA_BOOTSTRAP_SERVERS",
    "SYMBOLS",
    "EMBEDDED_FEED",
    "REPLAY_SPEED",
    "REPLAY_START",
    "EXCHANGE_INFO_PATH",
    "IMPORT_DIR",
)


def feed_enabled() -> bool:
    """``EMBEDDED_FEED`` from the environment or ``.env`` (through the settings, like every setting)."""
    from sim.settings import load_settings

    return load_settings().embedded_feed


def runtime_key() -> str:
    return json.dumps({k: os.environ.get(k, "") for k in KEY_VARS}, sort_keys=True)


# what the pages import on their first run: loaded with the runtime, so they are frozen with it
PAGE_MODULES = (
    "plotly.graph_objects",
    "sim.analytics.figures",
    "sim.analytics.figures_forecast",
    "sim.analytics.figures_backtest",
    "sim.analytics.portfolio",
    "sim.backtest_service",
    "sim.forecasting",
    "xgboost",
)


def freeze_long_lived() -> None:
    """Move everything alive now (modules, engines, the runtime) out of the collector's reach.

    Streamlit runs a full ``gc.collect(2)`` after every script run (``runner.postScriptGC``). With
    pandas, plotly and xgboost loaded that walk over about a million long-lived objects took about
    125 ms of CPU per run here: the first bottleneck the load test found (``bench/bench_load.py``,
    bench/RESULTS.md). Objects alive once the runtime is open live as long as the process, so the
    collector never needs to walk them; what a run creates is still collected after it. Assumes
    nothing calls ``gc.unfreeze()``; the page modules are imported first so they are frozen too."""
    for name in PAGE_MODULES:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner="Starting the market feed...")
def _open(key: str) -> Runtime:
    del key  # only the cache key
    runtime = open_runtime(start_feed=feed_enabled())
    freeze_long_lived()
    return runtime


def get_runtime() -> Runtime:
    """The runtime for the current environment (opened once per process and environment)."""
    start_metrics()  # METRICS_PORT: once per process (ui/metrics.py)
    return _open(runtime_key())
