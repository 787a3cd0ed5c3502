"""Binance spot REST client for history: klines backfill, gap filling, exchangeInfo refresh.

Assumptions:
- Only public market-data endpoints (no key): ``GET /api/v3/klines`` and ``/api/v3/exchangeInfo``.
- **Request weight.** Binance counts weight per IP per minute (6000 for spot today) and reports
  the running total in ``X-MBX-USED-WEIGHT-1M``. When that reaches ``weight_limit -
  weight_margin`` the client sleeps until the next minute starts, before it is refused.
- **HTTP 429** (too many requests): wait ``Retry-After`` seconds (60 when absent) and retry.
  **HTTP 418** (IP banned after ignoring 429s): wait only if ``Retry-After <= max_ban_wait``;
  otherwise stop with :class:`IpBanned` saying how long the ban lasts.
- **5xx and network errors** (refused connections, timeouts after ``timeout`` seconds) are retried
  ``max_retries`` times with jittered exponential backoff (these are GETs, safe to repeat); then
  :class:`BinanceUnreachable` (retryable). Other 4xx stop with :class:`BinanceRestError` carrying
  Binance's ``{"code", "msg"}``, and so does a 200 answer whose body is not JSON (a proxy's or a
  wrong ``BINANCE_REST_URL``'s page). Both are :class:`~sim.domain.errors.SimError` subclasses.
- **Pagination.** Pages of ``page_limit`` (max 1000) klines from ``startTime``; the next page
  starts 1 ms after the last open time returned, so any interval (even ``1M``) works.
- **Only closed candles are stored.** A kline whose close time is not yet past (by ``clock``) is
  still forming; ``backfill`` stops before it.
- Time is injected (``sleep``, ``clock``) so the waits can be tested without waiting.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import requests

from pipeline.sources.binance_parse import parse_rest_klines
from pipeline.sources.candle_gaps import find_gaps
from sim.domain.errors import SimError
from sim.domain.instruments import Instruments
from sim.market import Candle, datetime_to_ms
from sim.observability import metrics

DEFAULT_BASE_URL = "https://api.binance.com"
_ONE_MS = timedelta(milliseconds=1)

__all__ = [
    "BinanceRest",
    "BinanceRestError",
    "BinanceUnreachable",
    "IpBanned",
    "find_gaps",
    "write_exchange_info",
]

Sink = Callable[[Sequence[Candle]], object]
LastOpenTime = datetime | None | Callable[[], datetime | None]


class BinanceRestError(SimError, RuntimeError):
    """A REST call failed for good; the message says what Binance answered."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BinanceUnreachable(BinanceRestError):
    """Binance did not answer usefully (network error, timeout, 5xx, 429) after every retry.
    Retryable: the same request may succeed later."""

    retryable: ClassVar[bool] = True


class IpBanned(BinanceRestError):
    """HTTP 418: Binance banned this IP for longer than the client is willing to wait."""


def _retry_after(response: requests.Response, default: float) -> float:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default


