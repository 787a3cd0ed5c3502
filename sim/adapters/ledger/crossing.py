"""The matcher's question to the ledger: which resting orders could a trade change?

:func:`crossed_orders` is a superset query: the service layer re-checks each candidate with the
domain's rules (:func:`sim.domain.fills.limit_crossed`, ``stop_triggered``,
:func:`sim.domain.trailing.step`) under the account lock, so the SQL only has to find every order
those rules would change, never miss one.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, literal, or_, select

from sim.adapters.ledger.tables import accounts, orders
from sim.adapters.ledger.types import Exact
from sim.domain.orders import RESTING, OrderType, Side

RESTING_VALUES = [s.value for s in RESTING]


def crossed_orders(
    conn: Connection, symbol: str, price: Decimal, at: datetime | None = None
) -> list[Row[Any]]:
    """Resting orders of ``symbol`` that a trade at ``price`` fills, triggers or (a trailing stop)
    starts or moves, oldest first.

    The conditions mirror :func:`sim.domain.fills.limit_crossed`, ``stop_triggered`` and
    :func:`sim.domain.trailing.step`: a trailing SELL is a candidate when it has not started and
    the price reaches its activation (``stop_price <= price``), when the price is above its
    extreme, or when ``price x 10000 <= extreme x (10000 - delta)`` (its stop level, without a
    division; a BUY mirrored). With ``at`` (the trade's event time) only orders created at or
    before it: a trade older than an order never fills it nor moves its stop, and no order of an
    account whose trading window has closed by then (a competition entry at or after its season's
    end, ``accounts.trade_until <= at``).
    """
    o = orders.c
    buy, sell = Side.BUY.value, Side.SELL.value
    p = literal(price, Exact())
    # price x 10000 computed here: a literal 10000 in SQL would take the Exact type and be scaled
    p_bps = literal(price * 10_000, Exact())
    trail = o.type == OrderType.TRAILING_STOP.value
    started = o.trail_extreme.is_not(None)
    cond = or_(
        and_(o.type == OrderType.LIMIT.value, o.side == buy, o.price > price),
        and_(o.type == OrderType.LIMIT.value, o.side == sell, o.price < price),
        and_(o.type == OrderType.STOP_LOSS.value, o.side == sell, o.stop_price >= price),
        and_(o.type == OrderType.STOP_LOSS.value, o.side == buy, o.stop_price <= price),
        and_(o.type == OrderType.TAKE_PROFIT.value, o.side == sell, o.stop_price <= price),
        and_(o.type == OrderType.TAKE_PROFIT.value, o.side == buy, o.stop_price >= price),
        and_(trail, o.side == sell, o.trail_extreme.is_(None), o.stop_price <= price),
        and_(trail, o.side == buy, o.trail_extreme.is_(None), o.stop_price >= price),
        and_(
            trail,
            o.side == sell,
            started,
            or_(o.trail_extreme < p, o.trail_extreme * (10_000 - o.trailing_delta) >= p_bps),
        ),
        and_(
            trail,
            o.side == buy,
            started,
            or_(o.trail_extreme > p, o.trail_extreme * (10_000 + o.trailing_delta) <= p_bps),
        ),
    )
    stmt = (
        select(o.id, o.account_id)
        .where(o.symbol == symbol, o.status.in_(RESTING_VALUES), cond)
        .order_by(o.id)
    )
    if at is not None:
        until = accounts.c.trade_until
        stmt = stmt.join(accounts, accounts.c.id == o.account_id).where(
            o.created_at <= at, or_(until.is_(None), until > at)
        )
    return list(conn.execute(stmt))
