"""Redis live store. Keys (``prefix`` default ``sim:``), per symbol ``S``:

- ``{p}last:S`` hash: the trade with the latest event time, the highest trade id among equal times
  (price, qty, trade_id, time ms): a late trade never moves the price or its time backwards;
- ``{p}trades:S`` sorted set: recent trades scored by trade id (packed ``id|price|qty|time_ms|maker``;
  members written before 2026-11 have minute and units before ``maker``, and are read too), capped at
  ``RECENT``;
- ``{p}candle:S`` hash + ``{p}candle-ids:S`` set: the forming 1m candle aggregated from trades, each
  trade id counted once (open = lowest id's price, close = highest id's price, volume summed exactly
  as integer units of 1e-8); a late trade counts into its own minute while that one is forming;
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

from sim.adapters.live.base import FeedHealth, SymbolHealth
from sim.domain.fills import Book, Level, Tick
from sim.market import (
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
from sim.market.raw_trades import Decoded, RawTrade

RECENT = 200
MAX_TRADES_PER_CALL = 2000  # Lua's unpack() takes at most ~8,000 values
UNITS = Decimal("1e8")

# One call per symbol per batch (see ``_trade_args``). KEYS: last, trades, candle, candle-ids.
# ARGV: [1] cap of the recent-trades set; [2..5] the batch's latest trade, by (time, id): id, price,
# qty, ms; it becomes the last price only if it is later by (time, id) than the stored one;
# [6] = 2m, then m (score, member) pairs: the batch's m <= cap highest distinct ids; then at b:
# the batch's newest minute (ms), the number n of its distinct trades, their aggregate (open,
# first id, close, last id, high, low, units), then n ids, n prices, n units (qty in 1e-8).
# Redis does no per-trade work unless some of the minute's ids were already counted (a replay).
_TRADES = """
local cur = redis.call('HMGET', KEYS[1], 'time', 'trade_id')
local ct, t = tonumber(cur[1]), tonumber(ARGV[5])
if (not ct) or t > ct or (t == ct and tonumber(ARGV[2]) > tonumber(cur[2])) then
  redis.call('HSET', KEYS[1], 'trade_id', ARGV[2], 'price', ARGV[3], 'qty', ARGV[4], 'time', ARGV[5])
end
local nz = tonumber(ARGV[6])
redis.call('ZADD', KEYS[2], unpack(ARGV, 7, 6 + nz))
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[1]) + 1))
local b = 7 + nz
local minute, n = tonumber(ARGV[b]), tonumber(ARGV[b + 1])
local i0 = b + 9
local cm = redis.call('HGET', KEYS[3], 'open_time')
if (not cm) or minute > tonumber(cm) then
  redis.call('DEL', KEYS[3], KEYS[4])
  redis.call('HSET', KEYS[3], 'open_time', ARGV[b], 'open', ARGV[b + 2], 'first_id', ARGV[b + 3],
             'close', ARGV[b + 4], 'last_id', ARGV[b + 5], 'high', ARGV[b + 6], 'low', ARGV[b + 7],
             'units', ARGV[b + 8], 'trades', n)
  redis.call('SADD', KEYS[4], unpack(ARGV, i0, i0 + n - 1))
  redis.call('PEXPIRE', KEYS[4], 600000)
  return 1
