from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.brokers import tansu


@pytest.fixture
def kafka() -> Iterator[str]:
    with tansu() as bootstrap:
        yield bootstrap
