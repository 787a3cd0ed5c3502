"""A trailing stop on a real broker (Tansu) and PostgreSQL (issue 15): a matcher in a new consumer
group reads the ticks topic from its start, trades from before the order included; those never
move its stop, the later ones do, and it fills once; a second replay of the topic changes nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
from pipeline.matcher import OrderMatcher
from pipeline.producer import MarketProducer, Topics
from sim.adapters.live.memory import InMemoryLiveStore
from sim.domain.fills import slipped_price
from sim.domain.orders import Side
from sim.market import Trade
from sim.services import Simulator
from sim.settings import Settings

D = Decimal
T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def trade(i: int, price: str) -> Trade:
    return Trade("BTCUSDT", 7000 + i, D(price), D("0.01"), T0 + timedelta(seconds=i), False)


def replay(kafka: str, topic: str, group: str, sim: Simulator, count: int) -> int:
    """A matcher in consumer group ``group`` over the whole topic; how many orders it filled."""
    sub = KafkaSubscription(kafka, [topic], group)
    matcher = OrderMatcher(sim, sub)
    seen, deadline = 0, time.monotonic() + 30
    try:
        while seen < count and time.monotonic() < deadline:
            records = sub.poll()
            seen += len(records)
            matcher.process(records)
    finally:
        sub.close()
    assert seen == count
    return matcher.filled


def test_a_replayed_topic_moves_a_trailing_stop_only_with_trades_after_it(
    kafka: str, postgres_url: str
) -> None:
    topics = Topics("trail.ticks", "trail.candles", "trail.dlq")
    ensure_topics(kafka, topics.all, 1)
    live = InMemoryLiveStore()
    live.write([trade(3, "40000.00")], 0)
    settings = Settings(database_url=postgres_url)
    sim = Simulator.open(settings=settings, market=live, clock=lambda: T0 + timedelta(seconds=5))
    sim.bcrypt_rounds = 4
    user = sim.register("trailer", "correct horse")
    sim.buy(user.id, "BTCUSDT", "0.1")
    order = sim.place_order(
        user.id, "BTCUSDT", "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=200
    )
    assert order.trail_extreme == D("40000")  # the last price when it was placed
    producer = MarketProducer(KafkaPublisher(kafka), topics)
    # before the order: a peak above 40000 and a fall through its stop; after it: a peak of 41000,
    # then 40180 = 41000 x (1 - 200/10000), at its stop
    producer.publish_all([trade(i, p) for i, p in [(1, "50000.00"), (2, "30000.00"), (3, "40000.00")]])
    producer.publish_all([trade(i, p) for i, p in [(6, "41000.00"), (7, "40500.00"), (8, "40180.00")]])
    producer.flush()
    assert replay(kafka, topics.ticks, "g-trail", sim, 6) == 1
    done = sim.order(user.id, order.id)
    assert (done.status, done.trail_extreme) == ("FILLED", D("41000"))
    assert done.avg_fill_price == slipped_price(D("40180"), Side.SELL, settings.slippage_bps, D("0.01"))
    assert done.fills[0].time == T0 + timedelta(seconds=8)
    assert replay(kafka, topics.ticks, "g-trail-again", sim, 6) == 0
    assert len(sim.trades(user.id)) == 2  # the buy and the stop, once
    sim.close()
