"""Publishing market messages: keyed by symbol, one topic per kind of data.

- ticks topic: trades, book tops, 24h mini tickers, forming (open) klines, and gap notices;
- candles topic: closed klines (the history store's input);
- dead-letter topic: what a consumer could not accept, with the reason in a header.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.bus import Publisher
from sim.market import Candle, Gap, Message, encode
from sim.observability import metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topics:
    ticks: str = "market.ticks"
    candles: str = "market.candles"
    dlq: str = "market.dlq"

    @property
    def all(self) -> tuple[str, str, str]:
        return (self.ticks, self.candles, self.dlq)


def topic_for(message: Message, topics: Topics) -> str:
    if isinstance(message, Candle) and message.closed:
        return topics.candles
    return topics.ticks


def key_for(message: Message) -> bytes:
    symbol = getattr(message, "symbol", None)
    return (symbol or "*").encode()


class MarketProducer:
    def __init__(self, publisher: Publisher, topics: Topics) -> None:
        self.publisher = publisher
        self.topics = topics
        self.sent = 0

    def publish(self, message: Message) -> None:
        if isinstance(message, Gap):
            metrics.FEED_GAPS.inc()
            log.warning(
                "feed gap %s..%s (%s): %s",
                message.start,
                message.end,
                message.symbol or "all",
                message.reason,
            )
        topic = topic_for(message, self.topics)
        self.publisher.send(topic, key_for(message), encode(message))
        metrics.produced(topic)
        self.sent += 1

    def publish_all(self, messages: Iterable[Message]) -> int:
        n = 0
        for m in messages:
            self.publish(m)
            n += 1
        return n

    def flush(self) -> None:
        self.publisher.flush()
