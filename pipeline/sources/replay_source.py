"""The replay source: real candles played back as a live feed of Trades and closed Candles.

Assumptions:
- Input is one time-ordered stream of closed candles per symbol: the shipped
  ``data/sample/<SYMBOL>-1h.csv.gz`` files (:func:`read_sample_candles`), the dump importer, or the
  history store. Gaps in the data are played as gaps (nothing is invented); candles that are not
  closed are skipped.
- Each candle becomes the ticks of :func:`sim.replay.candle_ticks` (its model: waypoints open ->
  wick -> wick -> close, every tick inside ``[low, high]`` on the instrument's tick grid, the last
  tick exactly the close at ``open_time + interval - 1 ms``), each as a :class:`Trade`, followed by
  the candle itself as a closed :class:`Candle`. The replay is deterministic for a ``seed`` and
  does not depend on where it starts.
- ``is_buyer_maker`` is True on a downtick (the seller crossed the spread) and False otherwise;
  a candle's first tick (its open) counts as a downtick when the candle closes below its open, so
  the flag, like the prices, does not depend on where the replay starts.
- Several symbols are merged into one stream in time order: messages come out sorted by
  ``(time, symbol order, position)``; a candle's message shares its last tick's time and comes
  right after it.
- ``start`` (inclusive) and ``end`` (exclusive) select candles by open time.
- Pacing: ``speed`` candles per second of wall time, i.e. one candle interval of market time takes
  ``1 / speed`` seconds (ticks spread over it); ``None`` plays as fast as possible.
- Tick sizes come from the exchange rules (``data/exchange_info.json``).
"""

from __future__ import annotations

import asyncio
import csv
import gzip
import heapq
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sim.domain.instruments import Instruments
from sim.market import Candle, MalformedMessage, Trade, interval_delta, ms_to_datetime, parse_decimal
from sim.replay import candle_ticks
from sim.settings import Settings

ReplayMessage = Trade | Candle
_SAMPLE_NAME = re.compile(r"^(?P<symbol>[A-Z0-9]+)-(?P<interval>\d+[smhdwM])\.csv(\.gz)?$")


def read_sample_candles(path: Path) -> Iterator[Candle]:
    """Closed candles of a shipped sample file ``<SYMBOL>-<interval>.csv.gz`` (lazily, in order).

    Columns ``open_time`` (epoch ms), ``open``, ``high``, ``low``, ``close``, ``volume``.
    """
    match = _SAMPLE_NAME.match(path.name)
    if not match:
        raise MalformedMessage(f"cannot tell symbol and interval from the file name {path.name!r}")
    symbol, interval = match["symbol"], match["interval"]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as fh:
        for row in csv.DictReader(fh):
            yield Candle(
                symbol=symbol,
                interval=interval,
                open_time=ms_to_datetime(int(row["open_time"])),
                open=parse_decimal(row["open"], "open"),
                high=parse_decimal(row["high"], "high"),
                low=parse_decimal(row["low"], "low"),
                close=parse_decimal(row["close"], "close"),
                volume=parse_decimal(row["volume"], "volume"),
                closed=True,
            )


def tick_sizes_from_exchange_info(path: Path, symbols: Iterable[str] | None = None) -> dict[str, Decimal]:
    """``{symbol: tick_size}`` from an exchangeInfo file such as ``data/exchange_info.json``."""
    instruments = Instruments.from_exchange_info(json.loads(path.read_text()), symbols)
    return {symbol: instrument.tick_size for symbol, instrument in instruments.items()}


