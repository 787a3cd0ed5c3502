"""Redis live store. Keys (``prefix`` default ``sim:``), per symbol ``S``:

- ``{p}last:S`` hash: the trade with the highest trade id (price, qty, trade_id, time ms);
- ``{p}trades:S`` sorted set: recent trades scored by trade id, capped at ``RECENT``;
- ``{p}candle:S`` hash + ``{p}candle-ids:S`` set: the forming 1m candle aggregated from trades, each
  trade id counted once (open = lowest id's price, close = highest id's price, volume summed exactly
  as integer units of 1e-8);
- ``{p}kline:S`` hash: the newest 1m kline message (by open time, a closed one beating an open one);
- ``{p}book:S`` hash: the best bid/ask with the highest update id;
- ``{p}ticker:S`` hash: the newest 24h mini ticker;
- ``{p}health`` hash: ``S:event`` (newest exchange time, ms) and ``S:seen`` (wall ms processed);
- ``{p}consumer`` hash: messages per second, lag, when recorded.

Every write is keyed and conditional (in Lua, atomic), so replaying messages after a crash, or
receiving them twice or out of order, leaves the same state, and a price never goes back in time.
A whole batch goes to Redis in one pipeline round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import redis

from pipeline.messages import (
    BookTop,
    Candle,
    Message,
    MiniTicker,
    Trade,
    datetime_to_ms,
    decode,
    encode,
    ms_to_datetime,
)
from sim.adapters.live.base import FeedHealth, SymbolHealth
from sim.domain.fills import Book, Level, Tick

RECENT = 200
UNITS = Decimal("1e8")

_TRADE = """
local id = tonumber(ARGV[1])
local cur = redis.call('HGET', KEYS[1], 'trade_id')
if (not cur) or id > tonumber(cur) then
  redis.call('HSET', KEYS[1], 'trade_id', ARGV[1], 'price', ARGV[2], 'qty', ARGV[3], 'time', ARGV[4])
end
redis.call('ZADD', KEYS[2], id, ARGV[5])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[6]) + 1))
local minute = tonumber(ARGV[7])
local p = tonumber(ARGV[2])
local cm = redis.call('HGET', KEYS[3], 'open_time')
if (not cm) or minute > tonumber(cm) then
  redis.call('DEL', KEYS[3], KEYS[4])
  redis.call('HSET', KEYS[3], 'open_time', ARGV[7], 'open', ARGV[2], 'high', ARGV[2], 'low', ARGV[2],
             'close', ARGV[2], 'units', ARGV[8], 'first_id', ARGV[1], 'last_id', ARGV[1], 'trades', 1)
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('PEXPIRE', KEYS[4], 600000)
elseif minute == tonumber(cm) and redis.call('SADD', KEYS[4], ARGV[1]) == 1 then
  if p > tonumber(redis.call('HGET', KEYS[3], 'high')) then redis.call('HSET', KEYS[3], 'high', ARGV[2]) end
  if p < tonumber(redis.call('HGET', KEYS[3], 'low')) then redis.call('HSET', KEYS[3], 'low', ARGV[2]) end
  if id < tonumber(redis.call('HGET', KEYS[3], 'first_id')) then
    redis.call('HSET', KEYS[3], 'open', ARGV[2], 'first_id', ARGV[1])
  end
  if id > tonumber(redis.call('HGET', KEYS[3], 'last_id')) then
    redis.call('HSET', KEYS[3], 'close', ARGV[2], 'last_id', ARGV[1])
  end
  redis.call('HINCRBY', KEYS[3], 'units', ARGV[8])
  redis.call('HINCRBY', KEYS[3], 'trades', 1)
end
return 1
"""

# KEYS[1] hash; ARGV[1] order value (number), ARGV[2] encoded message
_NEWEST = """
local cur = redis.call('HGET', KEYS[1], 'order')
if (not cur) or tonumber(ARGV[1]) >= tonumber(cur) then
  redis.call('HSET', KEYS[1], 'order', ARGV[1], 'msg', ARGV[2])
