"""Human names of the backtest statistics and fill models, for tables and charts (pure).

Assumption: any statistic not listed reads well enough as its name with ``_`` as spaces,
capitalised (``max_drawdown_duration`` -> "Max drawdown duration").
"""

from __future__ import annotations

STATS = {
    "start": "Start",
    "end": "End",
    "bars": "Candles",
    "periods_per_year": "Candles per year",
    "start_equity": "Starting equity (USDT)",
    "final_equity": "Final equity (USDT)",
    "final_equity_exact": "Final equity, exact (USDT)",
    "total_return": "Total return",
    "cagr": "Annual growth (CAGR)",
    "volatility": "Volatility (annualized)",
    "sharpe": "Sharpe ratio",
    "sortino": "Sortino ratio",
    "calmar": "Calmar ratio",
    "max_drawdown": "Max drawdown",
    "max_drawdown_duration": "Longest drawdown",
    "trades": "Round trips",
    "fills": "Fills",
    "win_rate": "Win rate",
    "profit_factor": "Profit factor",
    "average_win": "Average win (USDT)",
    "average_loss": "Average loss (USDT)",
    "fees_paid": "Fees paid (USDT)",
    "exposure_time": "Time in the market",
    "benchmark_return": "Buy and hold return",
    "excess_return": "Return above buy and hold",
    "alpha": "Alpha (annualized)",
    "beta": "Beta",
    "skipped_orders": "Orders refused",
}
FILL_MODELS = {"default": "Default fills", "pessimistic": "Pessimistic fills"}
#: statistics that are fractions (0.12 = 12%): charts show them in percent, as the tables do
PERCENT = {
    "total_return",
    "cagr",
    "volatility",
    "max_drawdown",
    "win_rate",
    "exposure_time",
    "benchmark_return",
    "excess_return",
    "alpha",
}


def stat(name: str) -> str:
    return STATS.get(name, name.replace("_", " ").capitalize())


def fill_model(name: str) -> str:
    return FILL_MODELS.get(name, name.replace("_", " ").capitalize())
