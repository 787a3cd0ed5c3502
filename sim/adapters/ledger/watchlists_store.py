"""The ``watchlists`` table: each user's followed symbols (migration 0005).

Adding is one transaction that locks the user's row first (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serializes writers), counts the list and inserts,
so two concurrent adds can never pass the cap together; the unique ``(user_id, symbol)`` makes a
second add of the same symbol a no-op.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select

from sim.adapters.ledger.tables import users, watchlists


class WatchlistFull(Exception):
    """The user's watchlist already holds ``cap`` symbols (the caller words the refusal)."""


class SqlWatchlistStore:
    """Watchlists on the ledger database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def symbols(self, user_id: int) -> list[str]:
        """The user's symbols in the order they were added."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(watchlists.c.symbol).where(watchlists.c.user_id == user_id).order_by(watchlists.c.id)
            )
            return [r.symbol for r in rows]

    def add(self, user_id: int, symbol: str, cap: int, now: datetime) -> bool:
        """Add ``symbol``; False when it was already there; WatchlistFull past ``cap``."""
        with self.engine.begin() as conn:
            conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update()).first()
            mine = select(watchlists.c.symbol).where(watchlists.c.user_id == user_id)
            present = [r.symbol for r in conn.execute(mine)]
            if symbol in present:
                return False
            if len(present) >= cap:
                raise WatchlistFull(cap)
            conn.execute(insert(watchlists).values(user_id=user_id, symbol=symbol, created_at=now))
            return True

    def remove(self, user_id: int, symbol: str) -> bool:
        """Remove ``symbol``; False when it was not there."""
        with self.engine.begin() as conn:
            gone = conn.execute(
                delete(watchlists).where(watchlists.c.user_id == user_id, watchlists.c.symbol == symbol)
            )
            return bool(gone.rowcount)

    def union(self) -> list[str]:
        """Every symbol on any watchlist, sorted (what the live producer subscribes to)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(watchlists.c.symbol).group_by(watchlists.c.symbol).order_by(watchlists.c.symbol)
            )
            return [r.symbol for r in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(watchlists)).scalar_one())
