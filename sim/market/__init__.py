"""The market vocabulary, the floor above :mod:`sim.domain`: what the market says, and how it travels.

- :mod:`sim.market.messages`: the immutable messages (trade, candle, book top, 24h ticker, depth
  snapshot, gap), their field rules and time helpers;
- :mod:`sim.market.codec`: their wire form (``encode``/``decode``);
- :mod:`sim.market.event_time`: when a message says it happened, and the "dated ahead" rule;
- :mod:`sim.market.raw_trades`: the consumer's fast batch decoder (msgspec).

The pipeline, the live stores and the matcher all speak this vocabulary; it imports nothing from
the rest of ``sim`` (standard library and msgspec only). This package re-exports the messages and
the codec, so ``from sim.market import Trade, decode`` works.
"""

from sim.market.codec import decode, encode
from sim.market.messages import (
    EPOCH,
    INTERVALS,
    MAX_MESSAGE_BYTES,
    SYMBOL_PATTERN,
    BookTop,
    Candle,
    DepthSnapshot,
    Gap,
    Level,
    MalformedMessage,
    Message,
    MiniTicker,
    Trade,
    datetime_to_ms,
    interval_delta,
    ms_to_datetime,
    parse_decimal,
)

__all__ = [
    "EPOCH",
    "INTERVALS",
    "MAX_MESSAGE_BYTES",
    "SYMBOL_PATTERN",
    "BookTop",
    "Candle",
    "DepthSnapshot",
    "Gap",
    "Level",
    "MalformedMessage",
    "Message",
    "MiniTicker",
    "Trade",
    "datetime_to_ms",
    "decode",
    "encode",
    "interval_delta",
    "ms_to_datetime",
    "parse_decimal",
]
