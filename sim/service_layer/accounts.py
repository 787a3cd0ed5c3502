"""Use cases on a user's accounts: the portfolio at the latest prices, the list of accounts, a
reset (archive and start again), cost preferences, and the fills not yet shown to the user."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sim.domain.errors import CompetitionRefused
from sim.domain.orders import OrderStatus
from sim.domain.values import ZERO
from sim.service_layer.context import ServiceContext
from sim.service_layer.decisions import Costs
from sim.views import OrderView, PortfolioView, PositionView


def portfolio(ctx: ServiceContext, user_id: int) -> PortfolioView:
    """Cash, holdings at the latest prices, and PnL of the active account."""
    with ctx.reading() as uow:
        acct = uow.active_account(user_id)
        account = uow.load_account(acct)
    views = []
    for symbol, p in sorted(account.positions.items()):
        if p.quantity == 0 and p.realized_pnl == 0:
            continue
        tick = ctx.market.last(symbol)
        value = p.quantity * tick.price if tick else None
        views.append(
            PositionView(
                symbol=symbol,
                quantity=p.quantity,
                qty_free=p.qty_free,
                qty_locked=p.qty_locked,
                avg_price=p.avg_price,
                cost_basis=p.cost_basis,
                last_price=tick.price if tick else None,
                market_value=value,
                unrealized_pnl=value - p.cost_basis if value is not None else None,
                realized_pnl=p.realized_pnl,
                fees_paid=p.fees_paid,
            )
        )
    return PortfolioView(
        acct.id, acct.label, acct.starting_cash, account.cash_free, account.cash_locked, tuple(views)
    )


def accounts(ctx: ServiceContext, user_id: int) -> list[dict[str, Any]]:
    """Every account of the user, the active one and those archived by resets."""
    with ctx.reading() as uow:
        rows = uow.accounts_of(user_id)
    return [
        {
            "id": r.id,
            "label": r.label,
            "active": r.active,
            "starting_cash": r.starting_cash,
            "created_at": r.created_at,
            "closed_at": r.closed_at,
        }
        for r in rows
    ]


def reset(ctx: ServiceContext, user_id: int, label: str | None = None) -> None:
    """Archive the active account (labelled ``label`` or "run N (until ...)") with its resting
    orders canceled and their locks released, and open a new one with ``STARTING_BALANCE``.
    A competition entry's trader is refused (:class:`CompetitionRefused`): its season fixes its
    one account."""
    now = ctx.now()
    with ctx.writing() as uow:
        reset_account(uow, user_id, ctx.settings.starting_balance, now, label)


def reset_account(uow: Any, user_id: int, starting_cash: Decimal, now: datetime, label: str | None) -> None:
    """:func:`reset` inside the caller's unit of work."""
    acct = uow.lock_active_account(user_id)
    if acct.trade_until is not None:  # only a competition entry's account has a trading window
        raise CompetitionRefused.of("competition.no_reset")
    for order in uow.resting_orders(acct.id):
        uow.update_order(
            order.id,
            status=OrderStatus.CANCELED.value,
            locked_cash=ZERO,
            locked_qty=ZERO,
            reason="Account reset.",
            updated_at=now,
        )
    account = uow.load_account(acct)
    account.release_cash(account.cash_locked)
    for position in account.positions.values():
        if position.qty_locked:
            account.release_quantity(position.symbol, position.qty_locked)
    uow.save_account(acct.id, account, now)
    uow.archive_account(user_id, acct.id, now, label)
    uow.open_account(user_id, starting_cash, now)


def unseen_fills(ctx: ServiceContext, user_id: int) -> list[OrderView]:
    """Resting orders filled or expired by the matcher since the user last looked, then marked seen.

    The app's fill toasts read this, not ``ServiceContext.listeners``: the matcher that fills a
    resting order usually runs in another process (``python -m pipeline match``) or was running
    while the user was away, so an in-process event never reaches the user's browser session. The
    ledger's ``notified`` flag is the durable, cross-process record of what was shown; listeners
    serve in-process subscribers (metrics, logs, notifications in the same process)."""
    with ctx.writing() as uow:
        rows = uow.take_unseen(uow.active_account(user_id).id)
    return [OrderView.from_row(r) for r in rows]


def costs(ctx: ServiceContext, user_id: int) -> Costs:
    """The fee and slippage that apply to this user (their own or the settings' defaults)."""
    with ctx.reading() as uow:
        return ctx.costs_of(uow.user_row(user_id))


def preferences(ctx: ServiceContext, user_id: int) -> dict[str, Decimal]:
    c = costs(ctx, user_id)
    return {"maker_fee": c.fees.maker, "taker_fee": c.fees.taker, "slippage_bps": c.slippage_bps}
