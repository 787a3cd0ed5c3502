"""The clock port: where "now" comes from for fills, orders, reports and reconciliation.

A :class:`Clock` has one method, ``now()``, giving an aware UTC datetime. Three kinds:

- :class:`ReplayClock`: the time of a replay of real candles (:class:`sim.replay.ReplayFeed`),
  moved on only by playing candles;
- :class:`MarketClock`: on a live store, the exchange time of the newest message plus the wall
  seconds since the consumer processed it (on a live Binance feed: the wall clock; on a replay
  running through the pipeline: the replayed time moving on with the wall clock);
- :class:`WallClock`: the machine's clock.

Every clock handed to :class:`~sim.services.Simulator` is wrapped in :class:`Monotonic`, which
never returns a time before one it has already returned (a test hand moving back holds the clock
still instead of moving it backwards); :class:`MarketClock` guards itself, over the readings it
takes from messages only (see there).
Across a restart the replay does not go back either: :func:`resume_start` starts it after the
ledger's last event. Plain callables returning a datetime are still accepted as clocks
(:func:`as_clock`), so ``Simulator.open(clock=lambda: t)`` keeps working.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from sim.adapters.live.base import LiveStore
    from sim.replay import ReplayFeed


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current time (aware, UTC)."""
        ...


class WallClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    __call__ = now


class ReplayClock:
    """The time of a replay feed: the end of the last candle it played (or its start)."""

    def __init__(self, feed: ReplayFeed) -> None:
        self.feed = feed

    def now(self) -> datetime:
        return self.feed.now

    __call__ = now


class MarketClock:
    """``now()`` = newest exchange time seen in ``live`` + wall seconds since it was processed.

    Before the first message (an empty live store, or one that cannot be reached) it is
    ``fallback()`` when given (the embedded feed's replay start), else the wall clock; those
    readings are provisional. Readings from messages never go backwards: the clock is its own
    monotonic guard, over them only, so a provisional wall-clock reading taken before a replay's
    first message cannot hold a replayed clock in the future.
    """

    monotonic = True  # as_clock() leaves it unwrapped

    def __init__(
        self, live: LiveStore, symbols: Sequence[str], fallback: Callable[[], datetime] | None = None
    ) -> None:
        self.live, self.symbols, self.fallback = live, list(symbols), fallback
        self._last: datetime | None = None
        self._lock = threading.Lock()

    def _seen(self) -> datetime | None:
        now_ms = int(time.time() * 1000)
        health = self.live.health(self.symbols, now_ms)
        seen = [(s.last_event, s.age_seconds) for s in health.symbols if s.last_event is not None]
        if not seen:
            return None
        event, age = max(seen, key=lambda x: x[0])  # type: ignore[arg-type,return-value]
        return event + timedelta(seconds=age or 0.0)  # type: ignore[operator]

    def now(self) -> datetime:
        seen = self._seen()
        with self._lock:
            if seen is None:  # nothing seen (yet, or the store is unreachable): hold still
                if self._last is not None:
                    return self._last
                return self.fallback() if self.fallback is not None else datetime.now(UTC)
            if self._last is None or seen > self._last:
                self._last = seen
            return self._last

    __call__ = now


class Monotonic:
    """A guard around another clock: never returns a time earlier than one already returned."""

    def __init__(self, inner: Clock | Callable[[], datetime]) -> None:
        self.inner = inner
        self._now: Callable[[], datetime] = inner.now if isinstance(inner, Clock) else inner
        self._last: datetime | None = None
        self._lock = threading.Lock()

    @property
    def last(self) -> datetime | None:
        """The latest time returned (None before the first)."""
        return self._last

    def now(self) -> datetime:
        t = self._now()
        with self._lock:
            if self._last is not None and t < self._last:
                return self._last
            self._last = t
            return t

    __call__ = now


def as_clock(clock: Clock | Callable[[], datetime]) -> Clock:
    """``clock`` (a :class:`Clock` or a callable) behind the monotonic guard, unless it is one
    already or guards itself (``monotonic = True``, e.g. :class:`MarketClock`)."""
    if isinstance(clock, Monotonic) or (getattr(clock, "monotonic", False) and isinstance(clock, Clock)):
        return clock
    return Monotonic(clock)


def resume_start(requested: datetime, last_event: datetime | None, interval: timedelta) -> datetime:
    """Where a replay starts: ``requested``, unless the ledger's last event is later.

    Then the replay resumes at the first candle boundary at or after ``last_event`` (its time
    rounded *up* to ``interval``), so every tick it plays, and every fill it makes, is at or
    after the newest fill already in the ledger. An earlier ``requested`` is moved forward, not
    refused: reopening a ledger must work whatever ``REPLAY_START`` says.
    """
    if requested.tzinfo is None:
        requested = requested.replace(tzinfo=UTC)
    if last_event is None or last_event <= requested:
        return requested
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    steps = -((epoch - last_event) // interval)  # ceil((last - epoch) / interval)
    return epoch + steps * interval
