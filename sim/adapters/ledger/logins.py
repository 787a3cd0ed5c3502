"""SQL for login sessions and failed-login back-off (tables ``login_sessions``, ``login_throttle``).

Plain reads and writes on one open connection; the rules (how long a session lives, how the delay
grows) are in :mod:`sim.logins`. Throttle rows are locked while an attempt is claimed
(``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock), so
parallel attempts on one account or from one client see each other's failures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from sim.adapters.ledger.tables import login_sessions, login_throttle, users


# --- sessions -----------------------------------------------------------------------------------
def insert_session(conn: Connection, digest: str, user_id: int, now: datetime, expires: datetime) -> None:
    conn.execute(
        insert(login_sessions).values(id=digest, user_id=user_id, created_at=now, expires_at=expires)
    )


def session_row(conn: Connection, digest: str) -> Row[Any] | None:
    """The session joined with its user's name and display name (None when unknown)."""
    query = (
        select(login_sessions, users.c.username, users.c.display_name)
        .join(users, users.c.id == login_sessions.c.user_id)
        .where(login_sessions.c.id == digest)
    )
    return conn.execute(query).first()


def extend_session(conn: Connection, digest: str, expires: datetime) -> None:
    conn.execute(
        update(login_sessions)
        .where(login_sessions.c.id == digest, login_sessions.c.revoked_at.is_(None))
        .values(expires_at=expires)
    )


def revoke_user_sessions(conn: Connection, user_id: int, now: datetime) -> int:
    """Mark every live session of the user revoked; the number revoked."""
    result = conn.execute(
        update(login_sessions)
        .where(login_sessions.c.user_id == user_id, login_sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)


def purge_sessions(conn: Connection, before: datetime) -> None:
    """Forget sessions that expired or were revoked before ``before``."""
    conn.execute(
        delete(login_sessions).where(
            or_(login_sessions.c.expires_at < before, login_sessions.c.revoked_at < before)
        )
    )


# --- throttle -----------------------------------------------------------------------------------
def lock_throttle_rows(conn: Connection, keys: Sequence[str]) -> dict[str, Row[Any]]:
    """The rows of ``keys``, created when missing, locked until the transaction ends."""
    from sqlalchemy.dialects import postgresql, sqlite

    name = conn.dialect.name
    build: Any = postgresql.insert if name == "postgresql" else sqlite.insert
    for key in keys:
        conn.execute(build(login_throttle).values(key=key, failures=0).on_conflict_do_nothing())
    query = select(login_throttle).where(login_throttle.c.key.in_(list(keys)))
    if name == "postgresql":
        query = query.order_by(login_throttle.c.key).with_for_update()
    return {row.key: row for row in conn.execute(query)}


def save_throttle(
    conn: Connection, key: str, failures: int, last_failure: datetime | None, blocked_until: datetime | None
) -> None:
    conn.execute(
        update(login_throttle)
        .where(login_throttle.c.key == key)
        .values(failures=failures, last_failure_at=last_failure, blocked_until=blocked_until)
    )


def purge_throttle(conn: Connection, before: datetime) -> None:
    """Forget keys whose last failure is older than ``before`` and that block nobody."""
    conn.execute(
        delete(login_throttle).where(
            or_(login_throttle.c.last_failure_at.is_(None), login_throttle.c.last_failure_at < before),
            or_(login_throttle.c.blocked_until.is_(None), login_throttle.c.blocked_until < before),
        )
    )


def user_for_login(conn: Connection, username: str) -> Row[Any] | None:
    """The person of ``username``; never a competition entry's trader (it cannot log in)."""
    query = select(users).where(users.c.username == username, users.c.owner_id.is_(None))
    return conn.execute(query).first()
