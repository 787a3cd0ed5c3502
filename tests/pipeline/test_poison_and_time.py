"""Records the consumer and the matcher must survive (issue 14, point 13; issue 13, point 3).

In-process bus and live store, so each rule is seen on its own; tests/e2e/test_foreign_producers.py
runs the same records through a real broker, Redis and foreign clients.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.bus import InMemoryBus
from pipeline.consumer import MarketConsumer, next_batch_size
from pipeline.matcher import OrderMatcher
from pipeline.producer import Topics
from sim.adapters.live.memory import InMemoryLiveStore
from sim.market import BookTop, Candle, Trade, datetime_to_ms, encode
from sim.market.raw_trades import NO_VALUE, RawTrade, decode_batch
from sim.services import Simulator
from sim.settings import Settings, SettingsError, load_settings

D = Decimal
TOPICS = Topics("p.ticks", "p.candles", "p.dlq")
NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)  # the consumer's receive time in these tests
NOW_MS = datetime_to_ms(NOW)


def trade(i: int, when: datetime, price: str = "40000.00") -> Trade:
    return Trade("BTCUSDT", 100 + i, D(price), D("0.01"), when, False)


def consumer(bus: InMemoryBus, live: InMemoryLiveStore, ahead_s: int = 5) -> MarketConsumer:
    return MarketConsumer(
        bus.subscribe([TOPICS.ticks, TOPICS.candles], "g"),
        bus,
        TOPICS,
        live,
        None,
        ["BTCUSDT"],
        clock_ms=lambda: NOW_MS,
        max_ahead_ms=ahead_s * 1000,
    )


def reasons(bus: InMemoryBus) -> list[str]:
    return [dict(r.headers)["reason"].decode() for r in bus.records(TOPICS.dlq)]


# --- null values and tombstones -------------------------------------------------------------


def test_decode_batch_refuses_a_null_value_and_keeps_the_rest() -> None:
    good, refused = decode_batch([encode(trade(1, NOW)), None, encode(trade(2, NOW))])
    assert [m.trade_id for m in good if isinstance(m, RawTrade)] == [101, 102]
    assert [(i, e.reason) for i, e in refused] == [(1, NO_VALUE)]


def test_a_tombstone_goes_to_the_dead_letter_topic_is_committed_and_the_consumer_goes_on() -> None:
    bus, live = InMemoryBus(), InMemoryLiveStore()
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(1, NOW)))
    bus.send(TOPICS.ticks, b"BTCUSDT", None)  # kcat -Z, or a compaction tombstone
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(2, NOW, "40001.00")))
    c = consumer(bus, live)
    stop = threading.Event()
    t = threading.Thread(target=c.run, args=(stop,), kwargs={"idle_timeout_s": 0.05}, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while c.stats.messages + c.stats.dead_letters < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    t.join(5)
    assert (c.stats.messages, c.stats.dead_letters, c.stats.retries) == (2, 1, 0)
    assert live.last("BTCUSDT").price == D("40001.00")
    dead = bus.records(TOPICS.dlq)
    assert len(dead) == 1 and dead[0].value == b"" and dead[0].key == b"BTCUSDT"
    assert dict(dead[0].headers)["reason"].decode() == NO_VALUE
    assert dict(dead[0].headers)["source"] == f"{TOPICS.ticks}/0/1".encode()
    assert bus.subscribe([TOPICS.ticks], "g").lag() == 0  # committed: a restart does not see it again


def test_the_matcher_skips_a_tombstone_and_commits(tmp_path: Path) -> None:
    live = InMemoryLiveStore()
    live.write([trade(0, NOW - timedelta(minutes=1))], NOW_MS)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=lambda: NOW - timedelta(seconds=30))
    sim.bcrypt_rounds = 4
    user = sim.register("sleeper", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="39000")
    bus = InMemoryBus()
    bus.send(TOPICS.ticks, b"BTCUSDT", None)
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(1, NOW - timedelta(seconds=10), "38990.00")))
    sub = bus.subscribe([TOPICS.ticks], "m")
    matcher = OrderMatcher(sim, sub)
    assert matcher.process(sub.poll()) == 1
    assert sub.lag() == 0 and bus.subscribe([TOPICS.ticks], "m").lag() == 0
    assert sim.order(user.id, order.id).status == "FILLED"
    sim.close()


# --- event times ahead of the receive time ----------------------------------------------------


def test_a_trade_dated_ahead_of_its_arrival_is_dead_lettered_and_moves_nothing() -> None:
    bus, live = InMemoryBus(), InMemoryLiveStore()
    c = consumer(bus, live)
    ok = [trade(1, NOW - timedelta(seconds=2)), trade(2, NOW + timedelta(seconds=4), "40002.00")]
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(ok[0]))
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(ok[1]))  # 4 s ahead: within the 5 s allowed
    c.process(c.sub.poll())
    before = (live.last("BTCUSDT"), live.forming_candle("BTCUSDT"), live.health(["BTCUSDT"], NOW_MS))
    future = trade(3, NOW + timedelta(minutes=5), "99999.00")
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(future))
    slow = encode(trade(4, NOW + timedelta(seconds=6))).replace(b'"40000.00"', b'"40000."')  # not canonical
    bus.send(TOPICS.ticks, b"BTCUSDT", slow)  # decoded by messages.decode, not the fast path
    bus.send(
        TOPICS.ticks,
        b"BTCUSDT",
        encode(BookTop("BTCUSDT", 9, D("1"), D("1"), D("2"), D("1"), NOW + timedelta(hours=1))),
    )
    bus.send(
        TOPICS.candles,
        b"BTCUSDT",
        encode(Candle("BTCUSDT", "1m", NOW + timedelta(minutes=2), D(1), D(1), D(1), D(1), D(1), False)),
    )
    c.process(c.sub.poll())
    assert (live.last("BTCUSDT"), live.forming_candle("BTCUSDT"), live.health(["BTCUSDT"], NOW_MS)) == before
    assert live.book_top("BTCUSDT") is None
    assert reasons(bus) == [
        "event time 300.0 s ahead of receive time (at most 5 s is allowed)",
        "event time 6.0 s ahead of receive time (at most 5 s is allowed)",
        "event time 3600.0 s ahead of receive time (at most 5 s is allowed)",
        "event time 120.0 s ahead of receive time (at most 5 s is allowed)",
    ]
    assert c.sub.lag() == 0 and c.stats.dead_letters == 4


def test_a_malformed_future_trade_keeps_the_reason_decode_gives() -> None:
    future = NOW + timedelta(minutes=5)
    nan = encode(trade(1, future)).replace(b'"40000.00"', b'"NaN"')
    good, refused = decode_batch([nan, encode(trade(2, future))], received_ms=NOW_MS, max_ahead_ms=5000)
    assert good == []
    assert [e.reason for _, e in refused] == [
        "price must be a plain decimal number, got 'NaN'",
        "event time 300.0 s ahead of receive time (at most 5 s is allowed)",
    ]


def test_the_allowance_is_a_setting() -> None:
    assert load_settings({}, dotenv=False).max_trade_ahead_seconds == 5
    assert load_settings({"MAX_TRADE_AHEAD_SECONDS": "0"}, dotenv=False).max_trade_ahead_seconds == 0
    bus, live = InMemoryBus(), InMemoryLiveStore()
    c = consumer(bus, live, ahead_s=0)
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(1, NOW + timedelta(milliseconds=1))))
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(2, NOW)))
    c.process(c.sub.poll())
    assert reasons(bus) == ["event time 0.0 s ahead of receive time (at most 0 s is allowed)"]
    assert live.last("BTCUSDT").time == NOW


def test_the_matcher_fills_nothing_with_a_trade_dated_ahead(tmp_path: Path) -> None:
    live = InMemoryLiveStore()
    now = datetime.now(UTC)
    live.write([trade(0, now - timedelta(seconds=30))], datetime_to_ms(now))
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=lambda: now - timedelta(seconds=20))
    sim.bcrypt_rounds = 4
    user = sim.register("sleeper", "correct horse")
    order = sim.buy(user.id, "BTCUSDT", "0.1", price="39000")
    bus = InMemoryBus()
    bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(1, now + timedelta(minutes=5), "38990.00")))
    sub = bus.subscribe([TOPICS.ticks], "m")
    assert OrderMatcher(sim, sub).process(sub.poll()) == 0
    assert sim.order(user.id, order.id).status == "OPEN"
    sim.close()


# --- batches inside the poll interval ---------------------------------------------------------


def test_batches_shrink_when_slow_and_grow_back_when_fast() -> None:
    assert next_batch_size(1000, 2.0, 1.25, 1000) == 500
    assert next_batch_size(1, 9.0, 1.25, 1000) == 1
    assert next_batch_size(500, 0.1, 1.25, 1000) == 1000
    assert next_batch_size(1000, 0.1, 1.25, 1000) == 1000
    assert next_batch_size(300, 0.5, 1.25, 1000) == 300


def test_the_poll_interval_is_a_setting() -> None:
    assert load_settings({}, dotenv=False).max_poll_interval_ms == 5000
    s = load_settings({"KAFKA_MAX_POLL_INTERVAL_MS": "30000"}, dotenv=False)
    assert s.max_poll_interval_ms == 30000
    for name, bad in (("KAFKA_MAX_POLL_INTERVAL_MS", "10"), ("MAX_TRADE_AHEAD_SECONDS", "-1")):
        with pytest.raises(SettingsError, match=f"{name} must be a whole number"):
            load_settings({name: bad}, dotenv=False)


class SlowStore(InMemoryLiveStore):
    """A live store that takes 1 ms a message (a slow Redis, say)."""

    def write(self, messages, now_ms):  # type: ignore[no-untyped-def]
        time.sleep(0.001 * len(messages))
        super().write(messages, now_ms)


def test_the_consumer_asks_for_fewer_records_until_a_batch_fits_the_poll_interval() -> None:
    bus, live = InMemoryBus(), SlowStore()
    for i in range(2500):
        bus.send(TOPICS.ticks, b"BTCUSDT", encode(trade(i, NOW - timedelta(seconds=1))))
    sizes: list[int] = []
    c = MarketConsumer(
        bus.subscribe([TOPICS.ticks], "g"),
        bus,
        TOPICS,
        live,
        None,
        ["BTCUSDT"],
        clock_ms=lambda: NOW_MS,
        on_batch=lambda good: sizes.append(len(good)),
        max_poll_interval_ms=1000,  # a quarter of it: 250 ms, i.e. fewer than 250 messages here
    )
    stop = threading.Event()
    t = threading.Thread(target=c.run, args=(stop,), kwargs={"idle_timeout_s": 0.05}, daemon=True)
    t.start()
    deadline = time.monotonic() + 30
    while c.stats.messages < 2500 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    t.join(5)
    assert c.stats.messages == 2500
    assert sizes[:3] == [1000, 500, 250]
    assert max(sizes[4:]) <= 250, sizes  # each batch now takes at most about a quarter of the interval
