"""Assembling the parts for the app, the CLI and the jobs, embedded or on the real services.

- ``REDIS_URL`` set: the live store is Redis; else in-memory.
- ``KAFKA_BOOTSTRAP_SERVERS`` set: the app only reads; the producer, consumer and matcher run as
  their own processes (``python -m pipeline ...``). Unset: the *embedded feed* runs in this process:
  the replay source -> in-process bus -> the same consumer and matcher code -> the live store, and
  the webhook sender (:mod:`pipeline.notifier`) beside them.

The simulator, its live store and its market clock are assembled by ``sim``'s composition root
(:mod:`sim.bootstrap`), the same place ``Simulator.open()`` uses; this module adds the embedded
feed, which needs the pipeline's code.

**Market clock** (:class:`sim.clock.MarketClock`). The simulator's "now" is the market's: the
exchange time of the newest message plus the wall time since the consumer processed it. On a live
Binance feed that is the wall clock; on a replay of 2023 it is the replayed time moving on with the
wall clock. If the feed stops, "now" keeps moving while the last price does not, so market orders
are refused once the price is older than ``MAX_PRICE_AGE_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.bus import InMemoryBus
from pipeline.consumer import MarketConsumer
from pipeline.matcher import OrderMatcher
from pipeline.notifier import run_notifier
from pipeline.producer import MarketProducer, Topics
from pipeline.sources.replay_source import ReplaySource
from sim.adapters.history import history_from_settings
from sim.adapters.history.base import HistoryStore
from sim.adapters.live.base import LiveStore
from sim.bootstrap import close_live_store, live_store, resume_replay_at
from sim.clock import MarketClock
from sim.services import Simulator
from sim.settings import Settings, load_settings
from sim.universe import candle_file

log = logging.getLogger(__name__)
TICKS_PER_CANDLE = 120
__all__ = ["EmbeddedFeed", "MarketClock", "Runtime", "live_store", "open_runtime", "replay_start"]


def topics_of(settings: Settings) -> Topics:
    return Topics(settings.topic_ticks, settings.topic_candles, settings.topic_dlq)


def replay_start(settings: Settings, sim: Simulator) -> datetime:
    """REPLAY_START, moved forward past the ledger's last event (:func:`sim.clock.resume_start`):
    the embedded feed never plays a trade older than a fill already in the ledger."""
    return resume_replay_at(None, settings, sim.engine)


@dataclass
class EmbeddedFeed:
    """Replay -> in-process bus -> consumer + matcher, and the webhook sender, each on a daemon thread."""

    sim: Simulator
    live: LiveStore
    history: HistoryStore | None
    settings: Settings
    start: datetime
    stop_event: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def run(self) -> EmbeddedFeed:
        bus = InMemoryBus()
        topics = topics_of(self.settings)
        interval_s = 3600.0
        # every symbol of the universe with candles: shipped and imported (sim.universe)
        files = {s: candle_file(self.settings, s) for s in self.sim.instruments}
        source = ReplaySource.from_files(
            {s: f for s, f in files.items() if f is not None},
            {s: i.tick_size for s, i in self.sim.instruments.items()},
            start=self.start,
            ticks_per_candle=TICKS_PER_CANDLE,
            speed=float(self.settings.replay_speed) / interval_s,
        )
        producer = MarketProducer(bus, topics)
        consumer = MarketConsumer(
            bus.subscribe([topics.ticks, topics.candles], self.settings.consumer_group),
            bus,
            topics,
            self.live,
            self.history,
            list(self.sim.instruments),
        )
        matcher = OrderMatcher(self.sim, bus.subscribe([topics.ticks], self.settings.matcher_group))

        def pause(seconds: float) -> None:
            self.stop_event.wait(seconds)

        def produce() -> None:
            for message in source.play(sleep=pause):
                if self.stop_event.is_set():
                    return
                producer.publish(message)
            log.info("the replay reached the end of the shipped data")

        for name, target in (
            ("replay", produce),
            ("consumer", lambda: consumer.run(self.stop_event, idle_timeout_s=0.2)),
            ("matcher", lambda: matcher.run(self.stop_event)),
            ("notifier", lambda: run_notifier(self.sim, self.stop_event)),  # users' webhooks
        ):
            t = threading.Thread(target=target, name=f"embedded-{name}", daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout)


@dataclass
class Runtime:
    sim: Simulator
    live: LiveStore
    history: HistoryStore
    settings: Settings
    feed: EmbeddedFeed | None = None

    def close(self) -> None:
        if self.feed is not None:
            self.feed.stop()
        self.history.close()
        self.sim.close()
        close_live_store(self.live)


def open_runtime(settings: Settings | None = None, *, start_feed: bool = True) -> Runtime:
    """The simulator on the configured services, with the embedded feed when there is no Kafka."""
    settings = settings or load_settings()
    live = live_store(settings)
    history = history_from_settings(settings)
    clock = MarketClock(live, settings.symbols)
    sim = Simulator.open(settings=settings, market=live, clock=clock, history=history)
    runtime = Runtime(sim, live, history, settings)
    if start_feed and not settings.kafka_bootstrap_servers:
        start = replay_start(settings, sim)
        clock.fallback = lambda: start  # before the replay's first message: its start, not 2026
        runtime.feed = EmbeddedFeed(sim, live, history, settings, start).run()
    return runtime
