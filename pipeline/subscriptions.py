"""The live feed's subscription: ``SYMBOLS`` plus every user's watchlist, over as many Binance
websocket connections as the limits require, with a REST backfill for each symbol that joins.

Design and assumptions:
- **What is wanted** is ``wanted()`` (the producer passes ``Simulator.feed_symbols``: ``SYMBOLS``
  first, then the union of all watchlists, tradable symbols only), read at start and again every
  :data:`REFRESH_SECONDS` (30 s). A newly watched symbol is on the feed within that period plus a
  connection; nothing restarts. A symbol no watchlist holds any more leaves the feed at the next
  read (``SYMBOLS`` never do).
- **Binance's limits** (spot "WebSocket Streams" documentation): at most 1024 streams per
  connection (:data:`MAX_STREAMS`); at most 5 incoming messages per second per connection
  (SUBSCRIBE, UNSUBSCRIBE, pings: the connection is cut beyond); 300 connection attempts per
  5 minutes per IP; every connection is cut after 24 hours. The streams are named in the
  connection's URL (:class:`~pipeline.sources.binance_ws.StreamConfig`), so no control message is
  ever sent and the 5/s limit cannot be hit; a changed subscription is a reconnect of that one
  connection with its new URL (at most one per connection per refresh, far below 300 per 5 min).
  Binance documents no URL length limit; HTTP front ends commonly refuse request lines past 8 KiB,
  so a connection's URL stays under :data:`MAX_URL_CHARS` too: with the default four streams per
  symbol that is about 100 symbols per connection, well inside 1024 streams.
- **Stable split** (:func:`plan`): a connection keeps its symbols from one read to the next;
  removed symbols leave it, new ones fill the last connection with room, else open a new one. Only
  the connections whose symbols changed reconnect; each reconnect yields a
  :class:`~sim.market.Gap` as any reconnect does.
- **First seen**: when a symbol joins the feed (at start too), its hourly klines are fetched from
  REST (``backfill(symbols, sink)``; the producer's resumes after the newest candle the history
  store holds, else :data:`BACKFILL_DAYS` back) and come out of :meth:`LiveFeed.messages` as closed
  candles, published on the candles topic like any other, so the consumer stores them (keyed
  writes: a repeat changes nothing). A backfill that fails is logged and tried again at the next
  read; the live stream goes on meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from pipeline.sources.binance_ws import BinanceStream, StreamConfig
from sim.market import Candle, Message

log = logging.getLogger(__name__)

REFRESH_SECONDS = 30.0
MAX_STREAMS = 1024
MAX_URL_CHARS = 8000
BACKFILL_DAYS = 365
BACKFILL_INTERVAL = "1h"
BACKFILL_WINDOW = timedelta(days=BACKFILL_DAYS)

Group = tuple[str, ...]


class FeedClosed(Exception):
    """Raised in a backfill thread's sink once the feed is closing: the backfill stops there."""


def fits(template: StreamConfig, group: Sequence[str], max_streams: int, max_url: int) -> bool:
    """True when one connection may carry ``group`` (stream count and URL length)."""
    cfg = replace(template, symbols=tuple(group))
    return len(cfg.streams()) <= max_streams and len(cfg.url()) <= max_url


def plan(
    current: Sequence[Group],
    wanted: Sequence[str],
    template: StreamConfig,
    max_streams: int = MAX_STREAMS,
    max_url: int = MAX_URL_CHARS,
) -> list[Group]:
    """The connections' symbols for ``wanted``, changing ``current`` as little as possible."""
    keep = set(wanted)
    groups = [g for g in (tuple(s for s in group if s in keep) for group in current) if g]
    placed = {s for g in groups for s in g}
    for symbol in dict.fromkeys(wanted):
        if symbol in placed:
            continue
        if groups and fits(template, (*groups[-1], symbol), max_streams, max_url):
            groups[-1] = (*groups[-1], symbol)
        else:
            if not fits(template, (symbol,), max_streams, max_url):
                raise ValueError(f"one symbol's streams do not fit a connection: {symbol}")
            groups.append((symbol,))
        placed.add(symbol)
    return groups


Backfill = Callable[[list[str], Callable[[Sequence[Candle]], None]], None]


