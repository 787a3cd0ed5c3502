"""The pure decisions of order handling: what placing an order does to an account (no I/O).

:func:`decide` takes the market as seen *before* the account was locked (:class:`Seen`: market
time, last trade, book), the locked :class:`~sim.domain.account.Account` and the user's
:class:`Costs`, and returns a :class:`Placement` (the order row and its fills' rows) after applying
it to the account; a refusal raises a :class:`~sim.domain.errors.SimError` first. The caller
(:mod:`sim.service_layer.trading`) writes the result in the same unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sim.domain.account import Account
from sim.domain.errors import InsufficientFunds, OrderRejected, StalePrice
from sim.domain.fills import (
    Book,
    Execution,
    FeeSchedule,
    Tick,
    check_fresh,
    execute_market,
    is_marketable,
    resting_lock,
    stop_triggered,
)
from sim.domain.instruments import Instrument
from sim.domain.messages import Term
from sim.domain.orders import OrderRequest, OrderStatus, OrderType, Side, transition
from sim.domain.records import FillRecord, OrderRecord
from sim.domain.trailing import activated_by, trigger_price
from sim.domain.values import ZERO


@dataclass(frozen=True)
class Costs:
    """The fee schedule and slippage that apply to one user."""

    fees: FeeSchedule
    slippage_bps: Decimal


@dataclass(frozen=True)
class Seen:
    """The market as read before the account lock: market time, the last trade, the book (read
    only when the order may fill at once: a market order, or a limit order marketable at ``last``)."""

    now: datetime
    last: Tick | None
    book: Book | None


@dataclass(frozen=True, slots=True)
class Placement:
    """One order a placement decided on, not yet written: its record and its fills' records.

    Deciding first and writing once lets the repository write the order, its fills, the cash and
    the positions in one statement where the database allows it (see ``repository.write_order``).
    """

    order: OrderRecord
    fills: tuple[FillRecord, ...] = ()


def apply_fills(
    account_id: int,
    account: Account,
    request: OrderRequest | Any,
    execution: Execution,
    liquidity: str,
    now: datetime,
    instrument: Instrument,
) -> tuple[FillRecord, ...]:
    """Apply each part of ``execution`` to ``account``; return the fills (no order id yet)."""
    side = Side(request.side)
    fills: list[FillRecord] = []
    for part in execution.parts:
        notional = part.price * part.quantity
        fee = execution.part_fee(part)
        pnl = account.apply_fill(
            instrument.symbol,
            side,
            part.quantity,
            notional,
            fee,
            instrument.base_asset,
            instrument.quote_asset,
        )
        fills.append(
            FillRecord(
                account_id=account_id,
                client_order_id=request.client_order_id,
                symbol=instrument.symbol,
                type=side.value,
                quantity=part.quantity,
                price=part.price,
                total_amount=notional,
                fee=fee,
                liquidity=liquidity,
                realized_pnl=pnl,
                created_at=now,
            )
        )
    return tuple(fills)


def lock_for(
    request: OrderRequest, costs: Costs, instrument: Instrument, extreme: Decimal | None = None
) -> tuple[Decimal, Decimal]:
    """What a resting order locks (:func:`sim.domain.fills.resting_lock`). A trailing BUY locks
    for its first trigger price: from ``extreme`` (the start), or from its activation price."""
    price = request.price if request.type is OrderType.LIMIT else request.stop_price
    if request.type is OrderType.TRAILING_STOP:
        reference = extreme if extreme is not None else request.stop_price
        assert reference is not None and request.trailing_delta is not None
        price = trigger_price(request.side, reference, request.trailing_delta, instrument.tick_size)
    assert price is not None and request.quantity is not None
    return resting_lock(
        request.side,
        request.quantity,
        price,
        costs.fees,
        costs.slippage_bps,
        instrument.tick_size,
        request.type,
    )


def check_not_triggered(request: OrderRequest, tick: Tick | None) -> None:
    """A stop or take-profit order the last price already triggers is refused."""
    assert request.stop_price is not None
    if tick is not None and stop_triggered(request.type, request.side, request.stop_price, tick.price):
        name = request.type.replace("_", "-").lower()
        raise OrderRejected.of(
            "order.triggers_now", type=Term(name), symbol=request.symbol, last=f"{tick.price.normalize():f}"
        )


def trail_start(
    request: OrderRequest, last: Tick | None, now: datetime, max_age: timedelta, instrument: Instrument
) -> Decimal | None:
    """Where a new trailing stop starts tracking (see :mod:`sim.domain.trailing`): None with an
    activation price (refused when the last price already reached it), else the last trade price,
    which must be fresh; the order's value is checked at that price."""
    activation = request.stop_price
    if activation is not None:
        if last is not None and activated_by(request.side, activation, last.price):
            where = "above" if request.side is Side.SELL else "below"
            raise OrderRejected.of(
                "trailing.activation_reached",
                activation=f"{activation.normalize():f}",
                symbol=request.symbol,
                last=f"{last.price.normalize():f}",
                where=Term(where),
            )
        return None
    if last is None or now - last.time > max_age:
        raise StalePrice.of("trailing.no_fresh_price", symbol=request.symbol)
    assert request.quantity is not None
    instrument.check_notional(last.price, request.quantity)
    return last.price


