"""The PostgreSQL order path writes values as SQL literals: each must reach its column unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import psycopg2
import pytest

from sim.adapters.ledger.pg_order_path import literal
from sim.domain.orders import OrderStatus

AWKWARD_TEXT = [
    "",
    "BTCUSDT",
    "it's",
    "back\\slash",
    "'; DROP TABLE t; --",
    "100% sure",
    "%(o_symbol)s",
    "line\nbreak\ttab",
    "<b>bold</b> & 日本語 €",
    'double "quotes"',
    "E'\\x41'",
]
AMOUNTS = [
    Decimal("0"),
    Decimal("-0"),
    Decimal("0E-8"),
    Decimal("22727.25000000"),
    Decimal("-1234.5"),
    Decimal("1E+3"),
    Decimal("-2E+2"),
    Decimal("0.00000001"),
    Decimal("999999999999999999999999999999.99999999"),
]


@pytest.fixture
def db(postgres_url: str) -> Iterator[Any]:
    conn = psycopg2.connect(postgres_url.replace("postgresql+psycopg2://", "postgresql://"))
    conn.cursor().execute(
        "CREATE TABLE t (id serial, n numeric(38, 8), s text, ts timestamptz, b boolean, i bigint)"
    )
    try:
        yield conn
    finally:
        conn.close()


def _round_trip(conn: Any, column: str, value: object) -> object:
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO t ({column}) VALUES ({literal(value, conn)}) RETURNING {column}")
        return cur.fetchone()[0]


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_text_arrives_exactly(db: Any, text: str) -> None:
    assert _round_trip(db, "s", text) == text


@pytest.mark.parametrize("amount", AMOUNTS)
def test_amounts_arrive_exactly(db: Any, amount: Decimal) -> None:
    stored = _round_trip(db, "n", amount)
    assert isinstance(stored, Decimal) and stored == amount


def test_text_enums_arrive_as_their_value(db: Any) -> None:
    assert _round_trip(db, "s", OrderStatus.FILLED) == "FILLED"


def test_amounts_work_inside_arithmetic(db: Any) -> None:
    # a negative literal right after a minus sign must not turn into a comment ("--")
    with db.cursor() as cur:
        cur.execute(f"SELECT 10 -{literal(Decimal('-5'), db)}, 10 - {literal(Decimal('-5'), db)}")
        assert cur.fetchone() == (Decimal("15"), Decimal("15"))


def test_times_ints_bools_and_null(db: Any) -> None:
    now = datetime(2026, 11, 27, 8, 30, 1, 123456, tzinfo=UTC)
    elsewhere = now.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert _round_trip(db, "ts", now) == now
    assert _round_trip(db, "ts", elsewhere) == now
    assert _round_trip(db, "i", 2**62) == 2**62
    assert _round_trip(db, "i", -7) == -7
    assert _round_trip(db, "b", True) is True
    assert _round_trip(db, "b", False) is False
    assert _round_trip(db, "s", None) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.1, "never float"),
        (Decimal("NaN"), "not a finite amount"),
        (Decimal("Infinity"), "not a finite amount"),
        (datetime(2026, 1, 1), "naive datetime"),
        (b"bytes", "cannot write a bytes"),
    ],
)
def test_values_without_an_exact_literal_are_refused(db: Any, value: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        literal(value, db)
