"""Feed staleness per symbol, computed from the live store each time Prometheus scrapes.

- ``sim_feed_staleness_seconds{symbol}``: market time minus the time of the symbol's last trade.
  Market time is the simulator's "now" on a live feed (see ``pipeline.runtime.MarketClock``): the
  newest exchange time seen on any symbol plus the wall seconds since the consumer processed it.
  So on a replay of 2023 a playing feed is fresh, and when the feed stops, market time moves on
  with the wall clock while the last trades do not: staleness grows by a second each second.
- ``sim_feed_last_message_age_seconds{symbol}``: wall seconds since the consumer processed the
  symbol's last message (what the app's feed badge shows).
- ``sim_feed_store_up``: 1 when the live store answered, 0 when it could not be reached (then no
  staleness is reported: Prometheus's ``absent()`` or this gauge alerts instead).
A symbol never seen has no staleness sample. Each scrape costs one Redis round trip per symbol
plus one; the consumer process registers the collector (:func:`watch_feed`), once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from sim.adapters.live.base import LiveStore
from sim.observability import metrics

log = logging.getLogger(__name__)


def staleness(
    live: LiveStore, symbols: Sequence[str], now_ms: int
) -> tuple[bool, dict[str, float], dict[str, float]]:
    """``(store up, staleness seconds per symbol, last-message age seconds per symbol)``."""
    health = live.health(symbols, now_ms)
    if health.error:
        return False, {}, {}
    seen = [(s.last_event, s.age_seconds or 0.0) for s in health.symbols if s.last_event is not None]
    ages = {s.symbol: s.age_seconds for s in health.symbols if s.age_seconds is not None}
    if not seen:
        return True, {}, ages
    market_now = max(event + timedelta(seconds=age) for event, age in seen if event is not None)
    out: dict[str, float] = {}
    for s in health.symbols:
        tick = live.last(s.symbol)
        last: datetime | None = tick.time if tick is not None else s.last_event
        if last is not None:
            out[s.symbol] = max(0.0, (market_now - last).total_seconds())
    return True, out, ages


class FeedCollector(Collector):
    """The three feed gauges above, read at scrape time."""

    def __init__(
        self, live: LiveStore, symbols: Sequence[str], clock_ms: Callable[[], int] | None = None
    ) -> None:
        self.live, self.symbols = live, list(symbols)
        self.clock_ms = clock_ms or (lambda: int(time.time() * 1000))

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield from self._families()

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(metrics.STORE_UP_METRIC, "1 when the live store answered the scrape."),
            GaugeMetricFamily(
                metrics.STALENESS_METRIC,
                "Market time minus the time of the symbol's last trade, in seconds.",
                labels=["symbol"],
            ),
            GaugeMetricFamily(
                metrics.FEED_AGE_METRIC,
                "Wall seconds since the consumer processed the symbol's last message.",
                labels=["symbol"],
            ),
        )

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up, stale, age = self._families()
        try:
            ok, by_symbol, ages = staleness(self.live, self.symbols, self.clock_ms())
        except Exception as exc:  # a scrape never raises: report the store as down
            log.warning("feed staleness could not be read: %s", exc, extra={"event": "staleness_failed"})
            ok, by_symbol, ages = False, {}, {}
        up.add_metric([], 1.0 if ok else 0.0)
        for symbol, seconds in sorted(by_symbol.items()):
            stale.add_metric([symbol], seconds)
        for symbol, seconds in sorted(ages.items()):
            age.add_metric([symbol], seconds)
        yield from (up, stale, age)


def watch_feed(live: LiveStore, symbols: Sequence[str]) -> FeedCollector:
    """Register a :class:`FeedCollector` in the default registry (once per process)."""
    collector = FeedCollector(live, symbols)
    metrics.register_once(collector)
    return collector
