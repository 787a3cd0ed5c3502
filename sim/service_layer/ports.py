"""The ports the service layer needs besides the unit of work: the market, the candle store, the replay.

Protocols only: the adapters (``sim.adapters.market``, ``sim.adapters.live``,
``sim.adapters.history``, ``sim.replay``) satisfy them structurally, so the service layer names
no adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sim.domain.fills import Book, Tick

if TYPE_CHECKING:
    import pandas as pd


class MarketData(Protocol):
    """The latest trade and order book top of each symbol."""

    def last(self, symbol: str) -> Tick | None: ...

    def book(self, symbol: str) -> Book | None: ...


class CandleStore(Protocol):
    """Closed candles by symbol and interval (the history store)."""

    def candles(
        self,
        symbol: str,
        interval: str = "1h",
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame: ...

    def stored_intervals(self, symbol: str) -> list[str]: ...


class Replay(Protocol):
    """A replay of real candles, one candle time at a time: per symbol its bar, name and ticks."""

    def next_candle(self) -> Sequence[tuple[Any, str, Sequence[Any]]]: ...
