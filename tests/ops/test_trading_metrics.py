"""The facade's metrics on the real services (PostgreSQL ledger, Redis live store), read over HTTP
from the process's metrics endpoint, as Prometheus reads them.

The simulator comes from ``open_runtime`` (the composition root the app and the jobs use), which
instruments it: accepted, filled and refused orders (by error class), order latency, logins.
Counters are process-wide, so each check is a difference between two scrapes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pipeline.messages import Trade
from pipeline.runtime import open_runtime
from sim.adapters.live.redis_store import RedisLiveStore
from sim.domain.errors import SimError
from sim.observability.metrics import serve_metrics
from sim.settings import Settings
from tests import services
from tests.brokers import free_port
from tests.ops.scrape import Samples, scrape, value


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return (value(after, name, **labels) or 0.0) - (value(before, name, **labels) or 0.0)


def test_orders_refusals_by_class_fills_latency_and_logins_are_scraped(
    postgres_url: str, redis_url: tuple[str, str], tmp_path: object
) -> None:
    url, prefix = redis_url
    live = RedisLiveStore(url, prefix=prefix)
    now = datetime.now(UTC)
    live.write(
        [Trade("BTCUSDT", 1, Decimal("40000.00"), Decimal("0.5"), now, False)], int(time.time() * 1000)
    )
    settings = Settings(database_url=postgres_url, redis_url=url, redis_prefix=prefix, symbols=("BTCUSDT",))
    runtime = open_runtime(settings, start_feed=False)
    sim = runtime.sim
    sim.bcrypt_rounds = 4
    port = free_port()
    assert serve_metrics(port)
    try:
        user = sim.register("metrics-user", "correct horse")
        before = scrape(port)
        sim.buy(user.id, "BTCUSDT", "0.01")  # accepted and filled at once (taker)
        sim.buy(user.id, "BTCUSDT", "0.1", price="30000")  # a resting limit order
        with pytest.raises(SimError):
            sim.buy(user.id, "BTCUSDT", "1000")  # refused: more than the account can pay
        with pytest.raises(SimError):
            sim.buy(user.id, "BTCUSDT", "not a number")  # InvalidInput
        for _ in range(6):  # wrong passwords in a row: refused, then throttled (a lock or a back-off)
            with pytest.raises(SimError):
                sim.authenticate("metrics-user", "wrong")
        after = scrape(port)
        assert delta(before, after, "sim_orders_placed_total", order_type="MARKET", side="BUY") == 1
        assert delta(before, after, "sim_orders_placed_total", order_type="LIMIT", side="BUY") == 1
        assert delta(before, after, "sim_orders_filled_total", order_type="MARKET", liquidity="TAKER") == 1
        assert delta(before, after, "sim_orders_refused_total", error_class="rejected") == 1
        assert delta(before, after, "sim_orders_refused_total", error_class="input") == 1
        assert delta(before, after, "sim_order_duration_seconds_count", outcome="placed") == 2
        assert delta(before, after, "sim_order_duration_seconds_count", outcome="refused") == 2
        failures = delta(before, after, "sim_logins_total", outcome="failure")
        throttled = delta(before, after, "sim_logins_total", outcome="throttled")
        assert failures + throttled == 6 and failures >= 1 and throttled >= 1, (failures, throttled)
        # no user name or id in any label of ours
        for name, labels, _ in after:
            if name.startswith("sim_"):
                # (a partition number is no id: the process-wide registry may hold the lag of
                # partition 1 from another test)
                values = {v for k, v in labels.items() if k != "partition"}
                assert "metrics-user" not in values and str(user.id) not in values, (name, labels)

        # the ledger's database disappears: the refusal is of the infrastructure class
        services.drop_postgres_database(postgres_url.rsplit("/", 1)[1])
        before = scrape(port)
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
            sim.buy(user.id, "BTCUSDT", "0.01")
        after = scrape(port)
        assert delta(before, after, "sim_orders_refused_total", error_class="infrastructure") == 1
    finally:
        runtime.close()
