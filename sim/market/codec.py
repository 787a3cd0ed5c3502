"""The wire form of the market messages: ``encode`` and ``decode`` (compact JSON with a ``"kind"``).

Assumptions:
- Decimals travel as JSON strings in plain notation, times as integer epoch milliseconds
  (sub-millisecond parts are dropped by :func:`encode`).
- The wire form is strict: each ``"kind"`` has an exact set of fields; a missing, unexpected or
  wrongly typed field is refused with :class:`~sim.market.messages.MalformedMessage` (consumers
  send such messages to the dead-letter topic).
- :func:`decode` refuses a payload over ``max_bytes`` (64 KiB by default) before parsing it.
- The consumer decodes whole batches with :mod:`sim.market.raw_trades`, whose every refusal comes
  from :func:`decode`.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sim.market.messages import (
    MAX_MESSAGE_BYTES,
    BookTop,
    Candle,
    DepthSnapshot,
    Gap,
    MalformedMessage,
    Message,
    MiniTicker,
    Trade,
    datetime_to_ms,
    ms_to_datetime,
    parse_decimal,
)

_KINDS: Final[dict[str, type[Any]]] = {
    "trade": Trade,
    "candle": Candle,
    "book_top": BookTop,
    "mini_ticker": MiniTicker,
    "depth_snapshot": DepthSnapshot,
    "gap": Gap,
}
_KIND_OF: Final[dict[type[Any], str]] = {cls: kind for kind, cls in _KINDS.items()}

# Wire type of every field: "sym", "str", "int", "dec", "time", "bool", "levels"; "?" = nullable.
_WIRE: Final[dict[str, dict[str, str]]] = {
    "trade": {
        "symbol": "sym",
        "trade_id": "int",
        "price": "dec",
        "quantity": "dec",
        "time": "time",
        "is_buyer_maker": "bool",
    },
    "candle": {
        "symbol": "sym",
        "interval": "str",
        "open_time": "time",
        "open": "dec",
        "high": "dec",
        "low": "dec",
        "close": "dec",
        "volume": "dec",
        "closed": "bool",
        "trades": "int?",
    },
    "book_top": {
        "symbol": "sym",
        "update_id": "int?",
        "bid_price": "dec",
        "bid_qty": "dec",
        "ask_price": "dec",
        "ask_qty": "dec",
        "time": "time?",
    },
    "mini_ticker": {
        "symbol": "sym",
        "time": "time",
        "open": "dec",
        "high": "dec",
        "low": "dec",
        "close": "dec",
        "volume": "dec",
        "quote_volume": "dec",
    },
    "depth_snapshot": {
        "symbol": "sym",
        "last_update_id": "int",
        "bids": "levels",
        "asks": "levels",
    },
    "gap": {"symbol": "sym?", "start": "time", "end": "time", "reason": "str"},
}


# --- encode ---------------------------------------------------------------------------------


def _to_wire(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return datetime_to_ms(value)
    if isinstance(value, tuple):
        return [_to_wire(v) for v in value]
    return value


def encode(msg: Message) -> bytes:
    """Compact JSON bytes with a ``"kind"`` field; Decimals as strings, times as epoch ms."""
    kind = _KIND_OF.get(type(msg))
    if kind is None:
        raise TypeError(f"not a bus message: {type(msg).__name__}")
    body: dict[str, object] = {"kind": kind}
    for f in fields(msg):
        body[f.name] = _to_wire(getattr(msg, f.name))
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


# --- decode ---------------------------------------------------------------------------------


def _from_wire(value: object, wire: str, name: str) -> object:
    if wire.endswith("?"):
        if value is None:
            return None
        wire = wire[:-1]
    if wire in ("sym", "str"):
        if not isinstance(value, str):
            raise MalformedMessage(f"{name} must be a string, got {type(value).__name__}")
        return value
    if wire == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedMessage(f"{name} must be an integer, got {value!r}")
        return value
    if wire == "bool":
        if not isinstance(value, bool):
            raise MalformedMessage(f"{name} must be true or false, got {value!r}")
        return value
    if wire == "dec":
        return parse_decimal(value, name)
    if wire == "time":
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedMessage(f"{name} must be integer epoch milliseconds, got {value!r}")
        try:
            return ms_to_datetime(value)
        except OverflowError as exc:
            raise MalformedMessage(f"{name} is out of range: {value}") from exc
    if wire == "levels":
        if not isinstance(value, list):
            raise MalformedMessage(f"{name} must be a list of [price, quantity] pairs")
        levels = []
        for i, level in enumerate(value):
            if not isinstance(level, list) or len(level) != 2:
                raise MalformedMessage(f"{name}[{i}] must be a [price, quantity] pair")
            levels.append(
                (
                    parse_decimal(level[0], f"{name}[{i}] price"),
                    parse_decimal(level[1], f"{name}[{i}] quantity"),
                )
            )
        return tuple(levels)
    raise AssertionError(wire)  # pragma: no cover


def _refuse_constant(name: str) -> object:
    raise MalformedMessage(f"{name} is not allowed in a message")


_DECODER = json.JSONDecoder(
    parse_constant=_refuse_constant
)  # built once: json.loads(**kw) builds one per call


def decode(
    data: bytes | str,
    *,
    symbols: frozenset[str] | None = None,
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> Message:
    """Parse and validate one bus message; raises :class:`MalformedMessage` with the reason.

    ``symbols``: when given, a message for any other symbol is refused.
    """
    size = len(data.encode() if isinstance(data, str) else data)
    if size > max_bytes:
        raise MalformedMessage(f"message is {size} bytes, over the {max_bytes}-byte limit")
    try:
        body = _DECODER.decode(data.decode() if isinstance(data, bytes) else data)
    except MalformedMessage:
        raise
    except RecursionError as exc:
        raise MalformedMessage("message is nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise MalformedMessage(f"message is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise MalformedMessage(f"message must be a JSON object, got {type(body).__name__}")
    kind = body.get("kind")
    if kind not in _KINDS:
        raise MalformedMessage(f"unknown message kind {kind!r}")
    spec = _WIRE[kind]
    missing = [k for k in spec if k not in body]
    if missing:
        raise MalformedMessage(f"{kind} message is missing {', '.join(missing)}")
    extra = sorted(k for k in body if k not in spec and k != "kind")
    if extra:
        raise MalformedMessage(f"{kind} message has unexpected field(s) {', '.join(extra)}")
    values = {name: _from_wire(body[name], wire, name) for name, wire in spec.items()}
    msg: Message = _KINDS[kind](**values)
    symbol = getattr(msg, "symbol", None)
    if symbols is not None and symbol is not None and symbol not in symbols:
        raise MalformedMessage(f"symbol {symbol} is not one of the tracked symbols")
    return msg