@dataclass(frozen=True)
class ReplaySource:
    """Plays ``streams`` (symbol -> its candles, oldest first) as Trades and closed Candles.

    The candle iterables are consumed as the replay runs; pass lists to replay more than once.
    """

    streams: Mapping[str, Iterable[Candle]]
    tick_sizes: Mapping[str, Decimal]
    seed: int = 0
    ticks_per_candle: int = 4
    start: datetime | None = None
    end: datetime | None = None
    speed: float | None = None

    def __post_init__(self) -> None:
        missing = [s for s in self.streams if s not in self.tick_sizes]
        if missing:
            raise ValueError(f"no tick size for {', '.join(missing)} (not in the exchange rules)")
        if self.speed is not None and self.speed <= 0:
            raise ValueError(f"speed must be positive candles per second, got {self.speed}")

    @classmethod
    def from_sample(
        cls,
        sample_dir: Path,
        exchange_info_path: Path,
        symbols: Sequence[str],
        interval: str = "1h",
        **options: object,
    ) -> ReplaySource:
        """A replay of the shipped sample files for ``symbols`` with the file's tick sizes."""
        streams = {s: read_sample_candles(sample_dir / f"{s}-{interval}.csv.gz") for s in symbols}
        ticks = tick_sizes_from_exchange_info(exchange_info_path, symbols)
        return cls(streams, ticks, **options)  # type: ignore[arg-type]

    @classmethod
    def from_files(
        cls, files: Mapping[str, Path], tick_sizes: Mapping[str, Decimal], **options: object
    ) -> ReplaySource:
        """A replay of one candle file per symbol (shipped or imported, see :mod:`sim.universe`)."""
        streams = {s: read_sample_candles(path) for s, path in files.items()}
        return cls(streams, {s: tick_sizes[s] for s in files}, **options)  # type: ignore[arg-type]

    @classmethod
    def from_candles(
        cls, candles: Iterable[Candle], tick_sizes: Mapping[str, Decimal], **options: object
    ) -> ReplaySource:
        """A replay of one mixed iterable of candles (grouped by symbol in memory)."""
        streams: dict[str, list[Candle]] = {}
        for candle in candles:
            streams.setdefault(candle.symbol, []).append(candle)
        return cls(streams, tick_sizes, **options)  # type: ignore[arg-type]

    # --- unpaced ------------------------------------------------------------------------------

    def _symbol_items(
        self, order: int, symbol: str, candles: Iterable[Candle]
    ) -> Iterator[tuple[datetime, int, int, float, ReplayMessage]]:
        tick_size = self.tick_sizes[symbol]
        seq = 0
        previous: Candle | None = None
        for candle in candles:
            if candle.symbol != symbol:
                raise ValueError(f"a {candle.symbol} candle is in the {symbol} stream")
            if previous is not None and candle.open_time <= previous.open_time:
                raise ValueError(f"{symbol} candles are not in time order at {candle.open_time}")
            previous = candle
            if self.start is not None and candle.open_time < self.start:
                continue
            if self.end is not None and candle.open_time >= self.end:
                return
            if not candle.closed:
                continue
            step = interval_delta(candle.interval)
            ticks = candle_ticks(
                symbol,
                candle.open_time,
                candle.open,
                candle.high,
                candle.low,
                candle.close,
                candle.volume,
                tick_size=tick_size,
                n=self.ticks_per_candle,
                interval=step,
                seed=self.seed,
            )
            seconds = step.total_seconds()
            # the open counts as a downtick when the candle falls; later ticks compare with the last
            last_price = candle.open if candle.close >= candle.open else candle.high + 1
            for tick in ticks:
                maker = tick.price < last_price
                last_price = tick.price
                trade = Trade(symbol, tick.trade_id, tick.price, tick.quantity, tick.time, maker)
                yield tick.time, order, seq, seconds, trade
                seq += 1
            yield ticks[-1].time, order, seq, seconds, replace(candle, closed=True)
            seq += 1

    def _items(self) -> Iterator[tuple[datetime, int, int, float, ReplayMessage]]:
        streams = [self._symbol_items(i, s, c) for i, (s, c) in enumerate(self.streams.items())]
        return heapq.merge(*streams, key=lambda item: item[:3])

    def messages(self) -> Iterator[ReplayMessage]:
        """All messages in time order, as fast as possible (no pacing)."""
        for item in self._items():
            yield item[4]

    # --- paced --------------------------------------------------------------------------------

    def _pacer(self, monotonic: Callable[[], float]) -> Callable[[datetime, float], float]:
        """``delay(message_time, interval_seconds)``: how long to wait before that message."""
        origin: list[tuple[datetime, float, float]] = []

        def delay(when: datetime, interval_seconds: float) -> float:
            if self.speed is None:
                return 0.0
            if not origin:
                origin.append((when, monotonic(), 1.0 / (self.speed * interval_seconds)))
                return 0.0
            market0, wall0, scale = origin[0]
            return wall0 + (when - market0).total_seconds() * scale - monotonic()

        return delay

    def play(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Iterator[ReplayMessage]:
        """The messages at ``speed`` (blocking sleeps between them)."""
        delay = self._pacer(monotonic)
        for when, _, _, seconds, msg in self._items():
            wait = delay(when, seconds)
            if wait > 0:
                sleep(wait)
            yield msg

    async def aplay(
        self,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> AsyncIterator[ReplayMessage]:
        """The messages at ``speed``, for an asyncio pipeline (yields to the loop while waiting)."""
        delay = self._pacer(monotonic)
        for when, _, _, seconds, msg in self._items():
            wait = delay(when, seconds)
            if wait > 0:
                await sleep(wait)
            yield msg


def replay_of_universe(
    settings: Settings, symbols: Sequence[str] | None = None, **options: object
) -> ReplaySource:
    """A replay of ``symbols`` (default: every symbol of the offline universe, shipped and
    imported, see :mod:`sim.universe`) from their candle files, with the snapshot's tick sizes."""
    from sim.bootstrap import load_universe
    from sim.universe import candle_file

    rules = load_universe(settings, offline=True)
    chosen = list(symbols) if symbols is not None else list(rules)
    files = {s: candle_file(settings, rules.get_or_raise(s).symbol) for s in chosen}
    missing = [s for s, f in files.items() if f is None]
    if missing:
        raise ValueError(f"no candles to replay for {', '.join(missing)} (import a dump of them)")
    return ReplaySource.from_files(
        {s: f for s, f in files.items() if f is not None}, {s: rules[s].tick_size for s in files}, **options
    )
