"""The Backtest lab's words in Korean (issue 16), English as it was: strategy descriptions, chart
titles and names, notes, windows, the paper-vs-backtest explanation, table headers and cells."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import numpy as np
import pandas as pd

from sim.analytics import figures_backtest as fb
from sim.analytics.backtest import FillModel, Reconciliation
from sim.analytics.lab_words import Phrase, in_language, phrase, strategy_label
from sim.backtest_display import format_table, localize_cells
from sim.backtest_forecast import _served_note, _trained_note, describe_windows
from sim.paper_vs_backtest import PaperComparison, explain
from ui.format import humanize

TIMES = pd.date_range("2023-03-01", periods=60, freq="1h", tz="UTC")


def _text(fig: object) -> str:
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False, default=str)  # type: ignore[attr-defined]


def test_strategy_descriptions_in_both_languages() -> None:
    ma = strategy_label("ma_crossover", {"fast": 20, "slow": 50})
    assert ma == "MA crossover (fast=20, slow=50)"
    assert ma.say("ko") == "이동평균 교차 (단기=20, 장기=50)"
    rsi = strategy_label("rsi_reversion", {"window": 14, "buy_below": 30.0, "sell_above": 70.0})
    assert rsi == "RSI mean reversion (window=14, buy_below=30.0, sell_above=70.0)"
    assert rsi.say("ko") == "RSI 평균 회귀 (기간=14, 매수 기준=30.0, 매도 기준=70.0)"
    xgb = strategy_label("forecast", {"horizon": 1, "enter": 0.4, "exit": 0.4})
    assert xgb == "XGBoost forecast (horizon=1, enter=0.4, exit=0.4)"
    assert xgb.say("ko") == "XGBoost 예측 (예측 구간=1, 진입=0.4, 청산=0.4)"


def test_a_phrase_is_its_english_text_and_copies_as_plain_text() -> None:
    note = phrase("note.warmup", before=3, warm=50)
    assert (
        note
        == "Only 3 of the 50 warm-up candles exist before the start: the first decisions see less history."
    )
    assert in_language(note, "ko").startswith("시작 전에 워밍업 캔들 50개 중 3개만")
    assert in_language("plain", "ko") == "plain"
    assert copy.deepcopy(note) == note and not isinstance(copy.deepcopy(note), Phrase)


def test_forecast_notes_and_windows_in_both_languages() -> None:
    trained = _trained_note("BTCUSDT", 8760, "1h", "2022-03-01T00:00:00Z", "2023-02-28T22:00:00Z", 1)
    assert trained == (
        "BTCUSDT: model trained on 8,760 1h rows 2022-03-01 00:00 – 2023-02-28 22:00 UTC; the last "
        "candle before the test left out (purged), so no training label reaches into the test window."
    )
    assert trained.say("ko").startswith(
        "BTCUSDT: 1h 캔들 8,760행(2022년 3월 1일 00:00 – 2023년 2월 28일 22:00 UTC)"
    )
    assert "마지막 캔들 4개" in _trained_note("BTCUSDT", 10, "1h", "2022-03-01", "2022-03-02", 4).say("ko")
    served = _served_note("ETHUSDT", "m1", pd.Timestamp("2023-12-31 23:00"))
    assert served == "ETHUSDT: served model m1, trained on candles up to 2023-12-31 23:00 UTC."
    assert (
        served.say("ko")
        == "ETHUSDT: 서비스 중인 모델 m1, 2023년 12월 31일 23:00 UTC까지의 캔들로 학습했습니다."
    )
    train = (pd.Timestamp("2022-03-03", tz="UTC"), pd.Timestamp("2023-03-03", tz="UTC"))
    test = (pd.Timestamp("2023-03-03", tz="UTC"), pd.Timestamp("2023-06-02 12:00", tz="UTC"))
    assert describe_windows(train, test) == (
        "Trained on 2022-03-03 – 2023-03-03, tested on 2023-03-03 – 2023-06-02 12:00 (UTC), out of "
        "sample: the model never saw a candle of the test window."
    )
    assert describe_windows(train, test, "ko").startswith(
        "2022년 3월 3일 – 2023년 3월 3일에 학습하고 "
        "2023년 3월 3일 – 2023년 6월 2일 12:00(UTC)에 검증했습니다."
    )


def test_backtest_charts_in_korean_and_english_unchanged() -> None:
    equity = pd.Series(np.linspace(10_000, 10_500, len(TIMES)), index=TIMES)
    en, ko = fb.equity_vs_benchmark(equity), fb.equity_vs_benchmark(equity, lang="ko")
    assert en.layout.title.text == "Equity" and ko.layout.title.text == "평가자산"
    assert fb.drawdown_chart(equity).layout.title.text == "Drawdown"
    assert fb.drawdown_chart(equity, lang="ko").layout.title.text == "낙폭"
    curves = pd.DataFrame({"paper": equity, "backtest": equity + 1})
    en, ko = fb.paper_vs_backtest(curves), fb.paper_vs_backtest(curves, lang="ko")
    assert en.layout.title.text == "Paper vs backtest equity" and [d.name for d in en.data] == [
        "paper",
        "backtest",
    ]
    assert ko.layout.title.text == "모의거래 대 백테스트 평가자산"
    assert [d.name for d in ko.data] == ["모의거래", "백테스트"]
    assert ko.data[0].line.color == en.data[0].line.color  # the colours follow the curve, not its name
    candles = pd.DataFrame(
        {"open": 1.0, "high": 2.0, "low": 0.5, "close": 1.5, "volume": 1.0},
        index=pd.date_range("2023-01-01", periods=3000, freq="1min", tz="UTC"),
    )
    en, ko = (
        fb.trades_on_candles(candles, symbol="BTCUSDT"),
        fb.trades_on_candles(candles, symbol="BTCUSDT", lang="ko"),
    )
    assert en.layout.title.text == "BTCUSDT trades (drawn as 5min candles)"
    assert ko.layout.title.text == "BTCUSDT 거래 (5min 캔들로 표시)"


def test_the_sensitivity_chart_names_models_and_statistics_in_korean() -> None:
    table = pd.DataFrame(
        {"default": [0.1, 1.2], "pessimistic": [0.05, 0.8]}, index=["total_return", "sharpe"]
    )
    en, ko = fb.sensitivity_bars(table), fb.sensitivity_bars(table, lang="ko")
    assert [a.text for a in en.layout.annotations] == ["Total return (%)", "Sharpe ratio"]
    assert [d.name for d in en.data][:2] == ["Default fills", "Pessimistic fills"]
    assert [a.text for a in ko.layout.annotations] == ["총 수익률 (%)", "샤프 비율"]
    assert [d.name for d in ko.data][:2] == ["기본 체결", "비관적 체결"]
    assert ko.layout.title.text == "체결 모델 민감도"
    assert "Default" not in _text(ko) and "Total return" not in _text(ko)


def _comparison() -> PaperComparison:
    totals = {
        "fee": Decimal("-1.5"),
        "timing": Decimal("0.25"),
        "price": Decimal("-0.1"),
        "quantity": Decimal("2"),
        "total": Decimal("0.65"),
        "fills": 3,
        "replayed": 2,
        "not_replayed": 1,
        "paper_final_equity": Decimal("10000"),
        "backtest_final_equity": Decimal("10000.65"),
        "final_equity_difference": Decimal("0.65"),
    }
    rec = Reconciliation(pd.DataFrame(), totals, pd.DataFrame())
    return PaperComparison(rec, FillModel(), Decimal("1"), "1h", pending=1)


def test_the_paper_vs_backtest_explanation_in_korean() -> None:
    en, ko = explain(_comparison()), explain(_comparison(), "ko")
    assert en[0] == (
        "Replayed 2 of 3 paper fills on 1h candles; the backtest ends +0.6500 USDT against your paper "
        "account (10,000.65 vs 10,000.00 USDT at the last close)."
    )
    assert en[1].startswith("Fees -1.5000 USDT: the backtest pays the taker rate 0.1% on every fill")
    assert len(ko) == len(en) == 7
    assert ko[0] == (
        "모의거래 체결 3건 중 2건을 1h 캔들에서 다시 실행했습니다. 백테스트는 내 모의거래 계정보다 "
        "+0.6500 USDT로 끝납니다(마지막 종가 기준 10,000.65 대 10,000.00 USDT)."
    )
    assert ko[1].startswith("수수료 -1.5000 USDT: 백테스트는 모든 체결에 테이커 수수료율 0.1%를")
    assert ko[-1] == "체결 1건은 아직 마감되지 않은 캔들에 있습니다."
    assert not any(word in " ".join(ko) for word in ("Replayed", "Fees", "Timing", "Quantity", "fill(s)"))


def test_lab_tables_have_korean_headers_and_cells() -> None:
    frame = pd.DataFrame(
        {
            "time": TIMES[:3],
            "symbol": ["BTCUSDT"] * 3,
            "side": ["BUY", "SELL", "BUY"],
            "qty": [1.0, 1.0, 2.0],
            "status": ["replayed", "no next candle", "refused: MIN_NOTIONAL"],
            "reason": ["no cash left", "x", "y"],
        }
    )
    assert localize_cells(frame) is frame
    english = humanize(frame, "en")
    assert english.columns.tolist() == ["Time (UTC)", "Symbol", "Side", "Qty", "Status", "Reason"]
    korean = humanize(localize_cells(frame, "ko"), "ko")
    assert korean.columns.tolist() == ["시각 (UTC)", "종목", "매수/매도", "수량", "상태", "사유"]
    assert korean["매수/매도"].tolist() == ["매수", "매도", "매수"]
    assert korean["상태"].tolist() == ["재실행됨", "다음 캔들 없음", "거부됨: MIN_NOTIONAL"]
    assert korean["사유"].tolist() == ["남은 현금 없음", "x", "y"]
    assert korean["시각 (UTC)"].iloc[0] == english["Time (UTC)"].iloc[0] == "2023-03-01 00:00:00"


def test_statistics_values_read_in_korean() -> None:
    table = pd.DataFrame(
        {"run": [pd.Timedelta(days=34, hours=6), float("nan"), float("inf"), 0.1234]},
        index=["max_drawdown_duration", "sharpe", "profit_factor", "total_return"],
    )
    assert format_table(table)["run"].tolist() == ["34 days 06:00:00", "n/a", "inf", "+12.34%"]
    assert format_table(table, "ko")["run"].tolist() == ["34일 06:00:00", "해당 없음", "무한대", "+12.34%"]
