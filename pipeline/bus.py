"""The message bus: Kafka (kafka-python) when ``KAFKA_BOOTSTRAP_SERVERS`` is set, else in-process.

Both adapters give the same two roles:
- a **publisher**: ``send(topic, key, value, headers)`` and ``flush()``. On Kafka: ``acks="all"`` and
  the idempotent producer, so a retried send is written once; messages are keyed by symbol, so one
  symbol's messages keep their order inside one partition.
- a **subscription** in a consumer group: ``poll()`` returns records, ``commit()`` stores the offsets
  of everything polled so far (``commit(wait=False)`` sends them without waiting for the answer: a
  lost commit only means more records are delivered again), ``rewind()`` goes back to the last
  committed offsets (after a failed write, the same records are processed again), ``lag()`` counts
  records not yet consumed.
Offsets are committed only by the caller, after its writes succeeded (at-least-once delivery; the
writes downstream are idempotent, which makes the effect exactly-once).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

Headers = Sequence[tuple[str, bytes]]
log = logging.getLogger(__name__)


class Record(NamedTuple):
    """One consumed record (read its fields by name: Kafka's records have more, in another order)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None  # None: a null value or a tombstone (the consumers dead-letter it)
    headers: tuple[tuple[str, bytes], ...] = ()


class Publisher(Protocol):
    def send(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers = ()) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class Subscription(Protocol):
    def poll(self, max_records: int = 500, timeout_s: float = 0.5) -> list[Record]: ...

    def commit(self, wait: bool = True) -> None: ...

    def rewind(self) -> None: ...

    def lag(self) -> int: ...

    def close(self) -> None: ...


# --- in-process ---------------------------------------------------------------------------------


class InMemoryBus:
    """A tiny in-process log: one partition per topic, committed offsets per group, thread-safe."""

    def __init__(self) -> None:
        self._logs: dict[str, list[Record]] = {}
        self._committed: dict[tuple[str, str], int] = {}
        self._cond = threading.Condition()

    def send(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers = ()) -> None:
        with self._cond:
            log = self._logs.setdefault(topic, [])
            log.append(Record(topic, 0, len(log), key, value, tuple(headers)))
            self._cond.notify_all()

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def records(self, topic: str) -> list[Record]:
        with self._cond:
            return list(self._logs.get(topic, []))

    def subscribe(self, topics: Sequence[str], group: str) -> InMemorySubscription:
        return InMemorySubscription(self, list(topics), group)


class InMemorySubscription:
    def __init__(self, bus: InMemoryBus, topics: list[str], group: str) -> None:
        self._bus, self._topics, self._group = bus, topics, group
        with bus._cond:
            self._pos = {t: bus._committed.get((group, t), 0) for t in topics}

    def poll(self, max_records: int = 500, timeout_s: float = 0.5) -> list[Record]:
        deadline = time.monotonic() + timeout_s
        with self._bus._cond:
            while True:
                out: list[Record] = []
                for t in self._topics:
                    log = self._bus._logs.get(t, [])
                    take = log[self._pos[t] : self._pos[t] + max_records - len(out)]
                    self._pos[t] += len(take)
                    out.extend(take)
                if out:
                    return out
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._bus._cond.wait(remaining)

    def commit(self, wait: bool = True) -> None:
        with self._bus._cond:
            for t, pos in self._pos.items():
                self._bus._committed[(self._group, t)] = pos

    def rewind(self) -> None:
        with self._bus._cond:
            self._pos = {t: self._bus._committed.get((self._group, t), 0) for t in self._topics}

    def lag(self) -> int:
        with self._bus._cond:
            return sum(len(self._bus._logs.get(t, [])) - p for t, p in self._pos.items())

    def close(self) -> None:
        return None


# --- Kafka --------------------------------------------------------------------------------------


def ensure_topics(bootstrap: str, topics: Sequence[str], partitions: int) -> None:
    """Create the topics if they do not exist (idempotent)."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="sim-admin")
    try:
        existing = set(admin.list_topics())
        new = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if new:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(new)
    finally:
        admin.close()


class KafkaPublisher:
    def __init__(self, bootstrap: str, **config: Any) -> None:
        from kafka import KafkaProducer

        settings: dict[str, Any] = dict(
            bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5, retries=10
        )
        settings.update(config)
        self._producer = KafkaProducer(**settings)

    def send(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers = ()) -> None:
        self._producer.send(topic, key=key, value=value, headers=list(headers) or None)

    def flush(self) -> None:
        self._producer.flush()

    def close(self) -> None:
        self._producer.close()


def _log_failed_commit(offsets: Any, result: Any) -> None:
    if isinstance(result, Exception):
        log.warning("an offset commit failed (those records will be delivered again): %s", result)


class KafkaSubscription:
    """A kafka-python consumer in a group; manual commits only.

    ``session_timeout_ms=6000`` / ``max_poll_interval_ms=5000`` keep group rebalances short (a few
    seconds); a batch must be processed well within the poll interval. The CLI passes
    ``KAFKA_MAX_POLL_INTERVAL_MS`` (sim.settings), whose default is this value. Records come back
    decompressed whatever codec the producer chose (gzip, snappy, lz4, zstd: the libraries are in
    requirements.txt); a null value (a tombstone) comes back as ``value=None``.
    """

    def __init__(self, bootstrap: str, topics: Sequence[str], group: str, **config: Any) -> None:
        from kafka import KafkaConsumer

        settings: dict[str, Any] = dict(
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=6000,
            heartbeat_interval_ms=1000,
            max_poll_interval_ms=5000,
            # latency: the broker answers a fetch within 5 ms even with no new data. Tansu (tests, bench)
            # holds a fetch for this long although data arrived (p99 17 ms at 5 ms, 26 ms at 20 ms);
            # Kafka answers as soon as there is data, so there it only sets the idle fetch rate.
            # The CLI passes KAFKA_FETCH_MAX_WAIT_MS (sim.settings), whose default is this value.
            fetch_max_wait_ms=5,
        )
        settings.update(config)
        self._consumer = KafkaConsumer(*topics, **settings)

    def poll(self, max_records: int = 500, timeout_s: float = 0.5) -> list[Record]:
        """kafka-python's ``ConsumerRecord`` is a named tuple with the same field names as
        :class:`Record` (``headers`` a list of pairs), so its records are returned as they are,
        without a copy per record."""
        batch = self._consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        out: list[Record] = []
        for records in batch.values():
            out += records
        return out

    def commit(self, wait: bool = True) -> None:
        if wait:
            self._consumer.commit()
        else:
            self._consumer.commit_async(callback=_log_failed_commit)

    def rewind(self) -> None:
        for tp in self._consumer.assignment():
            committed = self._consumer.committed(tp)
            if committed is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, committed)

    def lag(self) -> int:
        """Records not yet consumed, from the high watermark each fetch response carries (no round
        trip); a partition not fetched from yet asks the broker for its end offset."""
        assignment = list(self._consumer.assignment())
        if not assignment:
            return 0
        ends = {tp: self._consumer.highwater(tp) for tp in assignment}
        unknown = [tp for tp, end in ends.items() if end is None]
        if unknown:
            ends.update(self._consumer.end_offsets(unknown))
        return sum(max(0, ends[tp] - self._consumer.position(tp)) for tp in assignment)

    def close(self) -> None:
        self._consumer.close(autocommit=False)
