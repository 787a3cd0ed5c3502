"""Fill models and fees: pure functions, shared by paper trading, the matcher and the backtester.

Assumptions, stated once:
- **Fees** are charged in the quote currency on each fill: ``fee = price x quantity x rate``, rounded
  up to 1e-8 USDT. Taker rate for market orders, triggered stops and limits that cross the market when
  placed; maker rate for resting limits filled later. Defaults: 0.1% both (Binance's base spot tier).
- **Market order with a book**: walks the opposite side level by level (asks for a BUY, bids for a
  SELL), taking each level's quantity at its price; the fill price is the volume-weighted average.
  A book too thin for the order fills partly; the rest expires.
- **Market order without a book**: fills whole at the last trade price moved against the taker by
  ``slippage_bps`` basis points (BUY: rounded up to the tick, SELL: rounded down).
- **Quote-amount buy** ("buy 100 USDT of BTC"): the amount includes the fee; the quantity is the
  largest step multiple whose cost plus fee fits in it.
- **Resting LIMIT**: fills whole at its limit price once a trade goes *through* it (BUY: a trade
  strictly below the limit; SELL: strictly above). A trade exactly at the limit is not enough: the
  order's place in the queue is unknown, so only a trade through it proves it would have filled.
- **STOP_LOSS / TAKE_PROFIT**: trigger when a trade reaches the stop price (at or beyond it), then
  fill as a market order at that trade's price with slippage.
- **TRAILING_STOP**: its stop follows the best price since it started (:mod:`sim.domain.trailing`);
  once triggered it fills like a STOP_LOSS, at the triggering trade's price with slippage. A BUY
  locks cash for its first trigger price (from where it starts, or its activation) plus slippage:
  a later trigger can only be lower, unless the market gaps up through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sim.domain.errors import OrderRejected, StalePrice
from sim.domain.instruments import Instrument
from sim.domain.orders import OrderType, Side
from sim.domain.values import ZERO, ceil_to, fee_amount, floor_to

BPS = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """Fee rates as fractions (0.001 = 0.1%)."""

    maker: Decimal = Decimal("0.001")
    taker: Decimal = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class Level:
    price: Decimal
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Book:
    """Top levels of an order book: bids best (highest) first, asks best (lowest) first."""

    bids: Sequence[Level] = ()
    asks: Sequence[Level] = ()


@dataclass(frozen=True, slots=True)
class Tick:
    """The latest trade price of a symbol and when it happened (UTC)."""

    symbol: str
    price: Decimal
    time: datetime


@dataclass(frozen=True, slots=True)
class FillPart:
    price: Decimal
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Execution:
    """What a fill model decided: the parts taken, and the totals derived from them."""

    parts: tuple[FillPart, ...]
    fee_rate: Decimal
    # totals, derived once from the parts when the execution is built
    quantity: Decimal = field(init=False)
    notional: Decimal = field(init=False)
    fee: Decimal = field(init=False)  # sum of the parts' fees, each rounded up to 1e-8

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity", sum((p.quantity for p in self.parts), ZERO))
        object.__setattr__(self, "notional", sum((p.price * p.quantity for p in self.parts), ZERO))
        object.__setattr__(self, "fee", sum((self.part_fee(p) for p in self.parts), ZERO))

    def part_fee(self, part: FillPart) -> Decimal:
        return fee_amount(part.price * part.quantity, self.fee_rate)

    @property
    def avg_price(self) -> Decimal:
        q = self.quantity
        return self.notional / q if q else ZERO


def check_fresh(tick: Tick | None, now: datetime, max_age: timedelta, symbol: str) -> Tick:
    """The tick, if there is one no older than ``max_age`` at ``now``; else StalePrice."""
    if tick is None:
        raise StalePrice.of("price.none_yet_retry", symbol=symbol)
    age = now - tick.time
    if age > max_age:
        raise StalePrice.of(
            "price.stale", symbol=symbol, age=int(age.total_seconds()), limit=int(max_age.total_seconds())
        )
    return tick


def slipped_price(last: Decimal, side: Side, slippage_bps: Decimal, tick: Decimal) -> Decimal:
    """The last price moved against the taker by ``slippage_bps``, rounded away from them."""
    if side is Side.BUY:
        return ceil_to(last * (1 + slippage_bps / BPS), tick)
    return floor_to(last * (1 - slippage_bps / BPS), tick)


def _cap(price: Decimal, side: Side, limit: Decimal | None) -> Decimal:
    if limit is None:
        return price
    return min(price, limit) if side is Side.BUY else max(price, limit)


def affordable_quantity(budget: Decimal, price: Decimal, rate: Decimal, step: Decimal) -> Decimal:
    """Largest step multiple ``q`` with ``q*price + fee_amount(q*price, rate) <= budget`` (zero
    for a budget of zero or less). The one sizing rule for spending an amount: market orders by
    quote amount here, the backtester's all-in buys (:mod:`sim.analytics.backtest.loop`)."""
    if budget <= 0:
        return ZERO
    q = floor_to(budget / (price * (1 + rate)), step)
    while q > 0 and q * price + fee_amount(q * price, rate) > budget:
        q -= step
    return max(q, ZERO)


