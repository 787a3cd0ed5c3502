"""Users: registration, password changes, preferences.

Passwords are stored only as bcrypt hashes (cost 12 by default). Logging in (with its back-off
against guessing) and sessions are in :mod:`sim.logins`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import bcrypt
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from sim.adapters.ledger.logins import revoke_user_sessions
from sim.adapters.ledger.tables import accounts, users
from sim.domain.errors import AuthError, InvalidInput, NotFound
from sim.domain.users import check_display_name, check_password, check_username
from sim.views import UserView

BCRYPT_ROUNDS = 12


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(check_password(password).encode(), bcrypt.gensalt(rounds)).decode()


def _view(row: object) -> UserView:
    return UserView(row.id, row.username, row.display_name, row.created_at)  # type: ignore[attr-defined]


def register(
    conn: Connection,
    username: str,
    password: str,
    display_name: str | None,
    starting_cash: Decimal,
    now: datetime,
    rounds: int = BCRYPT_ROUNDS,
) -> UserView:
    name = check_username(username)
    shown = check_display_name(display_name) or name
    digest = hash_password(password, rounds)
    if conn.execute(select(users.c.id).where(users.c.username == name)).first():
        raise InvalidInput(f"The username {name!r} is taken; choose another.")
    try:
        user_id = conn.execute(
            insert(users)
            .values(username=name, password_hash=digest, display_name=shown, created_at=now)
            .returning(users.c.id)
        ).scalar_one()
    except IntegrityError:
        raise InvalidInput(f"The username {name!r} is taken; choose another.") from None
    conn.execute(
        insert(accounts).values(
            user_id=user_id,
            label="main",
            active=True,
            starting_cash=starting_cash,
            cash_free=starting_cash,
            cash_locked=0,
            created_at=now,
        )
    )
    row = conn.execute(select(users).where(users.c.id == user_id)).one()
    return _view(row)


def change_password(conn: Connection, user_id: int, old: object, new: str, now: datetime) -> None:
    """Replace the password and revoke every session of the user (all browsers log in again)."""
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"There is no user {user_id}.")
    if not isinstance(old, str) or len(old.encode()) > 72:  # bcrypt would cut it at 72 bytes
        raise AuthError("The current password is wrong.")
    if not bcrypt.checkpw(old.encode(), row.password_hash.encode()):
        raise AuthError("The current password is wrong.")
    digest = hash_password(new)
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=digest))
    revoke_user_sessions(conn, user_id, now)
