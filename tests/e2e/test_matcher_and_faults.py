"""The order matcher and the feed's fault handling on real brokers."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
from pipeline.consumer import MarketConsumer
from pipeline.matcher import OrderMatcher
from pipeline.producer import MarketProducer, Topics
from pipeline.runtime import MarketClock
from sim.adapters.live.base import FeedStatus
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Trade
from sim.services import Simulator
from sim.settings import Settings
from tests.brokers import private_redis
from tests.e2e.test_pipeline_kafka import wait_for

D = Decimal
T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def trade(i: int, price: str) -> Trade:
    return Trade("BTCUSDT", 5000 + i, D(price), D("0.01"), T0.replace(second=i % 60), False)


def test_limit_crossed_by_a_tick_delivered_twice_fills_once_and_restart_changes_nothing(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path
) -> None:
    url, prefix = redis_url
    topics = Topics("m.ticks", "m.candles", "m.dlq")
    ensure_topics(kafka, topics.all, 3)
    live = RedisLiveStore(url, prefix=prefix)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=MarketClock(live, ["BTCUSDT"]))
    sim.bcrypt_rounds = 4
    producer = MarketProducer(KafkaPublisher(kafka), topics)
    producer.publish(trade(0, "40000.00"))
    producer.flush()
    live.write([trade(0, "40000.00")], int(time.time() * 1000))
    user = sim.register("sleeper", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="39000")
    assert order.status == "OPEN"
    crossing = trade(1, "38990.00")
    producer.publish_all([crossing, crossing, trade(2, "38980.00")])  # a duplicate, then lower
    producer.flush()

    def run_matcher(limit_s: float) -> OrderMatcher:
        matcher = OrderMatcher(sim, KafkaSubscription(kafka, [topics.ticks], "g-matcher"))
        stop = threading.Event()
        t = threading.Thread(target=matcher.run, args=(stop,), daemon=True)
        t.start()
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline and sim.order(user.id, order.id).status == "OPEN":
            time.sleep(0.1)
        time.sleep(1.0)
        stop.set()
        t.join(10)
        matcher.sub.close()
        return matcher

    first = run_matcher(60)
    assert first.filled == 1
    filled = sim.order(user.id, order.id)
    assert filled.status == "FILLED" and filled.fills[0].price == D("39000")
    # the matcher restarts and the whole topic is delivered again (a new group): nothing changes
    sub = KafkaSubscription(kafka, [topics.ticks], "g-matcher-replay")
    again = OrderMatcher(sim, sub)
    records = []
    deadline = time.monotonic() + 30
    while len(records) < 4 and time.monotonic() < deadline:
        records += sub.poll()
    assert len(records) == 4
    assert again.process(records) == 0
    sub.close()
    assert len(sim.trades(user.id)) == 1
    assert sim.portfolio(user.id).cash_free == D("100000") - D("0.1") * D("39000") * D("1.001")
    sim.close()


def test_redis_restart_shows_stale_then_the_consumer_recovers(kafka: str, tmp_path: Path) -> None:
    topics = Topics("r.ticks", "r.candles", "r.dlq")
    ensure_topics(kafka, topics.all, 1)
    with private_redis() as redis_server:
        live = RedisLiveStore(redis_server.url, prefix="r:")
        consumer = MarketConsumer(
            KafkaSubscription(kafka, [topics.ticks, topics.candles], "g-redis"),
            KafkaPublisher(kafka),
            topics,
            live,
            None,
            ["BTCUSDT"],
        )
        stop = threading.Event()
        t = threading.Thread(target=consumer.run, args=(stop,), kwargs={"max_backoff_s": 0.5}, daemon=True)
        t.start()
        producer = MarketProducer(KafkaPublisher(kafka), topics)
        producer.publish(trade(1, "40000.00"))
        producer.flush()
        wait_for(lambda: live.last("BTCUSDT") is not None, what="the first trade in Redis")
        now = lambda: int(time.time() * 1000)  # noqa: E731
        assert live.health(["BTCUSDT"], now()).symbols[0].status is FeedStatus.LIVE

        redis_server.stop()
        producer.publish(trade(2, "40100.00"))
        producer.flush()
        health = live.health(["BTCUSDT"], now())
        assert health.symbols[0].status is FeedStatus.STALE and "cannot be reached" in health.error
        wait_for(lambda: consumer.stats.retries > 0, what="the consumer to retry")
        assert t.is_alive()

        redis_server.start()  # an empty Redis: the batch that failed is written again
        wait_for(lambda: _price(live) == D("40100.00"), what="the consumer to recover")
        assert live.health(["BTCUSDT"], now()).symbols[0].status is FeedStatus.LIVE
        stop.set()
        t.join(10)
        consumer.sub.close()


def _price(live: RedisLiveStore) -> Decimal | None:
    try:
        tick = live.last("BTCUSDT")
    except Exception:
        return None
    return tick.price if tick else None


def test_a_new_matcher_group_replaying_the_topic_never_fills_with_a_trade_older_than_the_order(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path
) -> None:
    """Issue 13, reproduction 1 on Kafka: the crossing trade on the topic predates the order."""
    url, prefix = redis_url
    topics = Topics("o.ticks", "o.candles", "o.dlq")
    ensure_topics(kafka, topics.all, 1)
    live = RedisLiveStore(url, prefix=prefix)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=MarketClock(live, ["BTCUSDT"]))
    sim.bcrypt_rounds = 4
    producer = MarketProducer(KafkaPublisher(kafka), topics)
    producer.publish_all([trade(0, "64000.00"), trade(1, "62990.00")])  # 12:00:00, 12:00:01
    producer.flush()
    live.write([trade(30, "64000.00")], int(time.time() * 1000))  # the market is at 12:00:30
    user = sim.register("latecomer", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="63100")
    assert order.status == "OPEN" and order.created_at >= T0.replace(second=30)
    sub = KafkaSubscription(kafka, [topics.ticks], "g-from-the-start")
    matcher = OrderMatcher(sim, sub)
    records = []
    deadline = time.monotonic() + 30
    while len(records) < 2 and time.monotonic() < deadline:
        records += sub.poll()
    assert len(records) == 2 and matcher.process(records) == 0
    assert sim.order(user.id, order.id).status == "OPEN"
    producer.publish(trade(45, "63000.00"))  # crosses after the order: fills
    producer.flush()
    records = []
    deadline = time.monotonic() + 30
    while not records and time.monotonic() < deadline:
        records += sub.poll()
    assert matcher.process(records) == 1
    assert sim.order(user.id, order.id).fills[0].time == T0.replace(second=45)
    sub.close()
    sim.close()
