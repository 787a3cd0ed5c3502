"""Engines for the ledger, with the concurrency rules each database needs.

- **PostgreSQL**: READ COMMITTED; a writer first locks its account row (``SELECT ... FOR UPDATE``),
  so two requests on one account run one after the other and can never spend the same cash.
- **SQLite**: every transaction starts with ``BEGIN IMMEDIATE``, taking the database write lock up
  front (SQLite's ``FOR UPDATE``); WAL mode lets readers go on meanwhile; writers wait for the
  lock up to ``busy_timeout``.
Migrations (Alembic, ``migrations/``) run when the engine is made, so a new database is ready.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, migrate: bool = True, pool_size: int = 20) -> Engine:
    """Create the engine for ``url`` (sqlite or postgresql) and bring its schema up to date."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    elif parsed.get_backend_name() == "postgresql":
        # pool_pre_ping: a connection the server dropped (restart, pg_terminate_backend) is replaced
        # before use instead of failing the first read. One round trip per checkout, on this engine
        # only: orders go through the order engine, which checks its sockets without a round trip
        # (see pg_transactions.drop_if_closed).
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=2 * pool_size,
            pool_recycle=1800,
            pool_timeout=60,
            pool_pre_ping=True,
        )
    else:
        raise ValueError(f"DATABASE_URL must be sqlite or postgresql, got {parsed.get_backend_name()!r}")
    if migrate:
        upgrade(engine)
    return engine


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let us emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine) -> None:
    """Apply the Alembic migrations up to head on ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
