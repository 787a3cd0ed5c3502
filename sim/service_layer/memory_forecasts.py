"""An in-memory forecast log (the :class:`~sim.service_layer.ports.ForecastLog` port) for service
tests and notebooks without a database.

Rows are plain namespaces with the ``forecasts`` table's columns; ``(model_id, as_of)`` is unique,
as in the table. ``users_with_fills`` reads the :class:`~sim.service_layer.memory_uow.InMemoryLedger`
it is given (none: no users). Assumption: a test-sized log (every read scans it).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sim.service_layer.memory_uow import InMemoryLedger

COLUMNS: tuple[str, ...] = (
    "id",
    "model_id",
    "symbol",
    "interval",
    "horizon",
    "as_of",
    "valid_until",
    "label",
)
COLUMNS += ("p_down", "p_flat", "p_up", "outcome", "scored_at")


class InMemoryForecastLog:
    """Stored forecasts in a dict by id (see the module docstring)."""

    def __init__(self, ledger: InMemoryLedger | None = None) -> None:
        self.rows: dict[int, SimpleNamespace] = {}
        self.ledger = ledger
        self._lock = threading.Lock()

    def insert_once(self, values: dict[str, Any]) -> bool:
        with self._lock:
            key = (values["model_id"], values["as_of"])
            if any((r.model_id, r.as_of) == key for r in self.rows.values()):
                return False
            row_id = len(self.rows) + 1
            row = {c: None for c in COLUMNS} | values | {"id": row_id}
            self.rows[row_id] = SimpleNamespace(**row)
            return True

    def _select(self, symbol: str | None, horizon: int | None) -> list[SimpleNamespace]:
        return [
            r
            for r in self.rows.values()
            if (symbol is None or r.symbol == symbol) and (horizon is None or r.horizon == int(horizon))
        ]

    def newest(self, symbol: str | None, horizon: int | None, limit: int) -> list[dict[str, Any]]:
        rows = sorted(self._select(symbol, horizon), key=lambda r: (r.as_of, r.id), reverse=True)
        return [dict(vars(r)) for r in rows[:limit]]

    def due(self, now: datetime) -> list[Any]:
        return [r for r in self.rows.values() if r.outcome is None and r.valid_until <= now]

    def set_outcomes(self, outcomes: Sequence[tuple[int, str]], now: datetime) -> int:
        done = 0
        with self._lock:
            for row_id, outcome in outcomes:
                row = self.rows.get(row_id)
                if row is not None and row.outcome is None:
                    row.outcome, row.scored_at = outcome, now
                    done += 1
        return done

    def all_of(self, symbol: str | None, horizon: int | None) -> list[Any]:
        return sorted(self._select(symbol, horizon), key=lambda r: r.as_of)

    def made_by(self, until: datetime | None) -> list[dict[str, Any]]:
        return [dict(vars(r)) for r in self.rows.values() if until is None or r.as_of <= until]

    def users_with_fills(self) -> list[int]:
        if self.ledger is None:
            return []
        t = self.ledger.tables
        with_fills = {f.account_id for f in t.fills.values()}
        return sorted({a.user_id for a in t.accounts.values() if a.active and a.id in with_fills})
