"""The Backtest lab in Korean (issue 16): the page, its inputs, a run's metrics and statistics, and
the fill sensitivity; English stays as it was (tests/backtest_lab/test_page.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.app.conftest import logged_in, no_exceptions
from tests.app.test_i18n import korean_user, titles

LAB = "app_pages/backtest_lab.py"


def test_a_korean_user_runs_a_backtest_in_korean(env: Any) -> None:
    at = logged_in(korean_user(env), LAB)
    no_exceptions(at)
    assert titles(at) == ["백테스트 랩"]
    assert at.button(key="bt_run").label == "백테스트 실행"
    assert at.multiselect(key="bt_symbols").label.startswith("종목")
    assert at.selectbox(key="bt_strategy").label == "전략"
    assert "이동평균 교차" in at.selectbox(key="bt_strategy").options
    assert [tab.label for tab in at.tabs] == ["결과", "체결 민감도", "모의거래 대 백테스트"]
    assert "위에서 입력값을 고른 뒤 백테스트를 실행하세요." in [c.value for c in at.caption]
    assert any(c.value.startswith("마감된 캔들에 모의거래 체결이 아직 없습니다") for c in at.caption)

    at.multiselect(key="bt_symbols").set_value(["BTCUSDT"])
    at.date_input(key="bt_start").set_value(date(2023, 3, 1))
    at.date_input(key="bt_end").set_value(date(2023, 4, 1))
    at.selectbox(key="bt_interval").set_value("1h")
    at.selectbox(key="bt_strategy").set_value("ma_crossover").run()
    assert at.number_input(key="bt_fast").label == "단기 이동평균 (캔들 수)"
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    results, sensitivity, _paper = at.tabs
    labels = {m.label for m in results.metric}
    assert labels == {"최종 평가자산 (USDT)", "총 수익률", "보유 전략(바이 앤 홀드)", "최대 낙폭"}
    stats = results.dataframe[0].value
    assert stats.columns.tolist() == ["값"]
    assert {"총 수익률", "샤프 비율", "최대 낙폭", "지불한 수수료 (USDT)", "시작"} <= set(stats.index)
    assert stats.loc["시작"].iloc[0] == "2023-03-01 00:00"
    assert re.fullmatch(r"\d+일 \d\d:\d\d:\d\d", stats.loc["최장 낙폭 기간"].iloc[0])
    assert any(c.value == "BTCUSDT, 1h 캔들." for c in results.caption)
    assert sensitivity.dataframe[0].value.columns.tolist() == ["기본 체결", "비관적 체결"]

    # the run's own words, charts and tables (issue 16's scan of the lab)
    assert results.subheader[0].value == "이동평균 교차 (단기=20, 장기=50)"
    equity, drawdown, candles = (_chart(f) for f in results.get("iframe"))
    assert '"text":"평가자산"' in equity and '"text":"Equity"' not in equity
    assert '"text":"낙폭"' in drawdown and '"text":"Drawdown"' not in drawdown
    assert "BTCUSDT,1h캔들" in candles and "drawnas" not in candles
    trades = results.dataframe[1].value
    assert trades.columns.tolist()[:4] == ["시각 (UTC)", "종목", "매수/매도", "수량"]
    assert set(trades["매수/매도"]) <= {"매수", "매도"}
    (bars,) = (_chart(f) for f in sensitivity.get("iframe"))
    assert "기본체결" in bars and "총수익률(%)" in bars
    assert not re.search(r"Defaultfills|Pessimisticfills|Totalreturn|Sharpe", bars)


def _chart(frame: Any) -> str:
    """A chart's figure as text, with Korean unescaped (plotly writes ``\\uXXXX``)."""
    srcdoc = frame.proto.srcdoc
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), srcdoc).replace(" ", "")


def test_a_korean_user_sees_paper_vs_backtest_in_korean(env: Any) -> None:
    import time
    from datetime import timedelta
    from decimal import Decimal

    from sim.market import Trade
    from tests.app.conftest import MARKET_TIME

    user = korean_user(env)
    env.runtime.sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    later = MARKET_TIME + timedelta(hours=3)  # the 12:00 and 13:00 candles close
    env.runtime.live.write(
        [Trade("BTCUSDT", 99, Decimal("27100"), Decimal("1"), later, False)], int(time.time() * 1000)
    )
    at = logged_in(user, LAB)
    no_exceptions(at)
    paper = at.tabs[2]
    assert {m.label for m in paper.metric} == {"백테스트 − 모의거래", "수수료", "슬리피지와 가격", "타이밍"}
    lines = [m.value for m in paper.markdown if m.value.startswith("- ")]
    assert lines and lines[0].startswith("- 모의거래 체결 1건 중 1건을 1h 캔들에서 다시 실행했습니다.")
    assert not any(re.search(r"Replayed|Fees|Timing|Slippage and price", line) for line in lines)
    (chart,) = (_chart(f) for f in paper.get("iframe"))
    assert "모의거래대백테스트평가자산" in chart and '"name":"모의거래"' in chart
    assert "Papervsbacktest" not in chart and '"name":"paper"' not in chart
    table = paper.dataframe[0].value
    assert {"시각 (UTC)", "종목", "매수/매도", "상태"} <= set(table.columns)
    assert table["상태"].tolist() == ["재실행됨"] and table["매수/매도"].tolist() == ["매수"]
    assert all(re.search("[가-힣]", column) for column in table.columns), table.columns.tolist()


def test_a_refusal_on_the_lab_uses_the_persons_language(env: Any) -> None:
    at = logged_in(korean_user(env), LAB)
    at.text_input(key="bt_fee").input("-1")
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert at.error and "taker fee rate must be between" not in at.error[0].value


def test_a_korean_user_runs_the_xgboost_strategy_in_korean(env: Any) -> None:
    at = logged_in(korean_user(env), LAB)
    at.multiselect(key="bt_symbols").set_value(["BTCUSDT"])
    at.date_input(key="bt_start").set_value(date(2023, 4, 1))
    at.date_input(key="bt_end").set_value(date(2023, 4, 8))
    at.selectbox(key="bt_strategy").set_value("forecast").run()
    at.number_input(key="bt_train_days").set_value(60)
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    results = at.tabs[0]
    assert results.subheader[0].value == "XGBoost 예측 (예측 구간=1, 진입=0.4, 청산=0.4)"
    (window,) = [i.value for i in results.info]
    assert window.startswith("2023년 1월 31일 – 2023년 4월 1일에 학습하고 2023년 4월 1일 – ")
    notes = [c.value for c in results.caption if c.value.startswith("BTCUSDT:")]
    assert notes and notes[0].startswith("BTCUSDT: 1h 캔들 ") and "마지막 캔들 1개" in notes[0]
    assert not any(re.search(r"Trained on|model trained|rows", text) for text in [window, *notes])