def execute_market(
    instrument: Instrument,
    side: Side,
    fee_rate: Decimal,
    *,
    quantity: Decimal | None = None,
    quote_amount: Decimal | None = None,
    last: Decimal | None = None,
    book: Book | None = None,
    slippage_bps: Decimal = ZERO,
    limit: Decimal | None = None,
) -> Execution:
    """Fill a taker order now; see the module docstring for the rules.

    ``limit`` caps the price for a marketable limit order (BUY never above, SELL never below it).
    Raises OrderRejected when nothing at all can be filled or the filled value is under the minimum.
    """
    parts: list[FillPart] = []
    levels = (book.asks if side is Side.BUY else book.bids) if book is not None else ()
    if levels:
        remaining_qty = quantity
        budget = quote_amount
        for level in levels:
            if limit is not None and (
                (side is Side.BUY and level.price > limit) or (side is Side.SELL and level.price < limit)
            ):
                break
            if remaining_qty is not None:
                take = min(level.quantity, remaining_qty)
            else:
                assert budget is not None
                take = min(
                    floor_to(level.quantity, instrument.step_size),
                    affordable_quantity(budget, level.price, fee_rate, instrument.step_size),
                )
            take = floor_to(take, instrument.step_size)
            if take <= 0:
                if remaining_qty is not None:
                    continue
                break
            parts.append(FillPart(level.price, take))
            if remaining_qty is not None:
                remaining_qty -= take
                if remaining_qty <= 0:
                    break
            else:
                assert budget is not None
                budget -= take * level.price + fee_amount(take * level.price, fee_rate)
    else:
        if last is None:
            raise StalePrice.of("price.none_yet", symbol=instrument.symbol)
        price = _cap(slipped_price(last, side, slippage_bps, instrument.tick_size), side, limit)
        if quantity is not None:
            qty = quantity
        else:
            assert quote_amount is not None
            qty = affordable_quantity(quote_amount, price, fee_rate, instrument.step_size)
        if qty > 0:
            parts.append(FillPart(price, qty))
    execution = Execution(tuple(parts), fee_rate)
    if not parts or execution.quantity < instrument.min_qty:
        if quote_amount is not None:
            raise OrderRejected.of(
                "funds.quote_too_small",
                amount=f"{quote_amount.normalize():f}",
                quote=instrument.quote_asset,
                low=str(instrument.min_qty.normalize()),
                base=instrument.base_asset,
            )
        raise OrderRejected.of("book.no_liquidity", symbol=instrument.symbol)
    instrument.check_notional(execution.avg_price, execution.quantity)
    return execution


def limit_crossed(side: Side, limit: Decimal, trade_price: Decimal) -> bool:
    """True when a trade at ``trade_price`` went through a resting limit (strictly)."""
    return trade_price < limit if side is Side.BUY else trade_price > limit


def is_marketable(side: Side, limit: Decimal, last: Decimal) -> bool:
    """True when a new limit order is already at or through the market and fills as a taker."""
    return last <= limit if side is Side.BUY else last >= limit


def stop_triggered(order_type: OrderType, side: Side, stop: Decimal, trade_price: Decimal) -> bool:
    """True when a trade at ``trade_price`` triggers a STOP_LOSS or TAKE_PROFIT order."""
    protects_long = (order_type is OrderType.STOP_LOSS) == (side is Side.SELL)
    # SELL stop-loss and BUY take-profit trigger on the way down; the other two on the way up.
    return trade_price <= stop if protects_long else trade_price >= stop


def resting_lock(
    side: Side,
    quantity: Decimal,
    price: Decimal,
    fees: FeeSchedule,
    slippage_bps: Decimal,
    tick: Decimal,
    order_type: OrderType,
) -> tuple[Decimal, Decimal]:
    """What a resting order locks: ``(cash, quantity)``.

    A SELL locks its quantity. A BUY locks enough cash for its worst fill: ``qty x price + fee`` at
    the higher fee rate, where ``price`` is the limit, or for a stop the stop price moved by the
    slippage (a stop fills as a market order at the triggering trade).
    """
    if side is Side.SELL:
        return ZERO, quantity
    worst = price
    if order_type is not OrderType.LIMIT:
        worst = slipped_price(price, Side.BUY, slippage_bps, tick)
    notional = quantity * worst
    return notional + fee_amount(notional, max(fees.maker, fees.taker)), ZERO
