"""Reading and writing ledger rows on one open connection (the unit of work is the transaction).

Every write path first calls :func:`lock_active_account`, which locks the user's active account row
(``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock), so the
checks that follow (free cash, free quantity, client order id) cannot be raced.

The statements on the order path are built once, with bound parameters, and executed with a
parameter dict: SQLAlchemy then reuses their compiled form instead of rebuilding and re-keying a
statement per call (most of an order's CPU time otherwise). On PostgreSQL the order path's two
statements (lock and load, write) live in :mod:`pg_order_path` and run on the transaction's
psycopg2 connection; order transactions there begin and end as :mod:`pg_transactions` says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, or_, select, update

from sim.adapters.ledger import pg_order_path, pg_transactions
from sim.adapters.ledger.tables import accounts, orders, positions, transactions, users
from sim.adapters.ledger.types import Exact
from sim.domain.account import Account, Position
from sim.domain.errors import NotFound, ServiceUnavailable
from sim.domain.orders import RESTING

RESTING_VALUES = [s.value for s in RESTING]


# the account row plus the owner's cost preferences, locked (the user row is only read)
_LOCKED_ACCOUNT = select(accounts, users.c.maker_fee, users.c.taker_fee, users.c.slippage_bps).join(
    users, users.c.id == accounts.c.user_id
)
_LOCK_ACTIVE = _LOCKED_ACCOUNT.where(
    accounts.c.user_id == bindparam("user_id_"), accounts.c.active.is_(True)
).with_for_update(of=accounts)
_LOCK_BY_ID = _LOCKED_ACCOUNT.where(accounts.c.id == bindparam("account_id_")).with_for_update(of=accounts)
_HAS_ACTIVE = select(accounts.c.id).where(
    accounts.c.user_id == bindparam("user_id_"), accounts.c.active.is_(True)
)
RESET_RACE_RETRIES = 50  # each retry follows a reset that committed meanwhile
_POSITIONS_OF = select(positions).where(positions.c.account_id == bindparam("account_id_"))
_POSITIONS_IN = _POSITIONS_OF.where(positions.c.symbol.in_(bindparam("symbols_", expanding=True)))
_SET_CASH = (
    update(accounts)
    .where(accounts.c.id == bindparam("account_id_"))
    .values(
        cash_free=bindparam("cash_free_", type_=Exact()), cash_locked=bindparam("cash_locked_", type_=Exact())
    )
)
_INSERT_ORDER = insert(orders).returning(*orders.c)  # the written row, so nothing is read back
_UPDATE_ORDER = update(orders).where(orders.c.id == bindparam("order_id_"))
_INSERT_TRANSACTION = insert(transactions).returning(*transactions.c)
_GET_ORDER = select(orders).where(orders.c.id == bindparam("order_id_"))
_ORDER_BY_CLIENT_ID = select(orders).where(
    orders.c.account_id == bindparam("account_id_"), orders.c.client_order_id == bindparam("client_id_")
)
_ORDER_FILLS = (
    select(transactions).where(transactions.c.order_id == bindparam("order_id_")).order_by(transactions.c.id)
)
_POSITION_FIELDS = ("qty_free", "qty_locked", "cost_basis", "realized_pnl", "fees_paid", "updated_at")
_UPSERTS: dict[str, Any] = {}


def lock_active_account(conn: Connection, user_id: int) -> Row[Any]:
    """The user's active account, locked for this transaction, with their fee preferences.

    Looked up again when a reset archived the account while this transaction waited for its lock
    (see :func:`_raced_by_reset`), so the caller lands in the new account."""
    for _ in range(RESET_RACE_RETRIES):
        row = conn.execute(_LOCK_ACTIVE, {"user_id_": user_id}).first()
        if row is not None:
            return row
        _raced_by_reset(conn, user_id)
    raise _busy()


def lock_and_load(conn: Connection, user_id: int, symbols: Sequence[str]) -> tuple[Any, Account]:
    """Lock the user's active account (as :func:`lock_active_account`) and load it with ``symbols``.

    On PostgreSQL one round trip: the ``ledger_lock_active_account`` function (migration 0002)
    locks, then reads the positions in a fresh snapshot; in a :func:`pg_transactions.transaction`
    that has sent nothing yet, its ``BEGIN`` goes in the same message. Elsewhere the lock, then the
    read.
    """
    if conn.dialect.name != "postgresql":
        acct = lock_active_account(conn, user_id)
        return acct, load_account(conn, acct, symbols)
    begin = pg_transactions.take_begin(conn)
    dbapi = conn.connection.dbapi_connection
    for _ in range(RESET_RACE_RETRIES):
        locked = pg_order_path.lock_and_load(dbapi, user_id, symbols, begin)
        if locked is not None:
            return locked  # the hot path: one round trip, BEGIN included
        _raced_by_reset(conn, user_id)
        begin = ""
    raise _busy()


def _raced_by_reset(conn: Connection, user_id: int) -> None:
    """After a locking lookup found no active account: NotFound when the user really has none;
    otherwise return, and the caller looks again.

    Why a lookup can miss: under READ COMMITTED, a ``SELECT ... FOR UPDATE`` that waited on the
    account row while a reset archived it re-checks that row, finds it inactive and returns
    nothing; the new account is not in its snapshot. A new statement takes a new snapshot and sees
    it. Each miss means another reset committed meanwhile, so the retries end."""
    found = conn.execute(_HAS_ACTIVE, {"user_id_": user_id}).first()
    if found is None:
        raise NotFound.of("account.none_active", user=user_id)


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable("The account is being reset by many requests at once; try again.")


def lock_account(conn: Connection, account_id: int) -> Row[Any] | None:
    return conn.execute(_LOCK_BY_ID, {"account_id_": account_id}).first()


def active_account(conn: Connection, user_id: int) -> Row[Any]:
    stmt = select(accounts).where(accounts.c.user_id == user_id, accounts.c.active.is_(True))
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFound.of("account.none_active", user=user_id)
    return row


def account_ids(conn: Connection, user_id: int) -> list[int]:
    """Every account of the user (active and archived), oldest first."""
    return [
        r.id
        for r in conn.execute(
            select(accounts.c.id).where(accounts.c.user_id == user_id).order_by(accounts.c.id)
        )
    ]


def user_row(conn: Connection, user_id: int) -> Row[Any]:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound.of("user.none", user=user_id)
    return row


def load_account(conn: Connection, account: Row[Any], symbols: Iterable[str] | None = None) -> Account:
    """The domain Account for ``account``, with the positions of ``symbols`` (all when None).

    Read *after* the account lock is held, in its own statement: on PostgreSQL (READ COMMITTED) a
    position joined into the locking query would come from the snapshot taken before the wait, so a
    buyer that waited for the lock would overwrite the position the previous buyer had just written
    (the 50-thread test catches exactly that).
    """
    if symbols is None:
        rows = conn.execute(_POSITIONS_OF, {"account_id_": account.id})
    else:
        rows = conn.execute(_POSITIONS_IN, {"account_id_": account.id, "symbols_": list(symbols)})
    return Account(account.cash_free, account.cash_locked, _positions(rows))


def _positions(rows: Iterable[Any]) -> dict[str, Position]:
    return {
        r.symbol: Position(r.symbol, r.qty_free, r.qty_locked, r.cost_basis, r.realized_pnl, r.fees_paid)
        for r in rows
    }


def save_account(conn: Connection, account_id: int, account: Account, now: datetime) -> None:
    """Write the account's cash and every loaded position back (upserted: new ones inserted)."""
    conn.execute(
        _SET_CASH,
        {"account_id_": account_id, "cash_free_": account.cash_free, "cash_locked_": account.cash_locked},
    )
    upsert = _position_upsert(conn)
    for pos in account.positions.values():
        conn.execute(upsert, _position_row(account_id, pos, now))


