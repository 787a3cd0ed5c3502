"""Pages of a user's orders and fills: a limit, an opaque cursor, and whether there is more.

    page = sim.orders_page(uid, limit=100)
    while page.has_more:
        page = sim.orders_page(uid, limit=100, cursor=page.next_cursor)

Assumptions:
- Keyset pagination, not offsets: a cursor names the last row of the page it came from (orders:
  the id, newest first; fills: the time and id), so rows written between two calls neither repeat
  nor go missing among the ones already paged through.
- A cursor is text made here and only meaningful to the same listing; anything else is refused
  with InvalidInput (never a database error).
- ``limit`` is 1 to :data:`MAX_LIMIT` for a page; the full lists (:func:`all_orders`,
  :func:`all_trades`) have no ceiling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, TypeVar

import pandas as pd

from sim.domain.errors import InvalidInput
from sim.domain.orders import RESTING, OrderStatus
from sim.service_layer.unit_of_work import UnitOfWork
from sim.views import FillView, OrderView, fill_from_row, fills_frame

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext as Simulator

T = TypeVar("T")
MAX_LIMIT = 1000
_ORDER_CURSOR = re.compile(r"o_([0-9]{1,10})", re.ASCII)
_FILL_CURSOR = re.compile(r"f_([ad])_([0-9T:.+\-]{19,40})_([0-9]{1,10})", re.ASCII)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: ``items``, and ``next_cursor`` to pass for the next page (None on the last)."""

    items: list[T]
    next_cursor: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.of("page.limit_range", most=MAX_LIMIT, value=limit)
    return limit


def _statuses(status: str | None) -> list[str] | None:
    if status is None:
        return None
    if not isinstance(status, str):
        raise InvalidInput.of("page.status_not_text", value=status)
    if status.lower() == "open":
        return [s.value for s in RESTING]
    try:
        return [OrderStatus(status.upper()).value]
    except ValueError:
        allowed = ", ".join(["open", *(s.value.lower() for s in OrderStatus)])
        raise InvalidInput.of("page.status_unknown", names=allowed, value=status) from None


def orders_page(
    sim: Simulator, user_id: int, status: str | None, limit: int, cursor: str | None
) -> Page[OrderView]:
    """The active account's orders, newest first, ``limit`` at a time (see :class:`Page`)."""
    statuses, size = _statuses(status), check_limit(limit)
    before = None
    if cursor is not None:
        found = _ORDER_CURSOR.fullmatch(cursor) if isinstance(cursor, str) else None
        if found is None:
            raise _bad_cursor(cursor)
        before = int(found.group(1))
    with sim.reading() as uow:
        rows = uow.list_orders(uow.active_account(user_id).id, statuses, size + 1, before)
    items = [OrderView.from_row(r) for r in rows[:size]]
    more = len(rows) > size
    return Page(items, f"o_{items[-1].id}" if more else None)


def all_orders(sim: Simulator, user_id: int, status: str | None, limit: int | None) -> list[OrderView]:
    """Every order (or the newest ``limit``), newest first, in one query (one snapshot)."""
    statuses = _statuses(status)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidInput.of("page.limit_positive", value=limit)
    with sim.reading() as uow:
        rows = uow.list_orders(uow.active_account(user_id).id, statuses, limit)
    return [OrderView.from_row(r) for r in rows]


def trades_page(
    sim: Simulator,
    user_id: int,
    limit: int,
    cursor: str | None,
    all_accounts: bool,
    newest_first: bool,
) -> Page[FillView]:
    """The user's fills ordered by time, oldest first (or newest first), ``limit`` at a time."""
    size = check_limit(limit)
    direction = "d" if newest_first else "a"
    after = None
    if cursor is not None:
        found = _FILL_CURSOR.fullmatch(cursor) if isinstance(cursor, str) else None
        if found is None or found.group(1) != direction:
            raise _bad_cursor(cursor)
        try:
            after = (datetime.fromisoformat(found.group(2)), int(found.group(3)))
        except ValueError:
            raise _bad_cursor(cursor) from None
    with sim.reading() as uow:
        rows = uow.list_fills(_account_ids(uow, user_id, all_accounts), size + 1, after, newest_first)
    items = [fill_from_row(r) for r in rows[:size]]
    more = len(rows) > size
    last = items[-1] if items else None
    return Page(items, f"f_{direction}_{last.time.isoformat()}_{last.id}" if more and last else None)


def all_trades(sim: Simulator, user_id: int, all_accounts: bool) -> list[FillView]:
    """Every fill, oldest first, in one query (one snapshot)."""
    with sim.reading() as uow:
        rows = uow.list_fills(_account_ids(uow, user_id, all_accounts))
    return [fill_from_row(r) for r in rows]


def trades_frame(sim: Simulator, user_id: int) -> pd.DataFrame:
    """The active account's fills as a DataFrame (floats for charts)."""
    return fills_frame(all_trades(sim, user_id, False))


def _account_ids(uow: UnitOfWork, user_id: int, all_accounts: bool) -> Sequence[int]:
    if all_accounts:
        return uow.account_ids(user_id)
    return [uow.active_account(user_id).id]


def _bad_cursor(cursor: object) -> InvalidInput:
    shown = repr(cursor) if len(repr(cursor)) <= 60 else type(cursor).__name__
    return InvalidInput.of("page.bad_cursor", shown=shown)
