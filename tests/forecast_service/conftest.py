"""A Simulator on a temp SQLite ledger whose clock the test moves (history: the shipped candles)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sim.services import Simulator
from tests.integration.conftest import Driver, open_sim

#: a market time inside the shipped candles (2020-09-20 .. 2023-12-31), on an hour boundary
T = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def sim_env(tmp_path: Path) -> Iterator[tuple[Simulator, Driver]]:
    sim, driver = open_sim(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    driver.clock[0] = T
    yield sim, driver
    sim.close()
