"""The in-memory adapter of the market data port (:class:`sim.service_layer.ports.MarketData`).

The app and the order handling read the latest trade and book per symbol through that port; the
live stores (:mod:`sim.adapters.live`, Redis with ``REDIS_URL`` or in memory) offer the same
methods. :class:`InMemoryMarket` is fed by the replay: it holds no order book (``book`` is always
``None``), so fills use the last price, as the domain's fill rule does without a book. A tick never
moves a symbol's price back in time: an older tick is ignored.
"""

from __future__ import annotations

import threading

from sim.domain.fills import Book, Tick


class InMemoryMarket:
    """Thread-safe latest tick per symbol; no order book."""

    def __init__(self) -> None:
        self._ticks: dict[str, Tick] = {}
        self._lock = threading.Lock()

    def update(self, tick: Tick) -> bool:
        """Store ``tick`` unless an equally new or newer one is stored; True if stored."""
        with self._lock:
            current = self._ticks.get(tick.symbol)
            if current is not None and current.time > tick.time:
                return False
            self._ticks[tick.symbol] = tick
            return True

    def last(self, symbol: str) -> Tick | None:
        return self._ticks.get(symbol)

    def book(self, symbol: str) -> Book | None:
        return None
