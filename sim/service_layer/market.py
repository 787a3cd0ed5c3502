"""Use cases on market data: the latest prices and the ledger's last change (the 24h ticker and the
candle intervals, which read candles, are :mod:`sim.history`'s)."""

from __future__ import annotations

from datetime import datetime

from sim.domain.fills import Tick
from sim.service_layer.context import ServiceContext


def price(ctx: ServiceContext, symbol: str) -> Tick | None:
    """The latest trade of ``symbol`` (price and time), or None before the first one."""
    return ctx.market.last(ctx.instruments.get_or_raise(symbol).symbol)


def prices(ctx: ServiceContext) -> dict[str, Tick | None]:
    return {s: ctx.market.last(s) for s in ctx.instruments}


def last_activity(ctx: ServiceContext) -> datetime | None:
    """When the ledger last changed (the newest order), or None for an empty ledger."""
    with ctx.reading() as uow:
        return uow.last_activity()