def _binance_error(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"Binance error {body['code']}: {body['msg']}"
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


@dataclass
class BinanceRest:
    """A small synchronous client; one per thread (it holds a ``requests.Session``)."""

    base_url: str = DEFAULT_BASE_URL
    session: requests.Session = field(default_factory=requests.Session)
    weight_limit: int = 6000
    weight_margin: int = 600
    max_ban_wait: float = 120.0
    max_retries: int = 5
    backoff_base: float = 1.0
    timeout: float = 10.0
    page_limit: int = 1000
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    used_weight: int = 0  # the last X-MBX-USED-WEIGHT-1M seen

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``path`` and return its JSON, applying the weight, 429, 418 and retry rules."""
        failures = 0
        while True:
            try:
                response = self.session.get(
                    self.base_url.rstrip("/") + path, params=params, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                failures = self._backoff(failures, f"network error: {exc}")
                continue
            self._track_weight(response)
            status = response.status_code
            if status == 429:
                failures = self._count(failures, "HTTP 429 (request weight exceeded)")
                self.sleep(_retry_after(response, 60.0))
                continue
            if status == 418:
                wait = _retry_after(response, float("inf"))
                if wait > self.max_ban_wait:
                    raise IpBanned(
                        f"Binance banned this IP (HTTP 418) for {wait:.0f} s, longer than the "
                        f"{self.max_ban_wait:.0f} s this client waits: stop and retry after the "
                        f"ban; lower the request rate. {_binance_error(response)}",
                        status,
                    )
                failures = self._count(failures, "HTTP 418 (IP ban)")
                self.sleep(wait)
                continue
            if status >= 500:
                failures = self._backoff(failures, f"HTTP {status}")
                continue
            if status >= 400:
                raise BinanceRestError(
                    f"GET {path} failed with HTTP {status}: {_binance_error(response)}", status
                )
            try:
                return response.json()
            except ValueError:
                raise BinanceRestError(
                    f"GET {path} answered HTTP {status} with a body that is not JSON: "
                    f"{response.text[:120]!r}. Is the base URL {self.base_url} Binance's REST API?",
                    status,
                ) from None

    def _count(self, failures: int, what: str) -> int:
        if failures >= self.max_retries:
            raise BinanceUnreachable(
                f"Binance ({self.base_url}) did not answer after {failures + 1} "
                f"attempt{'s' if failures else ''}; the last problem: {what}. Try again later."
            )
        return failures + 1

    def _backoff(self, failures: int, what: str) -> int:
        failures = self._count(failures, what)
        ceiling = self.backoff_base * 2 ** (failures - 1)
        self.sleep(self.rng.uniform(ceiling / 2, ceiling))
        return failures

    def _track_weight(self, response: requests.Response) -> None:
        header = response.headers.get("X-MBX-USED-WEIGHT-1M")
        if header is None or not header.isdigit():
            return
        self.used_weight = int(header)
        if self.used_weight >= self.weight_limit - self.weight_margin:
            # the counter resets when the minute changes: wait for that, plus a little slack
            self.sleep(60.0 - (self.clock() % 60.0) + 0.5)
            self.used_weight = 0

    # --- klines -----------------------------------------------------------------------------

    def klines(self, symbol: str, interval: str, start: datetime, end: datetime) -> Iterator[list[Candle]]:
        """Pages of candles with ``start <= open_time <= end``, oldest first (open ones included)."""
        now = datetime.fromtimestamp(self.clock(), UTC)
        cursor, end_ms = datetime_to_ms(start), datetime_to_ms(end)
        while cursor <= end_ms:
            params = {
                "symbol": symbol,
                "interval": interval,
                "startTime": cursor,
                "endTime": end_ms,
                "limit": self.page_limit,
            }
            rows = self.get("/api/v3/klines", params)
            page = parse_rest_klines(symbol, interval, rows, now=now)
            if not page:
                return
            yield page
            last = datetime_to_ms(page[-1].open_time)
            if last < cursor:
                raise BinanceRestError(f"klines page for {symbol} went back before {cursor}")
            cursor = last + 1
            if len(page) < self.page_limit:
                return

    def backfill(
        self,
        symbol: str,
        interval: str,
        start: datetime,
        end: datetime,
        sink: Sink,
        *,
        last_open_time: LastOpenTime = None,
    ) -> int:
        """Fetch closed candles in ``[start, end]`` into ``sink`` (one call per page).

        Resumes after ``last_open_time`` (a value, or a callable asking the store) when given.
        Returns how many candles were passed to the sink.
        """
        stored = last_open_time() if callable(last_open_time) else last_open_time
        if stored is not None:
            start = max(start, stored + _ONE_MS)
        count = 0
        for page in self.klines(symbol, interval, start, end):
            closed = [c for c in page if c.closed]
            if closed:
                sink(closed)
                count += len(closed)
            if len(closed) < len(page):
                break  # the forming candle is the last one Binance has
        return count

    def fill_gaps(
        self,
        symbol: str,
        interval: str,
        gaps: Iterable[tuple[datetime, datetime]],
        sink: Sink,
    ) -> int:
        """Fetch each ``(first, last)`` missing range (see :func:`find_gaps`) into ``sink``."""
        gaps = list(gaps)
        metrics.GAP_BACKFILLS.inc(len(gaps))
        return sum(self.backfill(symbol, interval, first, last, sink) for first, last in gaps)

    # --- exchange info ------------------------------------------------------------------------

    def exchange_info(self, symbols: Sequence[str] | None = None) -> dict[str, Any]:
        """``GET /api/v3/exchangeInfo`` (for ``symbols`` only when given)."""
        params = {"symbols": json.dumps(list(symbols), separators=(",", ":"))} if symbols else None
        info = self.get("/api/v3/exchangeInfo", params)
        if not isinstance(info, dict) or not isinstance(info.get("symbols"), list):
            raise BinanceRestError("exchangeInfo response has no symbols list")
        return info

    def refresh_exchange_info(self, path: Path, symbols: Sequence[str]) -> Path:
        """Fetch the rules for ``symbols`` and write them to ``path`` in the project's format."""
        return write_exchange_info(self.exchange_info(symbols), path, symbols)


def write_exchange_info(info: dict[str, Any], path: Path, symbols: Sequence[str]) -> Path:
    """Write ``info`` cut to ``symbols`` like ``data/exchange_info.json``, atomically.

    The file keeps Binance's layout (``timezone``, ``rateLimits``, ``exchangeFilters``,
    ``symbols``), two-space indented. Every symbol must be present and parse as an instrument,
    so a bad response never replaces a good file.
    """
    by_symbol = {entry.get("symbol"): entry for entry in info.get("symbols", [])}
    missing = [s for s in symbols if s not in by_symbol]
    if missing:
        raise BinanceRestError(f"exchangeInfo has no rules for {', '.join(missing)}")
    doc = {
        "timezone": info.get("timezone", "UTC"),
        "rateLimits": info.get("rateLimits", []),
        "exchangeFilters": info.get("exchangeFilters", []),
        "symbols": [by_symbol[s] for s in symbols],
    }
    try:
        Instruments.from_exchange_info(doc)
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise BinanceRestError(f"exchangeInfo rules do not parse: {exc!r}") from exc
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n")
    os.replace(tmp, path)
    return path
