"""Logging in on SQLite and PostgreSQL: growing delays instead of a lock anyone can trigger, the same
answer (and time) for unknown and known names, the 72-byte limit, and sessions the server revokes."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import bcrypt
import pytest
from sqlalchemy import select

from sim import logins
from sim.adapters.ledger.tables import users
from sim.domain.errors import AuthError, InvalidInput
from sim.services import Simulator
from tests.integration.conftest import Driver

T0 = datetime(2020, 1, 1, tzinfo=UTC)
PW = "correct horse"


def attempt(sim: Simulator, name: str, password: str, at: datetime, client: str | None = None) -> str:
    """'ok', or the refusal's message."""
    try:
        logins.authenticate(sim.engine, name, password, client, at, sim.bcrypt_rounds)
    except AuthError as exc:
        return str(exc)
    return "ok"


def test_login_refuses_passwords_over_72_bytes(env: tuple[Simulator, Driver]) -> None:
    """bcrypt reads 72 bytes: 'y'*72 + 'anything' used to log in as the owner of 'y'*72."""
    sim, _ = env
    user = sim.register("pw72user", "y" * 72)
    with pytest.raises(AuthError, match="at most 72 bytes"):
        sim.authenticate("pw72user", "y" * 72 + "anything")
    with pytest.raises(AuthError, match="current password is wrong"):
        sim.change_password(user.id, "y" * 72 + "anything", "a new password")
    assert sim.authenticate("pw72user", "y" * 72).id == user.id
    with pytest.raises(InvalidInput, match="at most 72 bytes"):
        sim.register("pw73user", "y" * 73)


def test_a_stranger_cannot_lock_an_account(env: tuple[Simulator, Driver]) -> None:
    """Many wrong passwords from elsewhere make the owner wait at most a minute, never 15."""
    sim, _ = env
    sim.register("dave", PW)
    now = T0
    for i in range(12):  # the stranger retries as soon as allowed
        now += timedelta(seconds=61 if i else 0)
        assert attempt(sim, "dave", "wrong password", now, "10.6.6.6") == logins.WRONG
    refused = attempt(sim, "dave", PW, now, "10.1.1.1")
    assert "Too many failed logins" in refused and "wait 60 second(s)" in refused
    assert "locked" not in refused
    assert attempt(sim, "dave", PW, now + timedelta(seconds=60), "10.1.1.1") == "ok"
    # the right password starts the account afresh: the next typo costs nothing
    later = now + timedelta(seconds=61)
    assert attempt(sim, "dave", "typo", later, "10.1.1.1") == logins.WRONG
    assert attempt(sim, "dave", PW, later, "10.1.1.1") == "ok"


