"""The Decimal trade loop: one pass over the bars where the target changes.

This is the only per-fill Python in a backtest, so it is written for speed, without changing a
rule of :mod:`sim.analytics.backtest.engine` ("How a change becomes orders"):

- the candle prices of every fill bar are read from numpy and turned into Decimal in one pass;
- each order's taker price (``taker_price``) is computed once and used for its target, its
  cash cap and its fill;
- the account's equity (step 1) is only computed on bars that need it (a buy, or a sell to a
  weight above 0);
- the cash cap (step 3) is only searched when the target's cost plus fee exceeds the cash: the
  cost ``q * price + fee(q * price)`` grows with ``q`` and the cap is the largest ``q`` whose
  cost fits, so a target that fits is at or under the cap and ``min(target, cap)`` is the target;
- fills go through :func:`~sim.analytics.backtest.fill_model.fill_at` (``execute_market``'s
  rules for an order with a price, without building its ``Execution``).

Trade and skip rows carry bar numbers; :class:`~sim.analytics.backtest.results.BacktestResult`
turns them into timestamps when its frames are first read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from sim.analytics.backtest.fill_model import FillModel, fill_at, taker_price, to_decimal_price
from sim.analytics.backtest.market import Market
from sim.domain.account import Account
from sim.domain.errors import InvalidInput, OrderRejected
from sim.domain.fills import affordable_quantity
from sim.domain.instruments import Instrument
from sim.domain.orders import Side
from sim.domain.values import ZERO, fee_amount, floor_to, to_decimal


@dataclass
class Trading:
    """What the loop leaves: the account, the rows, and the state after each decision's fills
    (``cash`` (m,) and ``quantities`` (m, symbols), float64, for the equity curve)."""

    account: Account
    trades: list[list[Any]]
    skipped: list[list[Any]]
    cash: np.ndarray
    quantities: np.ndarray


def trade(
    market: Market,
    instruments: dict[str, Instrument],
    model: FillModel,
    cash: Decimal,
    decisions: np.ndarray,
    fills: np.ndarray,
    new: list[list[float]],
    old: list[list[float]],
    progress: Callable[[int, int], None] | None = None,
    references: dict[int, Decimal] | None = None,
) -> Trading:
    """Rebalance from the weights ``old`` to ``new`` (rows of floats) on each fill bar.

    ``decisions[e]`` is the signal bar of change ``e`` and ``fills[e]`` its fill bar.
    ``references[e]`` (one symbol) replaces the candle's price for change ``e``: a trailing stop's
    triggering trade (:mod:`sim.analytics.backtest.trailing`).
    """
    symbols = market.symbols
    k = len(symbols)
    insts = [instruments[s] for s in symbols]
    account = Account(cash_free=cash)
    positions = [account.position(s) for s in symbols]
    rate = model.rate
    fee_factor = 1 + rate
    buy, sell = Side.BUY, Side.SELL
    buy_text, sell_text = buy.value, sell.value

    def decimals(prices: np.ndarray) -> list[Decimal]:
        """The fill bars' prices as Decimal (shortest text), row-major: change e, symbol j at e*k+j."""
        return list(map(to_decimal_price, prices[fills].ravel().tolist()))

    opens = decimals(market.open)
    if model.price == "worst":
        lows, highs = decimals(market.low), decimals(market.high)
    else:
        lows = highs = opens
    for e, ref in (references or {}).items():
        opens[e * k] = lows[e * k] = highs[e * k] = ref
    # step 1 is needed where a weight rises, or falls to a value above 0
    w_new, w_old = np.asarray(new).reshape(-1, k), np.asarray(old).reshape(-1, k)
    rises_or_keeps = (w_new > w_old) | ((w_new > 0) & (w_new < w_old))
    needs_equity: list[bool] = np.asarray(rises_or_keeps.any(axis=1), dtype=bool).tolist()
    signals, bars = decisions.tolist(), fills.tolist()
    weights: dict[float, Decimal] = {}  # a float weight as Decimal (its shortest text)
    trades: list[list[Any]] = []
    skipped: list[list[Any]] = []
    state_cash: list[Decimal] = []
    state_qty: list[Decimal] = []
    total = len(bars)
    every = max(1, total // 100)

    def weight(value: float) -> Decimal:
        """A float weight as Decimal (its shortest text), cached: strategies reuse few values."""
        found = weights.get(value)
        if found is None:
            found = weights[value] = to_decimal(value, "weight")
        return found

    def settle(inst: Instrument, side: Side, text: str, quantity: Decimal, price: Decimal, e: int) -> None:
        """Step 4: fill through the trading core's rules, or list the refusal."""
        try:
            notional, fee, pnl = fill_at(account, inst, side, quantity, price, rate)
        except (InvalidInput, OrderRejected) as exc:
            skipped.append([bars[e], inst.symbol, text, quantity, str(exc)])
            return
        after, bar = account.cash_free, bars[e]
        trades.append([bar, inst.symbol, text, quantity, price, fee, notional, pnl, after, signals[e]])

    for e in range(total):
        row_new, row_old = new[e], old[e]
        equity = ZERO
        if needs_equity[e]:
            equity = account.cash_free  # before any sell of this bar
            for j in range(k):
                if positions[j].qty_free:
                    equity += positions[j].qty_free * opens[e * k + j]
        for j in range(k):  # sells first
            held = positions[j].qty_free
            if row_new[j] >= row_old[j] or not held:
                continue
            inst = insts[j]
            price = taker_price(inst, sell, lows[e * k + j], model)
            quantity = held
            if row_new[j] != 0:
                quantity = held - floor_to(weight(row_new[j]) * equity / (price * fee_factor), inst.step_size)
            if quantity <= 0:
                continue
            settle(inst, sell, sell_text, quantity, price, e)
        for j in range(k):  # then buys
            if row_new[j] <= row_old[j]:
                continue
            inst = insts[j]
            price = taker_price(inst, buy, highs[e * k + j], model)
            target = floor_to(weight(row_new[j]) * equity / (price * fee_factor), inst.step_size)
            quantity = target - positions[j].qty_free
            if quantity <= 0:
                continue
            notional = quantity * price
            if notional + fee_amount(notional, rate) > account.cash_free:
                quantity = affordable_quantity(account.cash_free, price, rate, inst.step_size)
                if quantity <= 0:
                    skipped.append([bars[e], inst.symbol, buy_text, ZERO, "no cash left"])
                    continue
            settle(inst, buy, buy_text, quantity, price, e)
        state_cash.append(account.cash_free)
        for pos in positions:
            state_qty.append(pos.qty_free)
        if progress is not None and (e + 1) % every == 0:
            progress(e + 1, total)
    return Trading(
        account=account,
        trades=trades,
        skipped=skipped,
        cash=np.fromiter(map(float, state_cash), np.float64, len(state_cash)),
        quantities=np.fromiter(map(float, state_qty), np.float64, len(state_qty)).reshape(-1, k),
    )
