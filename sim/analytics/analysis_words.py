"""The definitions the market analysis gives for its states and numbers, in English and Korean
(pure; see :mod:`sim.analytics.forecast.analysis` for what they define).

Assumptions: English (``lang="en"``) is exactly the wording the analysis had before it spoke
Korean (``sim.forecasting.ANALYSIS_DEFINITIONS`` is :func:`state_definitions` in English); an
unknown language falls back to English. Indicator names (``SMA50``, ``RSI(14)``, ``rv_24``, ...)
are identifiers and stay as they are in every language; the caller formats the numbers.
"""

from __future__ import annotations

from sim.domain.words import say

STATES = ("trend", "momentum", "rsi_zone", "volatility_regime", "support", "resistance")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "state.trend": (
            "up when close > SMA50 > SMA200 and SMA50 rose over the last 24 bars; down when close < SMA50 "
            "< SMA200 and SMA50 fell; otherwise sideways"
        ),
        "state.momentum": (
            "bullish when MACD > its signal line and RSI(14) > 50; bearish when MACD < signal and "
            "RSI < 50; otherwise neutral"
        ),
        "state.rsi_zone": "overbought when RSI(14) > 70, oversold when RSI(14) < 30, otherwise neutral",
        "state.volatility_regime": (
            "low when the current 24-bar realized volatility is below the 20th percentile of its last "
            "365 days, high above the 80th, otherwise normal"
        ),
        "state.support": (
            "a cluster of confirmed swing lows/highs below the close (the mean price of the cluster)"
        ),
        "state.resistance": (
            "a cluster of confirmed swing highs/lows above the close (the mean price of the cluster)"
        ),
        "metric.sma50": "mean of the last 50 closes",
        "metric.sma200": "mean of the last 200 closes",
        "metric.close_vs_sma50": "close / SMA50 - 1",
        "metric.close_vs_sma200": "close / SMA200 - 1",
        "metric.slope50": "SMA50 now / SMA50 24 bars ago - 1",
        "metric.rsi_14": "Wilder RSI(14), 0..100: 100*G/(G+L) of EMA(1/14) gains and losses",
        "metric.macd": "EMA12(close) - EMA26(close), in price units",
        "metric.macd_signal": "EMA9 of the MACD line, in price units",
        "metric.macd_hist": "macd - signal",
        "metric.rv_24": "std of the last 24 one-bar log returns (per bar)",
        "metric.rv_24_annualized": "rv_24 * sqrt({bars}) (bars per 365 days)",
        "metric.rv_24_percentile": (
            "share of rv_24 values of the last {n} bars (up to 365 days) <= the current one"
        ),
        "level": (
            "mean of {n} swing high/low(s) within {tolerance} in the last {lookback} bars "
            "(swing: extreme of {window} bars each side)"
        ),
    },
    "ko": {
        "state.trend": (
            "상승: 종가 > SMA50 > SMA200이고 SMA50이 최근 24개 캔들 동안 올랐을 때; 하락: 종가 < SMA50 "
            "< SMA200이고 SMA50이 내렸을 때; 그 밖에는 횡보"
        ),
        "state.momentum": (
            "강세: MACD > 시그널선이고 RSI(14) > 50일 때; 약세: MACD < 시그널이고 RSI < 50일 때; "
            "그 밖에는 중립"
        ),
        "state.rsi_zone": "과매수: RSI(14) > 70, 과매도: RSI(14) < 30, 그 밖에는 중립",
        "state.volatility_regime": (
            "낮음: 현재 24캔들 실현 변동성이 최근 365일 값의 20번째 백분위수 미만일 때, 높음: 80번째 "
            "초과일 때, 그 밖에는 보통"
        ),
        "state.support": "종가 아래에서 확정된 스윙 저점/고점의 묶음 (묶음의 평균 가격)",
        "state.resistance": "종가 위에서 확정된 스윙 고점/저점의 묶음 (묶음의 평균 가격)",
        "metric.sma50": "최근 종가 50개의 평균",
        "metric.sma200": "최근 종가 200개의 평균",
        "metric.close_vs_sma50": "종가 / SMA50 - 1",
        "metric.close_vs_sma200": "종가 / SMA200 - 1",
        "metric.slope50": "현재 SMA50 / 24개 캔들 전 SMA50 - 1",
        "metric.rsi_14": "와일더 RSI(14), 0..100: 상승분과 하락분의 EMA(1/14)로 계산한 100*G/(G+L)",
        "metric.macd": "EMA12(종가) - EMA26(종가), 가격 단위",
        "metric.macd_signal": "MACD 선의 EMA9, 가격 단위",
        "metric.macd_hist": "macd - 시그널",
        "metric.rv_24": "최근 24개 캔들 한 개 단위 로그 수익률의 표준편차 (캔들당)",
        "metric.rv_24_annualized": "rv_24 * sqrt({bars}) (365일의 캔들 수)",
        "metric.rv_24_percentile": "최근 {n}개 캔들(최대 365일)의 rv_24 값 중 현재 값 이하인 비율",
        "level": (
            "최근 {lookback}개 캔들에서 {tolerance} 이내에 모인 스윙 고점/저점 {n}개의 평균 "
            "(스윙: 양쪽 {window}개 캔들 중 극값)"
        ),
    },
}


def definition(lang: str, key: str, **params: object) -> str:
    """The definition ``key`` (``state.trend``, ``metric.sma50``, ``level``) in ``lang``."""
    return say(WORDS, lang, key, **params)


def state_definitions(lang: str = "en") -> dict[str, str]:
    """What each state of the analysis means (trend, momentum, RSI zone, volatility regime,
    support, resistance), in ``lang``."""
    return {name: definition(lang, f"state.{name}") for name in STATES}
