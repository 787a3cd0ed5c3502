"""Order handling inside one ledger transaction: place, cancel, and fill resting orders.

The caller (``sim.services.Simulator``) opens the transaction; every function here starts by
locking the account (see ``sim.adapters.ledger.repository``), then applies domain rules to the
loaded :class:`~sim.domain.account.Account` and writes the result back. A refusal raises before
anything is written, and the transaction is rolled back, so the ledger is untouched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row

from sim.adapters.ledger import repository as repo
from sim.client_ids import retried_oco
from sim.domain.account import Account
from sim.domain.errors import IllegalTransition, InsufficientFunds, NotFound, OrderRejected
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.fills import (
    Book,
    Execution,
    FeeSchedule,
    FillPart,
    Tick,
    check_fresh,
    execute_market,
    is_marketable,
    limit_crossed,
    resting_lock,
    stop_triggered,
)
from sim.domain.instruments import Instrument, Instruments
from sim.domain.orders import (
    RESTING,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    check_same_request,
    transition,
)
from sim.domain.values import ZERO


@dataclass(frozen=True)
class Costs:
    """The fee schedule and slippage that apply to one user."""

    fees: FeeSchedule
    slippage_bps: Decimal


@dataclass
class TradingContext:
    """What order handling needs from the outside world."""

    instruments: Instruments
    last: Callable[[str], Tick | None]
    book: Callable[[str], Book | None]
    now: Callable[[], datetime]
    max_price_age: timedelta
    costs: Callable[[Row[Any]], Costs]  # from a locked account row (see repository)
    events: list[OrderEvent | FillEvent]
    # rows this transaction wrote, as written: the caller builds its answer without reading them back
    written_orders: dict[int, Any] = field(default_factory=dict)
    written_fills: dict[int, list[Any]] = field(default_factory=dict)


@dataclass
class Placement:
    """One order a placement decided on, not yet written: its row values and its fills' rows.

    Deciding first and writing once lets the repository write the order, its fills, the cash and
    the positions in one statement where the database allows it (see ``repository.write_order``).
    """

    order: dict[str, Any]
    fills: list[dict[str, Any]]


def _apply_fills(
    account_id: int,
    account: Account,
    request: OrderRequest | Row[Any],
    execution: Execution,
    liquidity: str,
    now: datetime,
    instrument: Instrument,
) -> list[dict[str, Any]]:
    """Apply each part of ``execution`` to ``account``; return the fills' rows (no order id yet)."""
    side = Side(request.side)
    fills = []
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
            dict(
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
    return fills


def _fill_events(ctx: TradingContext, order_id: int, order_type: str, fills: list[dict[str, Any]]) -> None:
    for f in fills:
        ctx.events.append(
            FillEvent(
                order_id,
                f["account_id"],
                f["symbol"],
                Side(f["type"]),
                OrderType(order_type),
                f["quantity"],
                f["price"],
                f["fee"],
                f["liquidity"],
                f["created_at"],
            )
        )


def _write(
    conn: Connection,
    ctx: TradingContext,
    account_id: int,
    placement: Placement,
    account: Account | None,
    now: datetime,
) -> int:
    """Write a decided order and its fills (and ``account``, when given); publish their events."""
    row, fill_rows = repo.write_order(conn, placement.order, placement.fills, account_id, account, now)
    order_id = int(row.id)
    ctx.written_orders[order_id] = row
    ctx.written_fills[order_id] = fill_rows
    order = placement.order
    status = OrderStatus(order["status"])
    event = OrderEvent(order_id, account_id, order["symbol"], status, now, order["reason"])
    resting = status in RESTING  # a resting order is announced before its fills, a finished one after
    if resting:
        ctx.events.append(event)
    _fill_events(ctx, order_id, order["type"], placement.fills)
    if not resting:
        ctx.events.append(event)
    return order_id


def place(
    conn: Connection,
    ctx: TradingContext,
    user_id: int,
    request: OrderRequest,
    list_id: str | None = None,
) -> int:
    """Place one validated order for ``user_id``; return its id (the first one's on a retry)."""
    acct, account = repo.lock_and_load(conn, user_id, [request.symbol])
    if request.client_order_id:
        existing = repo.order_by_client_id(conn, acct.id, request.client_order_id)
        if existing is not None:
            return check_same_request(request, existing)  # a retry, or ClientOrderIdConflict
    instrument = ctx.instruments[request.symbol]
    costs = ctx.costs(acct)
    now = ctx.now()
    placement = _decide(ctx, acct.id, account, instrument, request, costs, now, list_id)
    return _write(conn, ctx, acct.id, placement, account, now)


def place_oco(
    conn: Connection, ctx: TradingContext, user_id: int, legs: tuple[OrderRequest, OrderRequest]
) -> list[int]:
    """Place both legs of an OCO under one lock. The lock for the pair sits on the first leg."""
    take_profit = legs[0]
    acct, account = repo.lock_and_load(conn, user_id, [take_profit.symbol])
    if take_profit.client_order_id:
        existing = repo.order_by_client_id(conn, acct.id, take_profit.client_order_id)
        if existing is not None:
            return retried_oco(conn, acct.id, legs, existing)
    instrument = ctx.instruments[take_profit.symbol]
    costs = ctx.costs(acct)
    now = ctx.now()
    list_id = uuid.uuid4().hex
    for leg in legs:
        _check_not_triggered(ctx, leg)
    locks = [_lock_for(leg, costs, instrument) for leg in legs]
    pair_lock = (max(lock[0] for lock in locks), max(lock[1] for lock in locks))
    placements = [
        _rest(acct.id, account, instrument, leg, pair_lock if i == 0 else (ZERO, ZERO), now, list_id)
        for i, leg in enumerate(legs)
    ]
    # the account is written with the second leg, once both locks are on it
    return [
        _write(conn, ctx, acct.id, p, account if i == len(placements) - 1 else None, now)
        for i, p in enumerate(placements)
    ]


def _lock_for(request: OrderRequest, costs: Costs, instrument: Instrument) -> tuple[Decimal, Decimal]:
    price = request.price if request.type is OrderType.LIMIT else request.stop_price
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


def _check_not_triggered(ctx: TradingContext, request: OrderRequest) -> None:
    tick = ctx.last(request.symbol)
    assert request.stop_price is not None
    if tick is not None and stop_triggered(request.type, request.side, request.stop_price, tick.price):
        name = request.type.replace("_", "-").lower()
        raise OrderRejected(
            f"This {name} order would trigger immediately: the last {request.symbol} price is "
            f"{tick.price.normalize():f}. Use a market order, or move the stop price."
        )


def _rest(
    account_id: int,
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    lock: tuple[Decimal, Decimal],
    now: datetime,
    list_id: str | None,
    filled: Execution | None = None,
) -> Placement:
    """A resting order: lock what it may spend (cash for a buy, coins for a sell) on ``account``."""
    cash, qty = lock
    if cash:
        account.lock_cash(cash, instrument.quote_asset)
    if qty:
        account.lock_quantity(instrument.symbol, qty, instrument.base_asset)
    status = transition(OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED if filled else OrderStatus.OPEN)
    order = _order_row(account_id, request, status, now, list_id=list_id, lock=(cash, qty), execution=filled)
    return Placement(order, [])


def _decide(
    ctx: TradingContext,
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
        tick = check_fresh(ctx.last(symbol), now, ctx.max_price_age, symbol)
        execution = execute_market(
            instrument,
            request.side,
            costs.fees.taker,
            quantity=request.quantity,
            quote_amount=request.quote_amount,
            last=tick.price,
            book=ctx.book(symbol),
            slippage_bps=costs.slippage_bps,
        )
        complete = request.quantity is None or execution.quantity == request.quantity
        status = transition(OrderStatus.NEW, OrderStatus.FILLED if complete else OrderStatus.EXPIRED)
        reason = "" if complete else "The book was too thin: the rest expired."
        return _filled(account_id, account, instrument, request, execution, status, now, reason)
    if request.type is OrderType.LIMIT:
        assert request.price is not None and request.quantity is not None
        seen = ctx.last(symbol)
        if (
            seen is not None
            and now - seen.time <= ctx.max_price_age
            and is_marketable(request.side, request.price, seen.price)
        ):
            execution = execute_market(
                instrument,
                request.side,
                costs.fees.taker,
                quantity=request.quantity,
                last=seen.price,
                book=ctx.book(symbol),
                slippage_bps=costs.slippage_bps,
                limit=request.price,
            )
            if execution.quantity == request.quantity:
                return _filled(
                    account_id, account, instrument, request, execution, OrderStatus.FILLED, now, ""
                )
            rest = request.quantity - execution.quantity
            lock = resting_lock(
                request.side,
                rest,
                request.price,
                costs.fees,
                costs.slippage_bps,
                instrument.tick_size,
                request.type,
            )
            _check_funds(account, instrument, request, execution, lock)
            placement = _rest(account_id, account, instrument, request, lock, now, list_id, filled=execution)
            placement.fills = _apply_fills(account_id, account, request, execution, "taker", now, instrument)
            return placement
    else:
        _check_not_triggered(ctx, request)
    return _rest(
        account_id, account, instrument, request, _lock_for(request, costs, instrument), now, list_id
    )


def _check_funds(
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    execution: Execution,
    lock: tuple[Decimal, Decimal],
) -> None:
    if request.side is Side.BUY:
        need = execution.notional + execution.fee + lock[0]
        if need > account.cash_free:
            raise InsufficientFunds(
                f"Not enough free {instrument.quote_asset}: this order needs "
                f"{need.normalize():f}, you have {account.cash_free.normalize():f} free."
            )


def _filled(
    account_id: int,
    account: Account,
    instrument: Instrument,
    request: OrderRequest,
    execution: Execution,
    status: OrderStatus,
    now: datetime,
    reason: str,
) -> Placement:
    fills = _apply_fills(account_id, account, request, execution, "taker", now, instrument)
    order = _order_row(account_id, request, status, now, execution=execution, reason=reason)
    return Placement(order, fills)


def _order_row(
    account_id: int,
    request: OrderRequest,
    status: OrderStatus,
    now: datetime,
    *,
    list_id: str | None = None,
    lock: tuple[Decimal, Decimal] = (ZERO, ZERO),
    execution: Execution | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """The order row: the request, its status, what it locks and what already filled."""
    return dict(
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


def _release(account: Account, order: Row[Any]) -> None:
    if order.locked_cash:
        account.release_cash(order.locked_cash)
    if order.locked_qty:
        account.release_quantity(order.symbol, order.locked_qty)


def cancel(
    conn: Connection,
    ctx: TradingContext,
    user_id: int,
    order_id: int,
    reason: str = "Canceled by the user.",
) -> None:
    """Cancel a resting order of ``user_id`` (and its OCO sibling), releasing what it locked."""
    acct = repo.lock_active_account(conn, user_id)
    order = repo.get_order(conn, order_id)
    if order is None or order.account_id != acct.id:
        raise NotFound(f"You have no order {order_id}.")
    status = OrderStatus(order.status)
    if status not in RESTING:
        raise IllegalTransition(f"Order {order_id} is already {status.lower()}; it cannot be canceled.")
    account = repo.load_account(conn, acct, [order.symbol])
    now = ctx.now()
    group = [order, *(repo.siblings(conn, order.list_id, order.id) if order.list_id else [])]
    for o in group:
        _cancel_one(conn, ctx, account, o, now, reason)
    repo.save_account(conn, acct.id, account, now)


def _cancel_one(
    conn: Connection,
    ctx: TradingContext,
    account: Account,
    order: Row[Any],
    now: datetime,
    reason: str,
) -> None:
    new = transition(OrderStatus(order.status), OrderStatus.CANCELED)
    _release(account, order)
    repo.update_order(
        conn,
        order.id,
        status=new.value,
        locked_cash=ZERO,
        locked_qty=ZERO,
        reason=reason,
        updated_at=now,
    )
    ctx.events.append(OrderEvent(order.id, order.account_id, order.symbol, new, now, reason))


def fill_resting(
    conn: Connection, ctx: TradingContext, order_id: int, trade_price: Decimal, trade_time: datetime
) -> bool:
    """Fill (or trigger) one resting order crossed by a trade; True if it changed.

    Exactly once: under the account lock the order is read again; an order no longer resting (a
    duplicate tick filled it, it was canceled) or created after ``trade_time`` is left alone.
    """
    head = repo.get_order(conn, order_id)
    if head is None or head.created_at > trade_time:
        return False
    acct = repo.lock_account(conn, head.account_id)
    order = repo.get_order(conn, order_id)
    if acct is None or order is None or OrderStatus(order.status) not in RESTING:
        return False
    side, kind = Side(order.side), OrderType(order.type)
    if kind is OrderType.LIMIT:
        if not limit_crossed(side, order.price, trade_price):
            return False
    elif not stop_triggered(kind, side, order.stop_price, trade_price):
        return False
    instrument = ctx.instruments[order.symbol]
    account = repo.load_account(conn, acct, [order.symbol])
    costs = ctx.costs(acct)
    if order.list_id:
        for sibling in repo.siblings(conn, order.list_id, order.id):
            _cancel_one(conn, ctx, account, sibling, trade_time, "The other order of the OCO pair filled.")
    _release(account, order)
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
        fills = _apply_fills(acct.id, account, order, execution, liquidity, trade_time, instrument)
    except (InsufficientFunds, OrderRejected) as exc:
        new = transition(OrderStatus(order.status), OrderStatus.EXPIRED)
        repo.update_order(
            conn,
            order.id,
            status=new.value,
            locked_cash=ZERO,
            locked_qty=ZERO,
            reason=f"Expired when triggered: {exc}",
            notified=False,
            updated_at=trade_time,
        )
        ctx.events.append(OrderEvent(order.id, acct.id, order.symbol, new, trade_time, str(exc)))
        repo.save_account(conn, acct.id, account, trade_time)
        return True
    for f in fills:
        repo.insert_transaction(conn, order_id=order.id, **f)
    _fill_events(ctx, order.id, order.type, fills)
    new = transition(OrderStatus(order.status), OrderStatus.FILLED)
    repo.update_order(
        conn,
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
    ctx.events.append(OrderEvent(order.id, acct.id, order.symbol, new, trade_time))
    repo.save_account(conn, acct.id, account, trade_time)
    return True
