"""Use cases on market data: prices, the 24h ticker, candle intervals, the ledger's last change."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sim.adapters.history.base import INTERVAL_MS, INTERVALS
from sim.domain.fills import Tick
from sim.domain.values import to_decimal
from sim.history import candles
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


def ticker(ctx: ServiceContext, symbol: str) -> dict[str, Any] | None:
    """The latest price of ``symbol`` with its 24h change: see :meth:`sim.services.Simulator.ticker`."""
    instrument = ctx.instruments.get_or_raise(symbol)
    tick = ctx.market.last(instrument.symbol)
    if tick is None:
        return None
    open_24h: Decimal | None = None
    source = "candles"
    mini = getattr(ctx.market, "ticker", None)
    ticker = mini(instrument.symbol) if callable(mini) else None
    if ticker is not None:
        open_24h, source = ticker.open, "ticker"
    else:
        open_24h = open_24h_of(ctx, instrument.symbol, ctx.now())
    change = (tick.price / open_24h - 1) * 100 if open_24h else None
    return {
        "symbol": instrument.symbol,
        "price": tick.price,
        "time": tick.time,
        "open_24h": open_24h,
        "change_pct": change,
        "source": source,
    }


def open_24h_of(ctx: ServiceContext, symbol: str, now: datetime) -> Decimal | None:
    """Open of the first hourly candle of the last 24 hours; the same all hour long, so it is
    kept per (symbol, hour) — market data only, never anything of a user."""
    key = (symbol, now.replace(minute=0, second=0, microsecond=0))
    cache = ctx._open_24h_cache
    if key not in cache:
        try:
            frame = candles(ctx, symbol, "1h", now - timedelta(hours=24), None)
            first = None if frame.empty else float(frame["open"].iloc[0])
        except Exception:  # a history store that is not there must not hide the price
            first = None
        if len(cache) > 256:
            cache.clear()
        cache[key] = to_decimal(repr(first), "open") if first is not None else None
    return cache[key]


def chart_intervals(ctx: ServiceContext, symbol: str) -> list[str]:
    """The candle intervals the history store can give for ``symbol`` (finest first)."""
    store = ctx.history_store
    stored = store.stored_intervals(symbol) if store is not None else ["1h"]
    if not stored:
        return ["1h", "4h", "1d"]
    return [i for i in INTERVALS if any(INTERVAL_MS[i] % INTERVAL_MS[s] == 0 for s in stored)]
