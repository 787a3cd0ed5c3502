"""The market vocabulary: the immutable messages of the market-data bus and their field rules.

Every producer (Binance websocket/REST, the dump importer, the replay source) turns what it reads
into one of these messages; every consumer reads them back with :func:`sim.market.codec.decode`,
and the live stores (:mod:`sim.adapters.live`) keep them. The wire form is in :mod:`sim.market.codec`.

Assumptions:
- Prices and quantities are ``Decimal`` end to end. On the wire they are JSON *strings* in plain
  positional notation (``"102571.17000000"``), never JSON numbers, so no float ever touches them
  (:func:`parse_decimal` reads them).
- Times are timezone-aware UTC ``datetime``; on the wire they are integer milliseconds since the
  Unix epoch (Binance's unit). Sub-millisecond parts are dropped by the codec's ``encode``.
- A message validates itself when it is built (``__post_init__``): prices are finite and > 0,
  quantities finite and >= 0, a candle's ``low <= open, close <= high``. Anything that breaks
  these raises :class:`MalformedMessage`, whether it came from Binance, the bus or our own code.
- ``Trade.trade_id`` is Binance's trade id, or the aggregate trade id when the source is the
  ``aggTrade`` stream, or the synthetic id of a replayed tick; one symbol's trades on the bus
  come from one of these kinds of source at a time.
- ``BookTop.update_id`` and ``BookTop.time`` are ``None`` when Binance does not send them (the
  REST ``bookTicker`` and the older stream form have no time; the REST form has no update id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

MAX_MESSAGE_BYTES: Final = 64 * 1024
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MS: Final = timedelta(milliseconds=1)

# Binance kline intervals; "1M" (one calendar month) has no fixed length.
INTERVALS: Final[dict[str, timedelta | None]] = {
    "1s": timedelta(seconds=1),
    "1m": timedelta(minutes=1),
    "3m": timedelta(minutes=3),
    "5m": timedelta(minutes=5),
    "15m": timedelta(minutes=15),
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "2h": timedelta(hours=2),
    "4h": timedelta(hours=4),
    "6h": timedelta(hours=6),
    "8h": timedelta(hours=8),
    "12h": timedelta(hours=12),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "1w": timedelta(weeks=1),
    "1M": None,
}

_PLAIN_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
SYMBOL_PATTERN = re.compile(r"^\S{1,40}$")


class MalformedMessage(ValueError):
    """A message that cannot be accepted; ``reason`` says why, in words a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- time helpers ---------------------------------------------------------------------------


def ms_to_datetime(ms: int) -> datetime:
    """Epoch milliseconds -> aware UTC datetime, exactly (no float on the way)."""
    return EPOCH + timedelta(milliseconds=ms)


def datetime_to_ms(when: datetime) -> int:
    """Aware datetime -> epoch milliseconds, rounded down."""
    return (when - EPOCH) // _MS


def interval_delta(interval: str) -> timedelta:
    """The length of a Binance kline interval; raises for unknown ones and for ``"1M"``."""
    if interval not in INTERVALS:
        raise MalformedMessage(f"unknown kline interval {interval!r}")
    delta = INTERVALS[interval]
    if delta is None:
        raise MalformedMessage(f"interval {interval!r} has no fixed length")
    return delta


