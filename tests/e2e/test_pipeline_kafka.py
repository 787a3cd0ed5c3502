"""The pipeline end to end on a real Kafka-protocol broker (Tansu) and the machine's Redis.

The expected state is what the in-memory live store holds after the same messages in order: the
Redis store must hold exactly that after duplicates, crashes and restarts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
from pipeline.consumer import MarketConsumer
from pipeline.producer import MarketProducer, Topics
from pipeline.sources.replay_source import ReplaySource
from sim.adapters.history import open_history
from sim.adapters.live.memory import InMemoryLiveStore
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Candle, Trade
from sim.settings import DATA_DIR, ROOT

SYMBOLS = ["BTCUSDT", "ETHUSDT"]
START = datetime(2023, 6, 1, tzinfo=UTC)
END = datetime(2023, 6, 3, 2, tzinfo=UTC)  # 50 hourly candles per symbol


def real_messages() -> list[Trade | Candle]:
    """10,000 trades (2 symbols x 50 candles x 100 ticks) and 100 closed candles from real data."""
    source = ReplaySource.from_sample(
        DATA_DIR / "sample",
        DATA_DIR / "exchange_info.json",
        SYMBOLS,
        start=START,
        end=END,
        ticks_per_candle=100,
    )
    return list(source.messages())


def expected_state(messages: list[Trade | Candle]) -> InMemoryLiveStore:
    ref = InMemoryLiveStore()
    ref.write(messages, now_ms=1)
    return ref


def state(store, symbol: str) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    return (
        store.last(symbol),
        [t.trade_id for t in store.recent_trades(symbol, 500)],
        store.forming_candle(symbol),
    )


def wait_for(predicate, timeout: float = 90.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def produce(bootstrap: str, topics: Topics, messages: list, duplicates: int = 0) -> None:  # type: ignore[type-arg]
    ensure_topics(bootstrap, topics.all, 3)
    producer = MarketProducer(KafkaPublisher(bootstrap), topics)
    producer.publish_all(messages)
    producer.publish_all(messages[:duplicates])
    producer.flush()
    producer.publisher.close()


def test_ten_thousand_trades_end_to_end_with_dead_letters(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path
) -> None:
    url, prefix = redis_url
    topics = Topics("t.ticks", "t.candles", "t.dlq")
    messages = real_messages()
    trades = [m for m in messages if isinstance(m, Trade)]
    candles = [m for m in messages if isinstance(m, Candle)]
    assert (len(trades), len(candles)) == (10_000, 100)
    produce(kafka, topics, messages, duplicates=500)
    bad = [
        b"not json",
        json.dumps(
            {
                "kind": "trade",
                "symbol": "BTCUSDT",
                "trade_id": 1,
                "price": "NaN",
                "quantity": "1",
                "time": 1,
                "is_buyer_maker": False,
            }
        ).encode(),
        json.dumps(
            {
                "kind": "trade",
                "symbol": "DOGEUSDT",
                "trade_id": 1,
                "price": "1",
                "quantity": "1",
                "time": 1,
                "is_buyer_maker": False,
            }
        ).encode(),
        json.dumps(
            {
                "kind": "trade",
                "symbol": "BTCUSDT",
                "trade_id": 1,
                "price": "-5",
                "quantity": "1",
                "time": 1,
                "is_buyer_maker": False,
            }
        ).encode(),
        b"x" * 1_000_000,
    ]
    raw = KafkaPublisher(kafka, max_request_size=2_000_000)
    for b in bad:
        raw.send(topics.ticks, b"BTCUSDT", b)
    raw.flush()
    raw.close()

    live = RedisLiveStore(url, prefix=prefix)
    history = open_history(f"duckdb:///{tmp_path / 'history.duckdb'}", None, SYMBOLS)
    consumer = MarketConsumer(
        KafkaSubscription(kafka, [topics.ticks, topics.candles], "g-e2e"),
        KafkaPublisher(kafka),
        topics,
        live,
        history,
        SYMBOLS,
    )
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    wait_for(
        lambda: consumer.stats.messages + consumer.stats.dead_letters >= len(messages) + 505,
        what="every message to be consumed",
    )
    stop.set()
    thread.join(20)
    assert not thread.is_alive()
    consumer.sub.close()
    consumer.dlq.close()
    assert consumer.stats.dead_letters == len(bad)

    ref = expected_state(messages)
    for s in SYMBOLS:
        assert state(live, s) == state(ref, s)
        stored = history.stored_rows(s, "1h", START, END)
        sent = [c for c in candles if c.symbol == s]
        assert [(r.open_time, r.open, r.high, r.low, r.close, r.volume) for r in stored] == [
            (c.open_time, c.open, c.high, c.low, c.close, c.volume) for c in sent
        ]

    dlq = KafkaConsumer(
        topics.dlq,
        bootstrap_servers=kafka,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
        fetch_max_bytes=5_000_000,
    )
    reasons = sorted(dict(r.headers)["reason"].decode() for r in dlq)
    dlq.close()
    assert len(reasons) == 5
    joined = " | ".join(reasons)
    for fragment in ("JSON", "DOGEUSDT", "-5", "1000000 bytes", "NaN"):
        assert fragment in joined, joined


def consumer_process(
    kafka: str, url: str, prefix: str, tmp_path: Path, topics: Topics
) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka,
        REDIS_URL=url,
        REDIS_KEY_PREFIX=prefix,
        HISTORY_URL=f"duckdb:///{tmp_path / 'history.duckdb'}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
        KAFKA_TOPIC_TICKS=topics.ticks,
        KAFKA_TOPIC_CANDLES=topics.candles,
        KAFKA_TOPIC_DLQ=topics.dlq,
        KAFKA_CONSUMER_GROUP="g-crash",
        SYMBOLS=",".join(SYMBOLS),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--no-progress", "consume", "--no-matcher"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_consumer_crash_or_stop_mid_stream_loses_and_doubles_nothing(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path, how: signal.Signals
) -> None:
    url, prefix = redis_url
    topics = Topics("c.ticks", "c.candles", "c.dlq")
    messages = real_messages()
    produce(kafka, topics, messages)
    live = RedisLiveStore(url, prefix=prefix)
    seen_ids: list[int] = []

    def progress() -> int:
        last = live.last("BTCUSDT")
        if last is not None:
            ids = live.recent_trades("BTCUSDT", 1)
            seen_ids.append(ids[0].trade_id)
        return len(live.recent_trades("BTCUSDT", 500))

    first = consumer_process(kafka, url, prefix, tmp_path, topics)
    wait_for(lambda: progress() > 0, what="the consumer to start writing")
    first.send_signal(how)
    out = first.communicate(timeout=30)[0].decode()
    if how == signal.SIGTERM:
        assert first.returncode == 0, out
        assert "finishing the batch in hand" in out and "consumer exited" in out
    second = consumer_process(kafka, url, prefix, tmp_path, topics)
    ref = expected_state(messages)
    try:
        wait_for(
            lambda: (progress() or True) and all(state(live, s) == state(ref, s) for s in SYMBOLS),
            what="the restarted consumer to catch up",
        )
        history = open_history(f"duckdb:///{tmp_path / 'history.duckdb'}", None, SYMBOLS)
        wait_for(lambda: len(history.stored_rows("ETHUSDT", "1h", START, END)) == 50, what="candles")
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
    assert seen_ids == sorted(seen_ids), "the latest price went back in time"
    candle = live.forming_candle("BTCUSDT")
    assert candle is not None and candle.volume == ref.forming_candle("BTCUSDT").volume  # nothing doubled
    assert Decimal(0) < candle.volume
