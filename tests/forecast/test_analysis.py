"""Market analysis: states follow their definitions on shaped series; every number is defined."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sim.analytics.forecast.analysis import analysis

HOUR = 3_600_000


def _series(closes: np.ndarray, spread: float = 0.002) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "open_time": np.arange(len(closes)) * HOUR,
            "open": closes,
            "high": closes * (1 + spread),
            "low": closes * (1 - spread),
            "close": closes,
            "volume": 1.0,
        }
    )


def test_rising_and_falling_markets() -> None:
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.002, 600)
    up = analysis(_series(100 * np.exp(np.cumsum(0.001 + noise))))
    down = analysis(_series(100 * np.exp(np.cumsum(-0.001 + noise))))
    assert up.trend == "up" and down.trend == "down"
    assert up.metrics["close_vs_sma200"].value > 0 > down.metrics["close_vs_sma200"].value  # type: ignore[operator]


def test_volatility_regime_is_the_percentile_of_the_last_year() -> None:
    rng = np.random.default_rng(1)
    calm = rng.normal(0, 0.002, 2000)
    storm = np.concatenate([calm, rng.normal(0, 0.02, 30)])
    quiet = np.concatenate([rng.normal(0, 0.02, 2000), rng.normal(0, 0.001, 30)])
    high = analysis(_series(100 * np.exp(np.cumsum(storm))))
    low = analysis(_series(100 * np.exp(np.cumsum(quiet))))
    assert high.volatility_regime == "high" and high.metrics["rv_24_percentile"].value == pytest.approx(1.0)
    assert low.volatility_regime == "low"


def test_real_candles_levels_and_definitions(btc: pl.DataFrame) -> None:
    a = analysis(btc)
    assert a.close == btc["close"][-1]
    assert a.trend in {"up", "down", "sideways"} and a.momentum in {"bullish", "bearish", "neutral"}
    assert a.volatility_regime in {"low", "normal", "high"}
    assert all(m.definition and m.value is not None for m in a.metrics.values())
    assert a.supports and a.resistances
    assert all(lv.price < a.close for lv in a.supports)
    assert all(lv.price > a.close for lv in a.resistances)
    distances = [a.close - lv.price for lv in a.supports]
    assert distances == sorted(distances)
    assert all(lv.touches >= 1 and lv.definition for lv in a.supports + a.resistances)
    recent = btc.tail(500)
    lowest, highest = float(recent["low"].to_numpy().min()), float(recent["high"].to_numpy().max())
    assert all(lowest <= lv.price <= highest for lv in a.supports + a.resistances)
    assert a.to_dict()["metrics"]["rsi_14"]["definition"]
