"""The Decimal trade loop: one pass over the bars where the target changes.

This is the only per-fill Python in a backtest, so it is written for speed, without changing a
rule of :mod:`sim.analytics.backtest.engine` ("How a change becomes orders"):

- the candle prices of every fill bar are read from numpy in one call, not per bar;
- each order's taker price (``slipped_price``) is computed once and used for its target, its
  cash cap and its fill;
- the account's equity (step 1) is only computed on bars that need it (a buy, or a sell to a
  weight above 0);
- the cash cap (step 3) is only searched when the target's cost plus fee exceeds the cash: the
  cost ``q * price + fee(q * price)`` grows with ``q``, so a target that fits is already at or
  under the cap;
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

from sim.analytics.backtest.fill_model import FillModel, affordable_quantity, fill_at
from sim.analytics.backtest.market import Market
from sim.domain.account import Account
from sim.domain.errors import InvalidInput, OrderRejected
from sim.domain.fills import slipped_price
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
) -> Trading:
    """Rebalance from the weights ``old`` to ``new`` (rows of floats) on each fill bar.

    ``decisions[e]`` is the signal bar of change ``e`` and ``fills[e]`` its fill bar.
    """
    symbols = market.symbols
    k = len(symbols)
    insts = [instruments[s] for s in symbols]
    account = Account(cash_free=cash)
    positions = [account.position(s) for s in symbols]
    rate, bps = model.rate, model.slippage_bps
    fee_factor = 1 + rate
    buy, sell = Side.BUY, Side.SELL
    opens = market.open[fills].tolist()
    if model.price == "worst":
        lows, highs = market.low[fills].tolist(), market.high[fills].tolist()
    else:
        lows = highs = opens
    signals, bars = decisions.tolist(), fills.tolist()
    weights: dict[float, Decimal] = {}  # a float weight as Decimal (its shortest text)
    trades: list[list[Any]] = []
    skipped: list[list[Any]] = []
    state_cash: list[Decimal] = []
    state_qty: list[Decimal] = []
    total = len(fills)
    every = max(1, total // 100)

    def order(j: int, side: Side, quantity: Decimal, price: Decimal, bar: int, signal: int) -> None:
        inst = insts[j]
        try:
            notional, fee, pnl = fill_at(account, inst, side, quantity, price, rate)
        except (InvalidInput, OrderRejected) as exc:
            skipped.append([bar, inst.symbol, side.value, quantity, str(exc)])
            return
        trades.append(
            [bar, inst.symbol, side.value, quantity, price, fee, notional, pnl, account.cash_free, signal]
        )

    def target(w: float, equity: Decimal, price: Decimal, step: Decimal) -> Decimal:
        """``floor_to(w * equity / (price * (1 + fee rate)), step)``."""
        dw = weights.get(w)
        if dw is None:
            dw = weights[w] = to_decimal(w, "weight")
        return floor_to(dw * equity / (price * fee_factor), step)

    for e in range(total):
        signal, bar, w_new, w_old = signals[e], bars[e], new[e], old[e]
        equity = None
        if any(0 < b < a or a < b for a, b in zip(w_old, w_new, strict=True)):
            equity = account.cash_free  # step 1, before any sell of this bar
            for j, pos in enumerate(positions):
                if pos.qty_free:
                    equity += pos.qty_free * Decimal(repr(opens[e][j]))
        for j in range(k):  # sells first
            held = positions[j].qty_free
            if w_new[j] >= w_old[j] or not held:
                continue
            inst = insts[j]
            price = slipped_price(Decimal(repr(lows[e][j])), sell, bps, inst.tick_size)
            quantity = held
            if w_new[j] != 0:
                assert equity is not None
                quantity = held - target(w_new[j], equity, price, inst.step_size)
            if quantity > 0:
                order(j, sell, quantity, price, bar, signal)
        for j in range(k):  # then buys
            if w_new[j] <= w_old[j]:
                continue
            assert equity is not None
            inst = insts[j]
            price = slipped_price(Decimal(repr(highs[e][j])), buy, bps, inst.tick_size)
            quantity = target(w_new[j], equity, price, inst.step_size) - positions[j].qty_free
            if quantity <= 0:
                continue
            notional = quantity * price
            if notional + fee_amount(notional, rate) > account.cash_free:
                quantity = affordable_quantity(account.cash_free, price, rate, inst.step_size)
                if quantity <= 0:
                    skipped.append([bar, inst.symbol, buy.value, ZERO, "no cash left"])
                    continue
            order(j, buy, quantity, price, bar, signal)
        state_cash.append(account.cash_free)
        state_qty.extend([p.qty_free for p in positions])
        if progress is not None and (e + 1) % every == 0:
            progress(e + 1, total)
    return Trading(
        account=account,
        trades=trades,
        skipped=skipped,
        cash=np.array(state_cash, dtype=np.float64),
        quantities=np.array(state_qty, dtype=np.float64).reshape(-1, k),
    )
