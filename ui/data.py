"""Cached market-history reads shared by every session (never user data)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

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
#: how the two choices read side by side: a candle's size ("1 hour") and the period shown ("1 week")
CANDLE_LABELS = {
    "1m": "1 min",
    "5m": "5 min",
    "15m": "15 min",
    "1h": "1 hour",
    "4h": "4 hours",
    "1d": "1 day",
}
RANGE_LABELS = {"1D": "Day", "1W": "Week", "1M": "Month", "3M": "Quarter", "1Y": "Year", "All": "All"}


def candle_label(interval: str) -> str:
    return CANDLE_LABELS.get(interval, interval)


def range_label(range_name: str) -> str:
    return RANGE_LABELS.get(range_name, range_name)


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
