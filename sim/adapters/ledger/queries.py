"""Ledger reads and small writes for the accounts use cases, beside :mod:`repository`'s order path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from sim.adapters.ledger.tables import accounts, orders


def accounts_of(conn: Connection, user_id: int) -> list[Row[Any]]:
    """Every account of the user (active and archived), oldest first."""
    return list(conn.execute(select(accounts).where(accounts.c.user_id == user_id).order_by(accounts.c.id)))


def take_unseen(conn: Connection, account_id: int) -> list[Row[Any]]:
    """The account's orders not yet shown to the user (``notified`` false), now marked shown."""
    rows = list(
        conn.execute(select(orders).where(orders.c.account_id == account_id, orders.c.notified.is_(False)))
    )
    if rows:
        conn.execute(update(orders).where(orders.c.id.in_([r.id for r in rows])).values(notified=True))
    return rows


def last_order_change(conn: Connection) -> datetime | None:
    """When an order last changed (the newest ``updated_at``), or None for an empty ledger."""
    return conn.execute(select(func.max(orders.c.updated_at))).scalar()
