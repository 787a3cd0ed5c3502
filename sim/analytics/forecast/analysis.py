"""A plain reading of the market from candles: trend, momentum, volatility regime, levels.

Every number comes with a one-line definition (:class:`Metric`). Definitions (``t`` = last candle):
- Trend: ``SMA50``, ``SMA200`` = means of the last 50 / 200 closes; ``slope50`` =
  ``SMA50_t / SMA50_{t-24} - 1``. State ``up`` when ``close > SMA50 > SMA200`` and ``slope50 > 0``,
  ``down`` when ``close < SMA50 < SMA200`` and ``slope50 < 0``, otherwise ``sideways``.
- Momentum: RSI(14) and MACD(12, 26, 9) as in :mod:`.features` (MACD here in price units). State
  ``bullish`` when ``MACD > signal`` and ``RSI > 50``, ``bearish`` when ``MACD < signal`` and
  ``RSI < 50``, otherwise ``neutral``; the RSI zone is ``overbought`` above 70, ``oversold`` below 30.
- Volatility: ``rv_24`` (std of the last 24 one-bar log returns), annualized by
  ``sqrt(bars per 365 days)``; its percentile = share of the ``rv_24`` values of the last 365 days
  (by bar count: 8760 bars at 1h) that are ``<=`` the current one. Regime ``low`` below the 20th
  percentile, ``high`` above the 80th, else ``normal``.
- Support and resistance: swing points of the last :data:`LEVEL_LOOKBACK` bars (a bar whose high
  (low) is the highest (lowest) of the :data:`SWING_WINDOW` bars on each side; only confirmed
  swings, so the last ``SWING_WINDOW`` bars are not candidates), clustered in price order while
  within :data:`CLUSTER_TOLERANCE` above the cluster's lowest point (the level is the mean of its
  cluster, ``touches`` its size). Levels below the close are supports, above are resistances,
  nearest first, at most :data:`MAX_LEVELS` each. Gaps in the data are not filled; windows are
  counted in bars.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl

from sim.analytics.analysis_words import definition
from sim.analytics.forecast.data import interval_ms, to_polars
from sim.analytics.forecast.features import feature_frame

LEVEL_LOOKBACK = 500
SWING_WINDOW = 5
CLUSTER_TOLERANCE = 0.005
MAX_LEVELS = 3
LOW_PERCENTILE, HIGH_PERCENTILE = 0.2, 0.8
_YEAR_MS = 365 * 86_400_000


@dataclass(frozen=True)
class Metric:
    value: float | None
    definition: str


@dataclass(frozen=True)
class Level:
    price: float
    touches: int
    last_touch: datetime
    definition: str


@dataclass(frozen=True)
class MarketAnalysis:
    as_of: datetime
    close: float
    trend: str
    momentum: str
    rsi_zone: str
    volatility_regime: str
    metrics: dict[str, Metric]
    supports: list[Level]
    resistances: list[Level]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _last(series: pl.Series) -> float | None:
    value = series[-1]
    return None if value is None or not math.isfinite(value) else float(value)


def _swings(values: np.ndarray, window: int, highest: bool) -> np.ndarray:
    """Positions whose value is the extreme of the ``window`` bars on each side (confirmed)."""
    n = len(values)
    found = []
    for i in range(window, n - window):
        segment = values[i - window : i + window + 1]
        extreme = segment.max() if highest else segment.min()
        if values[i] == extreme:
            found.append(i)
    return np.array(found, dtype=np.int64)


def _levels(frame: pl.DataFrame, close: float, lang: str = "en") -> tuple[list[Level], list[Level]]:
    recent = frame.tail(LEVEL_LOOKBACK)
    highs, lows = recent["high"].to_numpy(), recent["low"].to_numpy()
    times = recent["open_time"].to_numpy()
    points = [(float(highs[i]), int(times[i])) for i in _swings(highs, SWING_WINDOW, True)]
    points += [(float(lows[i]), int(times[i])) for i in _swings(lows, SWING_WINDOW, False)]
    points.sort()
    clusters: list[list[tuple[float, int]]] = []
    for point in points:
        if clusters and point[0] <= clusters[-1][0][0] * (1 + CLUSTER_TOLERANCE):
            clusters[-1].append(point)
        else:
            clusters.append([point])
    shape = {"tolerance": f"{CLUSTER_TOLERANCE:.1%}", "lookback": LEVEL_LOOKBACK, "window": SWING_WINDOW}
    levels = [
        Level(
            price=float(np.mean([p for p, _ in c])),
            touches=len(c),
            last_touch=datetime.fromtimestamp(max(t for _, t in c) / 1000, UTC),
            definition=definition(lang, "level", n=len(c), **shape),
        )
        for c in clusters
    ]
    supports = sorted((lv for lv in levels if lv.price < close), key=lambda lv: close - lv.price)
    resistances = sorted((lv for lv in levels if lv.price > close), key=lambda lv: lv.price - close)
    return supports[:MAX_LEVELS], resistances[:MAX_LEVELS]


def analysis(candles: Any, interval: str = "1h", lang: str = "en") -> MarketAnalysis:
    """Trend, momentum, volatility regime and levels at the last candle; see the docstring. The
    definitions are in ``lang`` (:mod:`sim.analytics.analysis_words`; English by default)."""
    frame = to_polars(candles)
    if frame.height < 2:
        raise ValueError("analysis needs at least two candles")
    step = interval_ms(interval)
    bars_per_year = _YEAR_MS // step
    close = pl.col("close")
    ema = {s: close.ewm_mean(span=s, adjust=False, min_samples=26) for s in (12, 26)}
    macd = ema[12] - ema[26]
    sma50 = close.rolling_mean(50, min_samples=50)
    table = (
        feature_frame(frame.tail(bars_per_year + 200).lazy())
        .with_columns(
            macd.alias("macd_px"),
            macd.ewm_mean(span=9, adjust=False, min_samples=9).alias("signal_px"),
            sma50.alias("sma50"),
            close.rolling_mean(200, min_samples=200).alias("sma200"),
            (sma50 / sma50.shift(24) - 1).alias("slope50"),
        )
        .collect()
    )
    last_close = float(frame["close"][-1])
    sma50_v, sma200_v, slope = (_last(table[c]) for c in ("sma50", "sma200", "slope50"))
    rsi, macd_v, signal_v = (_last(table[c]) for c in ("rsi_14", "macd_px", "signal_px"))
    rv = _last(table["rv_24"])
    history = table["rv_24"].tail(bars_per_year).drop_nulls().drop_nans().to_numpy()
    percentile = float(np.mean(history <= rv)) if rv is not None and len(history) else None

    if None not in (sma50_v, sma200_v, slope):
        assert sma50_v is not None and sma200_v is not None and slope is not None
        if last_close > sma50_v > sma200_v and slope > 0:
            trend = "up"
        elif last_close < sma50_v < sma200_v and slope < 0:
            trend = "down"
        else:
            trend = "sideways"
    else:
        trend = "unknown"
    if rsi is None or macd_v is None or signal_v is None:
        momentum, zone = "unknown", "unknown"
    else:
        momentum = (
            "bullish"
            if macd_v > signal_v and rsi > 50
            else "bearish"
            if macd_v < signal_v and rsi < 50
            else "neutral"
        )
        zone = "overbought" if rsi > 70 else "oversold" if rsi < 30 else "neutral"
    if percentile is None:
        regime = "unknown"
    else:
        regime = (
            "low" if percentile < LOW_PERCENTILE else "high" if percentile > HIGH_PERCENTILE else "normal"
        )

    def rel(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else a / b - 1

    values = {
        "sma50": sma50_v,
        "sma200": sma200_v,
        "close_vs_sma50": rel(last_close, sma50_v),
        "close_vs_sma200": rel(last_close, sma200_v),
        "slope50": slope,
        "rsi_14": rsi,
        "macd": macd_v,
        "macd_signal": signal_v,
        "macd_hist": None if macd_v is None or signal_v is None else macd_v - signal_v,
        "rv_24": rv,
        "rv_24_annualized": None if rv is None else rv * math.sqrt(bars_per_year),
        "rv_24_percentile": percentile,
    }
    params: dict[str, dict[str, object]] = {
        "rv_24_annualized": {"bars": bars_per_year},
        "rv_24_percentile": {"n": min(len(history), bars_per_year)},
    }
    metrics = {
        name: Metric(value, definition(lang, f"metric.{name}", **params.get(name, {})))
        for name, value in values.items()
    }
    supports, resistances = _levels(frame, last_close, lang)
    return MarketAnalysis(
        as_of=datetime.fromtimestamp((int(frame["open_time"][-1]) + step) / 1000, UTC),
        close=last_close,
        trend=trend,
        momentum=momentum,
        rsi_zone=zone,
        volatility_regime=regime,
        metrics=metrics,
        supports=supports,
        resistances=resistances,
    )
