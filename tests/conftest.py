"""Shared fixtures: real service connections with per-test isolation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import services


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ledger URL, once for each backend: a temp SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (dropped afterwards)."""
    url, name = services.new_postgres_database()
    try:
        yield url
    finally:
        services.drop_postgres_database(name)


@pytest.fixture
def redis_url() -> Iterator[tuple[str, str]]:
    """``(url, key_prefix)``: the machine's Redis and a prefix no other test uses; keys are deleted."""
    prefix = services.redis_prefix()
    yield services.REDIS_URL, prefix
    import redis

    client = redis.Redis.from_url(services.REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
