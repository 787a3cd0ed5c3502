"""Users: registration, password changes, preferences.

Passwords are stored only as bcrypt hashes (cost 12 by default). Logging in (with its back-off
against guessing) and sessions are in :mod:`sim.logins`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import bcrypt
from sqlalchemy import Connection

from sim.adapters.ledger import users_store
from sim.adapters.ledger.logins import revoke_user_sessions
from sim.domain.errors import AuthError, InvalidInput, NotFound
from sim.domain.users import check_display_name, check_password, check_username
from sim.views import UserView

BCRYPT_ROUNDS = 12


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(check_password(password).encode(), bcrypt.gensalt(rounds)).decode()


def _view(row: object) -> UserView:
    return UserView(row.id, row.username, row.display_name, row.created_at, row.language)  # type: ignore[attr-defined]


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
    row = users_store.insert_with_account(conn, name, digest, shown, starting_cash, now)
    if row is None:
        raise InvalidInput.of("user.taken", name=name)
    return _view(row)


def change_password(conn: Connection, user_id: int, old: object, new: str, now: datetime) -> None:
    """Replace the password and revoke every session of the user (all browsers log in again)."""
    row = users_store.by_id(conn, user_id)
    if row is None:
        raise NotFound.of("user.none", user=user_id)
    if not isinstance(old, str) or len(old.encode()) > 72:  # bcrypt would cut it at 72 bytes
        raise AuthError.of("auth.current_wrong")
    if not bcrypt.checkpw(old.encode(), row.password_hash.encode()):
        raise AuthError.of("auth.current_wrong")
    digest = hash_password(new)
    users_store.update_user(conn, user_id, password_hash=digest)
    revoke_user_sessions(conn, user_id, now)
