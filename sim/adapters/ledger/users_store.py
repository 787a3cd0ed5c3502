"""The ``users`` table: look up, insert (with the first account), change the password or preferences.

Every function runs on the caller's connection, inside its transaction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from sim.adapters.ledger.repository import open_account
from sim.adapters.ledger.tables import users


def by_id(conn: Connection, user_id: int) -> Row[Any] | None:
    return conn.execute(select(users).where(users.c.id == user_id)).first()


def by_name(conn: Connection, username: str) -> Row[Any] | None:
    return conn.execute(select(users).where(users.c.username == username)).first()


def insert_with_account(
    conn: Connection, username: str, digest: str, display_name: str, starting_cash: Decimal, now: datetime
) -> Row[Any] | None:
    """Insert the user and their active account "main" with ``starting_cash``; the user's row, or
    None when the name is taken (also when another registration took it meanwhile)."""
    if by_name(conn, username) is not None:
        return None
    try:
        user_id = conn.execute(
            insert(users)
            .values(username=username, password_hash=digest, display_name=display_name, created_at=now)
            .returning(users.c.id)
        ).scalar_one()
    except IntegrityError:
        return None
    open_account(conn, user_id, starting_cash, now)
    return by_id(conn, user_id)


def update_user(conn: Connection, user_id: int, **values: Any) -> None:
    """Set columns of the user (password hash, fee preferences, display name)."""
    conn.execute(update(users).where(users.c.id == user_id).values(**values))
