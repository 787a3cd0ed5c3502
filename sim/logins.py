"""Logging in: password checks with growing delays, and sessions the server can revoke.

**Back-off, not lock-out.** Every failed login counts against the account name typed (whether or
not such a user exists) and against the client address when the caller knows it. After a few free
failures each key must wait before its next attempt: 1 s, 2 s, 4 s, ... up to a cap (60 s for an
account, 300 s for a client, which gets more free tries because a class may share one address).
A stranger can therefore make an account wait at most a minute after each of their own failures,
never lock it for good; a correct password resets the account's count. Failures older than
``FORGET_AFTER`` are forgotten. An attempt is claimed (its failure recorded and the delay set)
*before* the password is checked and undone on success, so parallel guesses cannot slip past the
delay. Unknown and known names get the same messages, the same writes and a bcrypt check of the
same cost, so neither the text nor the time tells which usernames exist.

**Sessions.** A login creates a random session id; only its SHA-256 is stored. The app keeps the id
in its signed cookie and checks it against the database on every run. A session lives
``SESSION_TTL`` after its last renewal (renewed on use, at most every ``RENEW_AFTER``) and never
longer than ``SESSION_MAX_AGE``; logout and password changes revoke every session of the user.

Times here are the wall clock (security, not market time).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import bcrypt
from sqlalchemy import Engine

from sim.adapters.ledger import logins as store
from sim.domain.errors import AuthError
from sim.views import UserView

SESSION_TTL = timedelta(hours=12)
SESSION_MAX_AGE = timedelta(days=7)
RENEW_AFTER = timedelta(minutes=10)
FORGET_AFTER = timedelta(hours=1)
MAX_PASSWORD_BYTES = 72
WRONG = "Wrong username or password."  # the English text of the catalog key "auth.wrong"


class LoginThrottled(AuthError):
    """Too many recent failed logins for this account name or from this client: wait and retry."""


@dataclass(frozen=True)
class Backoff:
    """``free`` failures cost nothing; the next wait 1, 2, 4, ... seconds, at most ``cap``."""

    free: int
    cap: int

    def delay(self, failures: int) -> timedelta:
        if failures <= self.free:
            return timedelta(0)
        return timedelta(seconds=min(2 ** min(failures - self.free - 1, 30), self.cap))


ACCOUNT = Backoff(free=3, cap=60)
CLIENT = Backoff(free=10, cap=300)


@dataclass(frozen=True)
class Session:
    """A live session: who, until when, and whether this check renewed it (re-set the cookie)."""

    user_id: int
    username: str
    display_name: str
    expires_at: datetime
    renewed: bool


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    """A hash of the same cost as real ones, so unknown names take as long as wrong passwords."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds))


def _keys(name: str, client: str | None) -> dict[str, Backoff]:
    keys = {f"account:{name[:64]}": ACCOUNT}
    if client:
        keys[f"client:{client[:64]}"] = CLIENT
    return keys


def _claim(engine: Engine, keys: dict[str, Backoff], now: datetime) -> dict[str, tuple[object, ...]]:
    """Refuse while any key must wait; else record a failure on each. The old values, to undo."""
    before: dict[str, tuple[object, ...]] = {}
    with engine.begin() as conn:
        rows = store.lock_throttle_rows(conn, list(keys))
        blocked = [r.blocked_until for r in rows.values() if r.blocked_until and r.blocked_until > now]
        if blocked:
            seconds = math.ceil((max(blocked) - now).total_seconds())
            raise LoginThrottled.of("auth.throttled", seconds=seconds)
        for key, policy in keys.items():
            row = rows[key]
            recent = row.last_failure_at is not None and now - row.last_failure_at < FORGET_AFTER
            failures = (row.failures if recent else 0) + 1
            until = now + policy.delay(failures)
            store.save_throttle(conn, key, failures, now, until)
            before[key] = (row.failures, row.last_failure_at, row.blocked_until, until)
    return before


def _undo(engine: Engine, before: dict[str, tuple[object, ...]]) -> None:
    """After a correct password: the account starts afresh, the client's claimed failure is undone."""
    with engine.begin() as conn:
        rows = store.lock_throttle_rows(conn, list(before))
        for key, (_failures, last, blocked, claimed_until) in before.items():
            if key.startswith("account:"):
                store.save_throttle(conn, key, 0, None, None)
                continue
            row = rows[key]
            keep = row.blocked_until if row.blocked_until != claimed_until else blocked
            store.save_throttle(conn, key, max(row.failures - 1, 0), last, keep)  # type: ignore[arg-type]


def authenticate(
    engine: Engine, username: object, password: object, client: str | None, now: datetime, rounds: int
) -> UserView:
    """The user for a correct password; :class:`AuthError` (or :class:`LoginThrottled`) otherwise."""
    if not isinstance(password, str) or not isinstance(username, str):
        raise AuthError.of("auth.wrong")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise AuthError.of("auth.password_too_long", most=MAX_PASSWORD_BYTES)
    name = username.strip().lower()
    before = _claim(engine, _keys(name, client), now)
    dummy = _dummy_hash(rounds)  # made on the first attempt of any kind, so it tells nothing
    with engine.connect() as conn:
        row = store.user_for_login(conn, name)
    if row is None:
        bcrypt.checkpw(password.encode(), dummy)
        raise AuthError.of("auth.wrong")
    if not bcrypt.checkpw(password.encode(), row.password_hash.encode()):
        raise AuthError.of("auth.wrong")
    _undo(engine, before)
    return UserView(row.id, row.username, row.display_name, row.created_at, row.language)


# --- sessions -----------------------------------------------------------------------------------
def start_session(engine: Engine, user_id: int, now: datetime) -> str:
    """A new session for the user; the token (kept by the browser, never stored)."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        store.purge_sessions(conn, now - timedelta(days=1))
        store.purge_throttle(conn, now - FORGET_AFTER)
        store.insert_session(conn, digest(token), user_id, now, now + SESSION_TTL)
    return token


def check_session(engine: Engine, token: object, now: datetime) -> Session | None:
    """The live session of ``token`` (renewed when due), or None if unknown, expired or revoked."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    key = digest(token)
    with engine.connect() as conn:
        row = store.session_row(conn, key)
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    last_day = row.created_at + SESSION_MAX_AGE
    if now >= last_day:
        return None
    expires, renewed = row.expires_at, False
    if row.expires_at - now < SESSION_TTL - RENEW_AFTER:
        expires, renewed = min(now + SESSION_TTL, last_day), True
        with engine.begin() as conn:
            store.extend_session(conn, key, expires)
    return Session(row.user_id, row.username, row.display_name, expires, renewed)


def revoke_sessions(engine: Engine, user_id: int, now: datetime) -> int:
    """End every session of the user (logout, password change); how many were live."""
    with engine.begin() as conn:
        return store.revoke_user_sessions(conn, user_id, now)
