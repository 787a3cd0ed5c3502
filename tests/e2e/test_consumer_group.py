"""Three ``python -m pipeline consume`` processes in one group over a 6-partition ticks topic, on the
real broker (Tansu), the machine's Redis and a real PostgreSQL ledger; one is killed with SIGKILL
mid-stream (issue 19, point 1).

A foreign producer (kafka-python, keyed by symbol like ours) sends 30,000 trades: 6,000 per shipped
symbol, all inside one minute, so each symbol's forming 1m candle must hold every one of its trades
exactly once. The consumers' own matcher threads (the matcher group) fill five resting limit buys
crossed by thousands of those trades. Checked afterwards:

- every trade id applied once: each candle's trade count and volume equal the produced ones, and
  open/high/low/close, the last price and the recent trades equal what the in-memory store holds
  after the same trades (candles computed from the produced trades);
- every record committed by both groups (nothing lost when the killed member's partitions moved);
- each resting order filled once, with one fill, and the cash debited once.

Keys are symbols, so a symbol's trades stay in order in one partition; with the five shipped
symbols, murmur2 over 6 partitions uses partitions 2, 3 and 5 only (see the README's "Scaling out").
The consumer killed is the busiest one (most CPU over a second), so the kill takes partitions with
work in flight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO

from kafka import KafkaConsumer, TopicPartition

from pipeline.bus import KafkaPublisher, ensure_topics
from pipeline.producer import MarketProducer, Topics
from pipeline.runtime import MarketClock
from sim.adapters.live.memory import InMemoryLiveStore
from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Trade
from sim.services import Simulator
from sim.settings import ROOT, Settings
from tests.e2e.test_pipeline_kafka import state, wait_for

D = Decimal
TOPICS = Topics("cg.ticks", "cg.candles", "cg.dlq")
PARTITIONS = 6
PER_SYMBOL = 6000
T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)  # every produced trade is in the minute T0..T0+59.999 s
# symbol -> (start price, decimals, limit price of the resting buy, its quantity)
MARKET = {
    "BTCUSDT": (D("40000.00"), 2, "38800", "0.01"),
    "ETHUSDT": (D("2000.00"), 2, "1940", "0.1"),
    "SOLUSDT": (D("100.00"), 2, "97", "1"),
    "BNBUSDT": (D("300.0"), 1, "291", "0.5"),
    "XRPUSDT": (D("0.5000"), 4, "0.4850", "100"),
}


def produced_trades() -> list[Trade]:
    """Per symbol: the price falls 5 % over the first half and climbs back, so each resting buy at
    -3 % is crossed by about 2,400 trades, from early to late in the stream; trades interleave
    across symbols in time order, as a live feed does."""
    out: list[Trade] = []
    for i in range(PER_SYMBOL):
        down = min(i, PER_SYMBOL - i) / (PER_SYMBOL / 2)  # 0 -> 1 -> 0
        for symbol, (start, places, _, _) in MARKET.items():
            price = (start * (1 - D("0.05") * D(down))).quantize(D(1).scaleb(-places))
            qty = D("0.001") * (1 + i % 7)
            out.append(
                Trade(symbol, 1_000_000 + i, price, qty, T0 + timedelta(milliseconds=9 * i), i % 2 == 0)
            )
    return out


def consume_process(
    kafka: str, redis: tuple[str, str], ledger: str, tmp: Path, n: int
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    url, prefix = redis
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka,
        REDIS_URL=url,
        REDIS_KEY_PREFIX=prefix,
        HISTORY_URL=f"duckdb:///{tmp / f'history{n}.duckdb'}",
        DATABASE_URL=ledger,
        KAFKA_TOPIC_TICKS=TOPICS.ticks,
        KAFKA_TOPIC_CANDLES=TOPICS.candles,
        KAFKA_TOPIC_DLQ=TOPICS.dlq,
        KAFKA_TOPIC_PARTITIONS=str(PARTITIONS),
        KAFKA_CONSUMER_GROUP="cg-consumer",
        KAFKA_MATCHER_GROUP="cg-matcher",
        KAFKA_MAX_POLL_INTERVAL_MS="5000",
        SYMBOLS=",".join(MARKET),
        SLIPPAGE_BPS="0",
    )
    log = (tmp / f"consumer{n}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--no-progress", "consume"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return proc, log


def committed(bootstrap: str, group: str) -> int:
    """Offsets the group committed on the ticks topic, summed (read without joining the group)."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        return sum(reader.committed(TopicPartition(TOPICS.ticks, p)) or 0 for p in range(PARTITIONS))
    finally:
        reader.close()


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def busiest(procs: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    before = {p.pid: cpu_ticks(p.pid) for p in procs}
    time.sleep(1.0)
    return max(procs, key=lambda p: cpu_ticks(p.pid) - before[p.pid])


def test_three_consumers_one_killed_mid_stream_lose_and_double_nothing(
    kafka: str, redis_url: tuple[str, str], postgres_url: str, tmp_path: Path
) -> None:
    url, prefix = redis_url
    ensure_topics(kafka, TOPICS.all, PARTITIONS)
    live = RedisLiveStore(url, prefix=prefix)
    before = [Trade(s, 1, m[0], D("0.001"), T0 - timedelta(minutes=1), False) for s, m in MARKET.items()]
    live.write(before, int(time.time() * 1000))  # the market the orders are placed in, a minute earlier
    settings = Settings(database_url=postgres_url, slippage_bps=D(0))
    sim = Simulator.open(settings=settings, market=live, clock=MarketClock(live, list(MARKET)))
    sim.bcrypt_rounds = 4
    user = sim.register("resting", "correct horse")
    orders = {s: sim.buy(user.id, s, m[3], price=m[2]) for s, m in MARKET.items()}
    assert {o.status for o in orders.values()} == {"OPEN"}

    procs = [consume_process(kafka, redis_url, postgres_url, tmp_path, n) for n in range(3)]
    try:
        wait_for(
            lambda: all(
                b"consumer started on" in (tmp_path / f"consumer{n}.log").read_bytes() for n in range(3)
            ),
            timeout=60,
            what="three consumers to start",
        )
        trades = produced_trades()
        producer = MarketProducer(KafkaPublisher(kafka), TOPICS)
        chunk = len(trades) // 30
        killed = None
        for k in range(30):
            producer.publish_all(trades[k * chunk : (k + 1) * chunk])
            producer.flush()
            if k == 10:  # a third of the stream is out and being consumed: kill the busiest
                killed = busiest([p for p, _ in procs])
                killed.send_signal(signal.SIGKILL)
                killed.wait(10)
            time.sleep(0.1)
        producer.publisher.close()
        assert killed is not None and killed.returncode == -signal.SIGKILL
        for group in ("cg-consumer", "cg-matcher"):
            wait_for(
                lambda g=group: committed(kafka, g) == len(trades), timeout=60, what=f"{group} to commit all"
            )
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, log in procs:
            proc.wait(30)
            log.close()
    logs = "".join((tmp_path / f"consumer{n}.log").read_text(errors="replace") for n in range(3))
    # none of our code raised; kafka-python itself may log a socket error while it closes after
    # SIGTERM (its transport's recv racing the close: '_sock' is None), which is not ours
    ours = "".join(line for line in logs.splitlines(keepends=True) if '"logger": "kafka.' not in line)
    assert "Traceback" not in ours, ours[-5000:]

    expected = InMemoryLiveStore()
    expected.write([*before, *trades], now_ms=1)
    for symbol in MARKET:
        mine = [t for t in trades if t.symbol == symbol]
        candle = live.forming_candle(symbol)
        assert candle is not None and candle.open_time == T0
        assert (candle.trades, candle.volume) == (PER_SYMBOL, sum(t.quantity for t in mine)), symbol
        assert state(live, symbol) == state(expected, symbol), symbol

    cost = D(0)
    for symbol, order in orders.items():
        now = sim.order(user.id, order.id)
        assert now.status == "FILLED" and len(now.fills) == 1, (symbol, now)
        cost += now.fills[0].total_amount + now.fills[0].fee
    assert len(sim.trades(user.id)) == len(MARKET)
    portfolio = sim.portfolio(user.id)
    assert (portfolio.cash_free, portfolio.cash_locked) == (portfolio.starting_cash - cost, 0)
    sim.close()
