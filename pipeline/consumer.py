"""The market-data consumer: bus -> live store (Redis or in-memory) and history store.

One batch at a time:
1. decode every record (:func:`sim.market.raw_trades.decode_batch` with the tracked symbols: trades
   stay :class:`~sim.market.raw_trades.RawTrade`, with their decimal strings as they came); a malformed
   one (bad JSON, NaN or negative price, unknown symbol, over 64 KiB, no value at all: a null or a
   tombstone, ...) or one dated more than ``max_ahead_ms`` ahead of the batch's receive time
   (:mod:`sim.market.event_time`) goes to the dead-letter topic with the reason in a ``reason`` header
   and where it came from in ``source``, and is skipped (its offset is committed with the batch);
2. write the good ones to the live store in one pipelined round trip;
3. upsert the closed candles into the history store;
4. flush the dead letters (when there are any), then commit the offsets (:meth:`run` sends them
   at most every ``commit_interval_s`` and when the feed goes quiet, without waiting for the
   broker's answer, and waits for a last commit when it stops).
If a write fails (Redis restarting, database down), nothing is committed: the subscription rewinds
to the last commit and the batch is processed again after a back-off. The writes are keyed, so
processing a batch twice changes nothing. A stop request (SIGTERM) finishes the batch in hand and
commits it before returning.

A batch stays well inside the group's poll interval (``max_poll_interval_ms``, the
``KAFKA_MAX_POLL_INTERVAL_MS`` setting): :meth:`run` halves the records it asks for after a batch that
took over a quarter of it (and grows them back after fast ones), and its retry back-off never
reaches it. Slow one-off work (the history store's first-use import) is done before the consumer
joins its group (``python -m pipeline consume`` calls the store's ``prepare()`` first), never
inside the poll loop.

Health figures (messages per second, lag) are recorded at most once a second, and the lag is the
subscription's own count (no broker round trip on the hot path), so a batch pays no fixed cost for
them.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline import monitoring
from pipeline.bus import Publisher, Record, Subscription
from pipeline.producer import Topics
from sim.adapters.history.base import HistoryStore
from sim.adapters.live.base import LiveStore
from sim.market import Candle, Gap
from sim.market.raw_trades import Decoded, RawTrade, decode_batch
from sim.settings import Settings

log = logging.getLogger(__name__)
MAX_DEAD_LETTER_BYTES = 64 * 1024
_DEFAULTS = Settings()


def next_batch_size(size: int, took_s: float, budget_s: float, most: int) -> int:
    """How many records to ask for next, after a batch of ``size`` took ``took_s`` seconds.

    Over ``budget_s``: half as many (at least 1), so the next batch fits; under a quarter of it:
    twice as many, up to ``most``. Assumes a batch's time grows with its size."""
    if took_s > budget_s:
        return max(1, size // 2)
    if took_s < budget_s / 4:
        return min(most, size * 2)
    return size


@dataclass
class ConsumerStats:
    batches: int = 0
    messages: int = 0
    dead_letters: int = 0
    candles: int = 0
    retries: int = 0
    gaps: list[Gap] = field(default_factory=list)
    rate: float = 0.0


class MarketConsumer:
    def __init__(
        self,
        subscription: Subscription,
        dead_letters: Publisher,
        topics: Topics,
        live: LiveStore,
        history: HistoryStore | None,
        symbols: Sequence[str],
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
        on_batch: Callable[[list[Decoded]], None] | None = None,
        max_ahead_ms: int = _DEFAULTS.max_trade_ahead_seconds * 1000,
        max_poll_interval_ms: int = _DEFAULTS.max_poll_interval_ms,
    ) -> None:
        self.sub = subscription
        self.dlq = dead_letters
        self.topics = topics
        self.live = live
        self.history = history
        self.symbols = frozenset(symbols)
        self.clock_ms = clock_ms
        self.on_batch = on_batch
        self.max_ahead_ms = max_ahead_ms
        self.max_poll_interval_ms = max_poll_interval_ms
        self.stats = ConsumerStats()
        self._window: list[tuple[float, int]] = []
        self._health_at = 0.0

    def process(self, records: Sequence[Record], commit: bool = True) -> list[Decoded]:
        """Decode, write and commit one batch; raises if a write failed (nothing committed).

        ``commit=False`` leaves the commit to the caller (a later commit covers this batch too)."""
        now = self.clock_ms()  # the batch's receive time
        good, refused = decode_batch(
            [r.value for r in records],
            symbols=self.symbols,
            received_ms=now,
            max_ahead_ms=self.max_ahead_ms,
        )
        for i, exc in refused:
            r = records[i]
            self.dlq.send(
                self.topics.dlq,
                r.key,
                (r.value or b"")[:MAX_DEAD_LETTER_BYTES],
                [
                    ("reason", exc.reason.encode()),
                    ("source", f"{r.topic}/{r.partition}/{r.offset}".encode()),
                ],
            )
        dead = len(refused)
        self.live.write(good, now)
        closed: dict[tuple[str, str], list[Candle]] = defaultdict(list)
        for m in good:
            if type(m) is RawTrade:
                continue
            if isinstance(m, Candle) and m.closed:
                closed[(m.symbol, m.interval)].append(m)
            elif isinstance(m, Gap):
                self.stats.gaps.append(m)
        if closed and self.history is not None:
            for (symbol, interval), rows in closed.items():
                self.history.upsert_candles(
                    symbol,
                    interval,
                    [
                        dict(
                            open_time=c.open_time,
                            open=c.open,
                            high=c.high,
                            low=c.low,
                            close=c.close,
                            volume=c.volume,
                            closed=True,
                            version=c.trades or 0,
                        )
                        for c in rows
                    ],
                )
        if self.on_batch is not None:
            self.on_batch(good)
        if dead:
            self.dlq.flush()
        if commit:
            self.sub.commit()
        self.stats.batches += 1
        self.stats.messages += len(good)
        self.stats.dead_letters += dead
        self.stats.candles += sum(len(v) for v in closed.values())
        monitoring.batch_processed(records, refused)
        self._rate(len(records), now)
        return good

    def _send_commit(self) -> None:
        try:
            self.sub.commit(wait=False)
        except Exception as exc:  # the next commit covers these records too
            log.warning("a commit could not be sent (it is retried with the next one): %s", exc)

    def _rate(self, n: int, now_ms: int) -> None:
        t = time.monotonic()
        self._window.append((t, n))
        self._window = [(a, b) for a, b in self._window if t - a <= 5.0]
        span = max(t - self._window[0][0], 1.0)
        self.stats.rate = sum(b for _, b in self._window) / span
        if t - self._health_at < 1.0:  # at most once a second: not a cost of every batch
            return
        self._health_at = t
        try:
            self.live.record_consumer(self.stats.rate, self.sub.lag(), now_ms)
        except Exception as exc:  # health figures are best effort
            log.debug("could not record consumer health: %s", exc)

    def run(
        self,
        stop: threading.Event,
        max_records: int = 1000,
        idle_timeout_s: float = 0.5,
        max_backoff_s: float = 5.0,
        commit_interval_s: float = 0.2,
    ) -> ConsumerStats:
        """Consume until ``stop`` is set; the batch in hand is finished and committed first.

        Offsets are committed after the writes of a batch, at most every ``commit_interval_s``: a
        commit request on the broker connection delays the next fetch's answer behind it, and a
        commit per batch cost the feed its latency tail. After a crash at most that much more is
        delivered again, which the keyed writes absorb.

        Each batch is kept under a quarter of the poll interval (:func:`next_batch_size`) and the
        back-off between retries under that too, so the group never evicts a busy consumer."""
        budget_s = self.max_poll_interval_ms / 4000
        max_backoff_s = min(max_backoff_s, budget_s)
        size = max_records
        backoff = 0.1
        # everything alive now (modules, clients, settings) lives as long as the process: freeze it
        # out of the collector's reach, so a full collection mid-feed walks only what the feed made
        # (it otherwise stalls a batch for tens of milliseconds in a process with pandas loaded)
        gc.collect()
        gc.freeze()
        log.info("consumer started on %s", self.topics.ticks)
        processed = False  # anything processed: its commit is waited for before returning
        unsent = False  # processed records whose commit is not sent yet
        committed_at = 0.0
        while not stop.is_set():
            records = self.sub.poll(max_records=size, timeout_s=idle_timeout_s)
            if records:
                started = time.monotonic()
                try:
                    self.process(records, commit=False)
                except Exception as exc:
                    self.stats.retries += 1
                    monitoring.write_failed()
                    log.warning("write failed, retrying the batch in %.1f s: %s", backoff, exc)
                    self.sub.rewind()
                    stop.wait(backoff)
                    backoff = min(backoff * 2, max_backoff_s)
                    continue
                processed = unsent = True
                backoff = 0.1
                took = time.monotonic() - started
                if took > budget_s:
                    log.warning("a batch of %d records took %.1f s: asking for fewer", len(records), took)
                size = next_batch_size(size, took, budget_s, max_records)
            # commit when due, or at once when the feed went quiet
            if unsent and (not records or time.monotonic() - committed_at >= commit_interval_s):
                self._send_commit()
                unsent, committed_at = False, time.monotonic()
            monitoring.consumer_lag(self.sub)  # at most once a second, idle or not
        if processed:
            try:
                self.sub.commit()  # everything processed, and its commit answered, before returning
            except Exception as exc:
                log.warning("the last commit failed (those records will be delivered again): %s", exc)
        log.info(
            "consumer stopped: %d messages, %d dead letters", self.stats.messages, self.stats.dead_letters
        )
        return self.stats
