"""The unit-of-work port: one ledger transaction and the repository operations the use cases need.

``with uow:`` commits when the block ends normally and rolls back when it raises, so a refusal
(a :class:`~sim.domain.errors.SimError`) changes nothing. The events the use case collected in
``uow.events`` are for the caller to publish once the block has committed (see
:meth:`sim.service_layer.context.ServiceContext.publish`).

Rows are read by attribute (``row.id``, ``row.status``, ...): the SQLAlchemy unit of work
(:mod:`sim.adapters.ledger.unit_of_work`) hands out its rows, the in-memory one
(:mod:`sim.service_layer.memory_uow`) plain namespaces with the same columns. Assumption: every
locking operation holds its lock until the end of the block.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any

from sim.domain.account import Account
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.records import FillRecord, OrderRecord


class UnitOfWork(ABC):
    """One transaction on the ledger (see the module docstring)."""

    def __init__(self) -> None:
        self.events: list[OrderEvent | FillEvent] = []
        # rows this transaction wrote, as written: answers are built without reading them back
        self.written_orders: dict[int, Any] = {}
        self.written_fills: dict[int, list[Any]] = {}

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    # --- accounts ---
    @abstractmethod
    def lock_and_load(self, user_id: int, symbols: Sequence[str]) -> tuple[Any, Account]:
        """Lock the user's active account (with their cost preferences) and load ``symbols``."""

    @abstractmethod
    def lock_active_account(self, user_id: int) -> Any: ...

    @abstractmethod
    def lock_account(self, account_id: int) -> Any | None: ...

    @abstractmethod
    def active_account(self, user_id: int) -> Any: ...

    @abstractmethod
    def account_ids(self, user_id: int) -> list[int]: ...

    @abstractmethod
    def accounts_of(self, user_id: int) -> list[Any]: ...

    @abstractmethod
    def user_row(self, user_id: int) -> Any: ...

    @abstractmethod
    def load_account(self, account: Any, symbols: Iterable[str] | None = None) -> Account: ...

    @abstractmethod
    def save_account(self, account_id: int, account: Account, now: datetime) -> None: ...

    @abstractmethod
    def archive_account(self, user_id: int, account_id: int, now: datetime, label: str | None) -> None:
        """Mark the account inactive, closed at ``now``, labelled (default "run N (until ...)")."""

    @abstractmethod
    def open_account(self, user_id: int, starting_cash: Decimal, now: datetime) -> None:
        """The user's new active account, "main", with ``starting_cash`` free."""

    # --- orders and fills ---
    @abstractmethod
    def order_by_client_id(self, account_id: int, client_order_id: str) -> Any | None: ...

    @abstractmethod
    def get_order(self, order_id: int) -> Any | None: ...

    @abstractmethod
    def resting_orders(self, account_id: int) -> list[Any]: ...

    @abstractmethod
    def list_orders(
        self,
        account_id: int,
        statuses: Sequence[str] | None = None,
        limit: int | None = None,
        before_id: int | None = None,
    ) -> list[Any]:
        """The account's orders, newest (highest id) first: all, or ``limit`` below ``before_id``."""

    @abstractmethod
    def list_fills(
        self,
        account_ids: Sequence[int],
        limit: int | None = None,
        after: tuple[datetime, int] | None = None,
        newest_first: bool = False,
    ) -> list[Any]:
        """Fills by (time, id), oldest first unless ``newest_first``, after the (time, id) ``after``."""

    @abstractmethod
    def siblings(self, list_id: str, order_id: int) -> list[Any]: ...

    @abstractmethod
    def write_order(
        self,
        order: OrderRecord,
        fills: Sequence[FillRecord],
        account_id: int,
        account: Account | None,
        now: datetime,
    ) -> tuple[Any, list[Any]]:
        """Insert an order and its fills (and write ``account`` back when given); the rows as written."""

    @abstractmethod
    def update_order(self, order_id: int, **values: Any) -> None: ...

    @abstractmethod
    def insert_transaction(self, **values: Any) -> Any: ...

    @abstractmethod
    def order_fills(self, order_id: int) -> list[Any]: ...

    @abstractmethod
    def crossed_orders(self, symbol: str, price: Decimal, until: datetime) -> list[Any]:
        """Resting orders of ``symbol`` a trade at ``price`` crosses, created by ``until``."""

    @abstractmethod
    def take_unseen(self, account_id: int) -> list[Any]:
        """Orders of the account the user has not been told about yet, now marked seen."""

    @abstractmethod
    def last_activity(self) -> datetime | None:
        """When an order last changed, or None for an empty ledger."""
