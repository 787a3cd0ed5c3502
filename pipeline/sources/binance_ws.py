"""Binance spot combined-stream websocket client: reconnects, rotates sessions, reports gaps.

Assumptions and choices:
- **Subscription by URL.** Streams are named in the URL, ``<base>/stream?streams=a/b/c``, so every
  (re)connection is subscribed from its first frame: there is no window where the connection is
  up but not yet subscribed, no SUBSCRIBE reply to match, and no risk of hitting the 5
  messages/second limit on incoming control messages. Binance allows 1024 streams per
  connection; the few symbols this project tracks fit easily in a URL.
- Streams per symbol: ``<sym>@trade`` (or ``@aggTrade``), ``<sym>@kline_<interval>``,
  ``<sym>@bookTicker``, ``<sym>@miniTicker``; each can be switched off in :class:`StreamConfig`.
- **Keepalive.** Binance pings every 20 s and drops a client that does not pong within a minute;
  the ``websockets`` library answers pings by itself. The client also pings (``ping_interval``,
  ``ping_timeout``) to notice a dead TCP connection, and reconnects when no frame at all arrived
  for ``idle_timeout`` seconds.
- **Reconnects** use exponential backoff with full jitter: attempt ``k`` waits a random time in
  ``[0, min(backoff_max, backoff_base * 2**k)]`` (at least ``backoff_base / 2``); the attempt count
  resets once a new connection delivers a frame. Handshake refusals that will not change by
  retrying (HTTP 400, 403, 404, 451: e.g. a restricted location) stop the client with
  :class:`StreamRefused`; ``max_attempts`` bounds consecutive failed attempts (None: forever).
- **Session age.** Binance cuts every connection after 24 hours; the client closes and reopens
  its connection after ``max_session_age`` (default 23 h 50 min) instead of waiting to be cut.
- **Gaps.** After any disconnect (including the planned rotation), the first thing yielded on
  the new connection is a :class:`~sim.market.messages.Gap` for every symbol (``symbol=None``) from
  the wall-clock time of the last frame received to the time the new connection opened. The
  REST backfill closes it; duplicates are harmless because writes are keyed. Failures before the
  first connection are not gaps (start-up backfill resumes from the store anyway).
- A payload that fails to parse is handed to ``on_malformed(raw, error)`` (default: a warning in
  the log) and the stream goes on; unknown event types are skipped silently.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException

from pipeline.sources.binance_parse import parse_ws
from sim.market import INTERVALS, Gap, MalformedMessage, Message
from sim.observability import metrics

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "wss://stream.binance.com:9443"
_FATAL_STATUSES = frozenset({400, 403, 404, 451})


class StreamRefused(RuntimeError):
    """The server refused the connection in a way retrying will not fix, or retries ran out."""


@dataclass(frozen=True)
class StreamConfig:
    """What to subscribe to and how to keep the connection alive."""

    symbols: Sequence[str]
    base_url: str = DEFAULT_BASE_URL
    trade_stream: str | None = "trade"  # "trade", "aggTrade" or None
    kline_interval: str | None = "1m"
    book_ticker: bool = True
    mini_ticker: bool = True
    backoff_base: float = 0.5
    backoff_max: float = 60.0
    max_attempts: int | None = None
    max_session_age: timedelta = timedelta(hours=23, minutes=50)
    idle_timeout: float | None = 60.0
    ping_interval: float | None = 20.0
    ping_timeout: float | None = 20.0
    open_timeout: float = 10.0
    max_size: int = 1024 * 1024

    def __post_init__(self) -> None:
        if not self.symbols:
            raise ValueError("at least one symbol is needed")
        if self.trade_stream not in ("trade", "aggTrade", None):
            raise ValueError(f"trade_stream must be 'trade', 'aggTrade' or None, not {self.trade_stream!r}")
        if self.kline_interval is not None and self.kline_interval not in INTERVALS:
            raise ValueError(f"unknown kline interval {self.kline_interval!r}")

    def streams(self) -> list[str]:
        """The stream names, e.g. ``btcusdt@trade``, in a stable order."""
        names = []
        for symbol in self.symbols:
            s = symbol.lower()
            if self.trade_stream:
                names.append(f"{s}@{self.trade_stream}")
            if self.kline_interval:
                names.append(f"{s}@kline_{self.kline_interval}")
            if self.book_ticker:
                names.append(f"{s}@bookTicker")
            if self.mini_ticker:
                names.append(f"{s}@miniTicker")
        return names

    def url(self) -> str:
        """``<base_url>/stream?streams=...``: the combined-stream URL carrying the subscription."""
        return f"{self.base_url.rstrip('/')}/stream?streams={'/'.join(self.streams())}"


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before reconnect attempt ``attempt`` (0-based): jittered exponential."""
    ceiling = min(cap, base * (2**attempt))
    return max(base / 2, rng.uniform(0, ceiling))


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class BinanceStream:
    """Iterate ``async for item in BinanceStream(config).messages()``: messages and gaps."""

    config: StreamConfig
    on_malformed: Callable[[str | bytes, MalformedMessage], None] | None = None
    clock: Callable[[], datetime] = _utcnow
    rng: random.Random = field(default_factory=random.Random)
    connections: int = 0  # how many connections were opened (for monitoring)

    def _malformed(self, raw: str | bytes, err: MalformedMessage) -> None:
        if self.on_malformed is not None:
            self.on_malformed(raw, err)
        else:
            log.warning("malformed Binance payload skipped: %s", err.reason)

    async def _connect(self) -> ClientConnection:
        cfg = self.config
        return await connect(
            cfg.url(),
            open_timeout=cfg.open_timeout,
            ping_interval=cfg.ping_interval,
            ping_timeout=cfg.ping_timeout,
            max_size=cfg.max_size,
            compression=None,  # Binance does not negotiate permessage-deflate
        )

    async def messages(self) -> AsyncIterator[Message]:
        """Parsed messages for ever; a :class:`Gap` after every reconnect. Cancel to stop."""
        cfg = self.config
        attempt = 0
        gap_start: datetime | None = None
        gap_reason = ""
        while True:
            try:
                ws = await self._connect()
            except InvalidStatus as exc:
                status = exc.response.status_code
                if status in _FATAL_STATUSES:
                    raise StreamRefused(
                        f"Binance refused the websocket with HTTP {status}; retrying will not help"
                    ) from exc
                error: Exception = exc
            except InvalidURI as exc:
                raise StreamRefused(f"invalid websocket URL {cfg.url()!r}") from exc
            except (OSError, TimeoutError, WebSocketException) as exc:
                error = exc
            else:
                self.connections += 1
                opened = self.clock()
                if gap_start is not None:
                    yield Gap(None, min(gap_start, opened), opened, gap_reason)
                    gap_start = None
                last_frame = opened
                try:
                    async with aclosing(self._session(ws, opened)) as frames:
                        async for item in frames:
                            if isinstance(item, datetime):
                                last_frame = item
                                attempt = 0
                            else:
                                yield item
                    gap_reason = f"session rotated after {cfg.max_session_age}"
                    gap_start = last_frame
                    continue  # planned rotation: reconnect at once
                except (ConnectionClosed, OSError, TimeoutError) as exc:
                    gap_reason = f"connection lost: {exc or type(exc).__name__}"
                    gap_start = last_frame
                    error = exc
                finally:
                    await ws.close()
            if gap_start is None and self.connections > 0:
                gap_start = self.clock()
                gap_reason = f"could not connect: {error or type(error).__name__}"
            if cfg.max_attempts is not None and attempt >= cfg.max_attempts:
                raise StreamRefused(f"gave up after {attempt} failed connection attempts: {error}") from error
            delay = backoff_delay(attempt, cfg.backoff_base, cfg.backoff_max, self.rng)
            attempt += 1
            metrics.FEED_RECONNECTS.inc()
            log.info("websocket reconnect in %.3f s (attempt %d): %s", delay, attempt, error)
            await asyncio.sleep(delay)

    async def _session(
        self, ws: ClientConnection, opened: datetime
    ) -> AsyncGenerator[Message | datetime, None]:
        """Frames of one connection: the receive time of each frame, then its message if any.

        Ends normally when the session reaches ``max_session_age``; raises when the connection
        drops or stays silent for ``idle_timeout``.
        """
        cfg = self.config
        deadline = opened + cfg.max_session_age
        while True:
            remaining = (deadline - self.clock()).total_seconds()
            if remaining <= 0:
                return
            wait = remaining if cfg.idle_timeout is None else min(remaining, cfg.idle_timeout)
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=wait)
            except TimeoutError:
                if (deadline - self.clock()).total_seconds() <= 0:
                    return
                raise TimeoutError(f"no frame for {cfg.idle_timeout} s") from None
            yield self.clock()
            try:
                msg = parse_ws(raw)
            except MalformedMessage as err:
                self._malformed(raw, err)
                continue
            if msg is not None:
                yield msg

    async def run(self, on_message: Callable[[Message], Awaitable[None] | None]) -> None:
        """Callback form of :meth:`messages`: calls ``on_message`` (sync or async) for each item."""
        async for msg in self.messages():
            result = on_message(msg)
            if result is not None:
                await result
