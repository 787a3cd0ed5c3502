"""Forecast features from candles of one symbol and one interval, computed with polars.

Assumptions and definitions:
- Input: a candle frame (see :mod:`.data`); row ``t`` is the candle that closes at time ``t``.
  A feature in row ``t`` uses only rows ``<= t`` (rolling windows and exponential averages look
  backwards only); ``tests/forecast/test_features.py`` checks it by changing the future.
- Every lag and window is counted in **bars** (rows), not in clock time. Across a real exchange
  outage (about ten per shipped file, a few hours each) a "24-bar" window therefore spans more than
  24 hours; no candle is invented to fill a gap. Labels (:mod:`.labels`) are stricter: a label
  whose horizon spans a gap is dropped.
- ``ln`` is the natural log; ``r1(t) = ln(close_t / close_{t-1})`` is the 1-bar log return.
- Rolling standard deviations are sample ones (ddof = 1). Exponential averages are recursive
  (``adjust=False``: ``m_t = a x_t + (1 - a) m_{t-1}``, started at the first value); their memory
  of the start fades as ``(1 - a)^n``, below 1e-9 after :data:`MIN_HISTORY_BARS` bars for every
  average used here, so features computed from the last ``MIN_HISTORY_BARS`` candles (what
  :func:`.serve.predict` does) equal those computed from the full history to about 1e-9.
- A ratio whose denominator is zero (flat prices, constant volume) is 0 (RSI: 50); a feature whose
  window is not yet full is null (warm-up rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

import polars as pl

from sim.analytics.forecast.data import to_polars

RETURN_LAGS = (1, 3, 6, 12, 24)
VOL_WINDOWS = (24, 72)
RSI_PERIOD = 14
MACD_FAST, MACD_SLOW, MACD_SIGNAL = 12, 26, 9
BOLLINGER_WINDOW = 20
VOLUME_WINDOW = 24
#: polars engine for these small frames: in-memory is faster than the default streaming engine
ENGINE: Final = "in-memory"
#: rows with fewer bars of history than this are warm-up: not used for training or serving.
MIN_HISTORY_BARS = 300

FEATURES: dict[str, str] = {
    **{f"ret_{k}": f"ln(close_t / close_(t-{k})): log return over the last {k} bars" for k in RETURN_LAGS},
    **{
        f"rv_{w}": f"sample std of the 1-bar log returns r1 over the last {w} bars (not annualized)"
        for w in VOL_WINDOWS
    },
    "rsi_14": "Wilder RSI(14): 100*G/(G+L), G and L the EMAs (alpha=1/14) of gains and losses",
    "macd": "(EMA12(close) - EMA26(close)) / close_t; EMAs with alpha = 2/(span+1)",
    "macd_signal": "EMA9 of (EMA12 - EMA26), divided by close_t",
    "macd_hist": "macd - macd_signal (both already divided by close_t)",
    "bb_pos": "(close_t - SMA20(close)) / (2 * std20(close)): Bollinger position, +-1 at the bands",
    "volume_z": "(ln(1+volume_t) - mean24) / std24 of ln(1+volume) over the last 24 bars",
    "hour_sin": "sin(2*pi*h/24), h the UTC hour of the candle's open time",
    "hour_cos": "cos(2*pi*h/24), h the UTC hour of the candle's open time",
    "dow_sin": "sin(2*pi*d/7), d the UTC weekday of the candle's open time (Monday = 0)",
    "dow_cos": "cos(2*pi*d/7), d the UTC weekday of the candle's open time (Monday = 0)",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)  # the per-symbol models' features

#: Volatility-normalized features for the pooled model (:mod:`.pooled`). Every feature above is
#: already free of the price's unit (log returns, std of log returns, RSI, MACD / close, Bollinger
#: position, volume z-score, calendar), but ``ret_k``, ``rv_w`` and the MACD terms still carry the
#: symbol's volatility *level* (DOGE moves about twice as much per hour as BTC), which a model
#: trained on other symbols would misread. These divide by the symbol's own ``rv_72``, as the
#: labels' flat band does with ``rv_24``; a zero ``rv_72`` gives 0.
SCALE_FREE: dict[str, str] = {
    **{
        f"zret_{k}": f"ret_{k} / (rv_72 * sqrt({k})): the {k}-bar log return in units of its typical size"
        for k in RETURN_LAGS
    },
    "rv_ratio": "rv_24 / rv_72: recent volatility against the last three days'",
    "macd_z": "macd / rv_72: the MACD line in units of the 1-bar volatility",
    "macd_hist_z": "macd_hist / rv_72",
}
#: the pooled model's features: the normalized ones plus the unit-free oscillators and the calendar
POOLED_FEATURE_NAMES: tuple[str, ...] = (
    *SCALE_FREE,
    "rsi_14",
    "bb_pos",
    "volume_z",
    "hour_sin",
    "hour_cos",
    "dow_sin",
    "dow_cos",
)
ALL_FEATURES: dict[str, str] = {**FEATURES, **SCALE_FREE}

_HOUR_MS = 3_600_000
_DAY_MS = 86_400_000


def feature_frame(frame: pl.LazyFrame) -> pl.LazyFrame:
    """``open_time``, ``close``, the :data:`FEATURES` and the :data:`SCALE_FREE` ones, in order.

    Three stages, so every intermediate (1-bar return, averages, rolling moments) is computed
    once; a ratio ``0/0`` (a window without any move) is NaN, replaced by 0 (RSI: 50).
    """
    close = pl.col("close")
    alpha = 1.0 / RSI_PERIOD
    base = frame.select(
        "open_time",
        "close",
        close.log().alias("_lc"),
        close.diff().alias("_delta"),
        pl.col("volume").log1p().alias("_lv"),
        ((pl.col("open_time") // _HOUR_MS) % 24).alias("_hour"),
        ((pl.col("open_time") // _DAY_MS + 3) % 7).alias("_weekday"),  # 1970-01-01: a Thursday
    )
    lc, delta, lv = pl.col("_lc"), pl.col("_delta"), pl.col("_lv")
    moments = base.with_columns(
        # ln(c_t / c_(t-k)) as ln c_t - ln c_(t-k): one log per row instead of one per lag
        *[(lc - lc.shift(k)).alias(f"ret_{k}") for k in RETURN_LAGS],
        *[lc.diff().rolling_std(w, min_samples=w).alias(f"rv_{w}") for w in VOL_WINDOWS],
        delta.clip(lower_bound=0.0)
        .ewm_mean(alpha=alpha, adjust=False, min_samples=RSI_PERIOD)
        .alias("_gain"),
        (-delta)
        .clip(lower_bound=0.0)
        .ewm_mean(alpha=alpha, adjust=False, min_samples=RSI_PERIOD)
        .alias("_loss"),
        (
            close.ewm_mean(span=MACD_FAST, adjust=False, min_samples=MACD_SLOW)
            - close.ewm_mean(span=MACD_SLOW, adjust=False, min_samples=MACD_SLOW)
        ).alias("_line"),
        close.rolling_mean(BOLLINGER_WINDOW, min_samples=BOLLINGER_WINDOW).alias("_mid"),
        close.rolling_std(BOLLINGER_WINDOW, min_samples=BOLLINGER_WINDOW).alias("_std"),
        lv.rolling_mean(VOLUME_WINDOW, min_samples=VOLUME_WINDOW).alias("_vmean"),
        lv.rolling_std(VOLUME_WINDOW, min_samples=VOLUME_WINDOW).alias("_vstd"),
    ).with_columns(
        pl.col("_line").ewm_mean(span=MACD_SIGNAL, adjust=False, min_samples=MACD_SIGNAL).alias("_signal")
    )
    gain, loss, line, signal = (pl.col(c) for c in ("_gain", "_loss", "_line", "_signal"))
    hour, weekday = pl.col("_hour"), pl.col("_weekday")
    rv72 = pl.col("rv_72")

    def per_vol(x: pl.Expr) -> pl.Expr:
        return pl.when(rv72 > 0).then(x / rv72).otherwise(pl.when(rv72.is_null()).then(None).otherwise(0.0))

    return moments.select(
        "open_time",
        "close",
        *[f"ret_{k}" for k in RETURN_LAGS],
        *[f"rv_{w}" for w in VOL_WINDOWS],
        (100.0 * gain / (gain + loss)).fill_nan(50.0).alias("rsi_14"),
        (line / close).alias("macd"),
        (signal / close).alias("macd_signal"),
        ((line - signal) / close).alias("macd_hist"),
        ((close - pl.col("_mid")) / (2.0 * pl.col("_std"))).fill_nan(0.0).alias("bb_pos"),
        ((lv - pl.col("_vmean")) / pl.col("_vstd")).fill_nan(0.0).alias("volume_z"),
        _cyclic(math.sin, 24).gather(hour).alias("hour_sin"),  # a 24-entry table, not 28k sines
        _cyclic(math.cos, 24).gather(hour).alias("hour_cos"),
        _cyclic(math.sin, 7).gather(weekday).alias("dow_sin"),
        _cyclic(math.cos, 7).gather(weekday).alias("dow_cos"),
        *[per_vol(pl.col(f"ret_{k}") / math.sqrt(k)).alias(f"zret_{k}") for k in RETURN_LAGS],
        per_vol(pl.col("rv_24")).alias("rv_ratio"),
        per_vol(line / close).alias("macd_z"),
        per_vol((line - signal) / close).alias("macd_hist_z"),
    )


def _cyclic(fn: Callable[[float], float], period: int) -> pl.Expr:
    return pl.lit(pl.Series([fn(2 * math.pi * i / period) for i in range(period)]))


def compute_features(candles: Any) -> pl.DataFrame:
    """``open_time``, ``close`` and every feature of :data:`ALL_FEATURES`, one row per candle.

    Accepts a polars or pandas candle frame. Warm-up rows hold nulls where a window is not full.
    """
    return feature_frame(to_polars(candles).lazy()).collect(engine=ENGINE)
