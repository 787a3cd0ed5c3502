"""The live market store port and its in-memory adapter.

The app and the order handling read the latest trade and book per symbol from here. The Redis
adapter (``sim.adapters.redis_market``) offers the same methods when ``REDIS_URL`` is set.
A tick never moves a symbol's price back in time: an older tick than the stored one is ignored.
"""

from __future__ import annotations

import threading
from typing import Protocol

from sim.domain.fills import Book, Tick


class MarketData(Protocol):
    def last(self, symbol: str) -> Tick | None: ...

    def book(self, symbol: str) -> Book | None: ...


class InMemoryMarket:
    """Thread-safe latest tick and book per symbol."""

    def __init__(self) -> None:
        self._ticks: dict[str, Tick] = {}
        self._books: dict[str, Book] = {}
        self._lock = threading.Lock()

    def update(self, tick: Tick) -> bool:
        """Store ``tick`` unless an equally new or newer one is stored; True if stored."""
        with self._lock:
            current = self._ticks.get(tick.symbol)
            if current is not None and current.time > tick.time:
                return False
            self._ticks[tick.symbol] = tick
            return True

    def set_book(self, symbol: str, book: Book | None) -> None:
        with self._lock:
            if book is None:
                self._books.pop(symbol, None)
            else:
                self._books[symbol] = book

    def last(self, symbol: str) -> Tick | None:
        return self._ticks.get(symbol)

    def book(self, symbol: str) -> Book | None:
        return self._books.get(symbol)
