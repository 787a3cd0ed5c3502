"""The feed's and the matcher's counters move where the work happens: websocket reconnects,
reported gaps and gap backfills, messages produced, and the matcher's fills (read from the
process's registry, as its endpoint serves it)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from pipeline.bus import InMemoryBus
from pipeline.matcher import OrderMatcher
from pipeline.producer import MarketProducer, Topics
from pipeline.sources.binance_rest import BinanceRest
from pipeline.sources.binance_ws import BinanceStream, StreamRefused
from sim.adapters.market import InMemoryMarket
from sim.domain.fills import Tick
from sim.market import Gap, Trade
from sim.observability.instrument import instrument_simulator
from sim.services import Simulator
from sim.settings import Settings
from tests.pipeline.test_binance_ws import collect, config, replay_server

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_reconnect_attempt_is_counted() -> None:
    async def body() -> None:
        async with replay_server(lambda c, n: asyncio.sleep(0)) as server:
            url = server.url
        stream = BinanceStream(config(url, max_attempts=3))
        with pytest.raises(StreamRefused):
            await collect(stream, 1)

    before = sample("sim_feed_reconnects_total")
    asyncio.run(body())
    assert sample("sim_feed_reconnects_total") - before == 3


def test_gaps_produced_and_gap_backfills_are_counted() -> None:
    bus = InMemoryBus()
    topics = Topics()
    producer = MarketProducer(bus, topics)
    before = (sample("sim_feed_gaps_total"), sample("sim_messages_produced_total", topic=topics.ticks))
    producer.publish(Gap(None, T0, T0 + timedelta(seconds=30), "connection lost"))
    producer.publish(Trade("BTCUSDT", 1, Decimal("40000"), Decimal("0.1"), T0, False))
    assert sample("sim_feed_gaps_total") - before[0] == 1
    assert sample("sim_messages_produced_total", topic=topics.ticks) - before[1] == 2

    class Offline(BinanceRest):
        def backfill(
            self, symbol: str, interval: str, start: datetime, end: datetime, sink: Any, **_: Any
        ) -> int:
            return 1

    before_fills = sample("sim_feed_gap_backfills_total")
    holes: Sequence[tuple[datetime, datetime]] = [
        (T0, T0),
        (T0 + timedelta(hours=3), T0 + timedelta(hours=4)),
    ]
    assert Offline().fill_gaps("BTCUSDT", "1h", iter(holes), lambda candles: None) == 2
    assert sample("sim_feed_gap_backfills_total") - before_fills == 2


def test_the_matcher_counts_its_fills_and_the_facade_counts_the_maker_fill(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sim.observability.instrument")
    market = InMemoryMarket()
    clock = [T0]
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=Decimal(0))
    sim = instrument_simulator(Simulator.open(settings=settings, market=market, clock=lambda: clock[0]))
    sim.bcrypt_rounds = 4
    market.update(Tick("BTCUSDT", Decimal("40000.00"), T0))
    user = sim.register("resting", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="39000")
    bus = InMemoryBus()
    topics = Topics()
    matcher = OrderMatcher(sim, bus.subscribe([topics.ticks], "g-matcher"))
    before = (
        sample("sim_matcher_fills_total"),
        sample("sim_orders_filled_total", order_type="LIMIT", liquidity="MAKER"),
    )
    clock[0] = T0 + timedelta(seconds=5)
    MarketProducer(bus, topics).publish(
        Trade("BTCUSDT", 2, Decimal("38990.00"), Decimal("1"), clock[0], False)
    )
    stop = threading.Event()
    t = threading.Thread(target=matcher.run, args=(stop,), daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while sim.order(user.id, order.id).status == "OPEN" and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    t.join(5)
    sim.close()
    assert sample("sim_matcher_fills_total") - before[0] == 1
    assert sample("sim_orders_filled_total", order_type="LIMIT", liquidity="MAKER") - before[1] == 1
    fills = [r for r in caplog.records if getattr(r, "event", None) == "fill"]
    assert [(r.order_id, r.symbol, r.liquidity) for r in fills] == [(order.id, "BTCUSDT", "maker")]  # type: ignore[attr-defined]
