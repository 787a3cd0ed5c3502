"""Cached market-history reads shared by every session (never user data)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.i18n import t
from ui.runtime import get_runtime, runtime_key

RANGES = {
    "1D": pd.Timedelta(days=1),
    "1W": pd.Timedelta(weeks=1),
    "1M": pd.Timedelta(days=30),
    "3M": pd.Timedelta(days=91),
    "1Y": pd.Timedelta(days=365),
    "All": None,
}
STEPS = {
    "1m": pd.Timedelta(minutes=1),
    "5m": pd.Timedelta(minutes=5),
    "15m": pd.Timedelta(minutes=15),
    "1h": pd.Timedelta(hours=1),
    "4h": pd.Timedelta(hours=4),
    "1d": pd.Timedelta(days=1),
}
MAX_QUERY_CANDLES = 20_000


def candle_label(interval: str) -> str:
    """A candle's size as the picker shows it ("1 hour"), in the session's language."""
    labels = {
        "1m": t("candle.1m"),
        "5m": t("candle.5m"),
        "15m": t("candle.15m"),
        "1h": t("candle.1h"),
        "4h": t("candle.4h"),
        "1d": t("candle.1d"),
    }
    return labels.get(interval, interval)


def range_label(range_name: str) -> str:
    """The period shown ("Week"), in the session's language."""
    labels = {
        "1D": t("range.1D"),
        "1W": t("range.1W"),
        "1M": t("range.1M"),
        "3M": t("range.3M"),
        "1Y": t("range.1Y"),
        "All": t("range.All"),
    }
    return labels.get(range_name, range_name)


@st.cache_data(ttl=120, show_spinner=False, max_entries=64)
def _candles(
    key: str, symbol: str, interval: str, start: pd.Timestamp | None, asof: pd.Timestamp
) -> pd.DataFrame:
    del key, asof  # cache keys: the runtime, and the last closed bucket
    return get_runtime().sim.history(symbol, interval, start, None)


def candles(symbol: str, interval: str, range_name: str) -> pd.DataFrame:
    """Closed candles of the range up to the market clock (cached until the next candle closes)."""
    now = pd.Timestamp(get_runtime().sim.now())
    step = STEPS[interval]
    asof = now.floor(step)
    span = RANGES[range_name]
    start = (asof - span) if span is not None else None
    return _candles(runtime_key(), symbol, interval, start, asof)


def fitting_interval(interval: str, range_name: str, allowed: list[str]) -> str:
    """``interval``, or the finest allowed coarser one whose candle count for the range is sane."""
    span = RANGES[range_name] or pd.Timedelta(days=365 * 5)
    for name in [i for i in STEPS if i in allowed and STEPS[i] >= STEPS[interval]]:
        if span / STEPS[name] <= MAX_QUERY_CANDLES:
            return name
    return allowed[-1]