def _position_row(account_id: int, pos: Position, now: datetime) -> dict[str, Any]:
    return dict(
        account_id=account_id,
        symbol=pos.symbol,
        qty_free=pos.qty_free,
        qty_locked=pos.qty_locked,
        cost_basis=pos.cost_basis,
        realized_pnl=pos.realized_pnl,
        fees_paid=pos.fees_paid,
        updated_at=now,
    )


def _position_upsert(conn: Connection) -> Any:
    """INSERT ... ON CONFLICT (account_id, symbol) DO UPDATE, in the connection's dialect (built once)."""
    name = conn.dialect.name
    if name not in _UPSERTS:
        from sqlalchemy.dialects import postgresql, sqlite

        stmt: Any = (postgresql.insert if name == "postgresql" else sqlite.insert)(positions)
        _UPSERTS[name] = stmt.on_conflict_do_update(
            index_elements=["account_id", "symbol"],
            set_={f: getattr(stmt.excluded, f) for f in _POSITION_FIELDS},
        )
    return _UPSERTS[name]


def write_order(
    conn: Connection,
    order: dict[str, Any],
    fills: list[dict[str, Any]],
    account_id: int,
    account: Account | None,
    now: datetime,
) -> tuple[Any, list[Any]]:
    """Insert ``order`` and its ``fills`` and, when given, write ``account`` back; return them as written.

    On PostgreSQL this is one statement (see :func:`_write_order_pg`): with the lock and positions
    read (:func:`lock_and_load`), a market order is two statements and the commit. Elsewhere each
    row is its own statement, returning the row written.
    """
    if conn.dialect.name == "postgresql":
        return _write_order_pg(conn, order, fills, account_id, account, now)
    row = insert_order(conn, **order)
    fill_rows = [insert_transaction(conn, order_id=row.id, **f) for f in fills]
    if account is not None:
        save_account(conn, account_id, account, now)
    return row, fill_rows


