"""Equity over time, rebuilt from fills and candle closes (pure: DataFrames in, DataFrames out).

Assumptions, stated once:
- The account starts with ``starting_cash`` and nothing else; every change of cash or holdings is a
  fill. A BUY costs ``total_amount + fee``; a SELL brings ``total_amount - fee``.
- Holdings are valued at the *close* of each candle, and a candle's close is stamped at its close
  time (``open_time + interval``). A fill counts from the first close at or after its time.
- Resting orders lock cash but do not change equity, so locks are ignored here.
- Floats: this is for charts and statistics, not for the ledger (which stays Decimal).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

FILL_COLUMNS = ("time", "symbol", "side", "quantity", "total_amount", "fee")


def closes_frame(candles: Mapping[str, pd.DataFrame], interval: pd.Timedelta | str = "1h") -> pd.DataFrame:
    """A wide frame of closes (one column per symbol) indexed by close time, forward-filled."""
    step = pd.Timedelta(interval)
    series = {}
    for symbol, df in candles.items():
        if df.empty:
            continue
        s = pd.Series(df["close"].to_numpy(dtype=float), index=pd.DatetimeIndex(df["open_time"]) + step)
        series[symbol] = s[~s.index.duplicated(keep="last")]
    if not series:
        return pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC"))
    return pd.DataFrame(series).sort_index().ffill()


def equity_curve(fills: pd.DataFrame, closes: pd.DataFrame, starting_cash: float) -> pd.DataFrame:
    """Cash, holdings value and equity at each time of ``closes``.

    ``fills`` has the columns of :data:`FILL_COLUMNS` (``Simulator.trades_frame`` gives them);
    ``closes`` is :func:`closes_frame`'s output. Returns columns ``cash``, ``holdings``, ``equity``
    indexed like ``closes``. A symbol that has fills but no closes is valued at its last fill price.
    """
    index = pd.DatetimeIndex(closes.index)
    out = pd.DataFrame(index=index, columns=["cash", "holdings", "equity"], dtype=float)
    if index.empty:
        return out
    cash = np.full(len(index), float(starting_cash))
    holdings = np.zeros(len(index))
    if not fills.empty:
        f = fills.sort_values("time")
        times = pd.DatetimeIndex(pd.to_datetime(f["time"], utc=True))
        # position of the first close at or after each fill
        pos = index.searchsorted(times, side="left")
        buy = (f["side"].astype(str).str.upper() == "BUY").to_numpy()
        total = f["total_amount"].to_numpy(dtype=float)
        fee = f["fee"].to_numpy(dtype=float)
        qty = f["quantity"].to_numpy(dtype=float)
        cash_delta = np.where(buy, -(total + fee), total - fee)
        qty_delta = np.where(buy, qty, -qty)
        step_cash = np.zeros(len(index) + 1)
        np.add.at(step_cash, pos, cash_delta)
        cash = cash + np.cumsum(step_cash)[: len(index)]
        for symbol, idx in f.groupby("symbol").indices.items():
            step_qty = np.zeros(len(index) + 1)
            np.add.at(step_qty, pos[idx], qty_delta[idx])
            held = np.cumsum(step_qty)[: len(index)]
            held[np.isclose(held, 0.0, atol=1e-12)] = 0.0
            if symbol in closes.columns:
                price = closes[symbol].to_numpy(dtype=float)
            else:
                last_fill = (total[idx] / np.where(qty[idx] == 0, np.nan, qty[idx]))[-1]
                price = np.full(len(index), last_fill)
            holdings = holdings + np.nan_to_num(held * price)
    out["cash"] = cash
    out["holdings"] = holdings
    out["equity"] = cash + holdings
    return out


def buy_and_hold(closes: pd.Series, starting_cash: float) -> pd.Series:
    """Equity of putting all of ``starting_cash`` into the asset at the first close (no fees)."""
    s = closes.dropna()
    if s.empty:
        return s.astype(float)
    return float(starting_cash) * s.astype(float) / float(s.iloc[0])


def total_return(equity: pd.Series) -> float | None:
    """``last / first - 1`` of an equity series, or None when it has no two points."""
    s = equity.dropna()
    if len(s) < 2 or s.iloc[0] == 0:
        return None
    return float(s.iloc[-1] / s.iloc[0] - 1)


def compare_to_hold(curve: pd.DataFrame, btc_closes: pd.Series, starting_cash: float) -> pd.DataFrame:
    """The equity curve beside BTC buy-and-hold over the same times (columns equity, hold)."""
    hold = buy_and_hold(btc_closes.reindex(curve.index).ffill(), starting_cash)
    return pd.DataFrame({"equity": curve["equity"], "hold": hold.reindex(curve.index)})


def holdings_frame(portfolio: object) -> pd.DataFrame:
    """One row per position of a :class:`~sim.views.PortfolioView` (floats, for tables)."""
    rows = []
    for p in getattr(portfolio, "positions", ()):
        rows.append(
            {
                "symbol": p.symbol,
                "quantity": float(p.quantity),
                "locked": float(p.qty_locked),
                "avg_price": float(p.avg_price) if p.quantity else None,
                "last_price": float(p.last_price) if p.last_price is not None else None,
                "market_value": float(p.market_value) if p.market_value is not None else None,
                "unrealized_pnl": float(p.unrealized_pnl) if p.unrealized_pnl is not None else None,
                "unrealized_pct": float(p.unrealized_pnl / p.cost_basis * 100)
                if p.unrealized_pnl is not None and p.cost_basis
                else None,
                "realized_pnl": float(p.realized_pnl),
                "fees_paid": float(p.fees_paid),
            }
        )
    columns = [
        "symbol",
        "quantity",
        "locked",
        "avg_price",
        "last_price",
        "market_value",
        "unrealized_pnl",
        "unrealized_pct",
        "realized_pnl",
        "fees_paid",
    ]
    return pd.DataFrame(rows, columns=columns)


def allocation_frame(portfolio: object, quote: str = "USDT") -> pd.DataFrame:
    """``asset, value``: cash (free + locked) and each held position at market value."""
    rows = [{"asset": quote, "value": float(getattr(portfolio, "cash", 0))}]
    for p in getattr(portfolio, "positions", ()):
        if p.quantity and p.market_value is not None:
            rows.append({"asset": p.symbol, "value": float(p.market_value)})
    return pd.DataFrame(rows, columns=["asset", "value"])


def change_since(equity: pd.Series, since: pd.Timestamp, now_value: float) -> float:
    """``now_value`` minus the equity at ``since`` (the last point at or before it; the first point
    when the series starts later, i.e. the account's value before its first trade). 0 when empty."""
    s = equity.dropna()
    if s.empty:
        return 0.0
    before = s[s.index <= since]
    start = before.iloc[-1] if not before.empty else s.iloc[0]
    return float(now_value) - float(start)
