"""Parse real Binance spot payloads (websocket and REST) into bus messages.

Assumptions:
- Prices and quantities arrive as strings and are parsed straight into ``Decimal``; a JSON number
  where Binance sends a string is refused (it would have passed through float).
- Websocket payloads come raw (``{"e": "trade", ...}``) or in the combined-stream envelope
  ``{"stream": "btcusdt@trade", "data": {...}}``; both are accepted. The envelope's stream name
  supplies the symbol for payloads that carry none (the partial-depth ``@depth20`` stream).
- Known and mapped: ``trade`` and ``aggTrade`` -> :class:`Trade` (for ``aggTrade`` the trade id is
  the aggregate id ``a`` and the time is the trade time ``T``); ``kline`` -> :class:`Candle` (open
  or closed, from ``"x"``); ``bookTicker`` (no ``"e"``; with or without ``T``/``E``) ->
  :class:`BookTop`; ``24hrMiniTicker`` and ``24hrTicker`` -> :class:`MiniTicker` (time = event
  time ``E``); partial depth ``{"lastUpdateId", "bids", "asks"}`` -> :class:`DepthSnapshot`.
- Anything else (``depthUpdate``, ``avgPrice``, subscription replies, ``!...@arr`` arrays) is not an
  error: the parsers return ``None``. A payload of a known type with a missing or bad field raises
  :class:`MalformedMessage`.
- REST klines are 12-column arrays; a kline is closed when its close time (column 7) is before
  ``now`` (when ``now`` is given; otherwise every row is taken as closed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sim.market import (
    BookTop,
    Candle,
    DepthSnapshot,
    Level,
    MalformedMessage,
    Message,
    MiniTicker,
    Trade,
    datetime_to_ms,
    ms_to_datetime,
    parse_decimal,
)

_MAX_PAYLOAD_BYTES = 1024 * 1024


def _get(data: Mapping[Any, Any], key: Any, what: str) -> Any:
    try:
        return data[key]
    except KeyError:
        raise MalformedMessage(f"{what} payload is missing field {key!r}") from None


def _dec(data: Mapping[Any, Any], key: Any, what: str) -> Decimal:
    return parse_decimal(_get(data, key, what), f"{what} field {key!r}")


def _int(data: Mapping[Any, Any], key: Any, what: str) -> int:
    value = _get(data, key, what)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedMessage(f"{what} field {key!r} must be an integer, got {value!r}")
    return value


def _time(data: Mapping[Any, Any], key: Any, what: str) -> datetime:
    return ms_to_datetime(_int(data, key, what))


def _bool(data: Mapping[Any, Any], key: Any, what: str) -> bool:
    value = _get(data, key, what)
    if not isinstance(value, bool):
        raise MalformedMessage(f"{what} field {key!r} must be true or false, got {value!r}")
    return value


def _str(data: Mapping[Any, Any], key: Any, what: str) -> str:
    value = _get(data, key, what)
    if not isinstance(value, str):
        raise MalformedMessage(f"{what} field {key!r} must be a string, got {value!r}")
    return value


def _levels(rows: object, what: str) -> tuple[Level, ...]:
    if not isinstance(rows, list):
        raise MalformedMessage(f"{what} must be a list of [price, quantity] pairs")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) < 2:
            raise MalformedMessage(f"{what}[{i}] must be a [price, quantity] pair")
        out.append(
            (
                parse_decimal(row[0], f"{what}[{i}] price"),
                parse_decimal(row[1], f"{what}[{i}] quantity"),
            )
        )
    return tuple(out)


def load_json(payload: bytes | str, max_bytes: int = _MAX_PAYLOAD_BYTES) -> Any:
    """JSON text -> Python objects, refusing oversized payloads, invalid JSON and NaN/Infinity."""
    if len(payload) > max_bytes:
        raise MalformedMessage(f"payload is {len(payload)} bytes, over the {max_bytes}-byte limit")

    def refuse(name: str) -> object:
        raise MalformedMessage(f"{name} is not allowed in a payload")

    try:
        return json.loads(payload, parse_constant=refuse)
    except MalformedMessage:
        raise
    except (ValueError, RecursionError) as exc:
        raise MalformedMessage(f"payload is not valid JSON: {exc}") from exc


# --- websocket ------------------------------------------------------------------------------


def _trade(d: Mapping[str, Any]) -> Trade:
    return Trade(
        symbol=_str(d, "s", "trade"),
        trade_id=_int(d, "t", "trade"),
        price=_dec(d, "p", "trade"),
        quantity=_dec(d, "q", "trade"),
        time=_time(d, "T", "trade"),
        is_buyer_maker=_bool(d, "m", "trade"),
    )


def _agg_trade(d: Mapping[str, Any]) -> Trade:
    return Trade(
        symbol=_str(d, "s", "aggTrade"),
        trade_id=_int(d, "a", "aggTrade"),
        price=_dec(d, "p", "aggTrade"),
        quantity=_dec(d, "q", "aggTrade"),
        time=_time(d, "T", "aggTrade"),
        is_buyer_maker=_bool(d, "m", "aggTrade"),
    )


def _kline(d: Mapping[str, Any]) -> Candle:
    k = _get(d, "k", "kline")
    if not isinstance(k, dict):
        raise MalformedMessage("kline payload field 'k' must be an object")
    return Candle(
        symbol=_str(k, "s", "kline"),
        interval=_str(k, "i", "kline"),
        open_time=_time(k, "t", "kline"),
        open=_dec(k, "o", "kline"),
        high=_dec(k, "h", "kline"),
        low=_dec(k, "l", "kline"),
        close=_dec(k, "c", "kline"),
        volume=_dec(k, "v", "kline"),
        closed=_bool(k, "x", "kline"),
        trades=_int(k, "n", "kline") if "n" in k else None,
    )


def _mini_ticker(d: Mapping[str, Any]) -> MiniTicker:
    what = str(d.get("e"))
    return MiniTicker(
        symbol=_str(d, "s", what),
        time=_time(d, "E", what),
        open=_dec(d, "o", what),
        high=_dec(d, "h", what),
        low=_dec(d, "l", what),
        close=_dec(d, "c", what),
        volume=_dec(d, "v", what),
        quote_volume=_dec(d, "q", what),
    )


def _book_ticker(d: Mapping[str, Any]) -> BookTop:
    time_key = "T" if "T" in d else "E" if "E" in d else None
    return BookTop(
        symbol=_str(d, "s", "bookTicker"),
        update_id=_int(d, "u", "bookTicker"),
        bid_price=_dec(d, "b", "bookTicker"),
        bid_qty=_dec(d, "B", "bookTicker"),
        ask_price=_dec(d, "a", "bookTicker"),
        ask_qty=_dec(d, "A", "bookTicker"),
        time=None if time_key is None else _time(d, time_key, "bookTicker"),
    )


def depth_snapshot(symbol: str, d: Mapping[str, Any]) -> DepthSnapshot:
    """A partial-depth stream payload or a REST ``/api/v3/depth`` response."""
    return DepthSnapshot(
        symbol=symbol.upper(),
        last_update_id=_int(d, "lastUpdateId", "depth"),
        bids=_levels(_get(d, "bids", "depth"), "bids"),
        asks=_levels(_get(d, "asks", "depth"), "asks"),
    )


_EVENTS: dict[str, Callable[[Mapping[str, Any]], Message]] = {
    "trade": _trade,
    "aggTrade": _agg_trade,
    "kline": _kline,
    "24hrMiniTicker": _mini_ticker,
    "24hrTicker": _mini_ticker,
}


def parse_ws(payload: bytes | str | Mapping[str, Any] | list[Any]) -> Message | None:
    """One websocket payload (raw or in the combined envelope) -> a message, or None if unknown."""
    data: Any = load_json(payload) if isinstance(payload, bytes | str) else payload
    stream: str | None = None
    if isinstance(data, dict) and "stream" in data and "data" in data:
        stream = data["stream"] if isinstance(data["stream"], str) else None
        data = data["data"]
    if not isinstance(data, dict):
        return None  # "!miniTicker@arr"-style arrays: not subscribed, not mapped
    event = data.get("e")
    if event is not None:
        handler = _EVENTS.get(event) if isinstance(event, str) else None
        return handler(data) if handler is not None else None
    if "u" in data and "b" in data and "a" in data and "s" in data:
        return _book_ticker(data)
    if "lastUpdateId" in data and "bids" in data:
        if stream is None:
            raise MalformedMessage("a depth snapshot without a stream name has no symbol")
        return depth_snapshot(stream.split("@", 1)[0], data)
    return None  # subscription replies ({"result": null, "id": 1}) and other unknown payloads


# --- REST -----------------------------------------------------------------------------------


def parse_rest_kline(symbol: str, interval: str, row: object, now: datetime | None = None) -> Candle:
    """One 12-column ``/api/v3/klines`` row -> a Candle (closed when its close time < ``now``)."""
    if not isinstance(row, list) or len(row) != 12:
        got = len(row) if isinstance(row, list) else type(row).__name__
        raise MalformedMessage(f"a kline row must be an array of 12 columns, got {got}")
    cols = dict(enumerate(row))
    close_ms = _int(cols, 6, "kline")
    return Candle(
        symbol=symbol,
        interval=interval,
        open_time=_time(cols, 0, "kline"),
        open=_dec(cols, 1, "kline"),
        high=_dec(cols, 2, "kline"),
        low=_dec(cols, 3, "kline"),
        close=_dec(cols, 4, "kline"),
        volume=_dec(cols, 5, "kline"),
        closed=True if now is None else close_ms < datetime_to_ms(now),
        trades=_int(cols, 8, "kline"),
    )


def parse_rest_klines(symbol: str, interval: str, rows: object, now: datetime | None = None) -> list[Candle]:
    """A ``/api/v3/klines`` response -> Candles in the order given."""
    if not isinstance(rows, list):
        raise MalformedMessage("a klines response must be an array")
    return [parse_rest_kline(symbol, interval, row, now) for row in rows]


def parse_rest_trades(symbol: str, rows: object) -> list[Trade]:
    """``/api/v3/trades`` or ``historicalTrades`` (``id``, ``price``...), or ``aggTrades``."""
    if not isinstance(rows, list):
        raise MalformedMessage("a trades response must be an array")
    out = []
    for row in rows:
        if not isinstance(row, dict):
            raise MalformedMessage("each trade must be an object")
        if "a" in row:
            out.append(
                Trade(
                    symbol,
                    _int(row, "a", "aggTrade"),
                    _dec(row, "p", "aggTrade"),
                    _dec(row, "q", "aggTrade"),
                    _time(row, "T", "aggTrade"),
                    _bool(row, "m", "aggTrade"),
                )
            )
        else:
            out.append(
                Trade(
                    symbol,
                    _int(row, "id", "trade"),
                    _dec(row, "price", "trade"),
                    _dec(row, "qty", "trade"),
                    _time(row, "time", "trade"),
                    _bool(row, "isBuyerMaker", "trade"),
                )
            )
    return out


def parse_rest_book_ticker(d: object) -> BookTop:
    """``/api/v3/ticker/bookTicker`` for one symbol (no update id, no time)."""
    if not isinstance(d, dict):
        raise MalformedMessage("a bookTicker response must be an object")
    return BookTop(
        symbol=_str(d, "symbol", "bookTicker"),
        update_id=None,
        bid_price=_dec(d, "bidPrice", "bookTicker"),
        bid_qty=_dec(d, "bidQty", "bookTicker"),
        ask_price=_dec(d, "askPrice", "bookTicker"),
        ask_qty=_dec(d, "askQty", "bookTicker"),
    )


def parse_rest_ticker_24hr(d: object) -> MiniTicker:
    """``/api/v3/ticker/24hr`` for one symbol; the time is its ``closeTime``."""
    if not isinstance(d, dict):
        raise MalformedMessage("a 24hr ticker response must be an object")
    return MiniTicker(
        symbol=_str(d, "symbol", "ticker"),
        time=_time(d, "closeTime", "ticker"),
        open=_dec(d, "openPrice", "ticker"),
        high=_dec(d, "highPrice", "ticker"),
        low=_dec(d, "lowPrice", "ticker"),
        close=_dec(d, "lastPrice", "ticker"),
        volume=_dec(d, "volume", "ticker"),
        quote_volume=_dec(d, "quoteVolume", "ticker"),
    )


def parse_rest_depth(symbol: str, d: object) -> DepthSnapshot:
    """``/api/v3/depth`` -> a DepthSnapshot."""
    if not isinstance(d, dict):
        raise MalformedMessage("a depth response must be an object")
    return depth_snapshot(symbol, d)
