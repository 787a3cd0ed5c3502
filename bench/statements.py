"""Counting the statements the simulator sends (used by bench_ledger to report round trips per buy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from sim.services import Simulator


class StatementCounter:
    """Counts what the simulator's connections send: SQL statements, commits and rollbacks.

    On PostgreSQL every cursor that either engine's connections hand out counts its executes, so the
    order path's own cursors (``sim.adapters.ledger.pg_order_path``) and the ``COMMIT`` of an order
    transaction (``pg_transactions``) are counted with SQLAlchemy's statements; a ``BEGIN; SELECT``
    message counts once. The main engine's commits and rollbacks are psycopg2 calls, counted by
    SQLAlchemy's events; psycopg2's implicit ``BEGIN`` there is not counted (orders do not use it).
    On SQLite SQLAlchemy sends every statement."""

    def __init__(self, sim: Simulator) -> None:
        self.count = 0
        engine = sim.engine
        for name in ("commit", "rollback"):
            event.listen(engine, name, self._tick)
        if engine.dialect.name != "postgresql":
            event.listen(engine, "before_cursor_execute", self._tick)
            return
        import psycopg2.extensions

        counter = self

        class CountingCursor(psycopg2.extensions.cursor):
            def execute(self, query: Any, vars: Any = None) -> None:
                counter._tick()
                super().execute(query, vars)

        def on_checkout(dbapi_conn: Any, *_: Any) -> None:
            dbapi_conn.cursor_factory = CountingCursor

        for pooled in (engine, sim.order_engine):
            event.listen(pooled, "checkout", on_checkout)

    def _tick(self, *_: Any) -> None:
        self.count += 1  # a lost increment under threads only blurs the average a little

    def reader(self) -> Callable[[], int]:
        base = self.count
        return lambda: self.count - base
