"""The matcher goes through the service layer once per symbol and batch (issue 13, point 4).

Before: the matcher asked the ledger repository itself whether anything was crossed, then called
``Simulator.match`` once per trade. Now each symbol's trades of a batch are one
``Simulator.match_trades`` call; the service layer decides what to read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.bus import InMemoryBus
from pipeline.matcher import OrderMatcher
from sim.adapters.live.memory import InMemoryLiveStore
from sim.market import Trade, encode
from sim.services import Simulator
from sim.settings import Settings

D = Decimal
NOW = datetime.now(UTC).replace(microsecond=0)


def test_one_service_call_per_symbol_and_batch_fills_the_crossed_order_once(tmp_path: Path) -> None:
    live = InMemoryLiveStore()
    live.write([Trade("BTCUSDT", 1, D("40000.00"), D("0.01"), NOW - timedelta(minutes=1), False)], 0)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=lambda: NOW - timedelta(seconds=30))
    sim.bcrypt_rounds = 4
    user = sim.register("batcher", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="39000")
    calls: list[tuple[str, int]] = []
    batch_call = sim.match_trades

    def spy(symbol: str, trades: Any) -> int:
        calls.append((symbol, len(trades)))
        return batch_call(symbol, trades)

    def per_trade(*_: Any) -> int:
        raise AssertionError("the matcher called Simulator.match for one trade")

    sim.match_trades = spy  # type: ignore[method-assign]
    sim.match = per_trade  # type: ignore[method-assign]
    bus = InMemoryBus()
    for i, price in enumerate(["39500.00", "38990.00", "38500.00", "39100.00"]):
        when = NOW - timedelta(seconds=10 - i)
        bus.send("ticks", b"BTCUSDT", encode(Trade("BTCUSDT", 10 + i, D(price), D("0.01"), when, False)))
    sub = bus.subscribe(["ticks"], "m")
    assert OrderMatcher(sim, sub).process(sub.poll()) == 1
    assert calls == [("BTCUSDT", 4)]
    filled = sim.order(user.id, order.id)
    assert filled.status == "FILLED" and filled.avg_fill_price == D("39000")
    sim.close()
