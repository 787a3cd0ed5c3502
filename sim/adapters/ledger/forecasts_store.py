"""The ``forecasts`` table (store once, list, due for scoring, outcomes) and the report job's reads.

:class:`SqlForecastLog` is the adapter of the service layer's
:class:`~sim.service_layer.ports.ForecastLog` port: each method opens its own connection (a read)
or transaction (a write) on the ledger's engine. Assumption: the ledger is SQLite or PostgreSQL
(both have ``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from sim.adapters.ledger.tables import accounts, forecasts, transactions, users


class SqlForecastLog:
    """The forecast log on the ledger database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def insert_once(self, values: dict[str, Any]) -> bool:
        """Insert a forecast row unless ``(model_id, as_of)`` is there; True if inserted."""
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(forecasts).values(**values)
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(forecasts).values(**values)
        else:  # pragma: no cover - the ledger runs on SQLite or PostgreSQL only
            raise RuntimeError(f"unsupported ledger dialect {dialect}")
        stmt = stmt.on_conflict_do_nothing(index_elements=["model_id", "as_of"])
        with self.engine.begin() as conn:
            return bool(conn.execute(stmt).rowcount)

    def newest(self, symbol: str | None, horizon: int | None, limit: int) -> list[dict[str, Any]]:
        """Stored forecasts, newest first, as dicts of the table's columns."""
        t = forecasts
        query = select(t).order_by(t.c.as_of.desc(), t.c.id.desc())
        if symbol is not None:
            query = query.where(t.c.symbol == symbol)
        if horizon is not None:
            query = query.where(t.c.horizon == int(horizon))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query.limit(limit)).mappings().all()]

    def due(self, now: datetime) -> list[Any]:
        """Forecasts without an outcome whose horizon has passed at ``now``."""
        t = forecasts
        with self.engine.connect() as conn:
            return list(conn.execute(select(t).where(t.c.outcome.is_(None), t.c.valid_until <= now)).all())

    def set_outcomes(self, outcomes: Sequence[tuple[int, str]], now: datetime) -> int:
        """Give each row its outcome, only while it has none; returns how many rows changed."""
        t = forecasts
        done = 0
        with self.engine.begin() as conn:
            for row_id, outcome in outcomes:
                done += conn.execute(
                    update(t)
                    .where(t.c.id == row_id, t.c.outcome.is_(None))
                    .values(outcome=outcome, scored_at=now)
                ).rowcount
        return done

    def all_of(self, symbol: str | None, horizon: int | None) -> list[Any]:
        """Every stored forecast (optionally of one symbol / horizon), oldest first."""
        t = forecasts
        query = select(t)
        if symbol is not None:
            query = query.where(t.c.symbol == symbol)
        if horizon is not None:
            query = query.where(t.c.horizon == int(horizon))
        with self.engine.connect() as conn:
            return list(conn.execute(query.order_by(t.c.as_of)).all())

    def made_by(self, until: datetime | None) -> list[dict[str, Any]]:
        """Every stored forecast made by ``until`` (``as_of <= until``; all when None), as dicts."""
        query = select(forecasts)
        if until is not None:
            query = query.where(forecasts.c.as_of <= until)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    def users_with_fills(self) -> list[int]:
        """Ids of the users whose active account has at least one fill, ascending; competition
        entries' traders are not users of their own (their season has its final report)."""
        query = (
            select(accounts.c.user_id)
            .distinct()
            .join(transactions, transactions.c.account_id == accounts.c.id)
            .join(users, users.c.id == accounts.c.user_id)
            .where(accounts.c.active.is_(True), users.c.owner_id.is_(None))
            .order_by(accounts.c.user_id)
        )
        with self.engine.connect() as conn:
            return [int(row.user_id) for row in conn.execute(query)]
