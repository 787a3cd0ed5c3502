"""A Simulator on a temp SQLite ledger at a market time inside the shipped candles, prices set by the
test, and a user holding some ETH and SOL; plus the app tests' ``env`` for the page test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sim.adapters.market import InMemoryMarket
from sim.services import Simulator
from sim.settings import Settings
from tests.app.conftest import env  # noqa: F401  (the page test's AppTest environment)
from tests.integration.conftest import Driver

T = datetime(2023, 6, 1, 12, 0, 30, tzinfo=UTC)
PRICES = {
    "BTCUSDT": "27000.00",
    "ETHUSDT": "1870.00",
    "SOLUSDT": "20.80",
    "BNBUSDT": "306.0",
    "XRPUSDT": "0.5100",
}


@pytest.fixture
def sim_env(tmp_path: Path) -> Iterator[tuple[Any, Any, Any]]:
    """``(sim, driver, user)``: the user bought 0.5 ETH and 10 SOL at the prices above."""
    # as tests/integration/conftest.py's open_sim, with the clock inside the shipped candles
    market, clock = InMemoryMarket(), [T]
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=Decimal(0))
    sim = Simulator.open(settings=settings, market=market, clock=lambda: clock[0])
    sim.bcrypt_rounds = 4
    driver = Driver(sim, market, clock)
    for symbol, price in PRICES.items():
        driver.trade(symbol, price, seconds=0)
    user = sim.register("alice", "correct horse battery")
    sim.buy(user.id, "ETHUSDT", "0.5")
    sim.buy(user.id, "SOLUSDT", "10")
    yield sim, driver, user
    sim.close()
