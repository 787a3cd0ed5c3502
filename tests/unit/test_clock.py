"""The clock port: the market clock before, during and after its messages; the monotonic guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sim.adapters.live.base import FeedHealth, SymbolHealth
from sim.clock import MarketClock, Monotonic, ReplayClock, WallClock, as_clock

T = datetime(2023, 12, 5, 14, tzinfo=UTC)


class Store:
    """A live store's health answer the test sets: (newest event, seconds since processed)."""

    def __init__(self) -> None:
        self.seen: tuple[datetime, float] | None = None

    def health(self, symbols: list[str], now_ms: int) -> FeedHealth:
        event, age = self.seen if self.seen else (None, None)
        return FeedHealth((SymbolHealth("BTCUSDT", event, age),), None, None)


def test_the_market_clock_reads_the_fallback_then_messages_and_never_goes_back() -> None:
    store = Store()
    start = datetime(2023, 12, 1, tzinfo=UTC)
    clock = MarketClock(store, ["BTCUSDT"], fallback=lambda: start)  # type: ignore[arg-type]
    assert clock.now() == start  # nothing seen yet: the embedded replay's start, not 2026
    store.seen = (T, 2.5)
    assert clock.now() == T + timedelta(seconds=2.5)
    store.seen = (T - timedelta(minutes=5), 0.0)  # an older message: the clock holds still
    assert clock.now() == T + timedelta(seconds=2.5)
    store.seen = None  # the store cannot be reached: still no jump
    assert clock.now() == T + timedelta(seconds=2.5)
    assert as_clock(clock) is clock  # it guards itself


def test_without_a_fallback_an_empty_live_store_reads_the_wall_clock() -> None:
    clock = MarketClock(Store(), ["BTCUSDT"])  # type: ignore[arg-type]
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)
    assert before <= WallClock().now() <= datetime.now(UTC)


def test_other_clocks_are_guarded() -> None:
    class Feed:
        now = T

    feed = Feed()
    clock = as_clock(ReplayClock(feed))  # type: ignore[arg-type]
    assert isinstance(clock, Monotonic) and clock.now() == T
    feed.now = T - timedelta(hours=1)
    assert clock.now() == T
    assert as_clock(clock) is clock
