"""Use cases: place an order or an OCO pair, cancel, preview, and read one order back.

Each write is one unit of work (:meth:`ServiceContext.writing`): the market is read, the account
locked, the decision taken and written (:mod:`sim.service_layer.trading`), and the events
published once it committed. A preview runs the very same code in a unit of work that is rolled
back, so it cannot drift from the real thing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sim.domain.errors import NotFound
from sim.domain.orders import OrderRequest, make_oco, make_request
from sim.domain.values import fee_amount
from sim.service_layer import trading
from sim.service_layer.context import ServiceContext
from sim.service_layer.unit_of_work import UnitOfWork
from sim.views import OrderView, fill_from_row


def place_order(
    ctx: ServiceContext,
    user_id: int,
    symbol: str,
    side: object,
    order_type: object,
    client_order_id: str | None,
    **fields: object,
) -> OrderView:
    """Validate the raw fields (:func:`sim.domain.orders.make_request`), then :func:`place`."""
    instrument = ctx.instruments.get_or_raise(symbol)
    request = make_request(instrument, side, order_type, client_order_id=client_order_id, **fields)
    return place(ctx, user_id, request)


def place_oco_order(
    ctx: ServiceContext,
    user_id: int,
    symbol: str,
    side: object,
    quantity: object,
    take_profit: object,
    stop_loss: object,
    client_order_id: str | None,
    trailing_delta_bps: object = None,
    activation_price: object = None,
) -> list[OrderView]:
    """Validate both legs (:func:`sim.domain.orders.make_oco`), then :func:`place_oco`."""
    instrument = ctx.instruments.get_or_raise(symbol)
    legs = make_oco(
        instrument,
        side,
        quantity=quantity,
        take_profit=take_profit,
        stop_loss=stop_loss,
        client_order_id=client_order_id,
        trailing_delta_bps=trailing_delta_bps,
        activation_price=activation_price,
    )
    return place_oco(ctx, user_id, legs)


def preview_order(
    ctx: ServiceContext,
    user_id: int,
    symbol: str,
    side: object,
    order_type: object,
    take_profit: object,
    stop_loss: object,
    **fields: object,
) -> dict[str, Any]:
    """Validate an order (or an OCO pair for ``order_type="OCO"``) as placing it would, then
    :func:`preview`."""
    instrument = ctx.instruments.get_or_raise(symbol)
    kind = str(order_type).upper()
    if kind == "OCO":
        legs = make_oco(
            instrument,
            side,
            quantity=fields["quantity"],
            take_profit=take_profit,
            stop_loss=stop_loss,
            trailing_delta_bps=fields.get("trailing_delta_bps"),
            activation_price=fields.get("activation_price"),
        )
        return preview(ctx, user_id, list(legs), kind, instrument.symbol)
    request = make_request(instrument, side, order_type, **fields)
    return preview(ctx, user_id, [request], kind, instrument.symbol)


def place(ctx: ServiceContext, user_id: int, request: OrderRequest) -> OrderView:
    """Place one validated order; its view as written."""
    with ctx.writing() as uow:
        order_id = trading.place(uow, ctx.trading_context(), user_id, request)
        return written_view(uow, order_id)


def place_oco(ctx: ServiceContext, user_id: int, legs: tuple[OrderRequest, OrderRequest]) -> list[OrderView]:
    """Place both legs of an OCO pair under one lock."""
    with ctx.writing() as uow:
        ids = trading.place_oco(uow, ctx.trading_context(), user_id, legs)
        return [written_view(uow, i) for i in ids]


def cancel(ctx: ServiceContext, user_id: int, order_id: int) -> OrderView:
    """Cancel a resting order of this user (an OCO leg cancels its pair)."""
    now = ctx.now()  # market time, read before the lock
    with ctx.writing() as uow:
        trading.cancel(uow, now, user_id, order_id)
        return order_view(uow, order_id)


def order(ctx: ServiceContext, user_id: int, order_id: int) -> OrderView:
    """One order of this user with its fills; NotFound for another user's or a missing one."""
    with ctx.reading() as uow:
        row = uow.get_order(order_id)
        if row is None or row.account_id not in uow.account_ids(user_id):
            raise NotFound.of("order.not_yours", order=order_id)
        fills = tuple(fill_from_row(r) for r in uow.order_fills(order_id))
    return OrderView.from_row(row, fills)


def preview(
    ctx: ServiceContext, user_id: int, requests: list[OrderRequest], kind: str, symbol: str
) -> dict[str, Any]:
    """What placing ``requests`` (one order, or the two legs of an OCO) would do now: see
    :meth:`sim.services.Simulator.preview_order` for the keys."""
    instrument = ctx.instruments[symbol]
    tctx = ctx.trading_context()
    with ctx.dry_run() as uow:
        if kind == "OCO":
            ids = trading.place_oco(uow, tctx, user_id, (requests[0], requests[1]))
        else:
            ids = [trading.place(uow, tctx, user_id, requests[0])]
        placed = [written_view(uow, i) for i in ids]
        after = uow.load_account(uow.active_account(user_id), [instrument.symbol])
        costs = ctx.costs_of(uow.user_row(user_id))
    first = placed[0]
    zero = Decimal(0)
    if first.fills:
        fill_price, qty = first.avg_fill_price, first.filled_qty
        notional, fee = sum((f.total_amount for f in first.fills), zero), first.fee_total
    else:  # resting: what it would cost when it fills at its limit (maker) or stop (taker)
        fill_price = first.price if first.type == "LIMIT" else first.stop_price
        if first.type == "TRAILING_STOP":  # at its stop level as it starts (or its activation)
            fill_price = first.stop_level or first.stop_price
        qty = first.quantity or zero
        notional = (fill_price or zero) * qty
        fee = fee_amount(notional, costs.fees.maker if first.type == "LIMIT" else costs.fees.taker)
    position = after.positions.get(instrument.symbol)
    return {
        "symbol": instrument.symbol,
        "side": first.side,
        "type": kind,
        "fills_now": bool(first.fills),
        "price": fill_price,
        "quantity": qty,
        "notional": notional,
        "fee": fee,
        "total": notional + fee if first.side == "BUY" else notional - fee,
        "locked_cash": sum((o.locked_cash for o in placed), zero),
        "locked_qty": sum((o.locked_qty for o in placed), zero),
        "cash_free_after": after.cash_free,
        "qty_free_after": position.qty_free if position else zero,
        "base_asset": instrument.base_asset,
        "quote_asset": instrument.quote_asset,
        "stop_level": next((o.stop_level for o in placed if o.type == "TRAILING_STOP"), None),
    }


def written_view(uow: UnitOfWork, order_id: int) -> OrderView:
    """The view of an order this unit of work wrote, from the rows as written (no read back); an
    order written earlier (a retried client_order_id) is read."""
    row = uow.written_orders.get(order_id)
    if row is None:
        return order_view(uow, order_id)
    fills = tuple(fill_from_row(r) for r in uow.written_fills.get(order_id, []))
    return OrderView.from_row(row, fills)


def order_view(uow: UnitOfWork, order_id: int) -> OrderView:
    row = uow.get_order(order_id)
    assert row is not None
    return OrderView.from_row(row, tuple(fill_from_row(r) for r in uow.order_fills(order_id)))
