"""What a report holds (:class:`ReportData`, with the language it is written in) and which statistics it
lists (their words are in :mod:`sim.reports.words`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

MAX_FILL_ROWS = 2_000  # the HTML lists the latest fills; the Parquet table has them all
#: the statistics a report lists, in order (their words: ``stat_<key>`` of :mod:`sim.reports.words`)
STAT_KEYS = (
    "start",
    "end",
    "start_equity",
    "final_equity",
    "total_return",
    "benchmark_return",
    "excess_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "max_drawdown_duration",
    "calmar",
    "beta",
    "alpha",
    "fills",
    "trades",
    "win_rate",
    "profit_factor",
    "average_win",
    "average_loss",
)


@dataclass
class ReportData:
    """Everything a report shows, gathered from the simulator (see the module docstring)."""

    user_id: int
    username: str
    display_name: str
    report_id: str
    as_of: datetime
    built_at: datetime
    starting_cash: Decimal
    fills: pd.DataFrame  # exact Decimal columns, one row per fill
    curve: pd.DataFrame  # cash, holdings, equity, hold (floats), indexed by UTC time
    summary: dict[str, Any]
    fees_by_symbol: pd.DataFrame
    trips: pd.DataFrame
    forecasts: pd.DataFrame
    models: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    lang: str = "en"  # the language the report is written in ("en", "ko")
