"""Resting-order matching: fill the orders a trade crossed, exactly once, never with an older trade.

A trade fills (or triggers) a resting order only when it crosses the order's price *and* its event
time is at or after the order's creation (``created_at <= trade time``): a trade delivered late, by
a lagging or restarted matcher or by a new consumer group replaying a topic from its start, never
fills an order placed after it. The ledger is asked for the candidates (``uow.crossed_orders``),
then each is filled in its own unit of work under its account lock by
:func:`sim.service_layer.trading.fill_resting`, which checks both rules again. Events are
published after each commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from sim.domain.errors import InvalidInput
from sim.domain.fills import Tick
from sim.service_layer import trading
from sim.service_layer.context import ServiceContext


class TradeLike(Protocol):
    """A trade as the matcher sees it: its price and its event time."""

    @property
    def price(self) -> Decimal: ...

    @property
    def time(self) -> datetime: ...


def match(ctx: ServiceContext, symbol: str, price: Decimal, time: datetime) -> int:
    """Fill the resting orders of ``symbol`` that a trade at ``price`` and ``time`` crosses;
    returns how many changed."""
    with ctx.reading() as uow:
        crossed = uow.crossed_orders(symbol, price, time)
    changed = 0
    tctx = ctx.trading_context()
    for row in crossed:
        with ctx.writing() as uow:
            if trading.fill_resting(uow, tctx, row.id, price, time):
                changed += 1
    return changed


def match_trades(ctx: ServiceContext, symbol: str, trades: Sequence[TradeLike]) -> int:
    """Match a batch of trades of ``symbol`` in the order given (trade-id order), as
    :func:`match` on each would; returns how many orders changed.

    The ledger is first asked once whether any resting order created by the batch's newest trade
    is crossed by the batch's lowest or highest price (an order crossed by any price of the batch
    is crossed by one of them; a trailing stop that some trade of the batch would start, move or
    trigger is found too: a move needs a price beyond its extreme, hence the extreme price of the
    batch, and with no move its stop stays put and the lowest or highest price reaches it); when
    none is, nothing more is read. Returns how many orders filled or expired."""
    if not trades:
        return 0
    prices = [t.price for t in trades]
    if not any_crossed(ctx, symbol, (min(prices), max(prices)), max(t.time for t in trades)):
        return 0
    return sum(match(ctx, symbol, t.price, t.time) for t in trades)


def any_crossed(ctx: ServiceContext, symbol: str, prices: Sequence[Decimal], until: datetime) -> bool:
    """Whether any resting order created by ``until`` could be crossed by one of ``prices``."""
    with ctx.reading() as uow:
        return any(uow.crossed_orders(symbol, p, until) for p in prices)


def on_trade(ctx: ServiceContext, symbol: str, price: Decimal, time: datetime) -> int:
    """A trade happened: record it as the market's last price where the context keeps prices
    itself (:meth:`ServiceContext.record_tick`), then :func:`match` it."""
    ctx.record_tick(Tick(symbol, price, time))
    return match(ctx, symbol, price, time)


def advance(ctx: ServiceContext, candles: int = 1) -> int:
    """Play the next ``candles`` candle times of the replay, every tick of every symbol in time
    order through :func:`on_trade`; returns how many ticks were played. Refused on a live feed (the
    feed runs elsewhere)."""
    if ctx.replay is None:
        raise InvalidInput.of("replay.live_feed")
    played = 0
    for _ in range(candles):
        step = ctx.replay.next_candle()
        if not step:
            break
        for t in sorted((t for _, _, ts in step for t in ts), key=lambda t: (t.time, t.symbol)):
            on_trade(ctx, t.symbol, t.price, t.time)
            played += 1
    return played