def rest_order(
    account_id: int,
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    lock: tuple[Decimal, Decimal],
    now: datetime,
    list_id: str | None,
    filled: Execution | None = None,
    trail_extreme: Decimal | None = None,
) -> Placement:
    """A resting order: lock what it may spend (cash for a buy, coins for a sell) on ``account``;
    a trailing stop starts tracking at ``trail_extreme`` (None: at its activation)."""
    cash, qty = lock
    if cash:
        account.lock_cash(cash, instrument.quote_asset)
    if qty:
        account.lock_quantity(instrument.symbol, qty, instrument.base_asset)
    status = transition(OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED if filled else OrderStatus.OPEN)
    order = order_row(account_id, request, status, now, list_id=list_id, lock=(cash, qty), execution=filled)
    if request.type is OrderType.TRAILING_STOP:
        order = replace(order, trailing_delta=request.trailing_delta, trail_extreme=trail_extreme)
    return Placement(order)


def decide(
    seen: Seen,
    max_price_age: timedelta,
    account_id: int,
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    costs: Costs,
    now: datetime,
    list_id: str | None,
) -> Placement:
    """What placing ``request`` does to ``account``: the order row and its fills (nothing written).

    A market order fills at once (see :func:`sim.domain.fills.execute_market`); a limit order that
    is marketable against a fresh last price fills as a taker, and what the book could not fill
    rests; any other order rests, locking what it may spend.
    """
    symbol = instrument.symbol
    if request.type is OrderType.MARKET:
        tick = check_fresh(seen.last, now, max_price_age, symbol)
        execution = execute_market(
            instrument,
            request.side,
            costs.fees.taker,
            quantity=request.quantity,
            quote_amount=request.quote_amount,
            last=tick.price,
            book=seen.book,
            slippage_bps=costs.slippage_bps,
        )
        complete = request.quantity is None or execution.quantity == request.quantity
        status = transition(OrderStatus.NEW, OrderStatus.FILLED if complete else OrderStatus.EXPIRED)
        reason = "" if complete else "The book was too thin: the rest expired."
        return filled(account_id, account, instrument, request, execution, status, now, reason)
    if request.type is OrderType.LIMIT:
        assert request.price is not None and request.quantity is not None
        last = seen.last
        if (
            last is not None
            and now - last.time <= max_price_age
            and is_marketable(request.side, request.price, last.price)
        ):
            execution = execute_market(
                instrument,
                request.side,
                costs.fees.taker,
                quantity=request.quantity,
                last=last.price,
                book=seen.book,
                slippage_bps=costs.slippage_bps,
                limit=request.price,
            )
            if execution.quantity == request.quantity:
                return filled(
                    account_id, account, instrument, request, execution, OrderStatus.FILLED, now, ""
                )
            remaining = request.quantity - execution.quantity
            lock = resting_lock(
                request.side,
                remaining,
                request.price,
                costs.fees,
                costs.slippage_bps,
                instrument.tick_size,
                request.type,
            )
            check_funds(account, instrument, request, execution, lock)
            placement = rest_order(
                account_id, account, instrument, request, lock, now, list_id, filled=execution
            )
            fills = apply_fills(account_id, account, request, execution, "taker", now, instrument)
            return Placement(placement.order, fills)
    elif request.type is OrderType.TRAILING_STOP:
        extreme = trail_start(request, seen.last, now, max_price_age, instrument)
        lock = lock_for(request, costs, instrument, extreme)
        return rest_order(account_id, account, instrument, request, lock, now, list_id, trail_extreme=extreme)
    else:
        check_not_triggered(request, seen.last)
    return rest_order(
        account_id, account, instrument, request, lock_for(request, costs, instrument), now, list_id
    )


def check_funds(
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    execution: Execution,
    lock: tuple[Decimal, Decimal],
) -> None:
    if request.side is Side.BUY:
        need = execution.notional + execution.fee + lock[0]
        if need > account.cash_free:
            raise InsufficientFunds.of(
                "funds.needs",
                asset=instrument.quote_asset,
                need=f"{need.normalize():f}",
                free=f"{account.cash_free.normalize():f}",
            )


def filled(
    account_id: int,
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    execution: Execution,
    status: OrderStatus,
    now: datetime,
    reason: str,
) -> Placement:
    fills = apply_fills(account_id, account, request, execution, "taker", now, instrument)
    order = order_row(account_id, request, status, now, execution=execution, reason=reason)
    return Placement(order, fills)


def order_row(
    account_id: int,
    request: OrderRequest,
    status: OrderStatus,
    now: datetime,
    *,
    list_id: str | None = None,
    lock: tuple[Decimal, Decimal] = (ZERO, ZERO),
    execution: Execution | None = None,
    reason: str = "",
) -> OrderRecord:
    """The order record: the request, its status, what it locks and what already filled."""
    return OrderRecord(
        account_id=account_id,
        client_order_id=request.client_order_id,
        list_id=list_id,
        symbol=request.symbol,
        side=request.side.value,
        type=request.type.value,
        status=status.value,
        quantity=request.quantity,
        quote_amount=request.quote_amount,
        price=request.price,
        stop_price=request.stop_price,
        locked_cash=lock[0],
        locked_qty=lock[1],
        filled_qty=execution.quantity if execution else ZERO,
        filled_notional=execution.notional if execution else ZERO,
        fee_total=execution.fee if execution else ZERO,
        reason=reason,
        created_at=now,
        updated_at=now,
    )


def release(account: Account, order: Any) -> None:
    if order.locked_cash:
        account.release_cash(order.locked_cash)
    if order.locked_qty:
        account.release_quantity(order.symbol, order.locked_qty)
