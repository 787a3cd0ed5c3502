"""The fill assumptions of a backtest, and the one function that fills a backtest order.

A paper market order goes through ``Instrument.quantity`` (step grid, LOT_SIZE), ``execute_market``
(price moved against the taker by ``slippage_bps`` with ``slipped_price`` and rounded to the tick
away from them; ``min_qty`` and ``check_notional``), ``fee_amount`` (``fee = price x quantity x
rate`` rounded up to 1e-8) and ``Account.apply_fill`` (cash and positions, never negative).
:func:`fill_at` applies the same functions to a backtest order without building the objects (about
4x cheaper per fill): a backtest order has no book and one price, so ``execute_market`` reduces to
``slipped_price``, ``min_qty`` and ``check_notional`` on that price, and ``Instrument.quantity`` is
only called when a cheap bound check fails (so its errors are the ones raised).
``tests/backtest/test_fill_model.py`` checks it against the paper path as written.

Timing: a decision made on candle ``t`` (with data up to and including its close) fills on candle
``t + delay`` (``delay = 1`` by default), at a reference price taken from that candle:

- ``price="open"`` (default): its open;
- ``price="worst"``: the worse side for the taker: BUYs at its high, SELLs at its low.

The fill price is ``slipped_price(reference, side, slippage_bps, tick)``; fees use the taker rate
(backtest orders are market orders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from sim.domain.account import Account
from sim.domain.fills import FeeSchedule, slipped_price
from sim.domain.instruments import Instrument
from sim.domain.orders import Side
from sim.domain.values import ZERO, fee_amount, floor_to

PriceRule = Literal["open", "worst"]
DEFAULT_SLIPPAGE_BPS = Decimal("1")  # the paper-trading default (SLIPPAGE_BPS)


@dataclass(frozen=True)
class FillModel:
    """Fees, slippage and which price of which candle a backtest order fills at."""

    fees: FeeSchedule = field(default_factory=FeeSchedule)
    slippage_bps: Decimal = DEFAULT_SLIPPAGE_BPS
    price: PriceRule = "open"
    delay: int = 1

    def __post_init__(self) -> None:
        if self.delay < 1:
            raise ValueError("delay must be >= 1 bar: a decision on candle t cannot fill on t")
        if self.price not in ("open", "worst"):
            raise ValueError("price must be 'open' or 'worst'")

    @property
    def rate(self) -> Decimal:
        """Fee rate of a backtest order: the taker rate (market orders)."""
        return self.fees.taker


def pessimistic(
    base: FillModel | None = None,
    slippage_bps: Decimal = Decimal("10"),
    fee_multiplier: Decimal = Decimal("2"),
) -> FillModel:
    """A harsher model than ``base``, never a kinder one: worse-side prices, a slippage of at least
    ``slippage_bps`` and at least the base's (``max`` of the two), fees x ``fee_multiplier``
    (``>= 1``, so never below the base's)."""
    base = base or FillModel()
    m = max(fee_multiplier, Decimal(1))
    fees = FeeSchedule(maker=base.fees.maker * m, taker=base.fees.taker * m)
    slip = max(slippage_bps, base.slippage_bps)
    return FillModel(fees=fees, slippage_bps=slip, price="worst", delay=base.delay)


def to_decimal_price(value: float) -> Decimal:
    """A float candle price as Decimal through its shortest round-trip text."""
    return Decimal(repr(float(value)))


def taker_price(instrument: Instrument, side: Side, reference: Decimal, model: FillModel) -> Decimal:
    """``slipped_price(reference, side, slippage_bps, tick)``: the price a taker order gets."""
    return slipped_price(reference, side, model.slippage_bps, instrument.tick_size)


def affordable_quantity(cash: Decimal, price: Decimal, rate: Decimal, step: Decimal) -> Decimal:
    """Largest step multiple ``q`` with ``q*price + fee_amount(q*price, rate) <= cash``."""
    if cash <= 0:
        return ZERO
    q = floor_to(cash / (price * (1 + rate)), step)
    while q > 0 and q * price + fee_amount(q * price, rate) > cash:
        q -= step
    return max(q, ZERO)


def fill_at(
    account: Account,
    instrument: Instrument,
    side: Side,
    quantity: Decimal,
    price: Decimal,
    rate: Decimal,
) -> tuple[Decimal, Decimal, Decimal]:
    """A paper market order's fill (see the module docstring) at a ``price`` already moved by
    ``slipped_price``: the same checks, fee and ``Account.apply_fill``, with the same errors.
    Returns ``(notional, fee, realized PnL)``.

    ``execute_market`` without a book fills one part ``(price, quantity)``; its ``avg_price`` is
    then ``price`` exactly, so ``check_notional(avg_price, quantity)`` is
    ``check_notional(price, quantity)``; its ``min_qty`` check is already in the bounds below.
    """
    if (
        quantity <= 0
        or quantity < instrument.min_qty
        or quantity > instrument.max_qty
        or (instrument.step_size and quantity % instrument.step_size)
    ):
        instrument.quantity(quantity)  # raises the domain's error (off grid, outside LOT_SIZE)
    instrument.check_notional(price, quantity)
    notional = price * quantity
    fee = fee_amount(notional, rate)
    pnl = account.apply_fill(
        instrument.symbol, side, quantity, notional, fee, instrument.base_asset, instrument.quote_asset
    )
    return notional, fee, pnl
