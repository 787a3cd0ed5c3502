"""Order transactions on PostgreSQL that begin with their first statement (one round trip fewer).

psycopg2 opens a transaction by sending ``BEGIN`` on its own, a network round trip before the first
statement. An order is otherwise three round trips (lock and load, write, commit), so that ``BEGIN``
is a quarter of them. The order engine made here (:func:`make_order_engine`) keeps its connections
in autocommit mode, so psycopg2 sends nothing of its own, and :func:`transaction` sends ``BEGIN``
itself:

- with the order path's lock statement when that comes first: :func:`take_begin` hands
  ``sim.adapters.ledger.pg_order_path`` the ``"BEGIN; "`` to put in front of it (one simple-query
  message; PostgreSQL runs both, psycopg2 returns the lock's rows);
- otherwise just before whichever statement SQLAlchemy sends first (its own round trip, as before).

When the block ends, :func:`transaction` sends ``COMMIT``; when it raises, ``ROLLBACK``. A
transaction that failed on the server while the block went on (an error caught inside it) is rolled
back and reported, never committed. A connection still inside a transaction when it goes back to
the pool is rolled back there. The isolation level is PostgreSQL's default, READ COMMITTED, as on
the main engine; the account lock (``FOR UPDATE``) is held until the ``COMMIT``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg2.extensions import TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INERROR
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

from sim.adapters.ledger.liveness import server_closed

_PENDING = "sim_begin_pending"  # key in Connection.info: BEGIN not sent yet


class TransactionFailed(RuntimeError):
    """A statement of the transaction failed, the error was caught, and the block went on."""


def make_order_engine(engine: Engine, pool_size: int = 10) -> Engine:
    """An engine on ``engine``'s database whose connections are in autocommit mode, for
    :func:`transaction`. Its own pool (switching a shared connection in and out of autocommit costs
    more than the round trip saved): at most ``3 * pool_size`` connections, 30 by default, which
    with the main engine's 60 stays under PostgreSQL's default ``max_connections`` of 100.

    The pool's own reset on return (a psycopg2 ``rollback()``) is switched off: in autocommit mode it
    does nothing, yet under threads it gives up the GIL once more per order. The check-in hook rolls
    back a connection that is still inside a transaction instead (it asks libpq, no round trip).

    Before use, each connection is checked by :func:`drop_if_closed` (no round trip either), so an
    order never goes out on a connection the server has already closed."""
    order_engine = create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_reset_on_return=None,
        pool_size=pool_size,
        max_overflow=2 * pool_size,
        pool_recycle=1800,
        pool_timeout=60,
    )
    event.listen(order_engine, "before_cursor_execute", _begin_before_first)
    event.listen(order_engine, "checkin", _roll_back_open)
    event.listen(order_engine, "checkout", drop_if_closed)
    return order_engine


@contextmanager
def transaction(order_engine: Engine) -> Iterator[Connection]:
    """A connection of ``order_engine`` inside one transaction: committed when the block ends,
    rolled back when it raises. ``BEGIN`` goes out with the first statement."""
    with order_engine.connect() as conn:
        conn.info[_PENDING] = True
        try:
            yield conn
        except BaseException:
            _abandon(conn)
            raise
        if conn.info.pop(_PENDING, False):
            return  # nothing was sent: there is nothing to commit
        if _dbapi(conn).info.transaction_status == TRANSACTION_STATUS_INERROR:
            _finish(conn, "ROLLBACK")
            raise TransactionFailed("A statement of this transaction failed; nothing was written.")
        _finish(conn, "COMMIT")


def _abandon(conn: Connection) -> None:
    """Roll back after the block raised, without ever hiding its error: on a connection that was
    invalidated (the server dropped it), ``conn.info`` itself would raise PendingRollbackError,
    so nothing is touched; a failure of the ROLLBACK (the connection broke meanwhile) invalidates
    the connection and is dropped, and the caller sees the block's own error."""
    if conn.invalidated:
        return
    try:
        conn.info.pop(_PENDING, None)
        _finish(conn, "ROLLBACK")
    except Exception:  # _finish has invalidated the connection; the block's error matters
        if not conn.invalidated:
            conn.invalidate()


def take_begin(conn: Connection) -> str:
    """``"BEGIN; "`` when ``conn`` is in a :func:`transaction` that has sent nothing yet (the caller
    puts it in front of its statement), else ``""``."""
    return "BEGIN; " if conn.info.pop(_PENDING, False) else ""


def _dbapi(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


def _finish(conn: Connection, command: str) -> None:
    dbapi = _dbapi(conn)
    if dbapi.closed:  # the connection broke: the server has ended the transaction
        conn.invalidate()
        return
    if command == "ROLLBACK" and dbapi.info.transaction_status == TRANSACTION_STATUS_IDLE:
        return
    try:
        with dbapi.cursor() as cur:
            cur.execute(command)
    except BaseException:
        conn.invalidate()  # in an unknown state: never reuse it
        raise


def _begin_before_first(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if conn.info.pop(_PENDING, False):
        cursor.execute("BEGIN")


def _roll_back_open(dbapi_conn: Any, _record: Any) -> None:
    if dbapi_conn is None or dbapi_conn.closed:
        return
    if dbapi_conn.info.transaction_status != TRANSACTION_STATUS_IDLE:
        with dbapi_conn.cursor() as cur:
            cur.execute("ROLLBACK")


def drop_if_closed(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Pool checkout hook: a connection the server has closed is replaced by a fresh one (the pool
    retries the checkout on DisconnectionError), so the first order after a restart or a
    ``pg_terminate_backend`` goes through instead of failing."""
    if server_closed(dbapi_conn):
        raise DisconnectionError("the server closed this connection while it sat in the pool")
