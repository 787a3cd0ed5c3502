"""Built-in strategies and the indicators they use.

Each factory returns a *strategy*: a function from candles (one frame, or a dict symbol -> frame)
to target weights per bar (see :mod:`sim.analytics.backtest.engine`). Given a dict, a
single-symbol rule runs on each symbol with weight ``1 / number of symbols``. Every rule here
decides on candle ``t`` from candles ``0 .. t`` only (``check_no_lookahead`` verifies it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

Rule = Callable[[pd.DataFrame], pd.Series]
FORECAST_COLUMNS = ("down", "flat", "up")


# --- indicators ---------------------------------------------------------------------------------
def sma(values: np.ndarray | pd.Series, window: int) -> np.ndarray:
    """Simple moving average ``SMA_t = (x_{t-w+1} + ... + x_t) / w``; NaN for ``t < w - 1``.

    Computed from one cumulative sum: ``SMA_t = (C_{t+1} - C_{t+1-w}) / w`` with
    ``C_i = x_0 + ... + x_{i-1}``.
    """
    x = np.asarray(values, dtype=np.float64)
    return sma_from_cumsum(np.cumsum(np.r_[0.0, x]), window)


def sma_from_cumsum(c: np.ndarray, window: int) -> np.ndarray:
    """:func:`sma` from ``C`` (``C_0 = 0``, ``C_{i+1} = C_i + x_i``), so windows share one sum."""
    if window < 1:
        raise ValueError("window must be >= 1")
    out = np.full(len(c) - 1, np.nan)
    if len(c) - 1 >= window:
        out[window - 1 :] = (c[window:] - c[:-window]) / window
    return out


def rsi(close: np.ndarray | pd.Series, window: int = 14) -> np.ndarray:
    """Wilder's relative strength index, 0..100; NaN until ``window`` changes are known.

    ``d_t = x_t - x_{t-1}``; ``G``, ``L`` are Wilder averages (``avg_t = avg_{t-1} + (v_t -
    avg_{t-1}) / window``, seeded with the first value) of ``max(d, 0)`` and ``max(-d, 0)``;
    ``RSI = 100 - 100 / (1 + G / L)`` (100 when ``L = 0``).
    """
    d = np.diff(np.asarray(close, dtype=np.float64), prepend=np.nan)
    gains = pd.Series(np.where(d > 0, d, 0.0)).iloc[1:]
    losses = pd.Series(np.where(d < 0, -d, 0.0)).iloc[1:]
    alpha = 1.0 / window
    g = gains.ewm(alpha=alpha, adjust=False, min_periods=window).mean().to_numpy()
    lo = losses.ewm(alpha=alpha, adjust=False, min_periods=window).mean().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(lo == 0, 100.0, 100.0 - 100.0 / (1.0 + g / lo))
    value = np.where(np.isnan(g) | np.isnan(lo), np.nan, value)
    return np.r_[np.nan, value]


def signals_to_weights(
    entries: pd.Series | np.ndarray,
    exits: pd.Series | np.ndarray,
    size: float = 1.0,
    index: pd.Index | None = None,
) -> pd.Series:
    """Entry/exit signals as weights: ``size`` on an entry, 0 on an exit (exit wins when both),
    NaN (keep the previous target) otherwise."""
    e = np.asarray(entries, dtype=bool)
    x = np.asarray(exits, dtype=bool)
    w = np.where(x, 0.0, np.where(e, size, np.nan))
    if index is None and isinstance(entries, pd.Series):
        index = entries.index
    return pd.Series(w, index=index, name="weight")


def per_symbol(rule: Rule) -> Callable[[Any], pd.Series | pd.DataFrame]:
    """Lift a one-symbol rule: a frame gives its Series; a dict gives a DataFrame of ``w / n``."""

    def strategy(candles: Any) -> pd.Series | pd.DataFrame:
        if isinstance(candles, pd.DataFrame):
            return rule(candles)
        n = len(candles)
        return pd.DataFrame({s: rule(df) / n for s, df in candles.items()})

    return strategy


# --- strategies ---------------------------------------------------------------------------------
def hold() -> Callable[[Any], pd.Series | pd.DataFrame]:
    """Buy on the first candle (filled on the second) and hold to the end: weight 1 every bar."""

    def rule(df: pd.DataFrame) -> pd.Series:
        return pd.Series(1.0, index=df.index, name="weight")

    return _named(per_symbol(rule), "hold")


def ma_crossover(fast: int = 20, slow: int = 50) -> Callable[[Any], pd.Series | pd.DataFrame]:
    """Long while the fast SMA of the close is above the slow one: weight
    ``1 if SMA_fast_t > SMA_slow_t else 0`` (flat until the slow SMA exists)."""
    if not 0 < fast < slow:
        raise ValueError("need 0 < fast < slow")

    def rule(df: pd.DataFrame) -> pd.Series:
        close = np.asarray(df["close"].to_numpy(), dtype=np.float64)
        n = len(close)
        c = np.empty(n + 1)  # C of sma_from_cumsum: C_0 = 0, C_{i+1} = C_i + x_i
        c[0] = 0.0
        np.cumsum(close, out=c[1:])
        weight = np.zeros(n)
        if n >= slow:  # from t = slow - 1, where both SMAs exist
            fast_sma, slow_sma = sma_from_cumsum(c, fast), sma_from_cumsum(c, slow)
            np.greater(fast_sma[slow - 1 :], slow_sma[slow - 1 :], out=weight[slow - 1 :], casting="unsafe")
        return pd.Series(weight, index=df.index, name="weight")

    return _named(per_symbol(rule), f"ma_crossover({fast},{slow})")


def rsi_reversion(
    window: int = 14, buy_below: float = 30.0, sell_above: float = 70.0
) -> Callable[[Any], pd.Series | pd.DataFrame]:
    """Mean reversion on RSI: enter (weight 1) when ``RSI_t < buy_below``, exit (0) when
    ``RSI_t > sell_above``, otherwise keep the previous target."""
    if not buy_below < sell_above:
        raise ValueError("need buy_below < sell_above")

    def rule(df: pd.DataFrame) -> pd.Series:
        r = rsi(df["close"].to_numpy(), window)
        return signals_to_weights(r < buy_below, r > sell_above, index=df.index)

    return _named(per_symbol(rule), f"rsi_reversion({window},{buy_below},{sell_above})")


Probabilities: TypeAlias = pd.DataFrame | Mapping[str, pd.DataFrame] | Callable[[pd.DataFrame], pd.DataFrame]


def forecast_threshold(
    probabilities: Probabilities, enter: float = 0.5, exit: float = 0.5
) -> Callable[[Any], pd.Series | pd.DataFrame]:
    """Trade on per-bar class probabilities (columns ``down``, ``flat``, ``up``).

    Row ``t`` is the forecast made at candle ``t``'s close for what comes next. Enter (weight 1)
    when ``p_up > enter``; exit (0) when ``p_down > exit`` (exit wins if both); else hold.
    ``probabilities`` is a pandas or polars frame indexed by candle open time (or with an
    ``open_time`` column, in ms or datetimes), a dict symbol -> such frame, or a callable
    candles -> frame (it must use only candles up to each row; ``check_no_lookahead`` can verify
    a callable, not a frame).
    Candles without a forecast row keep the previous target.
    """

    if not isinstance(probabilities, (pd.DataFrame, Mapping)) and hasattr(probabilities, "to_pandas"):
        probabilities = probabilities.to_pandas()  # a polars frame

    def probs_for(df: pd.DataFrame, symbol: str | None) -> pd.DataFrame:
        if callable(probabilities):
            frame = probabilities(df)
        elif isinstance(probabilities, pd.DataFrame):
            frame = probabilities
        else:
            if symbol is None:
                raise ValueError("a dict of probability frames needs candles keyed by symbol")
            frame = probabilities[symbol]
        return _time_indexed(frame).reindex(df.index)

    def rule(df: pd.DataFrame, symbol: str | None = None) -> pd.Series:
        p = probs_for(df, symbol)
        missing = [c for c in ("down", "up") if c not in p.columns]
        if missing:
            raise ValueError(f"probability frame lacks columns {missing}")
        up, down = p["up"].to_numpy(np.float64), p["down"].to_numpy(np.float64)
        return signals_to_weights(up > enter, down > exit, index=df.index)

    def strategy(candles: Any) -> pd.Series | pd.DataFrame:
        if isinstance(candles, pd.DataFrame):
            return rule(candles)
        n = len(candles)
        return pd.DataFrame({s: rule(df, s) / n for s, df in candles.items()})

    return _named(strategy, f"forecast_threshold({enter},{exit})")


def _time_indexed(frame: Any) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame) and hasattr(frame, "to_pandas"):
        frame = frame.to_pandas()  # a polars frame (from a callable or a dict)
    if "open_time" in frame.columns:
        t = frame["open_time"]
        unit = "ms" if pd.api.types.is_numeric_dtype(t) else None
        index = pd.DatetimeIndex(pd.to_datetime(t.to_numpy(), unit=unit, utc=True))
        return frame.drop(columns="open_time").set_axis(index)
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ValueError("probabilities need an 'open_time' column or a DatetimeIndex")
    idx = frame.index
    return frame.set_axis(idx.tz_localize("UTC") if idx.tz is None else idx.tz_convert("UTC"))


def _named(fn: Callable[[Any], Any], name: str) -> Callable[[Any], Any]:
    fn.__name__ = fn.__qualname__ = name
    return fn
