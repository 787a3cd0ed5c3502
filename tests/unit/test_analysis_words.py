"""The market analysis' definitions in Korean (issue 16), English exactly as it was: the states'
(the assistant's help tooltips and definitions table), every number's and the levels'."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from sim.analytics.forecast.analysis import analysis
from sim.forecasting import ANALYSIS_DEFINITIONS, analysis_definitions

HOUR = 3_600_000
HANGUL = re.compile("[가-힣]")


def _candles() -> pl.DataFrame:
    rng = np.random.default_rng(3)
    closes = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 700)))
    return pl.DataFrame(
        {
            "open_time": np.arange(len(closes)) * HOUR,
            "open": closes,
            "high": closes * 1.002,
            "low": closes * 0.998,
            "close": closes,
            "volume": 1.0,
        }
    )


def test_the_state_definitions_in_korean_and_english_unchanged() -> None:
    assert ANALYSIS_DEFINITIONS == analysis_definitions() == analysis_definitions("en")
    assert ANALYSIS_DEFINITIONS["rsi_zone"] == (
        "overbought when RSI(14) > 70, oversold when RSI(14) < 30, otherwise neutral"
    )
    korean = analysis_definitions("ko")
    assert set(korean) == set(ANALYSIS_DEFINITIONS)
    assert korean["rsi_zone"] == "과매수: RSI(14) > 70, 과매도: RSI(14) < 30, 그 밖에는 중립"
    assert all(HANGUL.search(text) for text in korean.values())


def test_every_number_and_level_is_defined_in_korean() -> None:
    en, ko = analysis(_candles()), analysis(_candles(), lang="ko")
    assert en.metrics["sma50"].definition == "mean of the last 50 closes"
    assert en.metrics["rv_24_annualized"].definition == "rv_24 * sqrt(8760) (bars per 365 days)"
    assert ko.metrics["sma50"].definition == "최근 종가 50개의 평균"
    assert ko.metrics["close_vs_sma50"].definition == "종가 / SMA50 - 1"
    assert ko.metrics["rv_24_annualized"].definition == "rv_24 * sqrt(8760) (365일의 캔들 수)"
    assert {k: m.value for k, m in ko.metrics.items()} == {k: m.value for k, m in en.metrics.items()}
    assert all(HANGUL.search(m.definition) for m in ko.metrics.values())
    levels = en.supports + en.resistances
    assert levels, "the random walk has swing levels"
    lv = levels[0]
    assert lv.definition == (
        f"mean of {lv.touches} swing high/low(s) within 0.5% in the last 500 bars "
        "(swing: extreme of 5 bars each side)"
    )
    korean = (ko.supports + ko.resistances)[0].definition
    assert korean == (
        f"최근 500개 캔들에서 0.5% 이내에 모인 스윙 고점/저점 {lv.touches}개의 평균 "
        "(스윙: 양쪽 5개 캔들 중 극값)"
    )
