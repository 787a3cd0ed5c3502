"""Column types that keep money exact and times in UTC on both SQLite and PostgreSQL.

- :class:`Exact`: a Decimal with 8 decimals. PostgreSQL stores ``NUMERIC(38, 8)``. SQLite has no
  decimal type (its REAL is a binary float), so there the value is stored as a *scaled integer*
  (``value x 10^8`` in a 64-bit INTEGER, up to about 92 billion): SQL comparisons and arithmetic
  such as ``cash_free - :amount`` stay exact. A value with more than 8 decimals is refused rather than
  rounded.
- :class:`UtcDateTime`: timezone-aware UTC datetimes in, timezone-aware UTC datetimes out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

SCALE = 8


class Exact(TypeDecorator[Decimal]):
    impl = Numeric(38, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(38, SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError("Exact columns take Decimal or int, never float")
            value = Decimal(value)
        if dialect.name == "sqlite":
            scaled = value.scaleb(SCALE)
            if scaled != scaled.to_integral_value():
                raise ValueError(f"{value} has more than {SCALE} decimals")
            return int(scaled)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-SCALE)
        return Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
