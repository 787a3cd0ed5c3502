"""Resting-order matching: fill the orders a trade crossed, exactly once, never with an older trade.

A trade fills (or triggers) a resting order only when it crosses the order's price *and* its event
time is at or after the order's creation (``created_at <= trade time``): a trade delivered late, by
a lagging or restarted matcher or by a new consumer group replaying a topic from its start, never
fills an order placed after it. The ledger is asked for the candidates
(:func:`~sim.adapters.ledger.repository.crossed_orders`), then each is filled in its own
transaction under its account lock by :func:`sim.trading.fill_resting`, which checks both rules
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sim import trading
from sim.adapters.ledger import repository as repo
from sim.adapters.market import InMemoryMarket
from sim.domain.errors import InvalidInput
from sim.domain.fills import Tick

if TYPE_CHECKING:
    from sim.services import Simulator


def match(sim: Simulator, symbol: str, price: Decimal, time: datetime) -> int:
    """Fill the resting orders of ``symbol`` that a trade at ``price`` and ``time`` crosses;
    returns how many changed."""
    with sim.engine.connect() as conn:
        crossed = repo.crossed_orders(conn, symbol, price, time)
    changed = 0
    for row in crossed:
        with sim._write() as (conn, ctx):
            if trading.fill_resting(conn, ctx, row.id, price, time):
                changed += 1
    return changed


def any_crossed(sim: Simulator, symbol: str, prices: Sequence[Decimal], until: datetime) -> bool:
    """Whether any resting order created by ``until`` could be crossed by one of ``prices`` (a
    batch's lowest and highest price are enough: an order crossed by any price of the batch is
    crossed by one of them)."""
    with sim.engine.connect() as conn:
        return any(repo.crossed_orders(conn, symbol, p, until) for p in prices)


def on_trade(sim: Simulator, symbol: str, price: Decimal, time: datetime) -> int:
    """A trade happened: update an in-memory market's price, then :func:`match` it."""
    if isinstance(sim.market, InMemoryMarket):
        sim.market.update(Tick(symbol, price, time))
    return match(sim, symbol, price, time)


def advance(sim: Simulator, candles: int = 1) -> int:
    """Play the next ``candles`` candle times of the simulator's replay, every tick of every symbol
    in time order through :func:`on_trade`; returns how many ticks were played. Refused on a live
    feed (the feed runs elsewhere)."""
    if sim.replay is None:
        raise InvalidInput("This simulator runs on a live feed; there is nothing to advance.")
    played = 0
    for _ in range(candles):
        step = sim.replay.next_candle()
        if not step:
            break
        for t in sorted((t for _, _, ts in step for t in ts), key=lambda t: (t.time, t.symbol)):
            on_trade(sim, t.symbol, t.price, t.time)
            played += 1
    return played
