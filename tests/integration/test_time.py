"""Time (issue 13): a trade never fills an order placed after it; the replay never goes back;
``Simulator.open()`` reads the same settings as the app and sees live prices from Redis."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.bus import InMemoryBus
from pipeline.matcher import OrderMatcher
from pipeline.producer import MarketProducer, Topics
from sim.adapters.live.redis_store import RedisLiveStore
from sim.clock import Monotonic, resume_start
from sim.domain.errors import SimError
from sim.market import Trade
from sim.services import Simulator
from sim.settings import Settings
from tests.integration.conftest import Driver, open_sim

D = Decimal


# --- reproduction 1: the matcher never fills an order with a trade older than the order ----------
def test_a_trade_older_than_the_order_does_not_fill_it_on_simulator_match(
    env: tuple[Simulator, Driver],
) -> None:
    sim, drive = env
    user = sim.register("anna", "correct horse")
    drive.trade("BTCUSDT", "64000.00", seconds=10)
    placed_at = drive.clock[0]
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="63100")
    assert order.status == "OPEN" and order.created_at == placed_at
    # a late trade (a lagging matcher) dated 4.3 s before the order crosses its price: no fill
    assert sim.match("BTCUSDT", D("62990.00"), placed_at - timedelta(seconds=4.3)) == 0
    assert sim.order(user.id, order.id).status == "OPEN"
    # a trade at the order's own time may fill it, and one after it does
    assert sim.match("BTCUSDT", D("62990.00"), placed_at) == 1
    filled = sim.order(user.id, order.id)
    assert filled.status == "FILLED" and filled.fills[0].time >= filled.created_at


def test_a_new_matcher_group_replaying_the_topic_fills_only_with_later_trades(ledger_url: str) -> None:
    sim, drive = open_sim(ledger_url)
    try:
        user = sim.register("bob", "correct horse")
        bus, topics = InMemoryBus(), Topics("t.ticks", "t.candles", "t.dlq")
        producer = MarketProducer(bus, topics)
        t0 = drive.clock[0]
        # trades already on the topic before the order: one crosses its price
        early = [Trade("BTCUSDT", 1, D("64000.00"), D("0.01"), t0, False)]
        early.append(Trade("BTCUSDT", 2, D("62990.00"), D("0.01"), t0 + timedelta(seconds=1), False))
        producer.publish_all(early)
        drive.trade("BTCUSDT", "64000.00", seconds=5)  # the market moved on: the order is later
        order = sim.buy(user.id, "BTCUSDT", "0.1", price="63100")
        assert order.status == "OPEN"
        # a new group reads the topic from its start: the old crossing trade must not fill
        matcher = OrderMatcher(sim, bus.subscribe([topics.ticks], "new-group"))
        assert matcher.process(matcher.sub.poll(max_records=100, timeout_s=0.1)) == 0
        assert sim.order(user.id, order.id).status == "OPEN"
        # a crossing trade after the order fills it, at its own time
        later = drive.clock[0] + timedelta(seconds=2)
        producer.publish(Trade("BTCUSDT", 3, D("63000.00"), D("0.01"), later, False))
        assert matcher.process(matcher.sub.poll(max_records=100, timeout_s=0.1)) == 1
        filled = sim.order(user.id, order.id)
        assert filled.status == "FILLED" and filled.fills[0].time == later
    finally:
        sim.close()


# --- reproduction 2: the replay clock never goes backwards across reopen ----------------------------
def test_reopening_a_ledger_resumes_the_replay_after_its_last_fill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    settings = Settings(database_url=url)
    with Simulator.open(settings=settings) as sim:
        sim.bcrypt_rounds = 4
        user = sim.register("cyd", "correct horse")
        sim.advance(200)
        first = sim.buy(user.id, "BTCUSDT", quote_amount="1000")
        left_at = sim.now()
    assert left_at == datetime(2023, 12, 9, 8, tzinfo=UTC)
    with Simulator.open(settings=settings) as again:
        assert again.now() >= left_at  # not 2023-12-01
        tick = again.price("BTCUSDT")
        assert tick is not None and tick.time <= again.now()
        second = again.buy(user.id, "BTCUSDT", quote_amount="500")
        assert second.fills[0].time >= first.fills[0].time
        trades = again.trades(user.id)
        assert [t.order_id for t in trades] == [first.id, second.id]
        assert [t.time for t in trades] == sorted(t.time for t in trades)
    # an explicit earlier start is moved forward to the ledger's last event, not refused
    with Simulator.open(settings=settings, replay_start="2023-12-02") as early:
        assert early.now() >= second.fills[0].time


def test_resume_start_rounds_up_to_the_next_candle() -> None:
    hour = timedelta(hours=1)
    start = datetime(2023, 12, 1, tzinfo=UTC)
    assert resume_start(start, None, hour) == start
    assert resume_start(start, start - hour, hour) == start
    assert resume_start(start, datetime(2023, 12, 5, 14, 7, tzinfo=UTC), hour) == datetime(
        2023, 12, 5, 15, tzinfo=UTC
    )
    on_the_hour = datetime(2023, 12, 5, 15, tzinfo=UTC)
    assert resume_start(start, on_the_hour, hour) == on_the_hour


def test_the_clock_never_runs_backwards() -> None:
    hand = [datetime(2024, 1, 1, 12, tzinfo=UTC)]
    clock = Monotonic(lambda: hand[0])
    assert clock.now() == hand[0]
    hand[0] -= timedelta(minutes=5)
    assert clock.now() == datetime(2024, 1, 1, 12, tzinfo=UTC)
    hand[0] += timedelta(minutes=10)
    assert clock.now() == hand[0]


# --- reproduction 6: Simulator.open() reads the same settings as the app ---------------------------
def test_open_with_redis_and_postgres_settings_trades_on_live_prices(
    postgres_url: str, redis_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, prefix = redis_url
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("REDIS_KEY_PREFIX", prefix)
    # the consumer's write: a trade at 64,000 just now
    writer = RedisLiveStore(url, prefix=prefix)
    now = datetime.now(UTC).replace(microsecond=0)
    writer.write([Trade("BTCUSDT", 77, D("64000.00"), D("0.01"), now, False)], int(time.time() * 1000))
    writer.client.close()
    with Simulator.open() as sim:
        assert sim.engine.dialect.name == "postgresql" and sim.replay is None
        tick = sim.price("BTCUSDT")
        assert tick is not None and tick.price == D("64000.00")
        assert sim.now() >= now
        sim.bcrypt_rounds = 4
        user = sim.register("deed", "correct horse")
        order = sim.buy(user.id, "BTCUSDT", "0.01", price="63000")
        assert order.status == "OPEN" and not order.fills  # rests below the live price
        with pytest.raises(SimError):
            sim.advance(1)  # nothing to replay on a live feed
        engine = sim.engine
    assert engine.pool.checkedout() == 0
    # an explicit argument overrides the environment: a replay on its own ledger
    with Simulator.open(database_url=postgres_url, replay_start="2023-12-01") as replay:
        assert replay.replay is not None
        tick = replay.price("BTCUSDT")
        assert tick is not None and tick.price != D("64000.00")


def test_the_apps_runtime_resumes_after_its_last_fill_on_restart(tmp_path: Path) -> None:
    from pipeline.runtime import open_runtime
    from sim.settings import load_settings
    from tests.integration.test_embedded_runtime import wait_for

    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
            "REPLAY_SPEED": "360000",  # a hundred hourly candles per second
            "SYMBOLS": "BTCUSDT,ETHUSDT",
        },
        dotenv=False,
    )
    rt = open_runtime(settings)
    try:
        rt.sim.bcrypt_rounds = 4
        start = rt.sim.now()
        assert start.year == 2023  # before the first message: the replay's start, not the wall clock
        assert wait_for(lambda: rt.sim.now() > start + timedelta(days=3))
        user = rt.sim.register("restart", "correct horse")
        first = rt.sim.buy(user.id, "ETHUSDT", "0.1")
        assert first.status == "FILLED"
    finally:
        rt.close()
    rt = open_runtime(settings.with_(replay_speed=Decimal(60)))  # one tick every half second
    try:
        assert rt.sim.now() >= first.fills[0].time  # the sidebar's market time does not jump back
        assert wait_for(lambda: rt.sim.price("ETHUSDT") is not None)
        tick = rt.sim.price("ETHUSDT")
        assert tick is not None and tick.time >= first.fills[0].time  # the replay resumed after it
        assert rt.sim.now() >= first.fills[0].time
        second = rt.sim.buy(user.id, "ETHUSDT", "0.1")
        assert second.fills[0].time >= first.fills[0].time
        assert [t.order_id for t in rt.sim.trades(user.id)] == [first.id, second.id]
    finally:
        rt.close()


def test_open_reads_database_and_history_urls_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("HISTORY_URL", f"duckdb:///{tmp_path / 'history.duckdb'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    with Simulator.open(replay_start="2023-12-05") as sim:
        assert sim.engine.url.database == str(tmp_path / "env.sqlite3")
        assert sim.history_store is not None and sim.replay is not None
        assert sim.now() == datetime(2023, 12, 5, tzinfo=UTC)
        assert not sim.history("BTCUSDT", "1h").empty  # from the store (the shipped sample imported)
    with Simulator.open(database_url=f"sqlite:///{tmp_path / 'arg.sqlite3'}") as sim:
        assert sim.engine.url.database == str(tmp_path / "arg.sqlite3")  # the argument wins
