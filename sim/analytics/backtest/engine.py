"""The backtest engine: target weights in, exact fills and an equity curve out.

A **strategy** is a function from candles to target weights: given one symbol's candle frame it
returns a Series of weights in [0, 1] per bar (given a dict symbol -> frame, a DataFrame with a
column per symbol). ``weight = 1`` means "all the account's equity in this symbol". NaN means
"keep the previous target"; the target before the first value is 0 (flat). Weights are clipped
to [0, 1], and a bar whose weights sum above 1 is scaled down to sum to 1 (long-only spot, no
leverage). Precomputed weights (a Series/DataFrame/array) are accepted in place of a function.

**When a decision fills** (see :mod:`sim.analytics.backtest.fill_model`): the weights on candle
``t`` may use everything up to that candle's close; the engine acts only where the target
changes, and fills on candle ``t + 1`` (``delay``) at its open moved by ``slippage_bps`` with
``slipped_price`` (or at its high/low under ``price="worst"``), taker fee. A change on the last
candle has no candle to fill on and is counted in ``unfilled_signals``.

**How a change becomes orders** on the fill candle, all symbols sharing one Decimal cash balance:
1. ``equity = cash + sum(qty_s * open_s)`` at the fill candle's open (exact).
   A weight's target quantity at the order's price is
   ``target = floor_to(w * equity / (price * (1 + fee_rate)), step)``: value plus buying fee is
   the weight's share, so weights summing to 1 leave room for every fee.
2. Symbols whose target fell are sold first (freeing cash): to weight 0 sells the whole
   quantity; otherwise ``sell = qty - target``.
3. Then symbols whose target rose are bought: ``buy = target - qty``, capped by the cash: the
   largest step multiple with ``buy * price + fee <= cash``.
4. Each order goes through the paper-trading rules: ``Instrument.quantity``'s checks,
   ``execute_market``'s price (``slipped_price``) and ``check_notional``, ``fee_amount`` and
   ``Account.apply_fill`` (:func:`~sim.analytics.backtest.fill_model.fill_at`). Orders the
   exchange rules refuse (under the minimum notional or quantity, no cash) are skipped and listed
   in ``result.skipped``.
Between changes positions are held and drift with prices (no rebalancing).

Everything else is vectorized: the weights, the bars where the target changes, and the equity
curve ``cash + sum(qty * close)`` computed with numpy between trades. The Decimal loop over the
changes is :mod:`sim.analytics.backtest.loop`. The final equity is also
given exactly in Decimal (``result.final_equity``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from sim.analytics.backtest.fill_model import FillModel, to_decimal_price
from sim.analytics.backtest.instruments import resolve
from sim.analytics.backtest.loop import trade
from sim.analytics.backtest.market import Candles, Market, load_market
from sim.analytics.backtest.results import BacktestResult, equity_from_states
from sim.analytics.backtest.trailing import StopExit, stop_exits, with_stop_exits
from sim.analytics.stats import infer_periods_per_year
from sim.domain.errors import InvalidInput
from sim.domain.instruments import Instrument
from sim.domain.trailing import check_delta
from sim.domain.values import ZERO, to_decimal

StrategyOutput: TypeAlias = pd.Series | pd.DataFrame | np.ndarray
Strategy: TypeAlias = Callable[[Any], StrategyOutput]
Progress: TypeAlias = Callable[[int, int], None]
DEFAULT_CASH = Decimal("100000")


def raw_weights(output: StrategyOutput, market: Market) -> np.ndarray:
    """A strategy's output as a (bars, symbols) float array aligned on ``market.index`` (NaN kept).

    A Series is the single symbol's column; a DataFrame's columns are matched by symbol (a
    missing symbol is flat); pandas objects indexed by time are aligned on the candles' times.
    """
    n, k = market.bars, len(market.symbols)
    if isinstance(output, pd.Series):
        if k != 1:
            raise ValueError("a Series of weights needs one symbol; return a DataFrame per symbol")
        output = output.to_frame(market.symbols[0])
    if isinstance(output, pd.DataFrame):
        frame = output
        if isinstance(frame.index, pd.DatetimeIndex):
            idx = frame.index
            idx = idx.tz_localize("UTC") if idx.tz is None else idx.tz_convert("UTC")
            frame = frame.set_axis(idx).reindex(market.index)
        elif len(frame) != n:
            raise ValueError(f"weights have {len(frame)} rows for {n} candles")
        if k == 1 and frame.shape[1] == 1:
            values = frame.to_numpy(dtype=np.float64)
        else:
            values = frame.reindex(columns=list(market.symbols), fill_value=0.0).to_numpy(dtype=np.float64)
    else:
        values = np.asarray(output, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        if values.shape != (n, k):
            raise ValueError(f"weights have shape {values.shape}; expected {(n, k)}")
    return values


def target_weights(output: StrategyOutput, market: Market) -> np.ndarray:
    """Targets as the engine trades them: NaN forward-filled, leading NaN -> 0, clipped to
    [0, 1], rows summing above 1 scaled by ``1 / sum``."""
    values = raw_weights(output, market)
    low, high = values.min(initial=0.0), values.max(initial=0.0)
    if np.isnan(low):  # a NaN anywhere makes the minimum NaN: one pass finds both
        values = pd.DataFrame(values).ffill().fillna(0.0).to_numpy()
        low, high = values.min(initial=0.0), values.max(initial=0.0)
    if low < 0.0 or high > 1.0:
        values = np.clip(values, 0.0, 1.0)
    if values.shape[1] > 1:
        total = values.sum(axis=1)
        over = total > 1.0
        if over.any():
            values = values.copy()  # never scale the caller's array in place
            values[over] /= total[over, None]
    return values


def decision_bars(weights: np.ndarray) -> np.ndarray:
    """Bars whose target differs from the previous bar's (the first bar against flat)."""
    changed = np.empty(len(weights), dtype=bool)
    changed[:1] = (weights[:1] != 0).any(axis=1)
    changed[1:] = (weights[1:] != weights[:-1]).any(axis=1)
    return np.flatnonzero(changed)


