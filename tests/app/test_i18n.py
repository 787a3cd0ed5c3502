"""The app's text in the person's language (issue 16): chosen in Settings and stored, else the
browser's (``st.context.locale``, which AppTest seeds through ``at.context``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import logged_in, login, new_app, no_exceptions

SETTINGS = "app_pages/settings.py"
COMPETITIONS = "app_pages/competitions.py"


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def korean_user(env: Any, name: str = "minji") -> Any:
    user = env.user(name)
    env.runtime.sim.set_preferences(user.id, language="ko")
    return user


def test_switching_in_settings_is_stored_and_kept_by_a_new_session(env):
    user = env.user()
    at = logged_in(user, SETTINGS)
    assert at.session_state["_lang"] == "en"
    assert at.selectbox(key="s_language").value == "en"
    at.selectbox(key="s_language").set_value("ko").run()
    no_exceptions(at)
    assert env.runtime.sim.me(user.id).language == "ko"
    assert at.session_state["_lang"] == "ko"
    again = logged_in(user, SETTINGS)  # another browser session of the same person
    assert again.session_state["_lang"] == "ko"
    assert again.selectbox(key="s_language").value == "ko"
    again.selectbox(key="s_language").set_value("en").run()
    assert env.runtime.sim.me(user.id).language == "en"


def test_without_a_choice_the_browser_language_decides(env):
    user = env.user()
    at = new_app()
    at.context = {"locale": "ko-KR"}
    at.run()
    no_exceptions(at)
    assert at.session_state["_lang"] == "ko"
    at = new_app()
    at.context = {"locale": "en-GB"}
    at = login(at.run(), user.username)
    assert at.session_state["_lang"] == "en"
    env.runtime.sim.set_preferences(user.id, language="ko")  # a stored choice wins over the browser
    at.run()
    assert at.session_state["_lang"] == "ko"


def test_a_korean_user_sees_korean_dashboard_settings_and_competitions(env):
    at = logged_in(korean_user(env))
    no_exceptions(at)
    assert titles(at) == ["대시보드"]
    labels = {m.label for m in at.metric}
    assert {"평가자산 (USDT)", "오늘 손익 (USDT)", "미체결 주문"} <= labels
    assert at.selectbox(key="dash_symbol").label == "종목"
    assert "minji 님으로 로그인됨" not in [t.value for t in at.sidebar.text]  # the display name is used
    assert "Minji 님으로 로그인됨" in [t.value for t in at.sidebar.text]
    assert at.button(key="sidebar_logout").label == "로그아웃"
    assert any("시장 시각 2023년 6월 1일 12:00 UTC" in c.value for c in at.sidebar.caption)
    title = "BTCUSDT, 1시간 캔들, 기간: 1주"  # the chart's title, as the figure's JSON spells it
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert json.dumps(title) in srcdoc or json.dumps(title, ensure_ascii=False) in srcdoc
    assert any(json.dumps(w, ensure_ascii=a) in srcdoc for w in ("거래량", "가격") for a in (True, False))

    at.switch_page(SETTINGS).run()
    no_exceptions(at)
    assert titles(at) == ["설정"]
    subheaders = {s.value for s in at.subheader}
    assert subheaders >= {"프로필", "비밀번호 변경", "거래 비용", "관심 종목", "계정 초기화"}
    assert at.button(key="s_reset").label == "계정 초기화"

    at.switch_page(COMPETITIONS).run()
    no_exceptions(at)
    assert titles(at) == ["대회"]
    assert "초대 코드로 참가" in [s.value for s in at.subheader]
    assert [i.value for i in at.info] == [
        "아직 참가한 대회가 없습니다. 초대 코드로 참가하거나 직접 대회를 만들어 보세요."
    ]


def test_an_english_user_sees_todays_english(env):
    user = env.user()
    env.runtime.sim.set_preferences(user.id, language="en")
    at = login(new_app().run(), user.username)
    at.context = {"locale": "ko-KR"}  # signed in, the stored choice wins over a Korean browser
    at.run()
    no_exceptions(at)
    assert titles(at) == ["Dashboard"]
    assert {"Equity (USDT)", "Today's PnL (USDT)", "Open orders"} <= {m.label for m in at.metric}
    assert "Signed in as Alice" in [t.value for t in at.sidebar.text]
    at.switch_page(COMPETITIONS).run()
    assert titles(at) == ["Competitions"]


def test_the_login_page_follows_the_browser(env):
    at = new_app()
    at.context = {"locale": "ko"}
    at.run()
    no_exceptions(at)
    assert titles(at) == ["암호화폐 모의투자"]
    assert at.text_input(key="login_username").label == "아이디"
    assert at.text_input(key="login_password").label == "비밀번호"
    at.text_input(key="login_username").input("nobody")
    at.text_input(key="login_password").input("wrong password")
    at.button(key="FormSubmitter:login_form-로그인").click().run()
    assert len(at.error) == 1  # the refusal (its text is the facade's, localized once sim offers it)


def test_refusals_use_the_localized_message_when_the_error_offers_one(env, monkeypatch):
    """Before ``SimError.localized`` exists in ``sim`` the plain message shows; a stand-in proves the
    pages ask for the person's language once it does."""
    from sim.domain.errors import SimError

    monkeypatch.setattr(SimError, "localized", lambda self, language: f"[{language}] {self}", raising=False)
    at = logged_in(korean_user(env), COMPETITIONS)
    at.text_input[0].input("NOPE-NOPE")
    at.button(key="FormSubmitter:comp_join-참가").click().run()
    no_exceptions(at)
    assert [e.value[:5] for e in at.error] == ["[ko] "]


