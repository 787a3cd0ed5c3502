"""The words of the Backtest lab that ``sim`` writes for people, in English and Korean (pure):
strategy descriptions, chart titles, run notes, the train/test windows, the paper-vs-backtest
explanation and the table cells (sides, reconciliation statuses, refusal reasons).

Assumptions:
- English (``lang="en"``) is exactly the wording the lab had before it spoke Korean (tests
  compare it); an unknown language falls back to English (:func:`sim.domain.words.say`).
- Numbers are formatted by the caller, the same in both languages; dates and times are UTC,
  written by :mod:`sim.domain.dates` (``2023-03-01 12:00`` / ``2023년 3월 1일 12:00``).
- A :class:`Phrase` is a ``str`` (its English text, so code and tests reading it as text are
  unchanged) that can also be said in another language: a run made in one language can be shown
  in another without running it again.
- Refusal reasons that are an exchange rule's message (``str`` of a :class:`~sim.domain.errors.SimError`)
  are kept as they were written; only the lab's own words are translated here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.domain.words import say

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # strategies and their parameters (BacktestRun.label)
        "strategy.ma_crossover": "MA crossover",
        "strategy.rsi_reversion": "RSI mean reversion",
        "strategy.forecast": "XGBoost forecast",
        "param.fast": "fast",
        "param.slow": "slow",
        "param.window": "window",
        "param.buy_below": "buy_below",
        "param.sell_above": "sell_above",
        "param.horizon": "horizon",
        "param.enter": "enter",
        "param.exit": "exit",
        "label": "{strategy} ({args})",
        # charts
        "chart.equity": "Equity",
        "chart.drawdown": "Drawdown",
        "chart.drawn_as": " (drawn as {rule} candles)",
        "chart.symbol_trades": "{symbol} trades",
        "chart.paper_vs_backtest": "Paper vs backtest equity",
        "chart.paper": "paper",
        "chart.backtest": "backtest",
        # run notes
        "note.dropped": (
            "{n} bars were dropped because not every symbol has a candle there (an exchange outage)."
        ),
        "note.warmup": (
            "Only {before} of the {warm} warm-up candles exist before the start: "
            "the first decisions see less history."
        ),
        "note.trailing": (
            "Each position is protected by a trailing stop of {bps} bps: it follows the "
            "highest trade since the entry (each candle's open, low/high, high/low, close) and sells "
            "at the trade that falls through it; no buy-back before the strategy's next signal."
        ),
        "note.trained": (
            "{symbol}: model trained on {rows} {interval} rows {first} – {last} UTC; {purged} before "
            "the test left out (purged), so no training label reaches into the test window."
        ),
        "note.last_one": "the last candle",
        "note.last_many": "the last {n} candles",
        "note.served": "{symbol}: served model {model}, trained on candles up to {last} UTC.",
        "windows": (
            "Trained on {train_from} – {train_to}, tested on {test_from} – {test_to} (UTC), out of "
            "sample: the model never saw a candle of the test window."
        ),
        # paper vs backtest (explain)
        "explain.replayed": (
            "Replayed {replayed} of {fills} paper fills on {interval} candles; the backtest ends "
            "{difference} against your paper account ({backtest} vs {paper} USDT at the last close)."
        ),
        "explain.fees": (
            "Fees {amount}: the backtest pays the taker rate {rate}% on every fill; your market orders "
            "paid your taker rate, your resting orders your maker rate."
        ),
        "explain.price": (
            "Slippage and price rule {amount}: the backtest fills {bps} bp off the next candle's open; "
            "your fills had your slippage off the last trade, or a limit's own price."
        ),
        "explain.timing": (
            "Timing {amount}: the backtest acts on the next candle's open ({interval} later at most), "
            "not at the moment you traded."
        ),
        "explain.quantity": (
            "Quantity {amount}: the backtest sized its orders from its own cash and price (rounded to "
            "the lot step), not your quantities."
        ),
        "explain.not_replayed": "{n} fill(s) could not be replayed (see their status).",
        "explain.pending": "{n} fill(s) are in a candle that has not closed yet.",
        # table cells
        "side.BUY": "BUY",
        "side.SELL": "SELL",
        "status.replayed": "replayed",
        "status.before the candles": "before the candles",
        "status.no next candle": "no next candle",
        "status.refused": "refused: {reason}",
        "reason.no cash left": "no cash left",
        # statistics' values
        "value.nan": "n/a",
        "value.inf": "inf",
    },
    "ko": {
        "strategy.ma_crossover": "이동평균 교차",
        "strategy.rsi_reversion": "RSI 평균 회귀",
        "strategy.forecast": "XGBoost 예측",
        "param.fast": "단기",
        "param.slow": "장기",
        "param.window": "기간",
        "param.buy_below": "매수 기준",
        "param.sell_above": "매도 기준",
        "param.horizon": "예측 구간",
        "param.enter": "진입",
        "param.exit": "청산",
        "label": "{strategy} ({args})",
        "chart.equity": "평가자산",
        "chart.drawdown": "낙폭",
        "chart.drawn_as": " ({rule} 캔들로 표시)",
        "chart.symbol_trades": "{symbol} 거래",
        "chart.paper_vs_backtest": "모의거래 대 백테스트 평가자산",
        "chart.paper": "모의거래",
        "chart.backtest": "백테스트",
        "note.dropped": "모든 종목에 캔들이 있지는 않은 구간(거래소 장애)의 캔들 {n}개를 뺐습니다.",
        "note.warmup": (
            "시작 전에 워밍업 캔들 {warm}개 중 {before}개만 있습니다: 처음 결정들은 더 짧은 과거를 봅니다."
        ),
        "note.trailing": (
            "각 포지션은 {bps}bp 트레일링 스톱으로 보호됩니다: 진입 이후 가장 높은 거래가(각 캔들의 "
            "시가, 저가/고가, 고가/저가, 종가)를 따라가고, 그 아래로 떨어지는 거래에서 매도합니다. "
            "전략의 다음 신호 전에는 다시 사지 않습니다."
        ),
        "note.trained": (
            "{symbol}: {interval} 캔들 {rows}행({first} – {last} UTC)으로 모델을 학습했습니다. 검증 직전 "
            "{purged}는 학습에서 뺐으므로(퍼지), 어떤 학습 레이블도 검증 구간에 닿지 않습니다."
        ),
        "note.last_one": "마지막 캔들 1개",
        "note.last_many": "마지막 캔들 {n}개",
        "note.served": "{symbol}: 서비스 중인 모델 {model}, {last} UTC까지의 캔들로 학습했습니다.",
        "windows": (
            "{train_from} – {train_to}에 학습하고 {test_from} – {test_to}(UTC)에 검증했습니다. 표본 외 "
            "검증: 모델은 검증 구간의 캔들을 한 번도 보지 않았습니다."
        ),
        "explain.replayed": (
            "모의거래 체결 {fills}건 중 {replayed}건을 {interval} 캔들에서 다시 실행했습니다. 백테스트는 "
            "내 모의거래 계정보다 {difference}로 끝납니다(마지막 종가 기준 {backtest} 대 {paper} USDT)."
        ),
        "explain.fees": (
            "수수료 {amount}: 백테스트는 모든 체결에 테이커 수수료율 {rate}%를 냅니다. 내 시장가 주문은 "
            "내 테이커 수수료율을, 대기 주문은 메이커 수수료율을 냈습니다."
        ),
        "explain.price": (
            "슬리피지와 가격 규칙 {amount}: 백테스트는 다음 캔들의 시가에서 {bps}bp 떨어진 가격에 "
            "체결합니다. 내 체결은 마지막 거래가에서 내 슬리피지만큼, 또는 지정가 그대로였습니다."
        ),
        "explain.timing": (
            "타이밍 {amount}: 백테스트는 내가 거래한 순간이 아니라 다음 캔들의 시가(최대 {interval} "
            "뒤)에 움직입니다."
        ),
        "explain.quantity": (
            "수량 {amount}: 백테스트는 내 수량이 아니라 자기 현금과 가격으로 주문 수량을 정했습니다"
            "(수량 단위로 반올림)."
        ),
        "explain.not_replayed": "체결 {n}건은 다시 실행할 수 없었습니다(상태를 보세요).",
        "explain.pending": "체결 {n}건은 아직 마감되지 않은 캔들에 있습니다.",
        "side.BUY": "매수",
        "side.SELL": "매도",
        "status.replayed": "재실행됨",
        "status.before the candles": "캔들 이전",
        "status.no next candle": "다음 캔들 없음",
        "status.refused": "거부됨: {reason}",
        "reason.no cash left": "남은 현금 없음",
        "value.nan": "해당 없음",
        "value.inf": "무한대",
    },
}


def word(lang: str, key: str, **params: object) -> str:
    """The lab word ``key`` in ``lang`` (English when unknown), formatted with ``params``."""
    return say(WORDS, lang, key, **params)


class Phrase(str):
    """Text in English that can be said in another language: ``phrase.say("ko")``.

    ``make(lang)`` makes the text; the string itself is ``make("en")``.
    """

    make: Callable[[str], str]

    def __new__(cls, make: Callable[[str], str]) -> Phrase:
        phrase = super().__new__(cls, make("en"))
        phrase.make = make
        return phrase

    def say(self, lang: str) -> str:
        return self.make(lang)

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        """Copied or pickled as its English text (a plain ``str``): the renderer is a closure."""
        return (str, (str(self),))


def phrase(key: str, **params: object) -> Phrase:
    """A :class:`Phrase` of ``key`` (params that are Phrases are said in the same language)."""

    def render(lang: str) -> str:
        return word(
            lang, key, **{k: in_language(v, lang) if isinstance(v, str) else v for k, v in params.items()}
        )

    return Phrase(render)


def in_language(text: str, lang: str) -> str:
    """``text`` said in ``lang`` when it is a :class:`Phrase`, else as it is."""
    return text.say(lang) if isinstance(text, Phrase) else text


def strategy_label(strategy: str, params: Mapping[str, Any]) -> Phrase:
    """``MA crossover (fast=20, slow=50)`` / ``이동평균 교차 (단기=20, 장기=50)``."""

    def render(lang: str) -> str:
        args = ", ".join(
            f"{word(lang, f'param.{k}') if f'param.{k}' in WORDS['en'] else k}={v}" for k, v in params.items()
        )
        return word(lang, "label", strategy=word(lang, f"strategy.{strategy}"), args=args)

    return Phrase(render)


def cell(column: str, value: object, lang: str) -> object:
    """A table cell of a lab table in ``lang``: sides, reconciliation statuses, refusal reasons."""
    if lang == "en" or not isinstance(value, str):
        return value
    if column == "side" and f"side.{value}" in WORDS["en"]:
        return word(lang, f"side.{value}")
    if column == "status":
        if value.startswith("refused: "):
            return word(lang, "status.refused", reason=value.removeprefix("refused: "))
        return word(lang, f"status.{value}") if f"status.{value}" in WORDS["en"] else value
    if column == "reason" and f"reason.{value}" in WORDS["en"]:
        return word(lang, f"reason.{value}")
    return value
