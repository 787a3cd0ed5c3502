"""In-memory live store for embedded mode and unit tests; same rules as the Redis one.

Writes are keyed, so the final state does not depend on duplicates or order: the latest price is
the trade with the latest event time, the highest trade id among equal times (so a late trade, even
one with a higher id, never moves the price or its time backwards); recent trades are the ``RECENT``
highest ids; the forming 1m candle is the newest minute by event time and aggregates each trade id
once (open = lowest id, close = highest id; a late trade counts into its own minute's candle while
that minute is still forming, and into nothing once a later minute began); book tops and 24h
tickers keep the newest by update id / time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sim.adapters.live.base import FeedHealth, SymbolHealth
from sim.domain.fills import Book, Level, Tick
from sim.market import BookTop, Candle, MiniTicker, Trade, datetime_to_ms
from sim.market.raw_trades import Decoded, RawTrade

RECENT = 200
MINUTE = timedelta(minutes=1)


def minute_of(when: datetime) -> datetime:
    return when.replace(second=0, microsecond=0)


class InMemoryLiveStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, Trade] = {}
        self._recent: dict[str, dict[int, Trade]] = {}
        self._candle: dict[str, tuple[Candle, int, int, set[int]]] = {}
        self._kline: dict[str, Candle] = {}
        self._book: dict[str, BookTop] = {}
        self._ticker: dict[str, MiniTicker] = {}
        self._seen: dict[str, tuple[int, int]] = {}  # symbol -> (event ms, processed ms)
        self._consumer: tuple[float, int, int] | None = None

    # --- writes -----------------------------------------------------------------------------
    def write(self, messages: Sequence[Decoded], now_ms: int) -> None:
        with self._lock:
            for m in messages:
                if isinstance(m, RawTrade):
                    m = m.to_trade()
                if isinstance(m, Trade):
                    self._trade(m)
                    self._mark(m.symbol, m.time, now_ms)
                elif isinstance(m, BookTop):
                    cur = self._book.get(m.symbol)
                    if cur is None or (m.update_id or 0) >= (cur.update_id or 0):
                        self._book[m.symbol] = m
                    self._mark(m.symbol, m.time, now_ms)
                elif isinstance(m, MiniTicker):
                    cur_t = self._ticker.get(m.symbol)
                    if cur_t is None or m.time >= cur_t.time:
                        self._ticker[m.symbol] = m
                    self._mark(m.symbol, m.time, now_ms)
                elif isinstance(m, Candle) and m.interval == "1m":
                    cur_k = self._kline.get(m.symbol)
                    if cur_k is None or (m.open_time, m.closed) >= (cur_k.open_time, cur_k.closed):
                        self._kline[m.symbol] = m

    def _mark(self, symbol: str, when: datetime | None, now_ms: int) -> None:
        event = datetime_to_ms(when) if when is not None else now_ms
        prev = self._seen.get(symbol)
        self._seen[symbol] = (max(event, prev[0]) if prev else event, now_ms)

    def _trade(self, t: Trade) -> None:
        cur = self._last.get(t.symbol)
        if cur is None or (t.time, t.trade_id) > (cur.time, cur.trade_id):
            self._last[t.symbol] = t
        recent = self._recent.setdefault(t.symbol, {})
        recent[t.trade_id] = t
        if len(recent) > RECENT:
            for old in sorted(recent)[: len(recent) - RECENT]:
                del recent[old]
        minute = minute_of(t.time)
        state = self._candle.get(t.symbol)
        if state is None or minute > state[0].open_time:
            c = Candle(t.symbol, "1m", minute, t.price, t.price, t.price, t.price, t.quantity, False, 1)
            self._candle[t.symbol] = (c, t.trade_id, t.trade_id, {t.trade_id})
            return
        c, first, last, seen = state
        if minute < c.open_time or t.trade_id in seen:
            return
        seen.add(t.trade_id)
        c = Candle(
            t.symbol,
            "1m",
            c.open_time,
            t.price if t.trade_id < first else c.open,
            max(c.high, t.price),
            min(c.low, t.price),
            t.price if t.trade_id > last else c.close,
            c.volume + t.quantity,
            False,
            (c.trades or 0) + 1,
        )
        self._candle[t.symbol] = (c, min(first, t.trade_id), max(last, t.trade_id), seen)

    def record_consumer(self, messages_per_second: float, lag: int, now_ms: int) -> None:
        self._consumer = (messages_per_second, lag, now_ms)

    # --- reads ------------------------------------------------------------------------------
    def last(self, symbol: str) -> Tick | None:
        t = self._last.get(symbol)
        return Tick(symbol, t.price, t.time) if t else None

    def book_top(self, symbol: str) -> BookTop | None:
        return self._book.get(symbol)

    def book(self, symbol: str) -> Book | None:
        b = self._book.get(symbol)
        if b is None:
            return None
        return Book(bids=[Level(b.bid_price, b.bid_qty)], asks=[Level(b.ask_price, b.ask_qty)])

    def ticker(self, symbol: str) -> MiniTicker | None:
        return self._ticker.get(symbol)

    def recent_trades(self, symbol: str, limit: int = 50) -> list[Trade]:
        recent = self._recent.get(symbol, {})
        return [recent[i] for i in sorted(recent, reverse=True)[:limit]]

    def forming_candle(self, symbol: str) -> Candle | None:
        agg = self._candle.get(symbol)
        kline = self._kline.get(symbol)
        if kline is not None and (agg is None or kline.open_time >= agg[0].open_time):
            return kline
        return agg[0] if agg else None

    def health(self, symbols: Sequence[str], now_ms: int) -> FeedHealth:
        out = []
        for s in symbols:
            seen = self._seen.get(s)
            out.append(
                SymbolHealth(
                    s,
                    datetime.fromtimestamp(seen[0] / 1000, tz=UTC) if seen else None,
                    (now_ms - seen[1]) / 1000 if seen else None,
                )
            )
        rate, lag = (self._consumer[0], self._consumer[1]) if self._consumer else (None, None)
        return FeedHealth(tuple(out), rate, lag)
