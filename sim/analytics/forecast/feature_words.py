"""The forecast model's features explained in English and Korean (pure; the chat's "what is RSI?").

Assumptions: English is :data:`sim.analytics.forecast.features.FEATURES` itself (one source for
the definitions); Korean keeps the formulas and names (``close_t``, ``EMA12``, ``SMA20``) and
translates the prose. Used through :func:`feature_definition`; an unknown language or feature
falls back to English (then to the feature's name).
"""

from __future__ import annotations

from sim.analytics.forecast.features import FEATURES
from sim.domain.words import say

WORDS: dict[str, dict[str, str]] = {
    "en": FEATURES,
    "ko": {
        "ret_1": "ln(close_t / close_(t-1)): 직전 1개 봉의 로그 수익률",
        "ret_3": "ln(close_t / close_(t-3)): 직전 3개 봉의 로그 수익률",
        "ret_6": "ln(close_t / close_(t-6)): 직전 6개 봉의 로그 수익률",
        "ret_12": "ln(close_t / close_(t-12)): 직전 12개 봉의 로그 수익률",
        "ret_24": "ln(close_t / close_(t-24)): 직전 24개 봉의 로그 수익률",
        "rv_24": "직전 24개 봉의 1봉 로그 수익률 r1의 표본 표준편차 (연환산하지 않음)",
        "rv_72": "직전 72개 봉의 1봉 로그 수익률 r1의 표본 표준편차 (연환산하지 않음)",
        "rsi_14": "와일더 RSI(14): 100*G/(G+L), G와 L은 상승폭과 하락폭의 EMA (alpha=1/14)",
        "macd": "(EMA12(close) - EMA26(close)) / close_t; EMA의 alpha = 2/(span+1)",
        "macd_signal": "(EMA12 - EMA26)의 EMA9를 close_t로 나눈 값",
        "macd_hist": "macd - macd_signal (둘 다 이미 close_t로 나눈 값)",
        "bb_pos": "(close_t - SMA20(close)) / (2 * std20(close)): 볼린저 밴드 안의 위치, 밴드에서 +-1",
        "volume_z": "(ln(1+volume_t) - mean24) / std24: 직전 24개 봉의 ln(1+거래량) 기준 표준점수",
        "hour_sin": "sin(2*pi*h/24), h는 캔들 시작 시각의 UTC 시",
        "hour_cos": "cos(2*pi*h/24), h는 캔들 시작 시각의 UTC 시",
        "dow_sin": "sin(2*pi*d/7), d는 캔들 시작 시각의 UTC 요일 (월요일 = 0)",
        "dow_cos": "cos(2*pi*d/7), d는 캔들 시작 시각의 UTC 요일 (월요일 = 0)",
    },
}


def feature_definition(lang: str, name: str) -> str:
    """What the feature ``name`` is, in ``lang``."""
    return say(WORDS, lang, name)
