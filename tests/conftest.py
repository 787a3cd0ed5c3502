"""Shared fixtures: real service connections with per-test isolation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import services


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