def test_a_korean_user_trades_in_korean(env):
    from tests.app.test_pages import TRADING, ticket

    user = korean_user(env)
    at = logged_in(user, TRADING)
    no_exceptions(at)
    assert titles(at) == ["거래"]
    assert {"주문서", "미체결 주문", "내 체결 내역"} <= {s.value for s in at.subheader}
    assert at.button(key="t_place").label == "주문하기"
    assert at.selectbox(key="t_type").label == "주문 유형"
    assert "시장가" in at.selectbox(key="t_type").options
    assert at.segmented_control(key="t_side").label == "매수/매도"
    assert at.text_input(key="t_qty").label == "수량"
    ticket(at, t_qty="abc")  # refused: the facade's message in Korean (SimError.localized)
    no_exceptions(at)
    (warning,) = at.warning
    assert warning.value.startswith("이 주문은 거부됩니다: ")
    assert "수량 값은" in warning.value and "입력해야 합니다" in warning.value
    ticket(at, t_qty="0.01")
    assert "미리보기 (아직 주문되지 않음): 즉시 체결" in [c.value for c in at.caption]
    assert {"가격", "수량", "수수료", "총액"} <= {m.label for m in at.metric}
    at.button(key="t_place").click().run()
    no_exceptions(at)
    (order,) = env.runtime.sim.orders(user.id)
    assert at.success[0].value.startswith(f"주문 {order.id}번: 체결 (체결 수량 0.01")
    headers = list(at.dataframe[-1].value.columns)
    assert headers[:4] == ["시각 (UTC)", "종목", "매수/매도", "수량"]
    assert at.dataframe[-1].value.iloc[0]["매수/매도"] == "매수"


def test_a_korean_user_sees_a_korean_portfolio(env):
    user = korean_user(env)
    env.runtime.sim.buy(user.id, "BTCUSDT", quantity="0.01")
    at = logged_in(user, "app_pages/portfolio.py")
    no_exceptions(at)
    assert titles(at) == ["포트폴리오"]
    labels = {m.label for m in at.metric}
    assert {"평가자산 (USDT)", "사용 가능 현금", "묶인 현금", "미실현 손익", "실현 손익"} <= labels
    assert {"기간 수익률", "대신 BTC를 보유했다면"} <= labels
    assert {"보유 자산", "미체결 주문"} <= {s.value for s in at.subheader}
    assert "미체결 주문이 없습니다." in [c.value for c in at.caption]
    holdings = at.dataframe[0].value  # the first table: holdings
    assert list(holdings.columns[:3]) == ["종목", "수량", "묶인 수량"]
    assert any(c.value.startswith("첫 거래(") for c in at.caption)


def test_a_korean_user_asks_the_assistant_in_korean(env):
    user = korean_user(env)
    at = logged_in(user, "app_pages/assistant.py")
    no_exceptions(at)
    assert titles(at) == ["AI 어시스턴트"]
    assert {"예측", "시장 분석", "실시간 예측 성적", "채팅"} <= {s.value for s in at.subheader}
    assert at.selectbox(key="ai_symbol").label == "종목"
    assert at.segmented_control(key="ai_horizon").label == "예측 기간"
    assert at.segmented_control(key="ai_horizon").value == 1  # the option values stay hours
    metrics = {m.label: m.value for m in at.metric}
    assert {
        "P(상승)",
        "P(보합)",
        "P(하락)",
        "가장 가능성 높음",
        "추세",
        "모멘텀",
        "RSI(14)",
        "변동성",
    } <= set(metrics)
    assert metrics["가장 가능성 높음"] in ("상승", "보합", "하락")
    assert any("BTCUSDT 1시간 예측이 없습니다" in i.value for i in at.info)
    at.chat_input(key="ai_input").set_value("비트코인 0.01개 사줘").run()
    no_exceptions(at)
    assert [b.label for b in at.button if b.key and b.key.startswith("ai_confirm_")] == ["확인"]


@pytest.fixture
def reports_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "reports"))
    return request.getfixturevalue("env")


def test_a_korean_user_builds_a_report_in_korean(reports_env):
    env = reports_env
    user = korean_user(env)
    at = logged_in(user, "app_pages/reports.py")
    no_exceptions(at)
    assert titles(at) == ["리포트"]
    assert at.button(key="report_build").label == "지금 내 리포트 만들기"
    assert any(c.value.startswith("아직 리포트가 없습니다.") for c in at.main.caption)
    at.button(key="report_build").click().run()
    no_exceptions(at)
    assert at.info[0].value == "이 계정에는 아직 거래가 없어 리포트로 만들 내용이 없습니다."
    env.runtime.sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    at.button(key="report_build").click().run()
    no_exceptions(at)
    day = env.runtime.sim.now().date().isoformat()
    assert at.info[0].value == f"{day} 리포트를 만들었습니다."
    assert at.selectbox(key="report_pick").label == "리포트"
    assert any(c.value.startswith("생성 ") and c.value.endswith(" kB") for c in at.caption)