@dataclass
class LiveFeed:
    """``async for message in LiveFeed(...).messages()``: every connection's messages merged, and
    the backfilled candles of each symbol that joined (see the module docstring)."""

    template: StreamConfig  # everything but the symbols: base URL, streams, keepalive, backoff
    wanted: Callable[[], list[str]]
    backfill: Backfill | None = None
    refresh_seconds: float = REFRESH_SECONDS
    max_streams: int = MAX_STREAMS
    max_url: int = MAX_URL_CHARS
    groups: list[Group] = field(default_factory=list)
    connections_opened: int = 0  # how many connection tasks were started (for tests, monitoring)
    _seen: set[str] = field(default_factory=set)

    async def messages(self) -> AsyncGenerator[Message, None]:
        queue: asyncio.Queue[Message | BaseException] = asyncio.Queue(maxsize=100_000)
        closing = threading.Event()  # a backfill thread stops at its next page once the feed closes
        tasks: dict[Group, asyncio.Task[None]] = {}
        loop = asyncio.get_running_loop()

        async def pump(group: Group) -> None:
            try:
                async for message in BinanceStream(replace(self.template, symbols=group)).messages():
                    await queue.put(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a refusal that retrying will not fix: stop the feed
                await queue.put(exc)

        def run_backfill(symbols: list[str]) -> None:
            assert self.backfill is not None

            def sink(candles: Sequence[Candle]) -> None:
                if closing.is_set():
                    raise FeedClosed
                for candle in candles:
                    loop.call_soon_threadsafe(queue.put_nowait, candle)

            try:
                self.backfill(symbols, sink)
            except FeedClosed:
                pass
            except Exception as exc:  # unreachable, refused: tried again at the next read
                log.warning("backfill of %s failed, retried at the next read: %s", ", ".join(symbols), exc)
                self._seen.difference_update(symbols)

        async def refresh() -> None:
            wanted = await asyncio.to_thread(self.wanted)
            if not wanted:
                log.warning("no symbol to subscribe to; keeping the current subscription")
                return
            groups = plan(self.groups, wanted, self.template, self.max_streams, self.max_url)
            for group in [g for g in tasks if g not in groups]:
                tasks.pop(group).cancel()
            for group in groups:
                if group not in tasks:
                    tasks[group] = asyncio.create_task(pump(group))
                    self.connections_opened += 1
            if groups != self.groups:
                log.info("subscribed: %d symbols on %d connection(s)", len(wanted), len(groups))
            self.groups = groups
            fresh = [s for s in wanted if s not in self._seen]
            self._seen.update(fresh)
            if fresh and self.backfill is not None:
                backfills.append(asyncio.create_task(asyncio.to_thread(run_backfill, fresh)))

        async def keep_refreshing() -> None:
            while True:
                await asyncio.sleep(self.refresh_seconds)
                try:
                    await refresh()
                except Exception as exc:  # the ledger unreachable: keep the subscription as it is
                    log.warning("could not re-read the watchlists: %s", exc)

        backfills: list[asyncio.Task[None]] = []
        await refresh()
        refresher = asyncio.create_task(keep_refreshing())
        try:
            while True:
                item = await queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            closing.set()
            refresher.cancel()
            for task in [*tasks.values(), *backfills]:
                task.cancel()
            # each connection closes its websocket; do not wait on a peer that never answers
            await asyncio.wait([refresher, *tasks.values()], timeout=5)


def rest_backfill(base_url: str, last_open_time: Callable[[str], object] | None = None) -> Backfill:
    """The producer's first-seen backfill: each symbol's :data:`BACKFILL_INTERVAL` klines from
    Binance REST (``base_url``), resuming after ``last_open_time(symbol)`` (the history store's
    newest candle) when it gives one, else :data:`BACKFILL_DAYS` back, up to now."""
    from datetime import UTC, datetime

    from pipeline.sources.binance_rest import BinanceRest

    def run(symbols: list[str], sink: Callable[[Sequence[Candle]], None]) -> None:
        rest = BinanceRest(base_url)  # one per thread (a requests.Session)
        for symbol in symbols:
            now = datetime.now(UTC)
            stored = last_open_time(symbol) if last_open_time is not None else None
            count = rest.backfill(
                symbol,
                BACKFILL_INTERVAL,
                now - BACKFILL_WINDOW,
                now,
                sink,
                last_open_time=stored if isinstance(stored, datetime) else None,
            )
            log.info("backfilled %d %s candles of %s from REST", count, BACKFILL_INTERVAL, symbol)

    return run
