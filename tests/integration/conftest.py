"""A Simulator on each ledger backend (SQLite file, real PostgreSQL), with a market the test drives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from sim.adapters.ledger.tables import accounts, orders, positions, transactions
from sim.adapters.market import InMemoryMarket
from sim.services import Simulator
from sim.settings import Settings

T0 = datetime(2024, 1, 1, tzinfo=UTC)


class Driver:
    """The test's hand on the market: set prices and move the clock."""

    def __init__(self, sim: Simulator, market: InMemoryMarket, clock: list[datetime]) -> None:
        self.sim, self.market, self.clock = sim, market, clock

    def trade(self, symbol: str, price: str, seconds: int = 1) -> int:
        from datetime import timedelta

        self.clock[0] += timedelta(seconds=seconds)
        return self.sim.on_trade(symbol, Decimal(price), self.clock[0])


def open_sim(url: str, **settings: object) -> tuple[Simulator, Driver]:
    market = InMemoryMarket()
    clock = [T0]
    base = Settings(database_url=url, slippage_bps=Decimal(0)).with_(**settings)
    sim = Simulator.open(settings=base, market=market, clock=lambda: clock[0])
    sim.bcrypt_rounds = 4
    driver = Driver(sim, market, clock)
    for symbol, price in (
        ("BTCUSDT", "40000.00"),
        ("ETHUSDT", "2000.00"),
        ("XRPUSDT", "0.5000"),
        ("SOLUSDT", "100.00"),
        ("BNBUSDT", "300.00"),
    ):
        driver.trade(symbol, price, seconds=0)
    return sim, driver


@pytest.fixture
def env(ledger_url: str) -> Iterator[tuple[Simulator, Driver]]:
    sim, driver = open_sim(ledger_url)
    yield sim, driver
    sim.close()


def snapshot(sim: Simulator) -> dict[str, list[tuple[object, ...]]]:
    """Every ledger row, to prove that a refusal changed nothing."""
    with sim.engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))]
            for t in (accounts, positions, orders, transactions)
        }