def run(
    strategy: Strategy | StrategyOutput,
    candles: Candles,
    *,
    symbol: str | None = None,
    cash: Decimal | str | int = DEFAULT_CASH,
    fill_model: FillModel | None = None,
    instruments: Mapping[str, Instrument] | None = None,
    periods_per_year: float | None = None,
    progress: Progress | None = None,
    trailing_stop_bps: object = None,
) -> BacktestResult:
    """Backtest ``strategy`` on ``candles`` (one frame traded as ``symbol``, or a dict).

    ``cash`` is the starting quote balance (Decimal; default 100,000 USDT). ``fill_model``
    defaults to ``FillModel()``: next candle's open, 1 bp slippage, 0.1% taker fee.
    ``instruments`` defaults to the shipped exchange rules. ``progress(done, total)`` is called
    about every 1% of the trading bars. ``trailing_stop_bps`` protects each position with a
    trailing stop (one symbol; :mod:`sim.analytics.backtest.trailing`). See the module docstring
    for the rules.
    """
    if isinstance(candles, pd.DataFrame) and symbol is None:
        symbol = candles.attrs.get("symbol")
        if symbol is None:
            raise ValueError("give symbol=... for a single candle frame (its exchange rules apply)")
    market = load_market(candles, symbol)
    model = fill_model or FillModel()
    start_cash = to_decimal(cash, "cash")
    if start_cash <= 0:
        raise InvalidInput.of("backtest.cash_not_positive")
    resolved = resolve(market.symbols, instruments)
    output = strategy(market.strategy_input()) if callable(strategy) else strategy
    weights = target_weights(output, market)
    trail = trailing_stop_bps
    return simulate(market, weights, resolved, model, start_cash, periods_per_year, progress, trail)


def simulate(
    market: Market,
    weights: np.ndarray,
    instruments: dict[str, Instrument],
    model: FillModel,
    cash: Decimal,
    periods_per_year: float | None = None,
    progress: Progress | None = None,
    trailing_stop_bps: object = None,
) -> BacktestResult:
    """The trade loop and the equity curve for already-normalized target ``weights`` (with
    ``trailing_stop_bps``, the targets after stop-outs, and the stop-outs as sells on their candle)."""
    n, k = weights.shape
    exits: list[StopExit] = []
    if trailing_stop_bps is not None:
        symbol = market.symbols[0]
        delta = check_delta(trailing_stop_bps, "SELL", instruments[symbol].trailing_delta, symbol)
        weights, exits = stop_exits(market, weights, delta, model.delay)
    decisions = decision_bars(weights)
    fills = decisions + model.delay
    unfilled = int(np.count_nonzero(fills >= n))
    decisions, fills = decisions[fills < n], fills[fills < n]
    symbols = market.symbols
    rows = weights[decisions].tolist()
    before = (weights[decisions - 1] if len(decisions) else weights[:0]).tolist()
    if len(decisions) and decisions[0] == 0:
        before[0] = [0.0] * k
    references = None
    if exits:  # each stop-out sells on its candle, after the fills at that candle's open
        decisions, fills, rows, before, references = with_stop_exits(decisions, fills, rows, before, exits)
    done = trade(market, instruments, model, cash, decisions, fills, rows, before, progress, references)
    if progress is not None:
        progress(len(decisions), len(decisions))
    equity, quantities = equity_from_states(
        market.close,
        float(cash),
        fills.astype(np.int64),
        done.cash,
        done.quantities,
    )
    account = done.account
    final_q = {s: account.positions[s].qty_free for s in symbols}
    last_close = market.close[-1].tolist()
    final_equity = account.cash_free + sum(
        (q * to_decimal_price(last_close[j]) for j, q in enumerate(final_q.values()) if q),
        ZERO,
    )
    return BacktestResult(
        index=market.index,
        symbols=symbols,
        equity_values=equity,
        quantity_values=quantities,
        weight_values=weights,
        close_values=market.close,
        first_open=market.open[0],
        trade_rows=done.trades,
        skip_rows=done.skipped,
        starting_cash=cash,
        final_cash=account.cash_free,
        final_quantities=final_q,
        final_equity=final_equity,
        fill_model=model,
        periods_per_year=(
            periods_per_year if periods_per_year is not None else infer_periods_per_year(market.index)
        ),
        unfilled_signals=unfilled,
    )
