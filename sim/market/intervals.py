"""The candle intervals the history store keeps and the pages chart: name -> length.

Part of the market vocabulary, so use cases, adapters and pages share one table. (The Binance
kline intervals a message may carry are :data:`sim.market.messages.INTERVALS`, a wider set.)
"""

from __future__ import annotations

from datetime import timedelta

CANDLE_INTERVALS: dict[str, timedelta] = {
    "1m": timedelta(minutes=1),
    "5m": timedelta(minutes=5),
    "15m": timedelta(minutes=15),
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "1d": timedelta(days=1),
}
CANDLE_INTERVAL_MS: dict[str, int] = {k: int(v.total_seconds() * 1000) for k, v in CANDLE_INTERVALS.items()}
