"""Reports in their user's language (issue 16): the daily job writes each user's report in the
language stored in Settings (English when none is chosen); the Reports page builds one on demand
in the page's language. Every word of a Korean report is Korean: headings, cards, notes, statistics,
table headers, sides, dates (``2023년 6월 1일``) and the charts' titles and legends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from sim.domain import dates
from sim.reports import build_report, build_reports, gather, render_html
from sim.reports.words import WORDS
from tests.app.conftest import logged_in, no_exceptions
from tests.app.test_i18n import korean_user
from tests.reports.test_page import iframes

DAY = "2023-06-01"
PAGE = "app_pages/reports.py"
ENGLISH_HEADINGS = (
    "Trading report",
    "Statistics",
    "Fees by symbol",
    "Closed round trips",
    "Forecast track record",
)
KOREAN_HEADINGS = (
    "거래 보고서 2023년 6월 1일",
    "통계",
    "심볼별 수수료 (USDT)",
    "체결 내역",
    "예측 적중 기록",
)


def _trade(sim, user) -> None:
    sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    sim.sell(user.id, "BTCUSDT", "0.01")


def _visible_text(html: str) -> str:
    """The report's text without its scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_dates_read_korean_in_korean_and_unchanged_in_english() -> None:
    moment = datetime(2023, 12, 1, 9, 5, tzinfo=UTC)
    assert dates.day(moment, "ko") == "2023년 12월 1일" and dates.day(moment) == "2023-12-01"
    assert (
        dates.when(moment, "ko") == "2023년 12월 1일 09:05" and dates.when(moment, "en") == "2023-12-01 09:05"
    )
    assert dates.day(moment, "fr") == "2023-12-01"  # an unknown language reads as English


def test_the_daily_job_writes_each_report_in_its_users_language(reports_env) -> None:
    env = reports_env
    sim = env.runtime.sim
    minji, alice, bob = korean_user(env), env.user("alice"), env.user("bob")
    sim.set_preferences(bob.id, language="en")
    for user in (minji, alice, bob):
        _trade(sim, user)
    assert sim.me(alice.id).language is None
    built = build_reports(sim, DAY)
    assert sorted(r.user_id for r in built) == sorted([minji.id, alice.id, bob.id])

    korean = sim.report_html(minji.id, DAY)
    assert '<html lang="ko">' in korean
    for heading in KOREAN_HEADINGS:
        assert heading in korean, heading
    text = _visible_text(korean)
    for english in (
        *ENGLISH_HEADINGS,
        "Your return",
        "Holding BTC",
        "Market time",
        "Paper trading",
        "BUY",
        "SELL",
        "promoted",  # the served models' decisions: the verdict in words, the figures beside it
        "candidate",
        "log loss",
    ):
        assert english not in text, english
    assert "채택: 최근 구간의 로그 손실이 모든 기준 모델보다 낮음" in text
    assert "매도" in text and "시작 평가자산 (USDT)" in text and "2023년 6월 1일" in text
    # the charts: titles, trace names and axis titles (JSON escapes the Hangul)
    for chart_word in (
        "평가자산과 BTC 보유 비교 (USDT)",
        "내 평가자산의 낙폭",
        "내 평가자산",
        "BTC 보유",
        "낙폭 (%)",
    ):
        assert chart_word.encode("unicode_escape").decode() in korean, chart_word
    assert "Equity vs holding BTC" not in korean and '"name":"your equity"' not in korean

    for user in (alice, bob):  # no language chosen, or English: the English report as always
        html = sim.report_html(user.id, DAY)
        assert '<html lang="en">' in html and "Trading report 2023-06-01" in html
        assert "Equity vs holding BTC (USDT)" in html and "거래 보고서" not in html


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_word_a_report_writes_is_in_the_table(reports_env, lang: str) -> None:
    """Both languages of the table have the same keys and fields (test_word_tables checks that);
    here: a Korean report with the market day not over yet carries its notes in Korean."""
    env = reports_env
    sim = env.runtime.sim
    user = env.user("dana")
    _trade(sim, user)
    data = gather(sim, user.id, sim.now().date().isoformat(), lang=lang)
    assert data is not None and data.lang == lang
    html = render_html(data)
    if lang == "ko":
        assert data.notes and all(re.search(r"[\uac00-\ud7a3]", n) for n in data.notes)
        assert "Market time had not reached" not in html
    else:
        assert html.count("Market time had not reached the end of") == len(data.notes)
    assert set(WORDS["en"]) == set(WORDS["ko"])


def test_the_reports_page_builds_a_korean_report_for_a_korean_user(reports_env) -> None:
    env = reports_env
    sim = env.runtime.sim
    minji = korean_user(env)
    _trade(sim, minji)
    at = logged_in(minji, PAGE)
    no_exceptions(at)
    at.button(key="report_build").click().run()
    no_exceptions(at)
    (frame,) = iframes(at)
    doc = frame.proto.srcdoc
    day = sim.now().date()
    assert f"거래 보고서 {day.year}년 {day.month}월 {day.day}일" in doc
    for heading in KOREAN_HEADINGS[1:]:
        assert heading in doc, heading
    assert "Trading report" not in doc and "Statistics" not in doc
    assert doc.startswith("<style>html{background:#ffffff;color:#1f2328")  # the light paper stays


def test_the_page_builds_in_the_pages_language_even_when_the_stored_one_differs(reports_env) -> None:
    """The on-demand build follows the page (``ui.i18n.lang()``), not a later batch's choice."""
    env = reports_env
    sim = env.runtime.sim
    alice = env.user("alice")
    _trade(sim, alice)
    info = build_report(sim, alice.id, DAY, lang="ko")
    assert info is not None
    assert "거래 보고서" in sim.report_html(alice.id, DAY)
    assert build_report(sim, alice.id, DAY) is not None  # the batch: her stored language (none: English)
    assert "Trading report 2023-06-01" in sim.report_html(alice.id, DAY)


def test_the_korean_reports_charts_register_plotlys_korean_locale(reports_env) -> None:
    """Date ticks and hover labels are plotly.js's own words: a Korean report registers its Korean
    locale before the library loads and draws with it; an English report stays as it was."""
    env = reports_env
    sim = env.runtime.sim
    alice = env.user("alice")
    _trade(sim, alice)
    korean = render_html(gather(sim, alice.id, DAY, lang="ko"))
    english = render_html(gather(sim, alice.id, DAY))
    head = korean[: korean.index("</head>")]
    assert "window.PlotlyLocales = [" in head and '"dayMonth": "%-m월 %-d일"' in head
    assert '"locale": "ko"' in korean
    assert "PlotlyLocales" not in english[: english.index("</head>")]  # (the library names it itself)
    assert '"locale": ' not in english