def _write_order_pg(
    conn: Connection,
    order: dict[str, Any],
    fills: list[dict[str, Any]],
    account_id: int,
    account: Account | None,
    now: datetime,
) -> tuple[Any, list[Any]]:
    """:func:`pg_order_path.write_order`, answered from the values sent plus the ids PostgreSQL assigned.

    Every value is a Decimal already on the 8-decimal grid ``NUMERIC(38, 8)`` stores (or text, or a
    UTC time), so it is exactly what the row holds; ``notified`` takes its column default (true).
    """
    cash, held = None, []
    if account is not None:
        cash = {"account_id": account_id, "cash_free": account.cash_free, "cash_locked": account.cash_locked}
        held = [_position_row(account_id, pos, now) for pos in account.positions.values()]
    order_id, fill_ids = pg_order_path.write_order(conn.connection.dbapi_connection, order, fills, cash, held)
    row = SimpleNamespace(id=order_id, notified=True, **order)
    return row, [SimpleNamespace(id=i, order_id=order_id, **f) for i, f in zip(fill_ids, fills, strict=True)]


def insert_order(conn: Connection, **values: Any) -> Row[Any]:
    """Insert an order; returns the row as written (with its id)."""
    return conn.execute(_INSERT_ORDER, values).one()


def update_order(conn: Connection, order_id: int, **values: Any) -> None:
    conn.execute(_UPDATE_ORDER, {"order_id_": order_id, **values})


def insert_transaction(conn: Connection, **values: Any) -> Row[Any]:
    """Insert one fill; returns the row as written."""
    return conn.execute(_INSERT_TRANSACTION, values).one()


def order_by_client_id(conn: Connection, account_id: int, client_order_id: str) -> Row[Any] | None:
    return conn.execute(
        _ORDER_BY_CLIENT_ID, {"account_id_": account_id, "client_id_": client_order_id}
    ).first()


def get_order(conn: Connection, order_id: int) -> Row[Any] | None:
    return conn.execute(_GET_ORDER, {"order_id_": order_id}).first()


def list_orders(
    conn: Connection,
    account_id: int,
    statuses: Sequence[str] | None = None,
    limit: int | None = None,
    before_id: int | None = None,
) -> list[Row[Any]]:
    """The account's orders, newest (highest id) first: all, or ``limit`` of them below ``before_id``."""
    stmt = select(orders).where(orders.c.account_id == account_id)
    if statuses:
        stmt = stmt.where(orders.c.status.in_(list(statuses)))
    if before_id is not None:
        stmt = stmt.where(orders.c.id < before_id)
    return list(conn.execute(stmt.order_by(orders.c.id.desc()).limit(limit)))


def list_transactions(
    conn: Connection,
    account_id: int | Sequence[int],
    limit: int | None = None,
    after: tuple[datetime, int] | None = None,
    newest_first: bool = False,
) -> list[Row[Any]]:
    """Fills ordered by (time, id), oldest first unless ``newest_first``; ``after`` is the
    (time, id) of the last fill of the previous page (the rows following it in that order)."""
    ids = [account_id] if isinstance(account_id, int) else list(account_id)
    t = transactions.c
    stmt = select(transactions).where(t.account_id.in_(ids))
    if after is not None:
        time, last_id = after
        if newest_first:
            stmt = stmt.where(or_(t.created_at < time, and_(t.created_at == time, t.id < last_id)))
        else:
            stmt = stmt.where(or_(t.created_at > time, and_(t.created_at == time, t.id > last_id)))
    order = (t.created_at.desc(), t.id.desc()) if newest_first else (t.created_at, t.id)
    return list(conn.execute(stmt.order_by(*order).limit(limit)))


def order_fills(conn: Connection, order_id: int) -> list[Row[Any]]:
    return list(conn.execute(_ORDER_FILLS, {"order_id_": order_id}))


def last_event_time(conn: Connection) -> datetime | None:
    """The newest market time written to the ledger (an order's change or a fill), or None."""
    newest = [
        conn.execute(select(func.max(orders.c.updated_at))).scalar(),
        conn.execute(select(func.max(transactions.c.created_at))).scalar(),
    ]
    return max((t for t in newest if t is not None), default=None)


def siblings(conn: Connection, list_id: str, order_id: int) -> list[Row[Any]]:
    stmt = select(orders).where(
        orders.c.list_id == list_id, orders.c.id != order_id, orders.c.status.in_(RESTING_VALUES)
    )
    return list(conn.execute(stmt))


def archive_account(
    conn: Connection, user_id: int, account_id: int, now: datetime, label: str | None
) -> None:
    """Mark the account inactive, closed at ``now`` and labelled (default "run N (until ...)")."""
    count = len(account_ids(conn, user_id))
    name = (label or f"run {count} (until {now:%Y-%m-%d %H:%M})")[:64]
    conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(active=False, closed_at=now, label=name)
    )


def open_account(conn: Connection, user_id: int, starting_cash: Decimal, now: datetime) -> None:
    """Insert the user's new active account, "main", with ``starting_cash`` free."""
    conn.execute(
        accounts.insert().values(
            user_id=user_id,
            label="main",
            active=True,
            starting_cash=starting_cash,
            cash_free=starting_cash,
            cash_locked=0,
            created_at=now,
        )
    )
