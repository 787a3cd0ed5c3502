"""The live market store: latest prices, recent trades, forming candle, book top, feed health.

Written by the pipeline's consumer, read by the app and the order handling. Two adapters with the
same methods: :class:`~sim.adapters.live.memory.InMemoryLiveStore` (embedded mode) and
:class:`~sim.adapters.live.redis_store.RedisLiveStore` (``REDIS_URL``).
"""

from sim.adapters.live.base import FeedStatus, LiveStore, SymbolHealth, freshness

__all__ = ["FeedStatus", "LiveStore", "SymbolHealth", "freshness"]
