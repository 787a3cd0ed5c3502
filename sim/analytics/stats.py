"""Performance statistics: pure functions over an equity curve and a list of fills.

Inputs:
- ``equity``: a pandas Series of account value (quote currency) at each bar's close, indexed by
  the bar's UTC time, oldest first. ``E_t`` below is its value at bar ``t`` (``t = 0 .. T``).
- ``trades``: fills with the columns ``time, symbol, side, qty, price, fee`` (``side`` BUY or SELL;
  numbers as Decimal, text or float; Decimal is kept exact in the trade accounting).
- ``benchmark``: an equity curve to compare with (buy-and-hold of the same symbols, same period).

Conventions (a 24/7 market, so a year is 365 days of bars, every bar counts):
- periods per year ``P``: ``365 * 24 * 60 / minutes per bar`` (8,760 for 1h, 525,600 for 1m,
  365 for 1d);
- bar returns ``r_t = E_t / E_{t-1} - 1`` for ``t = 1 .. T``;
- a risk-free rate ``rf`` is annual; per bar ``rf_p = (1 + rf)^(1/P) - 1``;
- means and standard deviations are over the ``T`` bar returns; standard deviations use ``ddof=1``.
Ratios that divide by zero (no volatility, no drawdown, no losing trade) are ``nan`` or ``inf`` as
stated in each docstring. Analytics use float64; only the trade accounting reads Decimal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

MINUTES_PER_YEAR = 365 * 24 * 60
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}


# --- periods ------------------------------------------------------------------------------------
def periods_per_year(interval: str | pd.Timedelta) -> float:
    """Bars in a 365-day year: ``P = 525600 / minutes_per_bar`` ("1h" -> 8760, "1m" -> 525600)."""
    if isinstance(interval, str):
        match = re.fullmatch(r"(\d+)([mhdw])", interval.strip())
        if not match:
            raise ValueError(f"unknown interval {interval!r}; expected e.g. '1m', '1h', '1d'")
        minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
    else:
        minutes = pd.Timedelta(interval).total_seconds() / 60
    if minutes <= 0:
        raise ValueError("the bar interval must be positive")
    return MINUTES_PER_YEAR / minutes


def infer_periods_per_year(index: pd.DatetimeIndex) -> float:
    """``P`` from the median spacing of ``index`` (robust to exchange outages); 365 if < 2 bars.

    The median is taken over the first 100,000 spacings (enough, and cheap on long series).
    """
    if len(index) < 2:
        return 365.0
    step = float(np.median(np.diff(index[:100_001].as_unit("ns").asi8)))  # nanoseconds
    return periods_per_year(pd.Timedelta(int(step), unit="ns"))


def _values(equity: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(equity, dtype=np.float64)


def bar_returns(equity: pd.Series | np.ndarray) -> np.ndarray:
    """``r_t = E_t / E_{t-1} - 1`` for ``t = 1 .. T`` (length ``T``)."""
    e = _values(equity)
    return e[1:] / e[:-1] - 1.0


# --- return and risk ----------------------------------------------------------------------------
def total_return(equity: pd.Series | np.ndarray) -> float:
    """``E_T / E_0 - 1``."""
    e = _values(equity)
    return float(e[-1] / e[0] - 1.0)


def years(equity: pd.Series) -> float:
    """Calendar length of the curve in 365-day years: ``(time_T - time_0) / 365 days``."""
    span = equity.index[-1] - equity.index[0]
    return float(pd.Timedelta(span).total_seconds() / (365 * 86400))


def cagr(equity: pd.Series) -> float:
    """Compound annual growth rate ``(E_T / E_0)^(1 / years) - 1``; nan for a zero-length curve."""
    y = years(equity)
    if y <= 0:
        return math.nan
    ratio = float(equity.iloc[-1] / equity.iloc[0])
    return ratio ** (1.0 / y) - 1.0 if ratio > 0 else -1.0


def annualized_volatility(equity: pd.Series | np.ndarray, periods: float) -> float:
    """``std(r, ddof=1) * sqrt(P)``; nan with fewer than 2 returns."""
    r = bar_returns(equity)
    return float(np.std(r, ddof=1) * math.sqrt(periods)) if len(r) > 1 else math.nan


def _per_bar_rf(risk_free: float, periods: float) -> float:
    return (1.0 + risk_free) ** (1.0 / periods) - 1.0


def sharpe_ratio(equity: pd.Series | np.ndarray, periods: float, risk_free: float = 0.0) -> float:
    """``mean(r - rf_p) / std(r - rf_p, ddof=1) * sqrt(P)``; nan when the std is 0."""
    x = bar_returns(equity) - _per_bar_rf(risk_free, periods)
    if len(x) < 2:
        return math.nan
    sd = float(np.std(x, ddof=1))
    return float(np.mean(x)) / sd * math.sqrt(periods) if sd > 0 else math.nan


def sortino_ratio(equity: pd.Series | np.ndarray, periods: float, risk_free: float = 0.0) -> float:
    """``mean(r - rf_p) / DD * sqrt(P)`` with downside deviation ``DD = sqrt(mean(min(r - rf_p,
    0)^2))`` over all bars; inf when no bar return is below ``rf_p`` (and the mean is > 0)."""
    x = bar_returns(equity) - _per_bar_rf(risk_free, periods)
    if len(x) < 1:
        return math.nan
    dd = math.sqrt(float(np.mean(np.minimum(x, 0.0) ** 2)))
    mean = float(np.mean(x))
    if dd == 0:
        return math.inf if mean > 0 else math.nan
    return mean / dd * math.sqrt(periods)


def drawdown(equity: pd.Series) -> pd.Series:
    """``DD_t = E_t / max(E_0 .. E_t) - 1`` (0 at a new high, negative below it)."""
    e = _values(equity)
    return pd.Series(e / np.maximum.accumulate(e) - 1.0, index=equity.index, name="drawdown")


def max_drawdown(equity: pd.Series | np.ndarray) -> float:
    """``min_t DD_t``: the deepest fall from a running high, as a negative fraction (0 if none)."""
    e = _values(equity)
    return float(np.min(e / np.maximum.accumulate(e) - 1.0))


def max_drawdown_duration(equity: pd.Series) -> pd.Timedelta:
    """Longest time spent below a running high: ``max_t (time_t - time of the last high <= t)``.

    A high is a bar with ``E_t >= max(E_0 .. E_t)``; a drawdown not yet recovered counts to the end.
    """
    e = _values(equity)
    is_high = e >= np.maximum.accumulate(e)
    last_high = np.maximum.accumulate(np.where(is_high, np.arange(len(e)), 0))
    times = pd.DatetimeIndex(equity.index).as_unit("ns").asi8
    return pd.Timedelta(int(np.max(times - times[last_high])), unit="ns")


def calmar_ratio(equity: pd.Series) -> float:
    """``CAGR / |max drawdown|``; nan without a drawdown."""
    mdd = max_drawdown(equity)
    return cagr(equity) / abs(mdd) if mdd < 0 else math.nan


# --- trades -------------------------------------------------------------------------------------
def as_decimal(value: Any) -> Decimal:
    """A number as Decimal: Decimal kept, int and text parsed, float read through its repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, str)):
        return Decimal(value)
    return Decimal(repr(float(value)))