def parse_decimal(value: object, name: str) -> Decimal:
    """A Decimal from a JSON string in plain notation; refuses numbers, NaN, inf and exponents."""
    if not isinstance(value, str):
        raise MalformedMessage(f"{name} must be a decimal string, got {type(value).__name__}")
    if not _PLAIN_DECIMAL.match(value):
        raise MalformedMessage(f"{name} must be a plain decimal number, got {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise MalformedMessage(f"{name} must be a decimal number, got {value!r}") from exc


# --- field checks (used by the dataclasses) --------------------------------------------------


def _check_symbol(value: object, name: str = "symbol") -> None:
    if not isinstance(value, str) or not SYMBOL_PATTERN.match(value):
        raise MalformedMessage(f"{name} must be a non-empty symbol without spaces, got {value!r}")


def _check_price(value: object, name: str) -> None:
    if not isinstance(value, Decimal):
        raise MalformedMessage(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise MalformedMessage(f"{name} must be a finite number, got {value}")
    if value <= 0:
        raise MalformedMessage(f"{name} must be greater than zero, got {value}")


def _check_qty(value: object, name: str) -> None:
    if not isinstance(value, Decimal):
        raise MalformedMessage(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise MalformedMessage(f"{name} must be a finite number, got {value}")
    if value < 0:
        raise MalformedMessage(f"{name} must not be negative, got {value}")


def _check_time(value: object, name: str) -> None:
    if not isinstance(value, datetime) or value.utcoffset() != timedelta(0):
        raise MalformedMessage(f"{name} must be a timezone-aware UTC datetime, got {value!r}")


def _check_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedMessage(f"{name} must be a non-negative integer, got {value!r}")


def _check_ohlc(o: Decimal, h: Decimal, low: Decimal, c: Decimal) -> None:
    if h < low:
        raise MalformedMessage(f"high {h} is below low {low}")
    if not low <= o <= h:
        raise MalformedMessage(f"open {o} is outside [low, high] = [{low}, {h}]")
    if not low <= c <= h:
        raise MalformedMessage(f"close {c} is outside [low, high] = [{low}, {h}]")


# --- the messages ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trade:
    """One executed trade (or one replayed tick)."""

    symbol: str
    trade_id: int
    price: Decimal
    quantity: Decimal
    time: datetime
    is_buyer_maker: bool

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        _check_int(self.trade_id, "trade_id")
        _check_price(self.price, "price")
        _check_qty(self.quantity, "quantity")
        _check_time(self.time, "time")
        if not isinstance(self.is_buyer_maker, bool):
            raise MalformedMessage(f"is_buyer_maker must be true or false, got {self.is_buyer_maker!r}")


@dataclass(frozen=True, slots=True)
class Candle:
    """One kline; ``closed`` is False while the candle is still forming."""

    symbol: str
    interval: str
    open_time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    closed: bool
    trades: int | None = None

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        if self.interval not in INTERVALS:
            raise MalformedMessage(f"unknown kline interval {self.interval!r}")
        _check_time(self.open_time, "open_time")
        for name in ("open", "high", "low", "close"):
            _check_price(getattr(self, name), name)
        _check_qty(self.volume, "volume")
        _check_ohlc(self.open, self.high, self.low, self.close)
        if not isinstance(self.closed, bool):
            raise MalformedMessage(f"closed must be true or false, got {self.closed!r}")
        if self.trades is not None:
            _check_int(self.trades, "trades")


@dataclass(frozen=True, slots=True)
class BookTop:
    """Best bid and ask (Binance ``bookTicker``)."""

    symbol: str
    update_id: int | None
    bid_price: Decimal
    bid_qty: Decimal
    ask_price: Decimal
    ask_qty: Decimal
    time: datetime | None = None

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        if self.update_id is not None:
            _check_int(self.update_id, "update_id")
        _check_price(self.bid_price, "bid_price")
        _check_qty(self.bid_qty, "bid_qty")
        _check_price(self.ask_price, "ask_price")
        _check_qty(self.ask_qty, "ask_qty")
        if self.time is not None:
            _check_time(self.time, "time")


@dataclass(frozen=True, slots=True)
class MiniTicker:
    """Rolling 24-hour statistics (Binance ``24hrMiniTicker``); ``time`` is the event time."""

    symbol: str
    time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        _check_time(self.time, "time")
        for name in ("open", "high", "low", "close"):
            _check_price(getattr(self, name), name)
        _check_qty(self.volume, "volume")
        _check_qty(self.quote_volume, "quote_volume")
        _check_ohlc(self.open, self.high, self.low, self.close)


Level = tuple[Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class DepthSnapshot:
    """Top levels of the order book: ``(price, quantity)`` pairs, best first."""

    symbol: str
    last_update_id: int
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        _check_int(self.last_update_id, "last_update_id")
        for side in ("bids", "asks"):
            levels = getattr(self, side)
            if not isinstance(levels, tuple):
                raise MalformedMessage(f"{side} must be a tuple of (price, quantity) pairs")
            for i, level in enumerate(levels):
                if not isinstance(level, tuple) or len(level) != 2:
                    raise MalformedMessage(f"{side}[{i}] must be a (price, quantity) pair")
                _check_price(level[0], f"{side}[{i}] price")
                _check_qty(level[1], f"{side}[{i}] quantity")


@dataclass(frozen=True, slots=True)
class Gap:
    """Market data between ``start`` and ``end`` was missed (``symbol`` None: every symbol).

    Emitted by the websocket source after a disconnect, so the REST backfill can fill it.
    """

    symbol: str | None
    start: datetime
    end: datetime
    reason: str

    def __post_init__(self) -> None:
        if self.symbol is not None:
            _check_symbol(self.symbol)
        _check_time(self.start, "start")
        _check_time(self.end, "end")
        if self.end < self.start:
            raise MalformedMessage(f"gap end {self.end} is before its start {self.start}")
        if not isinstance(self.reason, str):
            raise MalformedMessage("reason must be text")


Message = Trade | Candle | BookTop | MiniTicker | DepthSnapshot | Gap
