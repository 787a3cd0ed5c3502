"""A served forecast's words (the model's record, the pooled label, the disclosure, the accuracy line
and what is drawn on the chart) in Korean, and the English unchanged when ``lang`` is left out."""

from __future__ import annotations

import re

from sim.analytics import figures
from sim.analytics.figures_forecast import accuracy_text, draw_forecast
from sim.analytics.forecast.wording import (
    DIRECTION_DISCLOSURE,
    disclosure,
    headline_note,
    model_label,
    short_record,
    skill_text,
    validation_summary,
)
from sim.forecast_record import track_record_definitions
from sim.forecasting import TRACK_RECORD_DEFINITIONS
from tests.forecast.test_wording import POOLED_CARD, split
from tests.forecast_service.test_figures_forecast import VALIDATION, candles, forecast

#: an English word of the forecast texts (numbers, symbols, "Brier", "UTC" and model ids aside)
ENGLISH = re.compile(r"\b(?!BTCUSDT|ETHUSDT|DOGEUSDT|UTC|Brier|abc\b|h\b|extra\b)[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(re.sub(r"<[^>]+>", " ", text))


def test_the_record_in_korean_has_no_english_word_and_the_same_numbers():
    v = {"skill_split": split(-0.002, 0.011)}
    en, ko = skill_text(v, lead="; "), skill_text(v, lead="; ", lang="ko")
    assert en.startswith("; skill vs climatology: move vs flat +0.030 (95% interval +0.020 to +0.040)")
    assert ko.startswith("; ") and "움직임 대 보합 +0.030 (95% 구간 +0.020 ~ +0.040)" in ko
    assert "움직인 캔들에서의 방향 +0.004" in ko and not english_words(ko)
    assert re.findall(r"[-+]\d\.\d+", en) == re.findall(r"[-+]\d\.\d+", ko)
    assert disclosure(v) == DIRECTION_DISCLOSURE
    assert "방향은 예측하지 못합니다" in (disclosure(v, "ko") or "")
    assert disclosure({"skill_split": split(0.004, 0.019)}, "ko") is None


def test_the_pooled_label_is_worded_at_display_time_in_korean():
    outside, inside = validation_summary(POOLED_CARD, "DOGEUSDT"), validation_summary(POOLED_CARD, "BTCUSDT")
    assert model_label(outside) == "pooled model, not trained on DOGEUSDT"  # stored and shown in English
    assert model_label(outside, "ko") == "여러 종목으로 학습한 공동 모델, DOGEUSDT은(는) 학습에 쓰이지 않음"
    assert model_label(inside, "ko") == "여러 종목으로 학습한 공동 모델 (BTCUSDT, ETHUSDT로 학습)"
    # a forecast stored before the structured fields: the names come from the English label
    old = {k: v for k, v in outside.items() if k not in ("symbol", "trained_on")}
    assert model_label(old, "ko") == model_label(outside, "ko")
    note = headline_note(outside, "ko")
    assert (
        note.startswith("여러 종목으로 학습한 공동 모델")
        and "; 이 모델은" in note
        and not english_words(note)
    )
    assert headline_note(outside) == f"pooled model, not trained on DOGEUSDT; {DIRECTION_DISCLOSURE}"
    assert short_record(outside).startswith(
        "leave-one-symbol-out skill: move vs flat +0.030 [+0.020, +0.040]"
    )
    assert short_record(outside, "ko").startswith("예측력 (한 종목씩 빼고 검증): 움직임 대 보합 +0.030")
    assert short_record(inside, "ko").startswith("예측력 (워크포워드)")
    assert model_label({"model_label": "", "pooled": False}, "ko") == ""


def test_the_accuracy_line_in_korean_names_the_baseline_in_korean():
    assert (
        accuracy_text(VALIDATION)
        == "out-of-sample accuracy 44.0% vs best baseline (logistic) 43.0%, 6 walk-forward folds"
    )
    ko = accuracy_text(VALIDATION, "ko")
    assert ko == "표본 외 정확도 44.0% (가장 나은 기준 모델 로지스틱 회귀: 43.0%), 워크포워드 6개 구간"
    assert accuracy_text({}, "ko") == "모델 카드에 표본 외 검증 기록이 없습니다"
    majority = {"accuracy": {"xgboost": 0.44, "majority": 0.41}}
    assert "다수 클래스" in accuracy_text(majority, "ko")


def test_the_forecast_drawn_in_korean_and_in_english():
    base = figures.candlestick(candles(), title="BTCUSDT 1h")
    f = forecast("flat", (0.33, 0.37, 0.30))
    en, ko = draw_forecast(base, f), draw_forecast(base, f, lang="ko")
    assert en.data[-1].name == "forecast: flat 37% (low confidence)"
    assert en.layout.annotations[-2].text == "◆ flat 37% (down 33% · up 30%) · next 4 × 1h"
    assert ko.data[-1].name == "예측: 보합 37% (신뢰도 낮음)"
    assert ko.data[-1].text[0] == "◆ 보합 37% (하락 33% · 상승 30%)"
    assert ko.layout.annotations[-2].text == "◆ 보합 37% (하락 33% · 상승 30%) · 다음 1h 캔들 4개"
    assert ko.data[-2].name == "예측 경로 (다음 1h 캔들 4개)"
    assert "UTC까지" in ko.data[-1].hovertemplate and "모델 BTCUSDT-1h-h4-abc" in ko.data[-1].hovertemplate
    assert ko.layout.annotations[-1].text.startswith("표본 외 정확도 44.0%")
    for text in (
        ko.data[-1].name,
        ko.data[-2].name,
        ko.data[-1].hovertemplate,
        ko.layout.annotations[-1].text,
    ):
        assert not english_words(text), text
    high = draw_forecast(base, forecast("up", (0.2, 0.25, 0.55)), lang="ko")
    assert high.data[-1].name == "예측: 상승 55% (신뢰도 높음)"


def test_the_track_record_definitions_in_korean():
    assert track_record_definitions() == TRACK_RECORD_DEFINITIONS
    assert track_record_definitions("xx") == TRACK_RECORD_DEFINITIONS
    ko = track_record_definitions("ko")
    assert set(ko) == set(TRACK_RECORD_DEFINITIONS)
    assert "적중률" not in ko["hit_rate"] and "가장 확률이 높았던" in ko["hit_rate"]
    assert "0이 가장 좋고 2가 가장 나쁨" in ko["brier"]
    assert not english_words(ko["hit_rate"]) and not english_words(ko["majority"])
