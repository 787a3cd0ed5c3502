"""The AI Assistant's market analysis in Korean (issue 16): the help of the trend, momentum and
volatility figures, the support/resistance definitions and the table of every figure's definition.
(The forecast's headline, skill and track record are worded elsewhere.)"""

from __future__ import annotations

import re
from typing import Any

from sim.forecasting import ANALYSIS_DEFINITIONS, analysis_definitions
from tests.app.conftest import logged_in, no_exceptions
from tests.app.test_i18n import korean_user

HANGUL = re.compile("[가-힣]")


def test_the_market_analysis_is_defined_in_korean(env: Any) -> None:
    at = logged_in(korean_user(env), "app_pages/assistant.py")
    no_exceptions(at)
    helps = {m.label: m.proto.help for m in at.metric}
    korean = analysis_definitions("ko")
    assert helps["추세"] == korean["trend"] and helps["모멘텀"] == korean["momentum"]
    assert helps["변동성"] == korean["volatility_regime"]
    tables = [d.value for d in at.dataframe if "정의" in d.value.columns]
    figures = next(t for t in tables if "수치" in t.columns)
    definitions = dict(zip(figures["수치"], figures["정의"], strict=True))
    assert definitions["sma50"] == "최근 종가 50개의 평균"
    assert definitions["trend"] == korean["trend"]
    assert all(HANGUL.search(d) for d in definitions.values()), definitions
    assert not set(definitions.values()) & set(ANALYSIS_DEFINITIONS.values())
    levels = [t for t in tables if "수치" not in t.columns]
    assert levels, "the test candles have support or resistance levels"
    for table in levels:  # the support/resistance table, when the candles have levels
        assert all(d.startswith("최근 500개 캔들에서 0.5% 이내에 모인 스윙 고점/저점") for d in table["정의"])
