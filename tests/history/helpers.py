"""Hand-made candles whose aggregates are easy to write as formulas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

T0 = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday, 00:00 UTC


def minute_rows(start: datetime, count: int, step: timedelta = timedelta(minutes=1)) -> list[dict]:
    """Row i: open 100+i, close 100.5+i, high 101+i, low 99+i, volume 0.001*(i+1) (exact)."""
    rows = []
    for i in range(count):
        base = Decimal(100 + i)
        rows.append(
            {
                "open_time": start + i * step,
                "open": str(base),
                "high": str(base + 1),
                "low": str(base - 1),
                "close": str(base + Decimal("0.5")),
                "volume": str(Decimal("0.001") * (i + 1)),
            }
        )
    return rows
