"""What other producers put on the bus, on the real broker (Tansu) and the machine's Redis.

Issue 14, points 13 to 15, and issue 13, point 3: compressed batches of every codec kafka-python
knows, null values and tombstones, duplicates, out-of-order and future-dated trades, from
kafka-python and from kcat (librdkafka); and the history store's first-use import before the
consumer joins its group.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.record import default_records

from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
from pipeline.consumer import MarketConsumer
from pipeline.matcher import OrderMatcher
from pipeline.producer import MarketProducer, Topics
from pipeline.runtime import MarketClock
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Trade, encode
from sim.market.raw_trades import NO_VALUE
from sim.services import Simulator
from sim.settings import ROOT, Settings
from tests.e2e.test_pipeline_kafka import SYMBOLS, expected_state, real_messages, state, wait_for
from tests.kcat import kcat_env, kcat_produce

CODECS = ["gzip", "snappy", "lz4", "zstd"]


def dead_letters(bootstrap: str, topic: str) -> list[tuple[bytes | None, str]]:
    dlq = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=3000
    )
    out = [(r.value, dict(r.headers)["reason"].decode()) for r in dlq]
    dlq.close()
    return out


def run_consumer(consumer: MarketConsumer, until: Callable[[], bool]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(until, what="the consumer to catch up")
    finally:
        stop.set()
        thread.join(20)
        consumer.sub.close()
        consumer.dlq.close()


@pytest.mark.parametrize("codec", CODECS)
def test_a_compressed_batch_of_each_codec_is_decompressed_and_applied(
    kafka: str, redis_url: tuple[str, str], codec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, prefix = redis_url
    topics = Topics(f"z{codec}.ticks", f"z{codec}.candles", f"z{codec}.dlq")
    messages = [m for m in real_messages() if m.symbol == "BTCUSDT"][:1500]
    ensure_topics(kafka, topics.all, 1)
    producer = MarketProducer(KafkaPublisher(kafka, compression_type=codec, linger_ms=20), topics)
    producer.publish_all(messages)
    producer.flush()
    producer.publisher.close()
    decoded: list[int] = []
    real = getattr(default_records, f"{codec}_decode")

    def spy(data: Any) -> Any:
        decoded.append(len(data))
        return real(data)

    monkeypatch.setattr(default_records, f"{codec}_decode", spy)  # what the consumer's fetch calls
    live = RedisLiveStore(url, prefix=prefix)
    consumer = MarketConsumer(
        KafkaSubscription(kafka, [topics.ticks, topics.candles], f"g-{codec}"),
        KafkaPublisher(kafka),
        topics,
        live,
        None,
        SYMBOLS,
    )
    run_consumer(consumer, lambda: consumer.stats.messages >= len(messages))
    assert (consumer.stats.messages, consumer.stats.dead_letters, consumer.stats.retries) == (
        len(messages),
        0,
        0,
    )
    assert decoded, f"no {codec} batch reached the consumer"
    assert state(live, "BTCUSDT") == state(expected_state(messages), "BTCUSDT")


def test_kcat_compressed_batches_tombstones_duplicates_late_and_future_trades(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path
) -> None:
    env = kcat_env(tmp_path)
    url, prefix = redis_url
    topics = Topics("k.ticks", "k.candles", "k.dlq")
    ensure_topics(kafka, topics.all, 3)
    trades = [m for m in real_messages() if isinstance(m, Trade) and m.symbol == "BTCUSDT"][:2000]
    last = trades[-1]
    late = Trade(
        "BTCUSDT", last.trade_id + 1, last.price / 2, last.quantity, last.time - timedelta(minutes=5), False
    )
    now = datetime.now(UTC).replace(microsecond=0)
    future = Trade(
        "BTCUSDT", last.trade_id + 2, last.price * 2, last.quantity, now + timedelta(minutes=5), False
    )

    def lines(batch: list[Trade]) -> list[bytes]:
        return [b"BTCUSDT:" + encode(t) for t in batch]

    for i, codec in enumerate(CODECS):  # one kcat run per codec, 500 trades each
        kcat_produce(env, kafka, topics.ticks, lines(trades[i * 500 : (i + 1) * 500]), "-z", codec)
    kcat_produce(env, kafka, topics.ticks, lines(trades[100:300]), "-z", "lz4")  # duplicates
    kcat_produce(env, kafka, topics.ticks, [b"BTCUSDT:"], "-Z")  # a tombstone (a null value)
    kcat_produce(env, kafka, topics.ticks, lines([late, future]))

    live = RedisLiveStore(url, prefix=prefix)
    consumer = MarketConsumer(
        KafkaSubscription(kafka, [topics.ticks, topics.candles], "g-kcat"),
        KafkaPublisher(kafka),
        topics,
        live,
        None,
        SYMBOLS,
    )
    run_consumer(consumer, lambda: consumer.stats.messages + consumer.stats.dead_letters >= 2203)
    assert (consumer.stats.messages, consumer.stats.dead_letters, consumer.stats.retries) == (2201, 2, 0)
    assert state(live, "BTCUSDT") == state(expected_state([*trades, late]), "BTCUSDT")
    assert live.last("BTCUSDT").price == last.price and live.last("BTCUSDT").time == last.time
    assert live.health(["BTCUSDT"], 0).symbols[0].last_event == last.time
    assert last.time <= MarketClock(live, ["BTCUSDT"])() < last.time + timedelta(minutes=2)  # no +5 min
    dead = dead_letters(kafka, topics.dlq)
    assert [d[0] for d in dead] == [b"", encode(future)]
    assert dead[0][1] == NO_VALUE
    ahead = re.fullmatch(
        r"event time (\d+\.\d) s ahead of receive time \(at most 5 s is allowed\)", dead[1][1]
    )
    assert ahead is not None and 200 < float(ahead[1]) <= 300, dead[1][1]

    # the matcher reads the same records (tombstone included) and commits them: no stall
    sim = Simulator.open(
        settings=Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}"), market=live
    )
    sub = KafkaSubscription(kafka, [topics.ticks], "g-kcat-matcher")
    records: list[Any] = []
    deadline = time.monotonic() + 60
    while len(records) < 2203 and time.monotonic() < deadline:
        records += sub.poll(max_records=5000)
    assert len(records) == 2203 and any(r.value is None for r in records)
    assert OrderMatcher(sim, sub).process(records) == 0
    assert sub.lag() == 0
    sub.close()
    sim.close()


def test_the_history_import_happens_before_the_consumer_joins_its_group(
    kafka: str, redis_url: tuple[str, str], postgres_url: str, tmp_path: Path
) -> None:
    url, prefix = redis_url
    topics = Topics("h.ticks", "h.candles", "h.dlq")
    messages = real_messages()
    ensure_topics(kafka, topics.all, 3)
    producer = MarketProducer(KafkaPublisher(kafka), topics)
    producer.publish_all(messages)
    producer.flush()
    producer.publisher.close()
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka,
        REDIS_URL=url,
        REDIS_KEY_PREFIX=prefix,
        HISTORY_URL=postgres_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
        KAFKA_TOPIC_TICKS=topics.ticks,
        KAFKA_TOPIC_CANDLES=topics.candles,
        KAFKA_TOPIC_DLQ=topics.dlq,
        KAFKA_CONSUMER_GROUP="g-history",
        KAFKA_MAX_POLL_INTERVAL_MS="3000",
        SYMBOLS=",".join(SYMBOLS),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--no-progress", "consume", "--no-matcher"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    dsn = postgres_url.replace("postgresql+psycopg2://", "postgresql://")
    out: list[str] = []
    at_start: list[int] = []

    def sample_rows() -> int:
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SELECT to_regclass('candles') IS NOT NULL")
            if not cur.fetchone()[0]:
                return 0
            cur.execute("SELECT count(*) FROM candles WHERE interval = '1h'")
            return int(cur.fetchone()[0])

    def read() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode(errors="replace")
            if "consumer started on" in line:
                at_start.append(sample_rows())  # the consumer is about to poll, i.e. join its group
            out.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_for(lambda: bool(at_start), what="the consumer to start")
        wait_for(
            lambda: _committed(kafka, "g-history", topics) == len(messages), what="every message committed"
        )
        time.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        reader.join(10)
    log = "".join(out)
    assert at_start[0] > 1000, "the shipped candles were not imported before the consumer joined its group"
    exited = re.search(
        r"consumer exited: (\d+) batches, (\d+) messages, (\d+) dead letters, (\d+) retries", log
    )
    assert exited is not None, log
    assert (int(exited[2]), int(exited[3]), int(exited[4])) == (len(messages), 0, 0), log  # none twice
    for failed in ("commit could not be sent", "offset commit failed", "last commit failed", "write failed"):
        assert failed not in log, log


def _committed(bootstrap: str, group: str, topics: Topics) -> int:
    """Offsets the group committed, summed over the partitions (read without joining the group)."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        tps = [TopicPartition(t, p) for t in (topics.ticks, topics.candles) for p in range(3)]
        return sum(reader.committed(tp) or 0 for tp in tps)
    finally:
        reader.close()