def test_delays_grow_per_account_and_per_client(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    sim.register("erin", PW)
    answers = [attempt(sim, "erin", "wrong", T0 + timedelta(seconds=i * 0.001), "c1") for i in range(5)]
    assert answers[:4] == [logins.WRONG] * 4  # three free failures, the fourth sets a 1 s wait
    assert "wait 1 second(s)" in answers[4]
    assert [logins.ACCOUNT.delay(n).total_seconds() for n in range(1, 12)] == [
        0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60,
    ]  # fmt: skip
    # one client spraying many names: ten free failures, then it waits (other clients do not)
    spray = [attempt(sim, f"name{i}", "wrong", T0, "10.9.9.9") for i in range(11)]
    assert spray[:10] == [logins.WRONG] * 10 and "Too many failed logins" not in spray[9]
    assert "Too many failed logins" in attempt(sim, "name99", "wrong", T0, "10.9.9.9")
    assert attempt(sim, "name99", "wrong", T0, "10.8.8.8") == logins.WRONG


def test_unknown_and_known_names_get_the_same_answers(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    sim.register("frank", PW)
    times = [T0 + timedelta(seconds=s) for s in (0, 0, 0, 0, 0.5, 1.5, 1.6, 4)]
    known = [attempt(sim, "frank", "wrong", t) for t in times]
    unknown = [attempt(sim, "nobody-here", "wrong", t) for t in times]
    assert known == unknown
    assert any("Too many failed logins" in m for m in known) and logins.WRONG in known


def test_unknown_and_known_names_take_the_same_time(env: tuple[Simulator, Driver]) -> None:
    """bcrypt of the real cost for unknown names too (it was cost 4 against 12: 4 ms against 250)."""
    sim, _ = env
    sim.bcrypt_rounds = 10
    sim.register("grace", PW)

    def seconds(name: str, i: int) -> float:
        start = time.perf_counter()
        attempt(sim, name, "wrong password", T0 + timedelta(hours=2 * i))  # each after the last is forgotten
        return time.perf_counter() - start

    known, unknown = [], []
    for i in range(9):
        known.append(seconds("grace", i))
        unknown.append(seconds("nobody-at-all", i))
    ratio = min(unknown) / min(known)  # the least disturbed run of each (the machine is shared)
    assert 0.67 < ratio < 1.5, (known, unknown)


def test_parallel_guesses_cannot_slip_past_the_delay(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    sim.register("heidi", PW)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: attempt(sim, "heidi", "wrong", T0), range(8)))
    assert answers.count(logins.WRONG) == 4  # the three free ones and the one that set the wait
    assert sum("Too many failed logins" in a for a in answers) == 4


def test_sessions_expire_renew_and_are_revoked(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    user = sim.register("ivan", PW)
    token = logins.start_session(sim.engine, user.id, T0)
    first = logins.check_session(sim.engine, token, T0 + timedelta(minutes=1))
    assert first is not None and first.user_id == user.id and not first.renewed
    renewed = logins.check_session(sim.engine, token, T0 + timedelta(hours=11))
    assert renewed is not None and renewed.renewed
    assert renewed.expires_at == T0 + timedelta(hours=11) + logins.SESSION_TTL
    assert logins.check_session(sim.engine, token, T0 + timedelta(hours=22)) is not None  # renews to 34 h
    assert logins.check_session(sim.engine, token, T0 + timedelta(hours=34, minutes=1)) is None  # idle
    assert logins.check_session(sim.engine, "x" * 43, T0) is None
    assert logins.check_session(sim.engine, None, T0) is None

    # logout revokes every session issued before, in any browser
    a, b = sim.start_session(user.id), sim.start_session(user.id)
    assert sim.check_session(a) is not None and sim.check_session(b) is not None
    assert sim.revoke_sessions(user.id) == 2
    assert sim.check_session(a) is None and sim.check_session(b) is None
    # and so does a password change
    c = sim.start_session(user.id)
    sim.change_password(user.id, PW, "a new password")
    assert sim.check_session(c) is None
    assert sim.check_session(sim.start_session(user.id)) is not None


def test_a_session_cannot_guess_the_password_through_change_password(env: tuple[Simulator, Driver]) -> None:
    """The current-password check counts failures like the login form does."""
    sim, _ = env
    user = sim.register("kate", PW)
    answers = []
    for _ in range(5):
        try:
            sim.change_password(user.id, "guess", "a new password")
        except AuthError as exc:
            answers.append(str(exc))
    assert answers[:4] == ["The current password is wrong."] * 4
    assert "Too many failed logins" in answers[4]
    with sim.engine.connect() as conn:  # the password is unchanged
        digest = conn.execute(select(users.c.password_hash).where(users.c.id == user.id)).scalar_one()
    assert bcrypt.checkpw(PW.encode(), digest.encode())


def test_a_session_never_outlives_its_maximum_age(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    user = sim.register("judy", PW)
    token = logins.start_session(sim.engine, user.id, T0)
    for k in range(1, 28):  # used every 6 hours: renewed each time, up to 162 h
        assert logins.check_session(sim.engine, token, T0 + timedelta(hours=6 * k)) is not None
    assert logins.check_session(sim.engine, token, T0 + logins.SESSION_MAX_AGE) is None