end
return 1
"""

# KEYS[1] health hash; ARGV[1] symbol, ARGV[2] event ms, ARGV[3] processed ms
_HEALTH = """
local f = ARGV[1] .. ':event'
local cur = redis.call('HGET', KEYS[1], f)
if (not cur) or tonumber(ARGV[2]) > tonumber(cur) then redis.call('HSET', KEYS[1], f, ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[1] .. ':seen', ARGV[3])
return 1
"""


def _s(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisLiveStore:
    def __init__(self, url: str, prefix: str = "sim:", client: redis.Redis | None = None) -> None:
        self.client = client or redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.p = prefix
        self._trade = self.client.register_script(_TRADE)
        self._newest = self.client.register_script(_NEWEST)
        self._health = self.client.register_script(_HEALTH)

    def _k(self, name: str, symbol: str = "") -> str:
        return f"{self.p}{name}:{symbol}" if symbol else f"{self.p}{name}"

    # --- writes -----------------------------------------------------------------------------
    def write(self, messages: Sequence[Message], now_ms: int) -> None:
        """Apply a batch in one pipelined round trip (scripts are atomic one by one)."""
        if not messages:
            return
        pipe = self.client.pipeline(transaction=False)
        for m in messages:
            if isinstance(m, Trade):
                minute = datetime_to_ms(m.time) // 60_000 * 60_000
                self._trade(
                    keys=[
                        self._k("last", m.symbol),
                        self._k("trades", m.symbol),
                        self._k("candle", m.symbol),
                        self._k("candle-ids", m.symbol),
                    ],
                    args=[
                        m.trade_id,
                        format(m.price, "f"),
                        format(m.quantity, "f"),
                        datetime_to_ms(m.time),
                        encode(m),
                        RECENT,
                        minute,
                        int(m.quantity * UNITS),
                    ],
                    client=pipe,
                )
                self._mark(pipe, m.symbol, datetime_to_ms(m.time), now_ms)
            elif isinstance(m, BookTop):
                order = (
                    m.update_id if m.update_id is not None else (datetime_to_ms(m.time) if m.time else now_ms)
                )
                self._newest(keys=[self._k("book", m.symbol)], args=[order, encode(m)], client=pipe)
                self._mark(pipe, m.symbol, datetime_to_ms(m.time) if m.time else now_ms, now_ms)
            elif isinstance(m, MiniTicker):
                self._newest(
                    keys=[self._k("ticker", m.symbol)], args=[datetime_to_ms(m.time), encode(m)], client=pipe
                )
                self._mark(pipe, m.symbol, datetime_to_ms(m.time), now_ms)
            elif isinstance(m, Candle) and m.interval == "1m":
                order = datetime_to_ms(m.open_time) * 2 + (1 if m.closed else 0)
                self._newest(keys=[self._k("kline", m.symbol)], args=[order, encode(m)], client=pipe)
        pipe.execute()

    def _mark(self, pipe: redis.client.Pipeline, symbol: str, event_ms: int, now_ms: int) -> None:
        self._health(keys=[self._k("health")], args=[symbol, event_ms, now_ms], client=pipe)

    def record_consumer(self, messages_per_second: float, lag: int, now_ms: int) -> None:
        self.client.hset(self._k("consumer"), mapping={"rate": messages_per_second, "lag": lag, "at": now_ms})

    # --- reads ------------------------------------------------------------------------------
    def last(self, symbol: str) -> Tick | None:
        h = self.client.hmget(self._k("last", symbol), "price", "time")
        if h[0] is None:
            return None
        return Tick(symbol, Decimal(_s(h[0])), ms_to_datetime(int(_s(h[1]))))

    def _decoded(self, key: str) -> Message | None:
        raw = self.client.hget(key, "msg")
        return decode(_s(raw)) if raw is not None else None

    def book_top(self, symbol: str) -> BookTop | None:
        m = self._decoded(self._k("book", symbol))
        return m if isinstance(m, BookTop) else None

    def book(self, symbol: str) -> Book | None:
        b = self.book_top(symbol)
        if b is None:
            return None
        return Book(bids=[Level(b.bid_price, b.bid_qty)], asks=[Level(b.ask_price, b.ask_qty)])

    def ticker(self, symbol: str) -> MiniTicker | None:
        m = self._decoded(self._k("ticker", symbol))
        return m if isinstance(m, MiniTicker) else None

    def recent_trades(self, symbol: str, limit: int = 50) -> list[Trade]:
        raw = self.client.zrevrange(self._k("trades", symbol), 0, limit - 1)
        return [m for m in (decode(_s(r)) for r in raw) if isinstance(m, Trade)]

    def forming_candle(self, symbol: str) -> Candle | None:
        kline = self._decoded(self._k("kline", symbol))
        h = {_s(k): _s(v) for k, v in self.client.hgetall(self._k("candle", symbol)).items()}
        agg = None
        if h:
            agg = Candle(
                symbol,
                "1m",
                ms_to_datetime(int(h["open_time"])),
                Decimal(h["open"]),
                Decimal(h["high"]),
                Decimal(h["low"]),
                Decimal(h["close"]),
                Decimal(int(h["units"])) / UNITS,
                False,
                int(h["trades"]),
            )
        if isinstance(kline, Candle) and (agg is None or kline.open_time >= agg.open_time):
            return kline
        return agg

    def health(self, symbols: Sequence[str], now_ms: int) -> FeedHealth:
        try:
            h = {_s(k): int(_s(v)) for k, v in self.client.hgetall(self._k("health")).items()}
            c = {_s(k): _s(v) for k, v in self.client.hgetall(self._k("consumer")).items()}
        except redis.RedisError as exc:
            return FeedHealth(
                tuple(SymbolHealth(s, None, None) for s in symbols),
                None,
                None,
                f"The live store cannot be reached: {exc}",
            )
        out = []
        for s in symbols:
            event, seen = h.get(f"{s}:event"), h.get(f"{s}:seen")
            out.append(
                SymbolHealth(
                    s,
                    datetime.fromtimestamp(event / 1000, tz=UTC) if event else None,
                    (now_ms - seen) / 1000 if seen else None,
                )
            )
        return FeedHealth(
            tuple(out),
            float(c["rate"]) if "rate" in c else None,
            int(c["lag"]) if "lag" in c else None,
        )
