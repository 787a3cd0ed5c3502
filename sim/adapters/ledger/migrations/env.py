"""Alembic environment: runs on the connection handed in by ``sim.adapters.ledger.engine``
(``config.attributes["connection"]``) or, from the command line, on ``DATABASE_URL``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sim.adapters.ledger.tables import metadata

config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from sim.settings import load_settings

    url = config.get_main_option("sqlalchemy.url") or load_settings().database_url
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
