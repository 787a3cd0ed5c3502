"""Embedded mode: with no Kafka and no Redis the same producer -> consumer -> store code runs in
process, fed by the replay, so prices move and resting orders fill on a fresh machine."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from pipeline.runtime import open_runtime
from sim.adapters.live.base import FeedStatus
from sim.settings import load_settings


def wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_embedded_feed_moves_prices_and_fills_resting_orders(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
            "REPLAY_SPEED": "36000",  # ten hourly candles per second
            "SYMBOLS": "BTCUSDT,ETHUSDT",
            "SLIPPAGE_BPS": "0",
        },
        dotenv=False,
    )
    rt = open_runtime(settings)
    try:
        sim = rt.sim
        sim.bcrypt_rounds = 4
        assert rt.feed is not None
        assert wait_for(lambda: sim.price("BTCUSDT") is not None)
        first = sim.price("BTCUSDT")
        assert wait_for(lambda: sim.price("BTCUSDT") != first)
        now = int(time.time() * 1000)
        assert rt.live.health(["BTCUSDT"], now).symbols[0].status is FeedStatus.LIVE
        user = sim.register("embedded", "correct horse")
        bought = sim.buy(user.id, "ETHUSDT", "0.1")
        assert bought.status == "FILLED"
        tick = sim.price("BTCUSDT")
        assert tick is not None
        # a sell limit 0.5% above the market: the replayed December 2023 rally crosses it soon
        limit = (tick.price * Decimal("1.005")).quantize(Decimal("0.01"))
        sim.buy(user.id, "BTCUSDT", "0.01")
        order = sim.sell(user.id, "BTCUSDT", "0.01", price=limit)
        assert wait_for(lambda: sim.order(user.id, order.id).status == "FILLED", timeout=60)
        assert sim.order(user.id, order.id).fills[0].price == limit
        assert not sim.history("BTCUSDT", "1h").empty
    finally:
        rt.close()


def test_the_embedded_feed_sends_fill_notifications(tmp_path: Path) -> None:
    from tests.integration.test_webhooks import Receiver

    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
            "SYMBOLS": "BTCUSDT,ETHUSDT",
            "WEBHOOK_ALLOW_PRIVATE": "1",
        },
        dotenv=False,
    )
    receiver = Receiver()
    rt = open_runtime(settings)  # as under `make run`: no Kafka, the sender is a thread of the app
    try:
        sim = rt.sim
        sim.bcrypt_rounds = 4
        assert wait_for(lambda: sim.price("ETHUSDT") is not None)
        user = sim.register("hooked", "correct horse")
        sim.set_webhook(user.id, receiver.url)
        bought = sim.buy(user.id, "ETHUSDT", "0.1")
        assert wait_for(lambda: len(receiver.requests) == 1, timeout=30)
        assert receiver.requests[0]["body"]["order_id"] == bought.id
    finally:
        rt.close()
        receiver.close()
