"""How the Backtest lab shows a statistics table: percentages, USDT with 2 decimals, counts, dates
(formatting only: the numbers are :mod:`sim.backtest_service`'s), and its trade tables' cells in the
reader's language (:func:`localize_cells`; English leaves them as they are)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sim.analytics.lab_words import cell, word
from sim.analytics.labels import PERCENT
from sim.domain import dates

PERCENT_ROWS = PERCENT  # the statistics that are fractions, defined once in sim.analytics.labels
SIGNED_ROWS = {"total_return", "cagr", "max_drawdown", "benchmark_return", "excess_return", "alpha"}
MONEY_ROWS = {
    "start_equity",
    "final_equity",
    "fees_paid",
    "average_win",
    "average_loss",
    "final_equity_exact",
}
COUNT_ROWS = {"bars", "fills", "trades", "skipped_orders"}


def _fmt(name: str, value: Any, lang: str = "en") -> str:
    if value is None:
        return "-"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, pd.Timedelta):
        return str(value) if lang == "en" or pd.isna(value) else dates.duration(value, lang)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return word(lang, "value.nan") if math.isnan(value) else word(lang, "value.inf")
    if name in SIGNED_ROWS:
        return f"{float(value):+.2%}"
    if name in PERCENT_ROWS:
        return f"{float(value):.2%}"
    if name in MONEY_ROWS:
        return f"{float(value):,.2f}"
    if name in COUNT_ROWS:
        return f"{int(value):,}"
    if isinstance(value, (int, float, np.floating, np.integer)):
        return f"{float(value):,.3f}"
    return str(value)


def format_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A statistics table (rows = metrics) as text: percentages, USDT with 2 decimals, dates; the
    words (durations' days, n/a) in ``lang``, numbers and dates the same in every language."""
    return pd.DataFrame(
        {c: [_fmt(str(i), table.at[i, c], lang) for i in table.index] for c in table.columns},
        index=table.index,
    )


def decimals_to_float(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with Decimal columns as float (for display tables only)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, Decimal)).any():
            out[column] = out[column].map(lambda v: float(v) if isinstance(v, Decimal) else v)
    return out


def localize_cells(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A copy whose sides, reconciliation statuses and refusal reasons are in ``lang`` (the same
    frame in English; see :func:`sim.analytics.lab_words.cell`)."""
    if lang == "en":
        return frame
    out = frame.copy()
    for column in ("side", "status", "reason"):
        if column in out.columns:
            out[column] = out[column].map(lambda v, c=column: cell(c, v, lang))
    return out
