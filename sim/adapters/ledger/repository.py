"""Reading and writing ledger rows on one open connection (the unit of work is the transaction).

Every write path first calls :func:`lock_active_account`, which locks the user's active account row
(``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock), so the
checks that follow (free cash, free quantity, client order id) cannot be raced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, or_, select, update

from sim.adapters.ledger.tables import accounts, orders, positions, transactions, users
from sim.domain.account import Account, Position
from sim.domain.errors import NotFound
from sim.domain.orders import RESTING, OrderType, Side

RESTING_VALUES = [s.value for s in RESTING]


# the account row plus the owner's cost preferences, locked (the user row is only read)
_LOCKED_ACCOUNT = select(accounts, users.c.maker_fee, users.c.taker_fee, users.c.slippage_bps).join(
    users, users.c.id == accounts.c.user_id
)


def lock_active_account(conn: Connection, user_id: int) -> Row[Any]:
    """The user's active account, locked for this transaction, with their fee preferences."""
    stmt = _LOCKED_ACCOUNT.where(accounts.c.user_id == user_id, accounts.c.active.is_(True)).with_for_update(
        of=accounts
    )
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"User {user_id} has no active account.")
    return row


def lock_account(conn: Connection, account_id: int) -> Row[Any] | None:
    stmt = _LOCKED_ACCOUNT.where(accounts.c.id == account_id).with_for_update(of=accounts)
    return conn.execute(stmt).first()


def active_account(conn: Connection, user_id: int) -> Row[Any]:
    stmt = select(accounts).where(accounts.c.user_id == user_id, accounts.c.active.is_(True))
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"User {user_id} has no active account.")
    return row


def user_row(conn: Connection, user_id: int) -> Row[Any]:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"There is no user {user_id}.")
    return row


def load_account(conn: Connection, account: Row[Any], symbols: Iterable[str] | None = None) -> Account:
    """The domain Account for ``account``, with the positions of ``symbols`` (all when None)."""
    stmt = select(positions).where(positions.c.account_id == account.id)
    if symbols is not None:
        stmt = stmt.where(positions.c.symbol.in_(list(symbols)))
    held = {
        r.symbol: Position(r.symbol, r.qty_free, r.qty_locked, r.cost_basis, r.realized_pnl, r.fees_paid)
        for r in conn.execute(stmt)
    }
    return Account(account.cash_free, account.cash_locked, held)


def save_account(conn: Connection, account_id: int, account: Account, now: datetime) -> None:
    """Write the account's cash and every loaded position back (upserted: new ones inserted)."""
    conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(cash_free=account.cash_free, cash_locked=account.cash_locked)
    )
    for pos in account.positions.values():
        values = dict(
            qty_free=pos.qty_free,
            qty_locked=pos.qty_locked,
            cost_basis=pos.cost_basis,
            realized_pnl=pos.realized_pnl,
            fees_paid=pos.fees_paid,
            updated_at=now,
        )
        upsert = _insert_for(conn)(positions).values(account_id=account_id, symbol=pos.symbol, **values)
        conn.execute(upsert.on_conflict_do_update(index_elements=["account_id", "symbol"], set_=values))


def _insert_for(conn: Connection) -> Any:
    """The dialect's INSERT with ON CONFLICT (PostgreSQL and SQLite both have it)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_order(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(orders).values(**values).returning(orders.c.id))
    return int(result.scalar_one())


def update_order(conn: Connection, order_id: int, **values: Any) -> None:
    conn.execute(update(orders).where(orders.c.id == order_id).values(**values))


def insert_transaction(conn: Connection, **values: Any) -> None:
    conn.execute(insert(transactions).values(**values))


def order_by_client_id(conn: Connection, account_id: int, client_order_id: str) -> Row[Any] | None:
    stmt = select(orders).where(
        orders.c.account_id == account_id, orders.c.client_order_id == client_order_id
    )
    return conn.execute(stmt).first()


def get_order(conn: Connection, order_id: int) -> Row[Any] | None:
    return conn.execute(select(orders).where(orders.c.id == order_id)).first()


def list_orders(
    conn: Connection, account_id: int, statuses: Sequence[str] | None = None, limit: int = 500
) -> list[Row[Any]]:
    stmt = select(orders).where(orders.c.account_id == account_id)
    if statuses:
        stmt = stmt.where(orders.c.status.in_(list(statuses)))
    return list(conn.execute(stmt.order_by(orders.c.id.desc()).limit(limit)))


def list_transactions(
    conn: Connection, account_id: int | Sequence[int], limit: int | None = None
) -> list[Row[Any]]:
    ids = [account_id] if isinstance(account_id, int) else list(account_id)
    stmt = (
        select(transactions)
        .where(transactions.c.account_id.in_(ids))
        .order_by(transactions.c.created_at, transactions.c.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt))


def order_fills(conn: Connection, order_id: int) -> list[Row[Any]]:
    stmt = select(transactions).where(transactions.c.order_id == order_id).order_by(transactions.c.id)
    return list(conn.execute(stmt))


def crossed_orders(conn: Connection, symbol: str, price: Decimal) -> list[Row[Any]]:
    """Resting orders of ``symbol`` that a trade at ``price`` fills or triggers (oldest first).

    The conditions mirror :func:`sim.domain.fills.limit_crossed` and ``stop_triggered``; the caller
    re-checks each order with those functions under the account lock.
    """
    o = orders.c
    buy, sell = Side.BUY.value, Side.SELL.value
    cond = or_(
        and_(o.type == OrderType.LIMIT.value, o.side == buy, o.price > price),
        and_(o.type == OrderType.LIMIT.value, o.side == sell, o.price < price),
        and_(o.type == OrderType.STOP_LOSS.value, o.side == sell, o.stop_price >= price),
        and_(o.type == OrderType.STOP_LOSS.value, o.side == buy, o.stop_price <= price),
        and_(o.type == OrderType.TAKE_PROFIT.value, o.side == sell, o.stop_price <= price),
        and_(o.type == OrderType.TAKE_PROFIT.value, o.side == buy, o.stop_price >= price),
    )
    stmt = (
        select(o.id, o.account_id)
        .where(o.symbol == symbol, o.status.in_(RESTING_VALUES), cond)
        .order_by(o.id)
    )
    return list(conn.execute(stmt))


def siblings(conn: Connection, list_id: str, order_id: int) -> list[Row[Any]]:
    stmt = select(orders).where(
        orders.c.list_id == list_id, orders.c.id != order_id, orders.c.status.in_(RESTING_VALUES)
    )
    return list(conn.execute(stmt))
