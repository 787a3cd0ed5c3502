"""The backtester: strategies -> target weights -> fills through the trading core's own rules.

Public API (see each module's docstring for the formulas and fill assumptions)::

    from sim.analytics.backtest import run, ma_crossover
    result = run(ma_crossover(20, 50), candles, symbol="BTCUSDT")
    result.stats, result.equity, result.trades, result.benchmark
"""

from sim.analytics.backtest.engine import DEFAULT_CASH, Strategy, run, simulate, target_weights
from sim.analytics.backtest.fill_model import FillModel, pessimistic
from sim.analytics.backtest.instruments import default_instruments, instrument
from sim.analytics.backtest.lookahead import LookaheadReport, check_no_lookahead
from sim.analytics.backtest.market import CandleError, load_market, normalize_frame
from sim.analytics.backtest.reconcile import Reconciliation, reconcile
from sim.analytics.backtest.results import BacktestResult
from sim.analytics.backtest.sensitivity import default_scenarios, sensitivity, sensitivity_runs
from sim.analytics.backtest.strategies import (
    forecast_threshold,
    hold,
    ma_crossover,
    per_symbol,
    rsi,
    rsi_reversion,
    signals_to_weights,
    sma,
)

__all__ = [
    "DEFAULT_CASH",
    "BacktestResult",
    "CandleError",
    "FillModel",
    "LookaheadReport",
    "Reconciliation",
    "Strategy",
    "check_no_lookahead",
    "default_instruments",
    "default_scenarios",
    "forecast_threshold",
    "hold",
    "instrument",
    "load_market",
    "ma_crossover",
    "normalize_frame",
    "per_symbol",
    "pessimistic",
    "reconcile",
    "rsi",
    "rsi_reversion",
    "run",
    "sensitivity",
    "sensitivity_runs",
    "signals_to_weights",
    "simulate",
    "sma",
    "target_weights",
]
