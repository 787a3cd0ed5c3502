"""The one runtime per server process (engines, live store, embedded feed), cached by Streamlit.

Nothing user-specific is cached here: pages fetch each user's data on every run.

- ``EMBEDDED_FEED=0`` keeps the replay feed from starting (tests drive prices themselves).
- The cache key is the environment that shapes the runtime (``DATABASE_URL``, ``HISTORY_URL``, ...),
  so tests pointing at different temp databases each get their own runtime.
"""

from __future__ import annotations

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
)


def feed_enabled() -> bool:
    """``EMBEDDED_FEED`` from the environment or ``.env`` (through the settings, like every setting)."""
    from sim.settings import load_settings

    return load_settings().embedded_feed


def runtime_key() -> str:
    return json.dumps({k: os.environ.get(k, "") for k in KEY_VARS}, sort_keys=True)


@st.cache_resource(show_spinner="Starting the market feed...")
def _open(key: str) -> Runtime:
    del key  # only the cache key
    return open_runtime(start_feed=feed_enabled())


def get_runtime() -> Runtime:
    """The runtime for the current environment (opened once per process and environment)."""
    start_metrics()  # METRICS_PORT: once per process (ui/metrics.py)
    return _open(runtime_key())
