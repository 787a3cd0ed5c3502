"""Order handling inside one unit of work: place, cancel, and fill resting orders.

The market is read first (market time, last trade, book: :func:`read_market`), then the account is
locked through the :class:`~sim.service_layer.unit_of_work.UnitOfWork`, the pure decision is taken
(:mod:`sim.service_layer.decisions`) and the result written in the same unit of work; no market
read happens while the account row is locked. A refusal raises before anything is written, and
the unit of work rolls back, so the ledger is untouched. Events go to ``uow.events``, published by
the caller once the unit of work has committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sim.domain.account import Account
from sim.domain.competition import check_can_trade, window_open_at
from sim.domain.errors import IllegalTransition, InsufficientFunds, NotFound, OrderRejected
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.fills import (
    Book,
    Execution,
    FillPart,
    Tick,
    execute_market,
    is_marketable,
    limit_crossed,
    stop_triggered,
)
from sim.domain.instruments import Instruments
from sim.domain.messages import Term
from sim.domain.orders import (
    RESTING,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    check_same_request,
    transition,
)
from sim.domain.records import FillRecord
from sim.domain.trailing import Trail, step
from sim.domain.values import ZERO
from sim.service_layer.decisions import (
    Costs,
    Placement,
    Seen,
    apply_fills,
    check_not_triggered,
    decide,
    lock_for,
    release,
    rest_order,
    trail_start,
)
from sim.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TradingContext:
    """What order handling needs from the outside world (read before any lock is taken)."""

    instruments: Instruments
    last: Callable[[str], Tick | None]
    book: Callable[[str], Book | None]
    now: Callable[[], datetime]
    max_price_age: timedelta
    costs: Callable[[Any], Costs]  # from a locked account row (with the owner's preferences)


def read_market(ctx: TradingContext, request: OrderRequest) -> Seen:
    """Market time, the last trade and (when the order may fill at once) the book of its symbol."""
    now, last = ctx.now(), ctx.last(request.symbol)
    may_fill = request.type is OrderType.MARKET or (
        request.type is OrderType.LIMIT
        and last is not None
        and request.price is not None
        and now - last.time <= ctx.max_price_age
        and is_marketable(request.side, request.price, last.price)
    )
    return Seen(now, last, ctx.book(request.symbol) if may_fill else None)


def _fill_events(uow: UnitOfWork, order_id: int, order_type: str, fills: Sequence[FillRecord]) -> None:
    for f in fills:
        uow.events.append(
            FillEvent(
                order_id,
                f.account_id,
                f.symbol,
                Side(f.type),
                OrderType(order_type),
                f.quantity,
                f.price,
                f.fee,
                f.liquidity,
                f.created_at,
            )
        )


def _write(
    uow: UnitOfWork,
    account_id: int,
    placement: Placement,
    account: Account | None,
    now: datetime,
) -> int:
    """Write a decided order and its fills (and ``account``, when given); publish their events."""
    row, fill_rows = uow.write_order(placement.order, placement.fills, account_id, account, now)
    order_id = int(row.id)
    uow.written_orders[order_id] = row
    uow.written_fills[order_id] = fill_rows
    order = placement.order
    status = OrderStatus(order.status)
    event = OrderEvent(order_id, account_id, order.symbol, status, now, order.reason)
    resting = status in RESTING  # a resting order is announced before its fills, a finished one after
    if resting:
        uow.events.append(event)
    _fill_events(uow, order_id, order.type, placement.fills)
    if not resting:
        uow.events.append(event)
    return order_id


def place(
    uow: UnitOfWork,
    ctx: TradingContext,
    user_id: int,
    request: OrderRequest,
    list_id: str | None = None,
) -> int:
    """Place one validated order for ``user_id``; return its id (the first one's on a retry)."""
    seen = read_market(ctx, request)  # before the lock: no market read while the row is locked
    acct, account = uow.lock_and_load(user_id, [request.symbol])
    if request.client_order_id:
        existing = uow.order_by_client_id(acct.id, request.client_order_id)
        if existing is not None:
            return check_same_request(request, existing)  # a retry, or ClientOrderIdConflict
    # a competition entry's window and symbols, under the lock, at the order's own market time
    check_can_trade(acct.trade_from, acct.trade_until, acct.symbols, request.symbol, seen.now)
    instrument = ctx.instruments[request.symbol]
    costs = ctx.costs(acct)
    placement = decide(
        seen, ctx.max_price_age, acct.id, account, instrument, request, costs, seen.now, list_id
    )
    return _write(uow, acct.id, placement, account, seen.now)


def place_oco(
    uow: UnitOfWork, ctx: TradingContext, user_id: int, legs: tuple[OrderRequest, OrderRequest]
) -> list[int]:
    """Place both legs of an OCO under one lock. The lock for the pair sits on the first leg."""
    take_profit = legs[0]
    now, last = ctx.now(), ctx.last(take_profit.symbol)  # before the lock
    acct, account = uow.lock_and_load(user_id, [take_profit.symbol])
    if take_profit.client_order_id:
        existing = uow.order_by_client_id(acct.id, take_profit.client_order_id)
        if existing is not None:
            return retried_oco(uow, acct.id, legs, existing)
    check_can_trade(acct.trade_from, acct.trade_until, acct.symbols, take_profit.symbol, now)
    instrument = ctx.instruments[take_profit.symbol]
    costs = ctx.costs(acct)
    list_id = uuid.uuid4().hex
    starts: list[Decimal | None] = []
    for leg in legs:  # a trailing leg starts tracking where a lone trailing stop would
        if leg.type is OrderType.TRAILING_STOP:
            starts.append(trail_start(leg, last, now, ctx.max_price_age, instrument))
        else:
            check_not_triggered(leg, last)
            starts.append(None)
    locks = [lock_for(leg, costs, instrument, start) for leg, start in zip(legs, starts, strict=True)]
    pair_lock = (max(lock[0] for lock in locks), max(lock[1] for lock in locks))
    placements = [
        rest_order(
            acct.id,
            account,
            instrument,
            leg,
            pair_lock if i == 0 else (ZERO, ZERO),
            now,
            list_id,
            trail_extreme=starts[i],
        )
        for i, leg in enumerate(legs)
    ]
    # the account is written with the second leg, once both locks are on it
    return [
        _write(uow, acct.id, p, account if i == len(placements) - 1 else None, now)
        for i, p in enumerate(placements)
    ]


def retried_oco(
    uow: UnitOfWork, account_id: int, legs: tuple[OrderRequest, OrderRequest], earlier: Any
) -> list[int]:
    """The ids of the OCO placed earlier with this ``client_order_id`` (its take-profit leg is
    ``earlier``) when ``legs`` repeat it; ClientOrderIdConflict otherwise. Assumption: the
    stop-loss leg carries ``"<id>:sl"`` (see :func:`sim.domain.orders.make_oco`)."""
    ids = [check_same_request(legs[0], earlier)]
    stop_leg = uow.order_by_client_id(account_id, legs[1].client_order_id or "")
    check_same_request(legs[1], stop_leg if stop_leg is not None else earlier)
    return ids + [int(r.id) for r in uow.siblings(earlier.list_id or "", earlier.id)]


def cancel(
    uow: UnitOfWork,
    now: datetime,
    user_id: int,
    order_id: int,
    reason: str = "Canceled by the user.",
) -> None:
    """Cancel a resting order of ``user_id`` (and its OCO sibling), releasing what it locked."""
    acct = uow.lock_active_account(user_id)
    order = uow.get_order(order_id)
    if order is None or order.account_id != acct.id:
        raise NotFound.of("order.not_yours", order=order_id)
    status = OrderStatus(order.status)
    if status not in RESTING:
        raise IllegalTransition.of("order.cannot_cancel", order=order_id, status=Term(status.lower()))
    account = uow.load_account(acct, [order.symbol])
    group = [order, *(uow.siblings(order.list_id, order.id) if order.list_id else [])]
    for o in group:
        _cancel_one(uow, account, o, now, reason)
    uow.save_account(acct.id, account, now)


def _cancel_one(
    uow: UnitOfWork,
    account: Account,
    order: Any,
    now: datetime,
    reason: str,
) -> None:
    new = transition(OrderStatus(order.status), OrderStatus.CANCELED)
    release(account, order)
    uow.update_order(
        order.id,
        status=new.value,
        locked_cash=ZERO,
        locked_qty=ZERO,
        reason=reason,
        updated_at=now,
    )
    uow.events.append(OrderEvent(order.id, order.account_id, order.symbol, new, now, reason))


def fill_resting(
    uow: UnitOfWork, ctx: TradingContext, order_id: int, trade_price: Decimal, trade_time: datetime
) -> bool:
    """Fill (or trigger) one resting order crossed by a trade; True if it filled or expired.

    Exactly once: under the account lock the order is read again; an order no longer resting (a
    duplicate tick filled it, it was canceled) or created after ``trade_time`` is left alone.
    A competition entry's order is left alone by a trade outside its account's trading window (at
    or after the season's end: the standings freeze exactly there).
    A trailing stop the trade does not trigger may still start tracking or move its extreme
    (:func:`sim.domain.trailing.step`): the row is written only then, when the extreme changes,
    not on every trade, and the answer is False (its state did not change).
    """
    head = uow.get_order(order_id)
    if head is None or head.created_at > trade_time:
        return False
    acct = uow.lock_account(head.account_id)
    order = uow.get_order(order_id)
    if acct is None or order is None or OrderStatus(order.status) not in RESTING:
        return False
    if not window_open_at(acct.trade_from, acct.trade_until, trade_time):
        return False
    side, kind = Side(order.side), OrderType(order.type)
    if kind is OrderType.LIMIT:
        if not limit_crossed(side, order.price, trade_price):
            return False
    elif kind is OrderType.TRAILING_STOP:
        trail = Trail(side, order.trailing_delta, order.stop_price, order.trail_extreme)
        trail, fired = step(trail, trade_price)
        if not fired:
            if trail.extreme != order.trail_extreme:
                when = max(order.updated_at, trade_time)
                uow.update_order(order.id, trail_extreme=trail.extreme, updated_at=when)
            return False
    elif not stop_triggered(kind, side, order.stop_price, trade_price):
        return False
    instrument = ctx.instruments[order.symbol]
    account = uow.load_account(acct, [order.symbol])
    costs = ctx.costs(acct)
    if order.list_id:
        for sibling in uow.siblings(order.list_id, order.id):
            _cancel_one(uow, account, sibling, trade_time, "The other order of the OCO pair filled.")
    release(account, order)
    remaining = order.quantity - order.filled_qty
    try:
        if kind is OrderType.LIMIT:
            execution = Execution((FillPart(order.price, remaining),), costs.fees.maker)
            liquidity = "maker"
        else:
            execution = execute_market(
                instrument,
                side,
                costs.fees.taker,
                quantity=remaining,
                last=trade_price,
                slippage_bps=costs.slippage_bps,
            )
            liquidity = "taker"
        fills = apply_fills(acct.id, account, order, execution, liquidity, trade_time, instrument)
    except (InsufficientFunds, OrderRejected) as exc:
        new = transition(OrderStatus(order.status), OrderStatus.EXPIRED)
        uow.update_order(
            order.id,
            status=new.value,
            locked_cash=ZERO,
            locked_qty=ZERO,
            reason=f"Expired when triggered: {exc}",
            notified=False,
            updated_at=trade_time,
        )
        uow.events.append(OrderEvent(order.id, acct.id, order.symbol, new, trade_time, str(exc)))
        uow.save_account(acct.id, account, trade_time)
        return True
    for f in fills:
        uow.insert_transaction(order_id=order.id, **f.row())
    _fill_events(uow, order.id, order.type, fills)
    new = transition(OrderStatus(order.status), OrderStatus.FILLED)
    uow.update_order(
        order.id,
        status=new.value,
        locked_cash=ZERO,
        locked_qty=ZERO,
        filled_qty=order.filled_qty + execution.quantity,
        filled_notional=order.filled_notional + execution.notional,
        fee_total=order.fee_total + execution.fee,
        notified=False,
        updated_at=trade_time,
    )
    uow.events.append(OrderEvent(order.id, acct.id, order.symbol, new, trade_time))
    uow.save_account(acct.id, account, trade_time)
    return True
