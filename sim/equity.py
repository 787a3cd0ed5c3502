"""A user's equity over time, as of the market clock or as of an earlier market time.

Rebuilt by :func:`sim.analytics.portfolio.equity_curve` from the account's fills and the
``interval`` closes of every symbol traded (indexed by close time), from the hour before the first
fill (or 7 days back for an account without fills) to ``as_of``. ``as_of`` defaults to the
simulator's clock. Only fills made by ``as_of`` and candles closed by then count; the last point
is ``as_of`` at the latest trade prices when none of them is later (so at the clock the curve ends
at the equity the app shows), else the last close at or before ``as_of``: nothing after ``as_of``
is read.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from sim.analytics import portfolio as pf
from sim.history import candles as closed_candles
from sim.market.intervals import CANDLE_INTERVALS as INTERVALS
from sim.pagination import trades_frame

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext as Simulator


def equity_history(
    sim: Simulator, user_id: int, interval: str = "1h", as_of: datetime | None = None
) -> pd.DataFrame:
    """Columns ``cash``, ``holdings``, ``equity``, ``hold`` (BTC buy-and-hold of the starting cash),
    indexed by time (UTC); floats, for charts. See the module docstring."""
    fills = trades_frame(sim, user_id)
    with sim.reading() as uow:
        starting_cash = float(uow.active_account(user_id).starting_cash)
    clock = pd.Timestamp(sim.now())
    now = min(clock, pd.Timestamp(as_of)) if as_of is not None else clock
    step = pd.Timedelta(INTERVALS[interval])
    if not fills.empty:
        fills = fills[pd.to_datetime(fills["time"], utc=True) <= now].reset_index(drop=True)
    if fills.empty:
        start = now - pd.Timedelta(days=7)
    else:
        start = pd.Timestamp(fills["time"].min()).floor(step) - step
        if start.tzinfo is None:
            start = start.tz_localize("UTC")
    end = now - step + pd.Timedelta(milliseconds=1)  # candles closed by `now`
    symbols = sorted(set(fills["symbol"])) if not fills.empty else []
    bench = "BTCUSDT" if "BTCUSDT" in sim.instruments else next(iter(sim.instruments))
    candles = {s: closed_candles(sim, s, interval, start, end) for s in {*symbols, bench}}
    closes = pf.closes_frame(candles, step)
    latest = {s: sim.market.last(s) for s in candles}
    live = {s: float(t.price) for s, t in latest.items() if t is not None and t.time <= now}
    if live and (closes.empty or now > closes.index[-1]):
        # the last point is "now" at the latest trade prices, so the curve ends at today's equity
        closes = pd.concat([closes, pd.DataFrame(live, index=pd.DatetimeIndex([now]))]).ffill()
    if closes.empty:
        return pd.DataFrame(columns=["cash", "holdings", "equity", "hold"])
    if bench not in closes.columns:
        closes[bench] = float("nan")
    curve = pf.equity_curve(fills, closes, starting_cash)
    curve["hold"] = pf.compare_to_hold(curve, closes[bench], starting_cash)["hold"]
    return curve
