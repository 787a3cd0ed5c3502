"""The SQLAlchemy unit of work: :class:`~sim.service_layer.unit_of_work.UnitOfWork` on one connection.

Three kinds, all over :mod:`sim.adapters.ledger.repository`:

- ``write``: one transaction, committed when the block ends. On PostgreSQL it runs on the order
  engine's autocommit connections through :func:`~sim.adapters.ledger.pg_transactions.transaction`,
  so an order stays three round trips (lock and load with ``BEGIN``, write, ``COMMIT``); elsewhere
  ``engine.begin()``.
- ``dry_run``: a transaction that is always rolled back (order previews).
- ``read``: a plain connection for reads; nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Connection, Engine

from sim.adapters.ledger import crossing, queries
from sim.adapters.ledger import repository as repo
from sim.adapters.ledger.pg_transactions import transaction
from sim.domain.account import Account
from sim.domain.records import FillRecord, OrderRecord
from sim.service_layer.unit_of_work import UnitOfWork

Mode = Literal["write", "dry_run", "read"]


class SqlUnitOfWork(UnitOfWork):
    """One connection of ``engine`` (or of ``order_engine`` for writes on PostgreSQL)."""

    def __init__(self, engine: Engine, order_engine: Engine | None = None, mode: Mode = "write") -> None:
        super().__init__()
        self.engine, self.order_engine, self.mode = engine, order_engine, mode
        self._cm: AbstractContextManager[Connection] | None = None
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        assert self._conn is not None, "use the unit of work in a with block"
        return self._conn

    def __enter__(self) -> SqlUnitOfWork:
        cm: AbstractContextManager[Connection]
        if self.mode == "write":
            cm = self.engine.begin() if self.order_engine is None else transaction(self.order_engine)
        else:
            cm = self.engine.connect()
        self._conn = cm.__enter__()
        self._cm = cm
        if self.mode == "dry_run":
            self._dry = self._conn.begin()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        cm, self._cm, self._conn = self._cm, None, None
        try:
            if self.mode == "dry_run":
                self._dry.rollback()
        finally:
            if cm is not None:
                cm.__exit__(exc_type, exc, tb)  # commits a write, or rolls back on error

    def commit(self) -> None:
        """Done by the ``with`` block's end (the transaction's own context manager)."""

    def rollback(self) -> None:
        """Done by the ``with`` block's end when it raises."""

    def lock_and_load(self, user_id: int, symbols: Sequence[str]) -> tuple[Any, Account]:
        return repo.lock_and_load(self.conn, user_id, symbols)

    def lock_active_account(self, user_id: int) -> Any:
        return repo.lock_active_account(self.conn, user_id)

    def lock_account(self, account_id: int) -> Any | None:
        return repo.lock_account(self.conn, account_id)

    def active_account(self, user_id: int) -> Any:
        return repo.active_account(self.conn, user_id)

    def account_ids(self, user_id: int) -> list[int]:
        return repo.account_ids(self.conn, user_id)

    def accounts_of(self, user_id: int) -> list[Any]:
        return queries.accounts_of(self.conn, user_id)

    def user_row(self, user_id: int) -> Any:
        return repo.user_row(self.conn, user_id)

    def load_account(self, account: Any, symbols: Iterable[str] | None = None) -> Account:
        return repo.load_account(self.conn, account, symbols)

    def save_account(self, account_id: int, account: Account, now: datetime) -> None:
        repo.save_account(self.conn, account_id, account, now)

    def archive_account(self, user_id: int, account_id: int, now: datetime, label: str | None) -> None:
        repo.archive_account(self.conn, user_id, account_id, now, label)

    def open_account(self, user_id: int, starting_cash: Decimal, now: datetime) -> None:
        repo.open_account(self.conn, user_id, starting_cash, now)

    def order_by_client_id(self, account_id: int, client_order_id: str) -> Any | None:
        return repo.order_by_client_id(self.conn, account_id, client_order_id)

    def get_order(self, order_id: int) -> Any | None:
        return repo.get_order(self.conn, order_id)

    def resting_orders(self, account_id: int) -> list[Any]:
        return repo.list_orders(self.conn, account_id, repo.RESTING_VALUES)

    def list_orders(
        self,
        account_id: int,
        statuses: Sequence[str] | None = None,
        limit: int | None = None,
        before_id: int | None = None,
    ) -> list[Any]:
        return repo.list_orders(self.conn, account_id, statuses, limit, before_id)

    def list_fills(
        self,
        account_ids: Sequence[int],
        limit: int | None = None,
        after: tuple[datetime, int] | None = None,
        newest_first: bool = False,
    ) -> list[Any]:
        return repo.list_transactions(self.conn, account_ids, limit, after, newest_first)

    def siblings(self, list_id: str, order_id: int) -> list[Any]:
        return repo.siblings(self.conn, list_id, order_id)

    def write_order(
        self,
        order: OrderRecord,
        fills: Sequence[FillRecord],
        account_id: int,
        account: Account | None,
        now: datetime,
    ) -> tuple[Any, list[Any]]:
        rows = [f.row() for f in fills]
        return repo.write_order(self.conn, order.row(), rows, account_id, account, now)

    def update_order(self, order_id: int, **values: Any) -> None:
        repo.update_order(self.conn, order_id, **values)

    def insert_transaction(self, **values: Any) -> Any:
        return repo.insert_transaction(self.conn, **values)

    def order_fills(self, order_id: int) -> list[Any]:
        return repo.order_fills(self.conn, order_id)

    def crossed_orders(self, symbol: str, price: Decimal, until: datetime) -> list[Any]:
        return crossing.crossed_orders(self.conn, symbol, price, until)

    def take_unseen(self, account_id: int) -> list[Any]:
        return queries.take_unseen(self.conn, account_id)

    def last_activity(self) -> datetime | None:
        return queries.last_order_change(self.conn)
