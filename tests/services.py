"""Where the tests find the machine's services, and how they skip (never under CI=true).

PostgreSQL: ``TEST_POSTGRES_URL`` (default ``postgresql+psycopg2://postgres@127.0.0.1:5432/postgres``);
each test that asks gets a fresh database, dropped afterwards.
Redis: ``TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); each test gets its own key prefix.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def unavailable(what: str, why: str) -> None:
    """Skip the test saying why, or fail it when running under CI (where nothing may skip)."""
    message = f"{what} is not available here: {why}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: tests may not skip)")
    pytest.skip(message)


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+psycopg2", ""))
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), 1):
            return True
    except OSError:
        return False


def new_postgres_database() -> tuple[str, str]:
    """Create an empty database; return (sqlalchemy url, name). Skips when Postgres is absent."""
    if not port_open(POSTGRES_ADMIN_URL, 5432):
        unavailable("PostgreSQL", f"nothing listens at {POSTGRES_ADMIN_URL}")
    import psycopg2

    name = f"simtest_{uuid.uuid4().hex[:12]}"
    dsn = POSTGRES_ADMIN_URL.replace("postgresql+psycopg2://", "postgresql://")
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def drop_postgres_database(name: str) -> None:
    import psycopg2

    dsn = POSTGRES_ADMIN_URL.replace("postgresql+psycopg2://", "postgresql://")
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def redis_prefix() -> str:
    if not port_open(REDIS_URL, 6379):
        unavailable("Redis", f"nothing listens at {REDIS_URL}")
    return f"simtest:{uuid.uuid4().hex[:10]}:"


def require_chromium() -> str:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        unavailable("Chromium", f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return CHROMIUM