end
if minute < tonumber(cm) then return 1 end
local member = redis.call('SMISMEMBER', KEYS[4], unpack(ARGV, i0, i0 + n - 1))
local fresh = {}
for k = 1, n do if member[k] == 0 then fresh[#fresh + 1] = k end end
if #fresh == 0 then return 1 end
local raw = redis.call('HGETALL', KEYS[3])
local st = {}
for j = 1, #raw, 2 do st[raw[j]] = raw[j + 1] end
local function merge(first, open, last, close, high, low)
  if tonumber(high) > tonumber(st['high']) then st['high'] = high end
  if tonumber(low) < tonumber(st['low']) then st['low'] = low end
  if tonumber(first) < tonumber(st['first_id']) then st['open'], st['first_id'] = open, first end
  if tonumber(last) > tonumber(st['last_id']) then st['close'], st['last_id'] = close, last end
end
local units, ids = ARGV[b + 8], {}
if #fresh == n then
  merge(ARGV[b + 3], ARGV[b + 2], ARGV[b + 5], ARGV[b + 4], ARGV[b + 6], ARGV[b + 7])
  ids = {unpack(ARGV, i0, i0 + n - 1)}
else
  local sum = 0
  for _, k in ipairs(fresh) do
    local id, price = ARGV[i0 + k - 1], ARGV[i0 + n + k - 1]
    merge(id, price, id, price, price, price)
    sum = sum + tonumber(ARGV[i0 + 2 * n + k - 1])
    ids[#ids + 1] = id
  end
  units = string.format('%.0f', sum)
end
redis.call('HSET', KEYS[3], 'open', st['open'], 'first_id', st['first_id'], 'close', st['close'],
           'last_id', st['last_id'], 'high', st['high'], 'low', st['low'])
redis.call('HINCRBY', KEYS[3], 'units', units)
redis.call('HINCRBY', KEYS[3], 'trades', #fresh)
redis.call('SADD', KEYS[4], unpack(ids))
redis.call('PEXPIRE', KEYS[4], 600000)
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


def _units(qty: str) -> int:
    """A plain non-negative decimal string -> integer units of 1e-8, truncated (exact, no Decimal)."""
    whole, _, frac = qty.partition(".")
    return int(whole + (frac + "00000000")[:8])


def _trade_args(batch: Sequence[RawTrade]) -> list[str | int]:
    """The script's arguments for one symbol's trades (see ``_TRADES``), computed once per batch.

    A trade id seen twice in the batch is the same trade: the first copy is kept. Only the ``RECENT``
    highest ids can be in the capped recent-trades set, so only they are sent; only the trades of
    the batch's newest minute can change the forming candle (an older minute is either already
    replaced or replaced by this one), so only they are aggregated and sent.
    """
    by_id = {t.trade_id: t for t in reversed(batch)}
    ids = sorted(by_id)
    top = by_id[ids[-1]]
    latest = max([t.time for t in batch])
    if top.time < latest:  # a later trade has a lower id: the latest by (time, id) is the candidate
        top = max(by_id.values(), key=lambda t: (t.time, t.trade_id))
    args: list[str | int] = [RECENT, top.trade_id, top.price, top.quantity, top.time]
    recent = ids[-RECENT:]
    args.append(2 * len(recent))
    for i in recent:
        t = by_id[i]
        args += (i, f"{i}|{t.price}|{t.quantity}|{t.time}|{1 if t.is_buyer_maker else 0}")
    minute = latest - latest % 60_000
    now = [by_id[i] for i in ids if by_id[i].time >= minute]  # the newest minute, by id
    prices = [Decimal(t.price) for t in now]
    units = [_units(t.quantity) for t in now]
    args += (
        minute,
        len(now),
        now[0].price,
        now[0].trade_id,
        now[-1].price,
        now[-1].trade_id,
        now[prices.index(max(prices))].price,
        now[prices.index(min(prices))].price,
        sum(units),
    )
    args += [t.trade_id for t in now]
    args += [t.price for t in now]
    args += units
    return args


def _trade_from_member(symbol: str, member: str) -> Trade:
    parts = member.split("|")
    trade_id, price, qty, t_ms, maker = *parts[:4], parts[-1]
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
    def write(self, messages: Sequence[Decoded], now_ms: int) -> None:
        """Apply a batch in one pipelined round trip: per symbol, one script call for its trades
        (``_trade_args``), one for the newest book top, 24h ticker and 1m kline of the batch each,
        and one health mark (scripts are atomic one by one)."""
        if not messages:
            return
        trades: dict[str, list[RawTrade]] = {}
        newest: dict[tuple[str, str], tuple[int, Message]] = {}  # (key name, symbol) -> order, msg
        seen: dict[str, int] = {}  # symbol -> newest event ms
        for m in messages:
            if type(m) is RawTrade:
                try:
                    trades[m.symbol].append(m)
                except KeyError:
                    trades[m.symbol] = [m]
                continue
            if isinstance(m, Trade):
                trades.setdefault(m.symbol, []).append(RawTrade.from_trade(m))
                continue
            if isinstance(m, BookTop):
                event = datetime_to_ms(m.time) if m.time else now_ms
                name, order = "book", m.update_id if m.update_id is not None else event
            elif isinstance(m, MiniTicker):
                name, order = "ticker", datetime_to_ms(m.time)
                event = order
            elif isinstance(m, Candle) and m.interval == "1m":
                name, order = "kline", datetime_to_ms(m.open_time) * 2 + (1 if m.closed else 0)
                event = 0
            else:
                continue
            key = (name, m.symbol)
            if key not in newest or order >= newest[key][0]:  # equal order: the later one, as Redis
                newest[key] = (order, m)
            if name != "kline":
                seen[m.symbol] = max(seen.get(m.symbol, event), event)
        calls: list[tuple[str | int | bytes, ...]] = []
        for (name, symbol), (order, m) in newest.items():
            calls.append((self._newest.sha, 1, self._k(name, symbol), order, encode(m)))
        for symbol, batch in trades.items():
            keys = [self._k(k, symbol) for k in ("last", "trades", "candle", "candle-ids")]
            for i in range(0, len(batch), MAX_TRADES_PER_CALL):
                calls.append((self._trades.sha, 4, *keys, *_trade_args(batch[i : i + MAX_TRADES_PER_CALL])))
            event = max([t.time for t in batch])
            seen[symbol] = max(seen.get(symbol, event), event)
        for symbol, event_ms in seen.items():
            calls.append((self._health.sha, 1, self._k("health"), symbol, event_ms, now_ms))
        self._evalsha(calls)

    def _evalsha(self, calls: list[tuple[str | int | bytes, ...]]) -> None:
        """Run the script calls in one pipeline round trip. Scripts are called by their hash, not
        through redis-py's Script objects (which ask ``SCRIPT EXISTS`` first: one more round trip per
        batch); if Redis does not know them (it restarted), they are loaded and the whole batch runs
        again, which changes nothing that was already applied."""
        for attempt in (1, 2):
            pipe = self.client.pipeline(transaction=False)
            for call in calls:
                pipe.execute_command("EVALSHA", *call)
            try:
                pipe.execute()
                return
            except redis.exceptions.NoScriptError:
                if attempt == 2:
                    raise
                for script in (self._trades, self._newest, self._health):
                    self.client.script_load(script.script)

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
        out: list[Trade] = []
        for r in raw:
            t = _trade_from_member(symbol, _s(r))
            if not out or out[-1].trade_id != t.trade_id:  # one trade in both member forms: once
                out.append(t)
        return out

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
