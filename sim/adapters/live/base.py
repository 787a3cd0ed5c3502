"""What a live store offers, and how feed freshness is judged.

Freshness of a symbol is the wall-clock age of the last message the consumer *processed* for it
(not the exchange time inside the message, so a replay of 2023 candles is "live" while it plays):
``live`` up to ``LIVE_SECONDS`` (5 s), ``delayed`` up to ``DELAYED_SECONDS`` (60 s), ``stale``
beyond that, when nothing was ever seen, or when the store cannot be reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sim.domain.fills import Book, Tick
from sim.market import BookTop, Candle, MiniTicker, Trade
from sim.market.raw_trades import Decoded

LIVE_SECONDS = 5.0
DELAYED_SECONDS = 60.0


class FeedStatus(StrEnum):
    LIVE = "live"
    DELAYED = "delayed"
    STALE = "stale"


def freshness(age_seconds: float | None) -> FeedStatus:
    if age_seconds is None or age_seconds > DELAYED_SECONDS:
        return FeedStatus.STALE
    return FeedStatus.LIVE if age_seconds <= LIVE_SECONDS else FeedStatus.DELAYED


@dataclass(frozen=True, slots=True)
class SymbolHealth:
    symbol: str
    last_event: datetime | None  # exchange time of the newest message
    age_seconds: float | None  # wall-clock seconds since the consumer processed its last message

    @property
    def status(self) -> FeedStatus:
        return freshness(self.age_seconds)


@dataclass(frozen=True, slots=True)
class FeedHealth:
    symbols: tuple[SymbolHealth, ...]
    messages_per_second: float | None
    consumer_lag: int | None
    error: str = ""


class LiveStore(Protocol):
    # --- written by the consumer -----------------------------------------------------------
    def write(self, messages: Sequence[Decoded], now_ms: int) -> None:
        """Apply a batch: bus messages, or trades as :class:`RawTrade` (the consumer's fast path)."""

    def record_consumer(self, messages_per_second: float, lag: int, now_ms: int) -> None: ...

    # --- read by the app and the order handling ----------------------------------------------
    def last(self, symbol: str) -> Tick | None: ...

    def book(self, symbol: str) -> Book | None: ...

    def book_top(self, symbol: str) -> BookTop | None: ...

    def ticker(self, symbol: str) -> MiniTicker | None: ...

    def recent_trades(self, symbol: str, limit: int = 50) -> list[Trade]: ...

    def forming_candle(self, symbol: str) -> Candle | None: ...

    def health(self, symbols: Sequence[str], now_ms: int) -> FeedHealth: ...
