"""Redis live store. Keys (``prefix`` default ``sim:``), per symbol ``S``:

- ``{p}last:S`` hash: the trade with the highest trade id (price, qty, trade_id, time ms);
- ``{p}trades:S`` sorted set: recent trades scored by trade id (packed ``id|price|qty|time|...``),
  capped at ``RECENT``;
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

# One call per symbol per batch. KEYS: last, trades, candle, candle-ids. ARGV[1] = cap of the
# recent-trades set, then one packed string per trade: "id|price|qty|time_ms|minute_ms|units|maker"
# (units = qty in 1e-8); the same string is the trade's member in the recent-trades set.
# Redis is read once and written once per key, whatever the number of trades.
_TRADES = """
local cap = tonumber(ARGV[1])
local n = #ARGV - 1
local last_id = tonumber(redis.call('HGET', KEYS[1], 'trade_id') or '-1')
local best = nil
local raw = redis.call('HGETALL', KEYS[3])
local st = {}
for j = 1, #raw, 2 do st[raw[j]] = raw[j + 1] end
local cm = st['open_time'] and tonumber(st['open_time']) or nil
local f = {}
local ids = {}
for k = 1, n do
  local id, price, qty, t, minute, units =
    string.match(ARGV[k + 1], '^(%d+)|([^|]+)|([^|]+)|(%d+)|(%d+)|(%d+)|')
  f[k] = {id, price, qty, t, minute, units}
  ids[k] = id
end
local member = {}
if n > 0 and cm then member = redis.call('SMISMEMBER', KEYS[4], unpack(ids)) end
local reset, changed, units, count = false, false, 0, tonumber(st['trades'] or '0')
local new_ids, added, za = {}, {}, {}
for k = 1, n do
  local x = f[k]
  local id, price, minute = tonumber(x[1]), x[2], tonumber(x[5])
  local p = tonumber(price)
  za[#za + 1] = x[1]
  za[#za + 1] = ARGV[k + 1]
  if id > last_id then last_id, best = id, k end
  if (not cm) or minute > cm then
    cm, reset, changed = minute, true, true
    st = {open_time = x[5], open = price, high = price, low = price, close = price,
          first_id = x[1], last_id = x[1]}
    units, count = tonumber(x[6]), 1
    new_ids, added = {[id] = true}, {x[1]}
  elseif minute == cm then
    local dup = new_ids[id] or ((not reset) and member[k] == 1)
    if not dup then
      new_ids[id] = true
      added[#added + 1] = x[1]
      changed = true
      if p > tonumber(st['high']) then st['high'] = price end
      if p < tonumber(st['low']) then st['low'] = price end
      if id < tonumber(st['first_id']) then st['open'], st['first_id'] = price, x[1] end
      if id > tonumber(st['last_id']) then st['close'], st['last_id'] = price, x[1] end
      units = units + tonumber(x[6])
      count = count + 1
    end
  end
end
if best then
  local x = f[best]
  redis.call('HSET', KEYS[1], 'trade_id', x[1], 'price', x[2], 'qty', x[3], 'time', x[4])
end
if changed then
  if reset then redis.call('DEL', KEYS[3], KEYS[4]) end
  redis.call('HSET', KEYS[3], 'open_time', st['open_time'], 'open', st['open'], 'high', st['high'],
             'low', st['low'], 'close', st['close'], 'first_id', st['first_id'], 'last_id', st['last_id'],
             'trades', count)
  if reset then
    redis.call('HSET', KEYS[3], 'units', string.format('%.0f', units))
  else
    redis.call('HINCRBY', KEYS[3], 'units', string.format('%.0f', units))
  end
  redis.call('SADD', KEYS[4], unpack(added))
  redis.call('PEXPIRE', KEYS[4], 600000)
end
if n > 0 then
  redis.call('ZADD', KEYS[2], unpack(za))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(cap + 1))
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


def _trade_args(batch: list[Trade]) -> list[str | int]:
    """The script's arguments: the cap, then one packed string per trade (see ``_TRADES``)."""
    args: list[str | int] = [RECENT]
    for t in batch:
        t_ms = datetime_to_ms(t.time)
        args.append(
            f"{t.trade_id}|{t.price:f}|{t.quantity:f}|{t_ms}|{t_ms - t_ms % 60_000}|"
            f"{int(t.quantity * UNITS)}|{int(t.is_buyer_maker)}"
        )
    return args


def _trade_from_member(symbol: str, member: str) -> Trade:
    trade_id, price, qty, t_ms, _minute, _units, maker = member.split("|")
    return Trade(symbol, int(trade_id), Decimal(price), Decimal(qty), ms_to_datetime(int(t_ms)), maker == "1")


def _s(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisLiveStore:
    def __init__(self, url: str, prefix: str = "sim:", client: redis.Redis | None = None) -> None:
        self.client = client or redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.p = prefix
        self._trades = self.client.register_script(_TRADES)
        self._newest = self.client.register_script(_NEWEST)
        self._health = self.client.register_script(_HEALTH)

    def _k(self, name: str, symbol: str = "") -> str:
        return f"{self.p}{name}:{symbol}" if symbol else f"{self.p}{name}"

    # --- writes -----------------------------------------------------------------------------
    def write(self, messages: Sequence[Message], now_ms: int) -> None:
        """Apply a batch in one pipelined round trip: one script call per symbol for its trades,
        one per other message, one health mark per symbol (scripts are atomic one by one)."""
        if not messages:
            return
        pipe = self.client.pipeline(transaction=False)
        trades: dict[str, list[Trade]] = {}
        newest: dict[str, int] = {}
        for m in messages:
            if isinstance(m, Trade):
                trades.setdefault(m.symbol, []).append(m)
                newest[m.symbol] = max(newest.get(m.symbol, 0), datetime_to_ms(m.time))
            elif isinstance(m, BookTop):
                event = datetime_to_ms(m.time) if m.time else now_ms
                order = m.update_id if m.update_id is not None else event
                self._newest(keys=[self._k("book", m.symbol)], args=[order, encode(m)], client=pipe)
                newest[m.symbol] = max(newest.get(m.symbol, 0), event)
            elif isinstance(m, MiniTicker):
                event = datetime_to_ms(m.time)
                self._newest(keys=[self._k("ticker", m.symbol)], args=[event, encode(m)], client=pipe)
                newest[m.symbol] = max(newest.get(m.symbol, 0), event)
            elif isinstance(m, Candle) and m.interval == "1m":
                order = datetime_to_ms(m.open_time) * 2 + (1 if m.closed else 0)
                self._newest(keys=[self._k("kline", m.symbol)], args=[order, encode(m)], client=pipe)
        for symbol, batch in trades.items():
            self._trades(
                keys=[self._k(k, symbol) for k in ("last", "trades", "candle", "candle-ids")],
                args=_trade_args(batch),
                client=pipe,
            )
        for symbol, event_ms in newest.items():
            self._mark(pipe, symbol, event_ms, now_ms)
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
        return [_trade_from_member(symbol, _s(r)) for r in raw]

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
