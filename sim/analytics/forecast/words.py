"""The words a served forecast is described with, in English and Korean (pure): the model's record
(:mod:`.wording`) and the forecast drawn on a chart (:mod:`sim.analytics.figures_forecast`).

Assumptions:

- English is the source: its templates are the exact texts these modules wrote before they took a
  language, so ``lang="en"`` output is unchanged.
- Numbers are formatted by the caller (``+0.041``, ``44.2%``) and passed in, so both languages show
  the same digits; times likewise (``2023-12-01 00:00``).
- A forecast's class (``up`` / ``down`` / ``flat``), its confidence level and a baseline's name are
  looked up with the prefixes ``class_`` / ``level_`` / ``baseline_``; a name not in the table
  reads as itself with ``_`` as spaces (:func:`name`).
- The Korean words of the classes and baselines are the ones the assistant already uses
  (:data:`sim.assistant.replies.LABELS`: 상승 / 하락 / 보합, 직전 움직임, 다수 클래스).
"""

from __future__ import annotations

from sim.domain.words import say

DIRECTION_DISCLOSURE = (
    "this model forecasts whether the price moves, not which way: its up-vs-down skill on the "
    "candles that moved cannot be told from zero"
)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # the model's record (wording.py)
        "interval": "{skill} ({level} interval {low} to {high})",
        "skill": "skill vs climatology: move vs flat {move}; direction, on the candles that moved, "
        "{direction}",
        "short_record": "{scope} skill: move vs flat {move} [{move_low}, {move_high}], "
        "direction {direction} [{direction_low}, {direction_high}]",
        "scope_walk_forward": "walk-forward",
        "scope_loso": "leave-one-symbol-out",
        "disclosure": DIRECTION_DISCLOSURE,
        "pooled_trained": "pooled model, trained on {names}",
        "pooled_not_trained": "pooled model, not trained on {symbol}",
        # the accuracy line (figures_forecast.accuracy_text)
        "no_validation": "no out-of-sample validation on the model card",
        "accuracy": "out-of-sample accuracy {model}",
        "vs_baseline": " vs best baseline ({name}) {accuracy}",
        "folds": ", {folds} walk-forward folds",
        # the forecast on the chart (figures_forecast.draw_forecast)
        "class_up": "up",
        "class_down": "down",
        "class_flat": "flat",
        "level_high": "high",
        "level_medium": "medium",
        "level_low": "low",
        "confidence": "{level} confidence",
        "horizon": "next {n} × {interval}",
        "path": "forecast path ({horizon})",
        "trace": "forecast: {label} {p} ({confidence})",
        "hover": "{symbol} {horizon} until {until} UTC<br>{text}<br>model {model}",
        # baselines
        "baseline_majority": "majority",
        "baseline_last_move": "last move",
        "baseline_logistic": "logistic",
    },
    "ko": {
        "interval": "{skill} ({level} 구간 {low} ~ {high})",
        "skill": "과거 빈도(기후값) 대비 예측력: 움직임 대 보합 {move}; 움직인 캔들에서의 방향 {direction}",
        "short_record": "예측력 ({scope}): 움직임 대 보합 {move} [{move_low}, {move_high}], "
        "방향 {direction} [{direction_low}, {direction_high}]",
        "scope_walk_forward": "워크포워드",
        "scope_loso": "한 종목씩 빼고 검증",
        "disclosure": "이 모델은 가격이 움직일지를 예측할 뿐 방향은 예측하지 못합니다: 움직인 캔들에서 "
        "상승 대 하락을 맞히는 능력이 0과 구별되지 않습니다",
        "pooled_trained": "여러 종목으로 학습한 공동 모델 ({names}로 학습)",
        "pooled_not_trained": "여러 종목으로 학습한 공동 모델, {symbol}은(는) 학습에 쓰이지 않음",
        "no_validation": "모델 카드에 표본 외 검증 기록이 없습니다",
        "accuracy": "표본 외 정확도 {model}",
        "vs_baseline": " (가장 나은 기준 모델 {name}: {accuracy})",
        "folds": ", 워크포워드 {folds}개 구간",
        "class_up": "상승",
        "class_down": "하락",
        "class_flat": "보합",
        "level_high": "높음",
        "level_medium": "중간",
        "level_low": "낮음",
        "confidence": "신뢰도 {level}",
        "horizon": "다음 {interval} 캔들 {n}개",
        "path": "예측 경로 ({horizon})",
        "trace": "예측: {label} {p} ({confidence})",
        "hover": "{symbol} {horizon}, {until} UTC까지<br>{text}<br>모델 {model}",
        "baseline_majority": "다수 클래스",
        "baseline_last_move": "직전 움직임",
        "baseline_logistic": "로지스틱 회귀",
    },
}


def word(lang: str, key: str, **params: object) -> str:
    """The forecast word ``key`` in ``lang`` (English when unknown), formatted with ``params``."""
    return say(WORDS, lang, key, **params)


def name(lang: str, prefix: str, value: str) -> str:
    """The word of a class / level / baseline ``value`` (``prefix`` ``class`` / ``level`` /
    ``baseline``), or ``value`` with ``_`` as spaces when the table has none."""
    key = f"{prefix}_{value}"
    found = say(WORDS, lang, key)
    return found if found != key else value.replace("_", " ")


__all__ = ["DIRECTION_DISCLOSURE", "WORDS", "name", "word"]
