"""An in-memory ledger and its unit of work, for service tests and notebooks without a database.

:class:`InMemoryLedger` holds users, accounts, positions, orders and fills as plain namespaces
with the columns of the SQL tables (so the same views read them). :class:`InMemoryUnitOfWork`
works on a copy of the ledger under the ledger's lock (one unit of work at a time: every lock is
held to the end) and puts the copy back on commit; a rollback, or a block that raises, leaves the
ledger as it was. Assumption: a test-sized ledger (each unit of work copies it whole).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sim.domain.account import Account, Position
from sim.domain.errors import NotFound
from sim.domain.fills import limit_crossed, stop_triggered
from sim.domain.orders import RESTING, OrderType, Side
from sim.domain.records import FillRecord, OrderRecord
from sim.domain.trailing import Trail, step
from sim.domain.values import ZERO
from sim.service_layer.unit_of_work import UnitOfWork

_RESTING = {s.value for s in RESTING}


@dataclass
class Tables:
    users: dict[int, SimpleNamespace] = field(default_factory=dict)
    accounts: dict[int, SimpleNamespace] = field(default_factory=dict)
    positions: dict[tuple[int, str], SimpleNamespace] = field(default_factory=dict)
    orders: dict[int, SimpleNamespace] = field(default_factory=dict)
    fills: dict[int, SimpleNamespace] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class InMemoryLedger:
    """The committed state, shared by the units of work made by :meth:`uow`."""

    def __init__(self) -> None:
        self.tables = Tables()
        self.lock = threading.RLock()
        self.account_locked = False  # an account row is locked by the open unit of work

    def add_user(self, username: str, starting_cash: Decimal, now: datetime) -> int:
        """A user with one active account of ``starting_cash``; returns the user id."""
        with self.lock:
            t = self.tables
            uid = t.new_id()
            t.users[uid] = SimpleNamespace(
                id=uid,
                username=username,
                display_name=username,
                created_at=now,
                maker_fee=None,
                taker_fee=None,
                slippage_bps=None,
                owner_id=None,
                language=None,
            )
            _open(t, uid, starting_cash, now)
            return uid

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)


def _open(t: Tables, user_id: int, cash: Decimal, now: datetime) -> None:
    aid = t.new_id()
    t.accounts[aid] = SimpleNamespace(
        id=aid,
        user_id=user_id,
        label="main",
        active=True,
        starting_cash=cash,
        cash_free=cash,
        cash_locked=ZERO,
        created_at=now,
        closed_at=None,
        trade_from=None,
        trade_until=None,
        symbols=None,
    )


class InMemoryUnitOfWork(UnitOfWork):
    """One transaction on an :class:`InMemoryLedger` (see the module docstring)."""

    def __init__(self, ledger: InMemoryLedger) -> None:
        super().__init__()
        self.ledger = ledger
        self.t = ledger.tables
        self.committed = False

    def __enter__(self) -> InMemoryUnitOfWork:
        self.ledger.lock.acquire()
        self.t = copy.deepcopy(self.ledger.tables)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            self.ledger.account_locked = False
            self.ledger.lock.release()

    def commit(self) -> None:
        self.ledger.tables = self.t
        self.committed = True

    def rollback(self) -> None:
        self.t = self.ledger.tables

    # --- accounts ---
    def _with_costs(self, acct: SimpleNamespace) -> SimpleNamespace:
        user = self.t.users[acct.user_id]
        costs = {k: getattr(user, k) for k in ("maker_fee", "taker_fee", "slippage_bps")}
        return SimpleNamespace(**vars(acct), **costs)

    def lock_and_load(self, user_id: int, symbols: Sequence[str]) -> tuple[Any, Account]:
        acct = self.lock_active_account(user_id)
        return acct, self.load_account(acct, symbols)

    def lock_active_account(self, user_id: int) -> Any:
        self.ledger.account_locked = True
        return self._with_costs(self.active_account(user_id))

    def lock_account(self, account_id: int) -> Any | None:
        self.ledger.account_locked = True
        acct = self.t.accounts.get(account_id)
        return self._with_costs(acct) if acct is not None else None

    def active_account(self, user_id: int) -> Any:
        for a in self.t.accounts.values():
            if a.user_id == user_id and a.active:
                return a
        raise NotFound.of("account.none_active", user=user_id)

    def account_ids(self, user_id: int) -> list[int]:
        return [a.id for a in self.accounts_of(user_id)]

    def accounts_of(self, user_id: int) -> list[Any]:
        return sorted((a for a in self.t.accounts.values() if a.user_id == user_id), key=lambda a: a.id)

    def user_row(self, user_id: int) -> Any:
        if user_id not in self.t.users:
            raise NotFound.of("user.none", user=user_id)
        return self.t.users[user_id]

    def load_account(self, account: Any, symbols: Iterable[str] | None = None) -> Account:
        wanted = None if symbols is None else set(symbols)
        held = {
            sym: Position(sym, p.qty_free, p.qty_locked, p.cost_basis, p.realized_pnl, p.fees_paid)
            for (aid, sym), p in self.t.positions.items()
            if aid == account.id and (wanted is None or sym in wanted)
        }
        row = self.t.accounts[account.id]
        return Account(row.cash_free, row.cash_locked, held)

    def save_account(self, account_id: int, account: Account, now: datetime) -> None:
        row = self.t.accounts[account_id]
        row.cash_free, row.cash_locked = account.cash_free, account.cash_locked
        for pos in account.positions.values():
            self.t.positions[(account_id, pos.symbol)] = SimpleNamespace(
                account_id=account_id, **_fields(pos), updated_at=now
            )

    def archive_account(self, user_id: int, account_id: int, now: datetime, label: str | None) -> None:
        row = self.t.accounts[account_id]
        count = len(self.account_ids(user_id))
        row.active, row.closed_at = False, now
        row.label = (label or f"run {count} (until {now:%Y-%m-%d %H:%M})")[:64]

    def open_account(self, user_id: int, starting_cash: Decimal, now: datetime) -> None:
        _open(self.t, user_id, starting_cash, now)

    # --- orders and fills ---
    def order_by_client_id(self, account_id: int, client_order_id: str) -> Any | None:
        for o in self.t.orders.values():
            if o.account_id == account_id and o.client_order_id == client_order_id:
                return o
        return None

    def get_order(self, order_id: int) -> Any | None:
        return self.t.orders.get(order_id)

    def resting_orders(self, account_id: int) -> list[Any]:
        return [o for o in self.t.orders.values() if o.account_id == account_id and o.status in _RESTING]

    def list_orders(
        self,
        account_id: int,
        statuses: Sequence[str] | None = None,
        limit: int | None = None,
        before_id: int | None = None,
    ) -> list[Any]:
        rows = [
            o
            for o in sorted(self.t.orders.values(), key=lambda o: -o.id)
            if o.account_id == account_id
            and (not statuses or o.status in statuses)
            and (before_id is None or o.id < before_id)
        ]
        return rows[:limit] if limit is not None else rows

    def list_fills(
        self,
        account_ids: Sequence[int],
        limit: int | None = None,
        after: tuple[datetime, int] | None = None,
        newest_first: bool = False,
    ) -> list[Any]:
        rows = sorted(
            (f for f in self.t.fills.values() if f.account_id in account_ids),
            key=lambda f: (f.created_at, f.id),
            reverse=newest_first,
        )
        if after is not None:
            rows = [
                f
                for f in rows
                if ((f.created_at, f.id) < after if newest_first else (f.created_at, f.id) > after)
            ]
        return rows[:limit] if limit is not None else rows

    def siblings(self, list_id: str, order_id: int) -> list[Any]:
        return [
            o
            for o in self.t.orders.values()
            if o.list_id == list_id and o.id != order_id and o.status in _RESTING
        ]

    def write_order(
        self,
        order: OrderRecord,
        fills: Sequence[FillRecord],
        account_id: int,
        account: Account | None,
        now: datetime,
    ) -> tuple[Any, list[Any]]:
        oid = self.t.new_id()
        row = SimpleNamespace(id=oid, notified=True, **order.row())
        self.t.orders[oid] = row
        fill_rows = [self.insert_transaction(order_id=oid, **f.row()) for f in fills]
        if account is not None:
            self.save_account(account_id, account, now)
        return row, fill_rows

    def update_order(self, order_id: int, **values: Any) -> None:
        vars(self.t.orders[order_id]).update(values)

    def insert_transaction(self, **values: Any) -> Any:
        fid = self.t.new_id()
        self.t.fills[fid] = SimpleNamespace(id=fid, **values)
        return self.t.fills[fid]

    def order_fills(self, order_id: int) -> list[Any]:
        return [f for f in self.t.fills.values() if f.order_id == order_id]

    def crossed_orders(self, symbol: str, price: Decimal, until: datetime) -> list[Any]:
        found = []
        for o in sorted(self.t.orders.values(), key=lambda o: o.id):
            if o.symbol != symbol or o.status not in _RESTING or o.created_at > until:
                continue
            acct = self.t.accounts[o.account_id]
            if acct.trade_until is not None and until >= acct.trade_until:
                continue  # a competition entry after its season's end
            side, kind = Side(o.side), OrderType(o.type)
            if kind is OrderType.LIMIT:
                crossed = limit_crossed(side, o.price, price)
            elif kind is OrderType.TRAILING_STOP:  # it triggers, or starts or moves its extreme
                trail = Trail(side, o.trailing_delta, o.stop_price, o.trail_extreme)
                moved, fired = step(trail, price)
                crossed = fired or moved != trail
            else:
                crossed = stop_triggered(kind, side, o.stop_price, price)
            if crossed:
                found.append(SimpleNamespace(id=o.id, account_id=o.account_id))
        return found

    def take_unseen(self, account_id: int) -> list[Any]:
        rows = [o for o in self.t.orders.values() if o.account_id == account_id and not o.notified]
        for o in rows:
            o.notified = True
        return [copy.copy(o) for o in rows]

    def last_activity(self) -> datetime | None:
        return max((o.updated_at for o in self.t.orders.values()), default=None)


def _fields(pos: Position) -> dict[str, Any]:
    return {
        "symbol": pos.symbol,
        "qty_free": pos.qty_free,
        "qty_locked": pos.qty_locked,
        "cost_basis": pos.cost_basis,
        "realized_pnl": pos.realized_pnl,
        "fees_paid": pos.fees_paid,
    }


__all__ = ["InMemoryLedger", "InMemoryUnitOfWork"]