TRIP_COLUMNS = ["symbol", "entry_time", "exit_time", "cost", "proceeds", "fees", "pnl", "return"]


def round_trips(trades: pd.DataFrame | None) -> pd.DataFrame:
    """Closed trades: per symbol, from a fill that opens a position (from flat) to the fill that
    brings it back to exactly zero.

    ``cost = sum(buy qty*price + buy fee)``, ``proceeds = sum(sell qty*price - sell fee)``,
    ``pnl = proceeds - cost``, ``return = pnl / cost``, ``fees`` = all fees of the trip (Decimal
    arithmetic, reported as float). A position still open at the end is not a closed trade.
    """
    rows: list[tuple[Any, ...]] = []
    if trades is None or len(trades) == 0:
        return pd.DataFrame(columns=TRIP_COLUMNS)
    state: dict[str, list[Any]] = {}  # symbol -> [qty, cost, proceeds, fees, entry_time]
    for time, symbol, side, qty, price, fee in zip(
        trades["time"],
        trades["symbol"],
        trades["side"],
        trades["qty"],
        trades["price"],
        trades["fee"],
        strict=True,
    ):
        q, p, f = as_decimal(qty), as_decimal(price), as_decimal(fee)
        s = state.get(symbol)
        if str(side).upper() == "BUY":
            if s is None or s[0] == 0:
                s = state[symbol] = [Decimal(0), Decimal(0), Decimal(0), Decimal(0), time]
            s[0] += q
            s[1] += q * p + f
            s[3] += f
        else:
            if s is None or s[0] == 0:
                continue  # a sell without a position (outside the data): ignored
            s[0] -= q
            s[2] += q * p - f
            s[3] += f
            if s[0] <= 0:
                pnl = s[2] - s[1]
                ret = pnl / s[1] if s[1] else Decimal(0)
                rows.append(
                    (symbol, s[4], time, float(s[1]), float(s[2]), float(s[3]), float(pnl), float(ret))
                )
                s[0] = Decimal(0)
    return pd.DataFrame(rows, columns=TRIP_COLUMNS)


def win_rate(trips: pd.DataFrame) -> float:
    """``wins / closed trades`` where a win has ``pnl > 0``; nan without closed trades."""
    return float((trips["pnl"] > 0).mean()) if len(trips) else math.nan


def profit_factor(trips: pd.DataFrame) -> float:
    """``sum(pnl of wins) / |sum(pnl of losses)|``; inf with wins and no loss, nan with neither."""
    gains = float(trips.loc[trips["pnl"] > 0, "pnl"].sum())
    losses = float(-trips.loc[trips["pnl"] < 0, "pnl"].sum())
    if losses == 0:
        return math.inf if gains > 0 else math.nan
    return gains / losses


