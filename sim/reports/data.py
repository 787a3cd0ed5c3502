"""What a report holds (:class:`ReportData`) and how its statistics are labelled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

MAX_FILL_ROWS = 2_000  # the HTML lists the latest fills; the Parquet table has them all
STAT_LABELS = {
    "start": "from",
    "end": "to",
    "start_equity": "starting equity (USDT)",
    "final_equity": "final equity (USDT)",
    "total_return": "total return",
    "benchmark_return": "buy-and-hold BTC return",
    "excess_return": "excess return over BTC",
    "cagr": "CAGR",
    "volatility": "annualized volatility",
    "sharpe": "Sharpe ratio (rf 0)",
    "sortino": "Sortino ratio (rf 0)",
    "max_drawdown": "max drawdown",
    "max_drawdown_duration": "longest drawdown",
    "calmar": "Calmar ratio",
    "beta": "beta to BTC",
    "alpha": "alpha to BTC (annualized)",
    "fills": "fills",
    "trades": "closed round trips",
    "win_rate": "win rate",
    "profit_factor": "profit factor",
    "average_win": "average win (USDT)",
    "average_loss": "average loss (USDT)",
}


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
