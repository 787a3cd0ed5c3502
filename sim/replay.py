"""Replaying real candles as a stream of trades, and the clock that goes with it.

**Intra-candle ticks** (:func:`candle_ticks`). A candle only tells open, high, low and close, so the
path inside it is modelled, deterministically for a given seed:
- the waypoints are ``open -> low -> high -> close`` for a rising candle (close >= open) and
  ``open -> high -> low -> close`` for a falling one (the usual OHLC path assumption: the wick
  against the move comes first);
- ``n`` ticks (at least 4) are shared out between the three legs; inside a leg the price moves
  linearly between its waypoints plus a random wobble, clipped to ``[low, high]`` and rounded to the
  instrument's tick, so every tick lies within the candle's range;
- each waypoint itself is one of the ticks, so the high and the low are really traded, and the last
  tick is exactly the close;
- tick times are spread evenly over the candle, the last one at ``open_time + interval - 1 ms``
  (Binance's close time); the candle's volume is split evenly over the ticks (rounded down to
  ``1e-8``, the remainder on the last tick).
The random generator is seeded with ``(seed, open_time)``, so any candle replays the same ticks
wherever the replay starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from sim.adapters.sample_candles import Bar
from sim.domain.values import MONEY_UNIT, ZERO, floor_to


@dataclass(frozen=True, slots=True)
class CandleTick:
    """One synthetic trade inside a replayed candle."""

    symbol: str
    trade_id: int  # open_time in ms x 1000 + index: unique and increasing per symbol
    time: datetime
    price: Decimal
    quantity: Decimal


def _waypoints(o: Decimal, h: Decimal, low: Decimal, c: Decimal) -> list[Decimal]:
    return [o, low, h, c] if c >= o else [o, h, low, c]


def candle_ticks(
    symbol: str,
    open_time: datetime,
    o: Decimal,
    h: Decimal,
    low: Decimal,
    c: Decimal,
    volume: Decimal,
    *,
    tick_size: Decimal,
    n: int = 4,
    interval: timedelta = timedelta(hours=1),
    seed: int = 0,
) -> list[CandleTick]:
    """The ``n`` ticks of one candle; see the module docstring for the model."""
    n = max(4, n)
    points = _waypoints(o, h, low, c)
    # ticks per leg: the three legs share the n-1 ticks after the open, at least one each
    inner = n - 1
    lengths = [abs(points[i + 1] - points[i]) for i in range(3)]
    total = sum(lengths) or Decimal(1)
    per_leg = [max(1, int(inner * (length / total))) for length in lengths]
    while sum(per_leg) > inner:
        per_leg[per_leg.index(max(per_leg))] -= 1
    while sum(per_leg) < inner:
        per_leg[per_leg.index(min(per_leg))] += 1
    ms = int(open_time.timestamp() * 1000)
    rng = random.Random(f"{seed}:{symbol}:{ms}")
    prices: list[Decimal] = [o]
    for leg, count in enumerate(per_leg):
        start, end = points[leg], points[leg + 1]
        for k in range(1, count + 1):
            if k == count:
                prices.append(end)
                continue
            frac = Decimal(k) / Decimal(count)
            wobble = Decimal(str(round(rng.uniform(-0.25, 0.25), 6))) * abs(end - start) / count
            p = floor_to(start + (end - start) * frac + wobble, tick_size)
            prices.append(min(max(p, low), h))
    step_ms = (int(interval.total_seconds() * 1000) - 1) / (n - 1)
    share = (volume / n).quantize(MONEY_UNIT, rounding=ROUND_DOWN)
    ticks = []
    for i, price in enumerate(prices):
        qty = share if i < n - 1 else volume - share * (n - 1)
        when = datetime.fromtimestamp((ms + round(i * step_ms)) / 1000, tz=UTC)
        ticks.append(CandleTick(symbol, ms * 1000 + i, when, price, qty))
    return ticks


class ReplayFeed:
    """Steps through real candles of several symbols in time order, one candle time at a time.

    ``start`` is the first candle to play; before it, the feed is *primed*: each symbol's last price
    is the close of its latest candle before ``start`` (at that candle's close time). Gaps in the data
    are stepped over, never filled.
    """

    def __init__(
        self,
        bars: dict[str, list[Bar]],
        tick_sizes: dict[str, Decimal],
        start: datetime,
        *,
        ticks_per_candle: int = 4,
        seed: int = 0,
        interval: timedelta = timedelta(hours=1),
    ) -> None:
        self._bars = bars
        self._tick_sizes = tick_sizes
        self._n = ticks_per_candle
        self._seed = seed
        self._interval = interval
        self._times = sorted({b.open_time for rows in bars.values() for b in rows if b.open_time >= start})
        self._index = {s: {b.open_time: b for b in rows} for s, rows in bars.items()}
        self._pos = 0
        self.now = start

    def prime(self) -> list[CandleTick]:
        """One tick per symbol: the close of the latest candle before the start."""
        ticks = []
        for symbol, rows in self._bars.items():
            before = [b for b in rows if b.open_time < self.now]
            if before:
                b = before[-1]
                when = b.open_time + self._interval - timedelta(milliseconds=1)
                ms = int(b.open_time.timestamp() * 1000)
                ticks.append(CandleTick(symbol, ms * 1000 + self._n - 1, when, b.close, ZERO))
        return ticks

    @property
    def remaining(self) -> int:
        return len(self._times) - self._pos

    def next_candle(self) -> list[tuple[Bar, str, list[CandleTick]]]:
        """The next candle time: for each symbol trading then, its bar and ticks (time-sorted)."""
        if self._pos >= len(self._times):
            return []
        t = self._times[self._pos]
        self._pos += 1
        out = []
        for symbol, by_time in self._index.items():
            b = by_time.get(t)
            if b is None:
                continue
            ticks = candle_ticks(
                symbol,
                b.open_time,
                b.open,
                b.high,
                b.low,
                b.close,
                b.volume,
                tick_size=self._tick_sizes[symbol],
                n=self._n,
                interval=self._interval,
                seed=self._seed,
            )
            out.append((b, symbol, ticks))
        self.now = t + self._interval
        return out
