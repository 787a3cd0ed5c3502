"""The pipeline's side of operations: each process's logging and metrics endpoint, and the
consumer's hooks.

- :func:`start` (called by ``python -m pipeline``'s entry point once the settings are read): logs
  as ``LOG_FORMAT`` says, with the process's component name; for the long-running commands
  (produce, consume, match) the metrics endpoint on ``METRICS_PORT``; for consume, the feed
  staleness collector over its own live-store client.
- :func:`batch_processed` (the consumer, after a batch's writes succeeded): records consumed per
  topic, dead letters per reason class, and one log line per dead letter (at most
  ``MAX_DEAD_LETTER_LOGS`` per batch) with where it came from.
- :func:`consumer_lag` (the consumer, after each poll; at most once a second): the lag of each
  assigned partition, from the high watermark the last fetch carried (no broker round trip). On
  the in-process bus, which has no partitions to speak of, the total under ``partition="all"``.
A batch written twice after a failed write is counted once (only the processing that succeeded).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from pipeline.bus import Record
from sim.market import MalformedMessage
from sim.observability import metrics
from sim.observability.classify import dead_letter_reason
from sim.observability.logs import configure_logging
from sim.settings import Settings

log = logging.getLogger(__name__)
COMPONENTS = {"produce": "producer", "consume": "consumer", "match": "matcher"}
MAX_DEAD_LETTER_LOGS = 20
LAG_INTERVAL_S = 1.0
_lag_at: dict[int, float] = {}


def start(command: str, settings: Settings, level: str = "INFO") -> None:
    """Logging for every command; metrics (and the feed collector) for the long-running ones."""
    configure_logging(COMPONENTS.get(command, command), settings.log_format, level)
    logging.getLogger("kafka").setLevel(logging.WARNING)
    if command not in COMPONENTS:
        return
    metrics.serve_metrics(settings.metrics_port)
    if command == "consume" and settings.metrics_port:
        from sim.bootstrap import live_store
        from sim.observability.feed import watch_feed

        watch_feed(live_store(settings), settings.symbols)


def batch_processed(records: Sequence[Record], refused: Sequence[tuple[int, MalformedMessage]]) -> None:
    """Count a processed batch: every record by topic, the refused ones by reason class."""
    topics: dict[str, int] = {}
    for r in records:
        topics[r.topic] = topics.get(r.topic, 0) + 1
    for topic, n in topics.items():
        metrics.MESSAGES_CONSUMED.labels(topic).inc(n)
    for k, (i, exc) in enumerate(refused):
        reason = dead_letter_reason(exc.reason)
        metrics.MESSAGES_DEAD_LETTERED.labels(reason).inc()
        if k < MAX_DEAD_LETTER_LOGS:
            r = records[i]
            log.warning(
                "dead letter from %s/%s/%s: %s",
                r.topic,
                r.partition,
                r.offset,
                exc.reason,
                extra={
                    "event": "dead_letter",
                    "topic": r.topic,
                    "partition": r.partition,
                    "offset": r.offset,
                    "reason_class": reason,
                    "reason": exc.reason,
                },
            )
    if len(refused) > MAX_DEAD_LETTER_LOGS:
        log.warning(
            "%d more dead letters in this batch",
            len(refused) - MAX_DEAD_LETTER_LOGS,
            extra={"event": "dead_letter"},
        )


def consumer_lag(sub: Any) -> None:
    """Set ``sim_consumer_lag_messages`` for each partition ``sub`` is assigned (best effort), at
    most every ``LAG_INTERVAL_S`` per subscription: called after every poll, busy or idle, so the
    figure falls back to 0 once the consumer caught up."""
    now = time.monotonic()
    if now - _lag_at.get(id(sub), 0.0) < LAG_INTERVAL_S:
        return
    consumer = getattr(sub, "_consumer", None)  # pipeline.bus.KafkaSubscription's KafkaConsumer
    try:
        if consumer is None:
            metrics.CONSUMER_LAG.labels("in-process", "all", "all").set(sub.lag())
            _lag_at[id(sub)] = now
            return
        group = str(consumer.config.get("group_id") or "")
        for tp in consumer.assignment():
            end = consumer.highwater(tp)
            if end is None:  # not fetched from yet: no figure without a round trip
                continue
            lag = max(0, end - consumer.position(tp))
            metrics.CONSUMER_LAG.labels(group, tp.topic, str(tp.partition)).set(lag)
            _lag_at[id(sub)] = now  # the next figure in a second (none yet: at the next poll)
    except Exception as exc:  # figures are best effort; the feed goes on
        log.debug("could not read the consumer lag: %s", exc)


def write_failed() -> None:
    """The consumer's writes failed and the batch will be processed again."""
    metrics.CONSUMER_WRITE_RETRIES.inc()
