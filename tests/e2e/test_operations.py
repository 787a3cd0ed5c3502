"""Operations on the real services: the producer and consumer processes' metrics endpoints and
their JSON logs, through Tansu and the machine's Redis.

One run covers the issue's checks for the feed: trades produced through the real broker move the
producer's and the consumer's counters and the consumer's lag per partition; two malformed
messages move the dead-letter counter under their reason classes; stopping the producer makes the
feed's staleness grow second by second, and the lag falls back to 0.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pipeline.bus import KafkaPublisher, ensure_topics
from pipeline.producer import Topics
from sim.market import Trade, encode
from sim.settings import ROOT
from tests.brokers import free_port
from tests.ops.scrape import Samples, scrape, value, wait_metric

TOPICS = Topics("ops.ticks", "ops.candles", "ops.dlq")


def pipeline_process(
    command: list[str], kafka: str, redis: tuple[str, str], tmp: Path, port: int
) -> subprocess.Popen[bytes]:
    url, prefix = redis
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka,
        REDIS_URL=url,
        REDIS_KEY_PREFIX=prefix,
        HISTORY_URL=f"duckdb:///{tmp / 'history.duckdb'}",
        DATABASE_URL=f"sqlite:///{tmp / 'ledger.sqlite3'}",
        KAFKA_TOPIC_TICKS=TOPICS.ticks,
        KAFKA_TOPIC_CANDLES=TOPICS.candles,
        KAFKA_TOPIC_DLQ=TOPICS.dlq,
        KAFKA_CONSUMER_GROUP="g-ops",
        SYMBOLS="BTCUSDT",
        METRICS_PORT=str(port),
        LOG_FORMAT="json",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--no-progress", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen[bytes]) -> list[dict[str, object]]:
    """SIGTERM, then every log line as the JSON object it must be."""
    proc.send_signal(signal.SIGTERM)
    out = proc.communicate(timeout=30)[0].decode()
    assert proc.returncode == 0, out[-3000:]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def produced(s: Samples) -> float:
    return value(s, "sim_messages_produced_total", topic=TOPICS.ticks) or 0.0


def test_producer_and_consumer_metrics_move_and_staleness_grows_when_the_feed_stops(
    kafka: str, redis_url: tuple[str, str], tmp_path: Path
) -> None:
    ensure_topics(kafka, TOPICS.all, 3)
    p_port, c_port = free_port(), free_port()
    producer = pipeline_process(
        ["produce", "--source", "replay", "--speed", "36000", "--ticks-per-candle", "100"],
        kafka,
        redis_url,
        tmp_path,
        p_port,
    )
    consumer = None
    try:
        wait_metric(p_port, lambda s: produced(s) >= 1500, what="the producer to publish 1,500 ticks")
        bad = KafkaPublisher(kafka)
        bad.send(TOPICS.ticks, b"BTCUSDT", b"{not json")
        doge = Trade("DOGEUSDT", 1, Decimal("0.1"), Decimal("5"), datetime(2023, 12, 1, tzinfo=UTC), False)
        bad.send(TOPICS.ticks, b"DOGEUSDT", encode(doge))
        bad.flush()
        bad.close()

        consumer = pipeline_process(["consume", "--no-matcher"], kafka, redis_url, tmp_path, c_port)
        # a backlog is waiting: the first lag figure after the first fetch is above 0
        wait_metric(
            c_port,
            lambda s: (value(s, "sim_consumer_lag_messages", group="g-ops", topic=TOPICS.ticks) or 0) > 0,
            what="a lag above 0 on the ticks partitions",
        )
        samples = wait_metric(
            c_port,
            lambda s: (value(s, "sim_messages_dead_lettered_total") or 0) >= 2,
            what="the two dead letters",
        )
        assert value(samples, "sim_messages_dead_lettered_total", reason="not_json") == 1
        assert value(samples, "sim_messages_dead_lettered_total", reason="unknown_symbol") == 1
        lag_partitions = {ls["partition"] for n, ls, _ in samples if n == "sim_consumer_lag_messages"}
        assert lag_partitions <= {"0", "1", "2"} and lag_partitions

        # the feed stops: the consumer catches up (lag 0, everything counted) and staleness grows
        producer_logs = stop(producer)
        samples = wait_metric(
            c_port,
            lambda s: value(s, "sim_consumer_lag_messages", group="g-ops", topic=TOPICS.ticks) == 0,
            what="the lag to fall back to 0",
        )
        consumed = value(samples, "sim_messages_consumed_total", topic=TOPICS.ticks)
        assert consumed is not None and consumed >= 1502
        assert value(samples, "sim_feed_store_up") == 1
        first = value(samples, "sim_feed_staleness_seconds", symbol="BTCUSDT")
        assert first is not None
        time.sleep(2.0)
        later = value(scrape(c_port), "sim_feed_staleness_seconds", symbol="BTCUSDT")
        assert later is not None and later - first >= 1.5, (first, later)
        logs = stop(consumer)
        consumer = None
    finally:
        for proc in (producer, consumer):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)
    assert {line["component"] for line in producer_logs} == {"producer"}
    assert {line["component"] for line in logs} == {"consumer"}
    assert all({"time", "level", "event", "message", "logger"} <= line.keys() for line in logs)
    dead = [line for line in logs if line["event"] == "dead_letter"]
    assert {line["reason_class"] for line in dead} == {"not_json", "unknown_symbol"}
    assert all(line["topic"] == TOPICS.ticks and isinstance(line["offset"], int) for line in dead)
    assert any("consumer exited" in str(line["message"]) for line in logs)
