"""The order matcher: consumes the ticks topic in its own group and fills crossed resting orders.

For each batch, trades are taken per symbol in trade-id order and handed to the service layer in
one call per symbol, ``Simulator.match_trades`` (:func:`sim.service_layer.matching.match_trades`):
it first asks the ledger once for orders crossed at the batch's lowest or highest price (and
created by its newest trade) and does nothing more when there are none; otherwise each trade is
matched in turn, each order filled exactly once under its account lock, whatever duplicates or
restarts happen. A trade never fills an order created after its event time, so a new group
replaying the topic from its start fills nothing new. Offsets are committed after
the batch; a restart mid-batch replays it and changes nothing already filled. Records the consumer
dead-letters (malformed, no value: a null or a tombstone, dated more than ``MAX_TRADE_AHEAD_SECONDS``
ahead of their receive time here) are skipped and committed with the batch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Sequence

from pipeline.bus import Record, Subscription
from sim.market import Trade
from sim.market.raw_trades import RawTrade, decode_batch
from sim.services import Simulator

log = logging.getLogger(__name__)


class OrderMatcher:
    def __init__(self, sim: Simulator, subscription: Subscription) -> None:
        self.sim = sim
        self.sub = subscription
        self.symbols = frozenset(sim.symbols())
        self.filled = 0
        self.max_ahead_ms = sim.settings.max_trade_ahead_seconds * 1000

    def process(self, records: Sequence[Record]) -> int:
        by_symbol: dict[str, list[Trade]] = defaultdict(list)
        good, _ = decode_batch(  # the refused ones: the consumer sends them to the dead-letter topic
            [r.value for r in records],
            symbols=self.symbols,
            received_ms=int(time.time() * 1000),
            max_ahead_ms=self.max_ahead_ms,
        )
        for m in good:
            if type(m) is RawTrade:
                m = m.to_trade()
            if isinstance(m, Trade):
                by_symbol[m.symbol].append(m)
        changed = 0
        for symbol, trades in by_symbol.items():
            trades.sort(key=lambda t: t.trade_id)
            changed += self.sim.match_trades(symbol, trades)
        self.sub.commit()
        self.filled += changed
        return changed

    def run(self, stop: threading.Event, max_records: int = 1000) -> int:
        log.info("matcher started")
        while not stop.is_set():
            records = self.sub.poll(max_records=max_records, timeout_s=0.5)
            if not records:
                continue
            try:
                self.process(records)
            except Exception as exc:
                log.warning("matching failed, retrying the batch: %s", exc)
                self.sub.rewind()
                stop.wait(1.0)
        log.info("matcher stopped after %d fills", self.filled)
        return self.filled