def average_win(trips: pd.DataFrame) -> float:
    """``mean(pnl | pnl > 0)`` in quote currency; nan without wins."""
    wins = trips.loc[trips["pnl"] > 0, "pnl"]
    return float(wins.mean()) if len(wins) else math.nan


def average_loss(trips: pd.DataFrame) -> float:
    """``mean(pnl | pnl <= 0)`` in quote currency (negative or 0); nan without losses."""
    losses = trips.loc[trips["pnl"] <= 0, "pnl"]
    return float(losses.mean()) if len(losses) else math.nan


def fees_paid(trades: pd.DataFrame | None) -> float:
    """``sum(fee)`` over all fills (exact Decimal sum, reported as float)."""
    if trades is None or len(trades) == 0:
        return 0.0
    return float(sum((as_decimal(f) for f in trades["fee"]), Decimal(0)))


def exposure_time(positions: pd.Series | pd.DataFrame | np.ndarray) -> float:
    """Share of bars holding anything: ``mean_t [any symbol has quantity != 0 at bar t]``."""
    values = np.asarray(positions, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    return float(np.mean(np.any(values != 0, axis=1))) if len(values) else math.nan


# --- against a benchmark ------------------------------------------------------------------------
def _aligned_returns(equity: pd.Series, benchmark: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    both = pd.concat([equity, benchmark], axis=1, join="inner").to_numpy(dtype=np.float64)
    return bar_returns(both[:, 0]), bar_returns(both[:, 1])


def excess_return(equity: pd.Series, benchmark: pd.Series) -> float:
    """``total_return(strategy) - total_return(benchmark)``."""
    return total_return(equity) - total_return(benchmark)


def beta(equity: pd.Series, benchmark: pd.Series) -> float:
    """``cov(r, r_b) / var(r_b)`` (both ``ddof=1``) over the bars both curves have; nan if flat."""
    r, rb = _aligned_returns(equity, benchmark)
    if len(r) < 2:
        return math.nan
    var = float(np.var(rb, ddof=1))
    return float(np.cov(r, rb, ddof=1)[0, 1]) / var if var > 0 else math.nan


def alpha(equity: pd.Series, benchmark: pd.Series, periods: float, risk_free: float = 0.0) -> float:
    """Annualized Jensen's alpha: ``(mean(r - rf_p) - beta * mean(r_b - rf_p)) * P``."""
    r, rb = _aligned_returns(equity, benchmark)
    b = beta(equity, benchmark)
    if math.isnan(b):
        return math.nan
    rf = _per_bar_rf(risk_free, periods)
    return float((np.mean(r - rf) - b * np.mean(rb - rf)) * periods)


# --- tables -------------------------------------------------------------------------------------
def summary(
    equity: pd.Series,
    trades: pd.DataFrame | None = None,
    benchmark: pd.Series | None = None,
    positions: pd.Series | pd.DataFrame | np.ndarray | None = None,
    periods: float | None = None,
    risk_free: float = 0.0,
) -> dict[str, Any]:
    """Every statistic above in one dict (insertion order is the display order).

    ``periods`` defaults to :func:`infer_periods_per_year` of the equity index. Trade statistics
    need ``trades``; exposure needs ``positions``; excess return, beta and alpha need
    ``benchmark``.
    """
    p = periods if periods is not None else infer_periods_per_year(pd.DatetimeIndex(equity.index))
    out: dict[str, Any] = {
        "start": equity.index[0],
        "end": equity.index[-1],
        "bars": len(equity),
        "periods_per_year": p,
        "start_equity": float(equity.iloc[0]),
        "final_equity": float(equity.iloc[-1]),
        "total_return": total_return(equity),
        "cagr": cagr(equity),
        "volatility": annualized_volatility(equity, p),
        "sharpe": sharpe_ratio(equity, p, risk_free),
        "sortino": sortino_ratio(equity, p, risk_free),
        "calmar": calmar_ratio(equity),
        "max_drawdown": max_drawdown(equity),
        "max_drawdown_duration": max_drawdown_duration(equity),
    }
    trips = round_trips(trades)
    out.update(
        {
            "fills": 0 if trades is None else len(trades),
            "trades": len(trips),
            "win_rate": win_rate(trips),
            "profit_factor": profit_factor(trips),
            "average_win": average_win(trips),
            "average_loss": average_loss(trips),
            "fees_paid": fees_paid(trades),
            "exposure_time": exposure_time(positions) if positions is not None else math.nan,
        }
    )
    if benchmark is not None:
        out.update(
            {
                "benchmark_return": total_return(benchmark),
                "excess_return": excess_return(equity, benchmark),
                "beta": beta(equity, benchmark),
                "alpha": alpha(equity, benchmark, p, risk_free),
            }
        )
    return out


def summary_table(summaries: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Side-by-side table: one row per statistic, one column per named summary."""
    return pd.DataFrame({name: pd.Series(dict(s), dtype=object) for name, s in summaries.items()})
