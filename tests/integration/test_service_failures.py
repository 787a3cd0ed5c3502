"""Infrastructure failures raise one retryable SimError (issue 14, item 8), on real services.

PostgreSQL connections are really dropped (``pg_terminate_backend`` from another session, while
an order waits for its account lock or while the pool holds them idle); Redis and PostgreSQL are
really unreachable (a closed port). The caller gets :class:`ServiceUnavailable` with the driver's
error chained, never ``psycopg2.OperationalError``, ``PendingRollbackError`` or
``redis.exceptions.ConnectionError``, and the next call goes through.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import psycopg2
import pytest
from sqlalchemy import exc as sa_exc

from sim.contract import service_error
from sim.domain.errors import ServiceUnavailable, SimError
from sim.services import Simulator
from sim.settings import Settings
from tests.integration.conftest import T0, open_sim, snapshot

D = Decimal


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg(postgres_url: str) -> Iterator[tuple[Simulator, str, int]]:
    sim, _ = open_sim(postgres_url)
    user = sim.register("dropped", "a good password").id
    yield sim, postgres_url.replace("postgresql+psycopg2://", "postgresql://"), user
    sim.close()


def terminate(dsn: str, where: str = "true") -> int:
    """Terminate this database's other sessions matching ``where``; how many were terminated."""
    with contextlib.closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        conn.autocommit = True
        cur.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = current_database() AND pid <> pg_backend_pid() AND ({where})"
        )
        return int(cur.fetchone()[0])


def dropped_while_waiting(dsn: str, user: int, action: Callable[[], object]) -> BaseException | None:
    """Run ``action`` while another session holds ``user``'s account row; once the action's session
    waits for that lock, terminate it. Returns what the action raised (None if nothing)."""
    holder = psycopg2.connect(dsn)
    raised: list[BaseException | None] = [None]
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT id FROM accounts WHERE user_id = %s AND active FOR UPDATE", (user,))

        def run() -> None:
            try:
                action()
            except BaseException as exc:  # handed to the test
                raised[0] = exc

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 10
        while terminate(dsn, "wait_event_type = 'Lock'") == 0:
            assert time.monotonic() < deadline, "the action never waited for the account lock"
            time.sleep(0.02)
        worker.join(10)
        assert not worker.is_alive()
    finally:
        holder.rollback()
        holder.close()
    return raised[0]


def assert_service_unavailable(exc: BaseException | None, service: str) -> ServiceUnavailable:
    assert isinstance(exc, ServiceUnavailable), repr(exc)
    assert exc.retryable and exc.service == service
    assert exc.__cause__ is not None and not isinstance(exc.__cause__, sa_exc.PendingRollbackError)
    return exc


def test_a_connection_dropped_mid_order_is_retryable_and_the_retry_goes_through(pg: Any) -> None:
    sim, dsn, user = pg
    before = snapshot(sim)
    exc = dropped_while_waiting(dsn, user, lambda: sim.buy(user, "BTCUSDT", "0.01", client_order_id="k1"))
    err = assert_service_unavailable(exc, "database")
    assert isinstance(err.__cause__, psycopg2.OperationalError)
    assert snapshot(sim) == before
    retried = sim.buy(user, "BTCUSDT", "0.01", client_order_id="k1")
    assert retried.status == "FILLED" and len(sim.trades(user)) == 1


@pytest.mark.parametrize("call", ["cancel", "reset"])
def test_a_dropped_connection_is_not_hidden_behind_pending_rollback(pg: Any, call: str) -> None:
    """cancel runs its statements through SQLAlchemy on the order engine (pg_transactions used to
    raise PendingRollbackError from ``conn.info``); reset runs on the main engine."""
    sim, dsn, user = pg
    order = sim.buy(user, "BTCUSDT", "0.01", price="30000")
    before = snapshot(sim)
    action = (lambda: sim.cancel(user, order.id)) if call == "cancel" else (lambda: sim.reset(user))
    exc = dropped_while_waiting(dsn, user, action)
    err = assert_service_unavailable(exc, "database")
    assert isinstance(err.__cause__, sa_exc.OperationalError)
    assert snapshot(sim) == before
    action()
    assert sim.order(user, order.id).status == "CANCELED"


def test_pools_replace_connections_the_server_dropped(pg: Any) -> None:
    """The first order and the first read after the server dropped every pooled connection go
    through (no stale connection handed out), and an order is still three round trips."""
    sim, dsn, user = pg
    for _ in range(3):
        sim.buy(user, "BTCUSDT", "0.01")
        sim.portfolio(user)
    assert terminate(dsn) >= 2  # the order pool's and the main pool's idle connections
    time.sleep(0.1)
    assert sim.buy(user, "BTCUSDT", "0.01").status == "FILLED"
    assert sim.portfolio(user).positions[0].quantity == D("0.04")
    assert len(sim.orders(user)) == 4


def test_an_unreachable_database_is_retryable(tmp_path: Any) -> None:
    url = f"postgresql+psycopg2://postgres@127.0.0.1:{closed_port()}/nowhere"
    with pytest.raises(ServiceUnavailable, match="ledger database could not be reached") as caught:
        Simulator.open(settings=Settings(database_url=url, sample_dir=Settings().sample_dir))
    assert_service_unavailable(caught.value, "database")


def test_redis_down_for_price_and_market_buy(tmp_path: Any) -> None:
    from sim.adapters.live.redis_store import RedisLiveStore

    store = RedisLiveStore(f"redis://127.0.0.1:{closed_port()}/0")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    sim = Simulator.open(settings=settings, market=store, clock=lambda: T0)
    user = sim.register("nored", "a good password").id
    before = snapshot(sim)
    for call in (lambda: sim.price("BTCUSDT"), lambda: sim.buy(user, "BTCUSDT", "0.01")):
        with pytest.raises(ServiceUnavailable, match="live price store") as caught:
            call()
        import redis

        assert isinstance(caught.value.__cause__, redis.exceptions.ConnectionError)
        assert_service_unavailable(caught.value, "live store")
    assert snapshot(sim) == before
    sim.close()


def test_broker_errors_and_others_are_classified() -> None:
    import kafka.errors

    for exc, service in (
        (kafka.errors.KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:1"), "broker"),
        (kafka.errors.KafkaConnectionError(), "broker"),
        (ConnectionRefusedError(), "network"),
    ):
        mapped = service_error(exc)
        assert mapped is not None and mapped.service == service and mapped.retryable
    for other in (ValueError("x"), KeyError("k"), sa_exc.IntegrityError("stmt", {}, Exception("dup"))):
        assert service_error(other) is None  # bugs and constraint errors are not outages
    assert not SimError("x").retryable


def test_a_killed_redis_connection_is_replaced(redis_url: tuple[str, str], tmp_path: Any) -> None:
    """Redis drops the store's connection (``CLIENT KILL ID``, only ours): the next read reconnects."""
    import redis

    from sim.adapters.live.redis_store import RedisLiveStore
    from sim.market import Trade

    url, prefix = redis_url
    store = RedisLiveStore(url, prefix=prefix)
    store.write([Trade("BTCUSDT", 1, D("40000.00"), D("0.5"), T0, False)], int(time.time() * 1000))
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    sim = Simulator.open(settings=settings, market=store, clock=lambda: T0)
    assert sim.price("BTCUSDT").price == D("40000")
    admin = redis.Redis.from_url(url)
    assert admin.client_kill_filter(_id=store.client.client_id()) == 1
    assert sim.price("BTCUSDT").price == D("40000")
    admin.close()
    sim.close()
