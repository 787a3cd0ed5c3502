"""Users: registration, password checks with lockout, password changes, preferences.

Passwords are stored only as bcrypt hashes (cost 12 by default). After ``MAX_FAILED_LOGINS``
wrong passwords in a row an account is locked for ``LOCK_MINUTES``; the lock expires by itself and a
successful login resets the count. The counts live in the database, so they hold across sessions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import bcrypt
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from sim.adapters.ledger.tables import accounts, users
from sim.domain.errors import AuthError, InvalidInput, NotFound
from sim.domain.users import check_display_name, check_password, check_username
from sim.views import UserView

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
BCRYPT_ROUNDS = 12
_DUMMY_HASH = bcrypt.hashpw(b"timing-equaliser", bcrypt.gensalt(4))


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


def check_login(conn: Connection, username: str, password: str, now: datetime) -> UserView | AuthError:
    """Check a password; count failures and lock the account after too many.

    Returns the error instead of raising it, so the caller commits the failure count first.
    """
    name = username.strip().lower() if isinstance(username, str) else ""
    row = conn.execute(select(users).where(users.c.username == name).with_for_update()).first()
    if row is None:
        bcrypt.checkpw(b"x", _DUMMY_HASH)  # spend comparable time for unknown names
        return AuthError("Wrong username or password.")
    if row.locked_until is not None and row.locked_until > now:
        minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
        return AuthError(f"Too many failed logins: this account is locked for {minutes} more minute(s).")
    ok = isinstance(password, str) and bcrypt.checkpw(password.encode()[:72], row.password_hash.encode())
    if not ok:
        failed = row.failed_logins + 1
        values: dict[str, object] = {"failed_logins": failed}
        if failed >= MAX_FAILED_LOGINS:
            values = {"failed_logins": 0, "locked_until": now + timedelta(minutes=LOCK_MINUTES)}
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
        if failed >= MAX_FAILED_LOGINS:
            return AuthError(f"Too many failed logins: this account is locked for {LOCK_MINUTES} minutes.")
        return AuthError("Wrong username or password.")
    if row.failed_logins or row.locked_until is not None:
        conn.execute(update(users).where(users.c.id == row.id).values(failed_logins=0, locked_until=None))
    return _view(row)


def change_password(conn: Connection, user_id: int, old: str, new: str) -> None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"There is no user {user_id}.")
    if not bcrypt.checkpw(old.encode()[:72], row.password_hash.encode()):
        raise AuthError("The current password is wrong.")
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=hash_password(new)))


def set_password_hash(conn: Connection, username: str, password_hash: str) -> None:
    """Store a bcrypt hash made elsewhere (streamlit-authenticator's reset/change widgets)."""
    if not password_hash.startswith("$2"):
        raise InvalidInput("Only bcrypt hashes can be stored.")
    conn.execute(
        update(users).where(users.c.username == username.lower()).values(password_hash=password_hash)
    )
