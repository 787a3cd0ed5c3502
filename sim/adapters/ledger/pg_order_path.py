"""The order path's two statements on PostgreSQL, sent on the transaction's own psycopg2 connection.

- :func:`lock_and_load`: lock the user's active account and read it with the positions needed (the
  ``ledger_lock_active_account`` function of migrations 0002 and 0007), one round trip.
- :func:`write_order`: an order, its fills, the cash and the positions in one statement.

Both bypass SQLAlchemy's result machinery (building result metadata for each text statement cost
about a quarter of the order path's CPU); the caller's transaction (:mod:`pg_transactions`, or
SQLAlchemy's) begins, commits or rolls back the connection.

The write is one statement of data-modifying CTEs. Its text depends only on the *shape* of what is
written (which columns, how many fills and positions) and is built once per shape; the values are
then put into it as SQL literals by :func:`literal`.

Why literals and not bound parameters: psycopg2 binds a parameter by adapting it through Python-level
protocol lookups, about 2.6 us per number and 8 us per datetime on the benchmark machine, and a
market buy writes about 40 values (150 us, a fifth of the API's CPU per buy). The numbers and times
here are rendered from types whose text is unambiguous SQL (finite Decimal, int, timezone-aware
datetime, None, bool), which takes a few microseconds. A string of letters, digits, spaces and
``_.:,+-`` is put in quotes as it is, any other goes through psycopg2's own quoting. Any other type
is refused, floats included (money never passes through float).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from psycopg2.extensions import QuotedString, encodings

from sim.domain.account import Account, Position

_PLAIN = re.compile(r"[A-Za-z0-9 _.:,+\-]*")
_SHAPES: dict[tuple[Any, ...], str] = {}
_LOCK_AND_LOAD = "SELECT * FROM ledger_lock_active_account(%s, %s)"


class LockedAccount(NamedTuple):
    """The locked account row with its owner's cost preferences (None: the settings' default) and
    its trading window and allowed symbols (None: no bound; a competition entry's, migration 0007)."""

    id: int
    user_id: int
    cash_free: Decimal
    cash_locked: Decimal
    maker_fee: Decimal | None
    taker_fee: Decimal | None
    slippage_bps: Decimal | None
    trade_from: datetime | None
    trade_until: datetime | None
    symbols: str | None


def lock_and_load(
    dbapi_conn: Any, user_id: int, symbols: Sequence[str], begin: str = ""
) -> tuple[LockedAccount, Account] | None:
    """Lock ``user_id``'s active account and load it with the positions of ``symbols``; None when
    the user has no active account. The function returns one row per position (position columns
    NULL when there is none), each starting with the account's columns. ``begin`` (``"BEGIN; "``
    or empty, see :func:`sim.adapters.ledger.pg_transactions.take_begin`) is sent in front."""
    if begin not in ("", "BEGIN; "):
        raise ValueError(f"begin must be '' or 'BEGIN; ', got {begin!r}")
    with dbapi_conn.cursor() as cur:
        cur.execute(begin + _LOCK_AND_LOAD, (user_id, list(symbols)))
        rows = cur.fetchall()
    if not rows:
        return None
    width = len(LockedAccount._fields)
    acct = LockedAccount(*rows[0][:width])
    positions = {r[width]: Position(*r[width:]) for r in rows if r[width] is not None}
    return acct, Account(acct.cash_free, acct.cash_locked, positions)


def write_order(
    dbapi_conn: Any,
    order: dict[str, Any],
    fills: Sequence[dict[str, Any]],
    cash: dict[str, Any] | None,
    positions: Sequence[dict[str, Any]],
) -> tuple[int, list[int]]:
    """Insert ``order`` and ``fills`` (their ``order_id`` is the new order's), update the account
    row from ``cash`` (``account_id``, ``cash_free``, ``cash_locked``) when given and upsert each of
    ``positions`` (full rows keyed by ``account_id`` and ``symbol``). Returns the new order's id and
    the fills' ids in the order given (one sequence, rows inserted in VALUES order)."""
    values: dict[str, Any] = {f"o_{k}": v for k, v in order.items()}
    for i, f in enumerate(fills):
        values.update({f"f{i}_{k}": v for k, v in f.items()})
    if cash is not None:
        values.update({f"c_{k}": v for k, v in cash.items()})
    for i, p in enumerate(positions):
        values.update({f"p{i}_{k}": v for k, v in p.items()})
    shape = (
        tuple(order),
        tuple(fills[0]) if fills else (),
        len(fills),
        cash is not None,
        tuple(positions[0]) if positions else (),
        len(positions),
    )
    template = _SHAPES.get(shape)
    if template is None:
        template = _SHAPES[shape] = _statement(*shape)
    encoding = encodings[dbapi_conn.encoding]
    sql = template % {k: literal(v, dbapi_conn, encoding) for k, v in values.items()}
    with dbapi_conn.cursor() as cur:
        cur.execute(sql)
        order_id, fill_ids = cur.fetchone()
    return order_id, list(fill_ids)


def literal(value: Any, dbapi_conn: Any, encoding: str = "utf-8") -> str:
    """``value`` as a SQL literal: NULL, TRUE/FALSE, an int, a finite Decimal (negative ones in
    parentheses), a timestamptz, or a string quoted by psycopg2 for ``dbapi_conn``."""
    kind = type(value)
    if value is None:
        return "NULL"
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite amount")
        return f"({value})" if value.is_signed() else str(value)
    if isinstance(value, str):
        value = str.__str__(value)  # a StrEnum member is written as its value
        if _PLAIN.fullmatch(value):  # no quote, backslash or control character: quoted as is
            return f"'{value}'"
        quoted = QuotedString(value)
        quoted.prepare(dbapi_conn)
        return str(quoted.getquoted().decode(encoding))
    if kind is int:
        return str(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is datetime:
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        return f"'{value.isoformat()}'::timestamptz"
    if kind is float:
        raise TypeError("Exact columns take Decimal or int, never float")
    raise TypeError(f"cannot write a {kind.__name__} to the ledger")


def _statement(
    order_cols: tuple[str, ...],
    fill_cols: tuple[str, ...],
    n_fills: int,
    with_cash: bool,
    position_cols: tuple[str, ...],
    n_positions: int,
) -> str:
    """The statement for one shape, with ``%(name)s`` slots for the literals (no other ``%``)."""

    def row(prefix: str, cols: Sequence[str]) -> str:
        return "(" + ", ".join(f"%({prefix}_{c})s" for c in cols) + ")"

    ctes = [f"o AS (INSERT INTO orders ({', '.join(order_cols)}) VALUES {row('o', order_cols)} RETURNING id)"]
    if n_fills:
        rows = ", ".join("((SELECT id FROM o), " + row(f"f{i}", fill_cols)[1:] for i in range(n_fills))
        ctes.append(
            f"f AS (INSERT INTO transactions (order_id, {', '.join(fill_cols)}) VALUES {rows} RETURNING id)"
        )
    if with_cash:
        ctes.append(
            "c AS (UPDATE accounts SET cash_free = %(c_cash_free)s, cash_locked = %(c_cash_locked)s "
            "WHERE id = %(c_account_id)s)"
        )
    if n_positions:
        rows = ", ".join(row(f"p{i}", position_cols) for i in range(n_positions))
        update = ", ".join(f"{c} = EXCLUDED.{c}" for c in position_cols if c not in ("account_id", "symbol"))
        ctes.append(
            f"p AS (INSERT INTO positions ({', '.join(position_cols)}) VALUES {rows} "
            f"ON CONFLICT (account_id, symbol) DO UPDATE SET {update})"
        )
    fill_ids = "ARRAY(SELECT id FROM f ORDER BY id)" if n_fills else "ARRAY[]::integer[]"
    # data-modifying CTEs run to completion whether or not the final SELECT reads them
    return "WITH " + ",\n".join(ctes) + f"\nSELECT (SELECT id FROM o), {fill_ids}"
