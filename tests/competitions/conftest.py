"""A simulator on each ledger backend with a market and a clock the test moves by hand.

The clock starts at ``T0`` (2024-01-01), after the shipped candles end, so the only prices are the
trades the test makes (:meth:`World.trade`). ``ADMIN_USERNAME`` is ``root``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim.adapters.market import InMemoryMarket
from sim.services import Simulator
from sim.settings import Settings

T0 = datetime(2024, 1, 1, tzinfo=UTC)
PRICES = {"BTCUSDT": "40000.00", "ETHUSDT": "2000.00", "SOLUSDT": "100.00"}


class World:
    """The simulator and the test's hands on its market and clock."""

    def __init__(self, sim: Simulator, clock: list[datetime]) -> None:
        self.sim, self.clock = sim, clock

    @property
    def now(self) -> datetime:
        return self.clock[0]

    def at(self, t: datetime) -> None:
        self.clock[0] = t

    def later(self, **delta: float) -> datetime:
        self.clock[0] += timedelta(**delta)
        return self.clock[0]

    def trade(self, symbol: str, price: str, at: datetime | None = None) -> int:
        """A market trade at ``at`` (default: now); the clock moves there."""
        if at is not None:
            self.clock[0] = at
        return self.sim.on_trade(symbol, Decimal(price), self.clock[0])

    def user(self, name: str) -> int:
        return self.sim.register(name, "correct horse").id


@pytest.fixture
def world(ledger_url: str) -> Iterator[World]:
    clock = [T0]
    settings = Settings(database_url=ledger_url, slippage_bps=Decimal(0), admin_username="root")
    sim = Simulator.open(settings=settings, market=InMemoryMarket(), clock=lambda: clock[0])
    sim.bcrypt_rounds = 4
    w = World(sim, clock)
    for symbol, price in PRICES.items():
        w.trade(symbol, price)
    yield w
    sim.close()
