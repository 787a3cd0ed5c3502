"""Order transactions on PostgreSQL send their own BEGIN (with the lock), COMMIT and ROLLBACK.

Real PostgreSQL. What each test proves: a buy is three round trips and still one transaction (the
account lock is held until COMMIT); a refusal, an exception or a caught database error leaves
nothing written and no connection inside a transaction.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import pytest
from sqlalchemy import event, text

from sim.adapters.ledger import pg_order_path
from sim.adapters.ledger.pg_transactions import TransactionFailed, transaction
from sim.domain.errors import InsufficientFunds
from sim.services import Simulator
from tests.integration.conftest import open_sim, snapshot


class Sent:
    """Every statement the order engine's connections send, in order (one entry per message)."""

    def __init__(self, sim: Simulator) -> None:
        self.statements: list[str] = []
        sent = self.statements

        class Recording(psycopg2.extensions.cursor):
            def execute(self, query: Any, vars: Any = None) -> None:
                sent.append(str(query))
                super().execute(query, vars)

        def on_checkout(dbapi_conn: Any, *_: Any) -> None:
            dbapi_conn.cursor_factory = Recording

        event.listen(sim.order_engine, "checkout", on_checkout)

    def heads(self) -> list[str]:
        return [s.split("(", 1)[0].strip() for s in self.statements]


@pytest.fixture
def pg(postgres_url: str) -> Iterator[tuple[Simulator, str, int]]:
    sim, _ = open_sim(postgres_url)
    user = sim.register("pgtx_user", "a good password").id
    yield sim, postgres_url.replace("postgresql+psycopg2://", "postgresql://"), user
    sim.close()


def in_transaction(dsn: str) -> int:
    """How many sessions of this database sit inside a transaction right now."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
        )
        return int(cur.fetchone()[0])


def cash(sim: Simulator, user: int) -> Decimal:
    return sim.portfolio(user).cash_free


def test_a_market_buy_is_three_round_trips_with_begin_sent_with_the_lock(pg: Any) -> None:
    sim, _, user = pg
    sent = Sent(sim)
    sim.buy(user, "BTCUSDT", "0.001")
    assert sent.heads() == ["BEGIN; SELECT * FROM ledger_lock_active_account", "WITH o AS", "COMMIT"]


def test_the_account_lock_is_held_until_commit(pg: Any) -> None:
    """If BEGIN did not reach the server with the lock, autocommit would release the lock at once."""
    sim, dsn, user = pg
    account_id = sim.accounts(user)[0]["id"]
    outcome: list[str] = []
    locked, release = threading.Event(), threading.Event()

    def other_session() -> None:
        locked.wait(10)
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SET lock_timeout = '300ms'")
            try:
                cur.execute("SELECT id FROM accounts WHERE id = %s FOR UPDATE", (account_id,))
                outcome.append("got the lock")
            except psycopg2.errors.LockNotAvailable:
                outcome.append("blocked")
        release.set()

    from sim.adapters.ledger import repository as repo

    waiter = threading.Thread(target=other_session)
    waiter.start()
    with transaction(sim.order_engine) as conn:
        repo.lock_and_load(conn, user, ["BTCUSDT"])
        locked.set()
        release.wait(10)
    waiter.join()
    assert outcome == ["blocked"]


def test_a_refused_order_rolls_back_and_leaves_no_open_transaction(pg: Any) -> None:
    sim, dsn, user = pg
    sent = Sent(sim)
    before = snapshot(sim)
    with pytest.raises(InsufficientFunds):
        sim.buy(user, "BTCUSDT", "10")  # 400,000 USDT of BTC on a 100,000 USDT account
    assert sent.heads() == ["BEGIN; SELECT * FROM ledger_lock_active_account", "ROLLBACK"]
    assert snapshot(sim) == before
    assert in_transaction(dsn) == 0


def test_a_statement_sent_through_sqlalchemy_first_is_preceded_by_begin(pg: Any) -> None:
    sim, _, _ = pg
    sent = Sent(sim)
    with transaction(sim.order_engine) as conn:
        first = conn.execute(text("SELECT now(), pg_current_xact_id()")).one()
        second = conn.execute(text("SELECT now(), pg_current_xact_id()")).one()
    assert first == second  # one transaction: same start time, same transaction id
    assert sent.heads() == ["BEGIN", "SELECT now", "SELECT now", "COMMIT"]


def test_a_block_that_raises_writes_nothing(pg: Any) -> None:
    sim, dsn, user = pg
    start = cash(sim, user)
    with pytest.raises(RuntimeError, match="boom"), transaction(sim.order_engine) as conn:
        conn.execute(text("UPDATE accounts SET cash_free = 0 WHERE user_id = :u"), {"u": user})
        raise RuntimeError("boom")
    assert cash(sim, user) == start
    assert in_transaction(dsn) == 0


def test_a_caught_database_error_is_reported_not_committed(pg: Any) -> None:
    sim, dsn, user = pg
    start = cash(sim, user)
    with pytest.raises(TransactionFailed, match="nothing was written"):
        with transaction(sim.order_engine) as conn:
            conn.execute(text("UPDATE accounts SET cash_free = 0 WHERE user_id = :u"), {"u": user})
            with contextlib.suppress(Exception):  # swallowed: the transaction is still failed
                conn.execute(text("SELECT 1 / 0"))
    assert cash(sim, user) == start
    assert in_transaction(dsn) == 0


def test_an_empty_block_sends_nothing(pg: Any) -> None:
    sim, _, _ = pg
    sent = Sent(sim)
    with transaction(sim.order_engine):
        pass
    assert sent.statements == []


def test_a_connection_returned_inside_a_transaction_is_rolled_back(pg: Any) -> None:
    sim, dsn, user = pg
    start = cash(sim, user)
    with sim.order_engine.connect() as conn:  # not through transaction(): nobody ends it
        conn.exec_driver_sql("BEGIN")
        conn.execute(text("UPDATE accounts SET cash_free = 0 WHERE user_id = :u"), {"u": user})
    assert in_transaction(dsn) == 0
    assert cash(sim, user) == start


def test_lock_and_load_refuses_any_other_prefix(pg: Any) -> None:
    sim, _, user = pg
    with sim.order_engine.connect() as conn:
        with pytest.raises(ValueError, match="begin must be"):
            pg_order_path.lock_and_load(conn.connection.dbapi_connection, user, ["BTCUSDT"], "COMMIT; ")
