"""Fill-model sensitivity: the same decisions under kinder and harsher fill assumptions.

The strategy is evaluated once; its target weights are then traded under each fill model. The
default pair is ``default`` (``FillModel()``: next open, 1 bp slippage, 0.1% taker fee) and
``pessimistic`` (:func:`~sim.analytics.backtest.fill_model.pessimistic`: BUYs at the next candle's
high, SELLs at its low, 10 bp slippage, fees doubled). An edge that survives only the default
column is an artifact of the fill assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from sim.analytics import stats
from sim.analytics.backtest.engine import DEFAULT_CASH, Strategy, StrategyOutput, simulate
from sim.analytics.backtest.engine import target_weights as _targets
from sim.analytics.backtest.fill_model import FillModel, pessimistic
from sim.analytics.backtest.instruments import resolve
from sim.analytics.backtest.market import Candles, load_market
from sim.analytics.backtest.results import BacktestResult
from sim.domain.instruments import Instrument
from sim.domain.values import to_decimal

DEFAULT_METRICS = (
    "final_equity",
    "total_return",
    "cagr",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
    "trades",
    "win_rate",
    "profit_factor",
    "fees_paid",
    "exposure_time",
    "skipped_orders",
    "excess_return",
)


def default_scenarios(base: FillModel | None = None) -> dict[str, FillModel]:
    """``{"default": base or FillModel(), "pessimistic": pessimistic(base)}``."""
    model = base or FillModel()
    return {"default": model, "pessimistic": pessimistic(model)}


def sensitivity_runs(
    strategy: Strategy | StrategyOutput,
    candles: Candles,
    *,
    scenarios: Mapping[str, FillModel] | None = None,
    symbol: str | None = None,
    cash: Decimal | str | int = DEFAULT_CASH,
    instruments: Mapping[str, Instrument] | None = None,
) -> dict[str, BacktestResult]:
    """One backtest per named fill model, on the same target weights."""
    if isinstance(candles, pd.DataFrame) and symbol is None:
        symbol = candles.attrs.get("symbol")
        if symbol is None:
            raise ValueError("give symbol=... for a single candle frame (its exchange rules apply)")
    market = load_market(candles, symbol)
    resolved = resolve(market.symbols, instruments)
    output = strategy(market.strategy_input()) if callable(strategy) else strategy
    weights = _targets(output, market)
    start = to_decimal(cash, "cash")
    models = dict(scenarios) if scenarios is not None else default_scenarios()
    return {name: simulate(market, weights, resolved, model, start) for name, model in models.items()}


def sensitivity(
    strategy: Strategy | StrategyOutput,
    candles: Candles,
    *,
    scenarios: Mapping[str, FillModel] | None = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
    symbol: str | None = None,
    cash: Decimal | str | int = DEFAULT_CASH,
    instruments: Mapping[str, Instrument] | None = None,
) -> pd.DataFrame:
    """Statistics side by side: one row per metric, one column per fill model."""
    runs = sensitivity_runs(
        strategy, candles, scenarios=scenarios, symbol=symbol, cash=cash, instruments=instruments
    )
    table = stats.summary_table({name: r.stats for name, r in runs.items()})
    return table.loc[[m for m in metrics if m in table.index]]
