"""The Reports page: a user sees only their own reports; another user's report cannot be opened."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from sim.reports import build_report
from tests.app.conftest import no_exceptions

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "reports.py")
DAY = "2023-06-01"


def page_as(user, report: str | None = None) -> AppTest:
    """The Reports page run for a signed-in ``user`` (the session keys the login sets)."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["user_id"] = user.id
    at.session_state["username"] = user.username
    at.session_state["name"] = user.display_name
    if report is not None:
        at.query_params["report"] = report
    return at.run()


def iframes(at: AppTest) -> list:
    return [e for e in at.main if type(e).__name__ == "UnknownElement" and e.type == "iframe"]


def test_signed_out_visitors_see_no_reports(reports_env):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    no_exceptions(at)
    assert at.info[0].value == "Please log in to see this page."
    assert not at.title


def test_the_owner_sees_the_report_and_another_user_cannot_open_it(reports_env):
    env = reports_env
    sim = env.runtime.sim
    alice, bob = env.user("alice"), env.user("bob")
    sim.buy(alice.id, "BTCUSDT", quote_amount="1000")
    build_report(sim, alice.id, DAY)

    at = page_as(alice)
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Reports"]
    assert at.selectbox(key="report_pick").options == [DAY]
    (frame,) = iframes(at)
    assert "Trading report 2023-06-01" in frame.proto.srcdoc

    # bob: no reports listed, and asking for alice's report by id or path gets "not found"
    for asked in (None, DAY, f"../{alice.id}/{DAY}"):
        at = page_as(bob, asked)
        no_exceptions(at)
        assert not iframes(at)
        assert "No reports yet" in at.caption[0].value
        if asked is not None:
            assert at.error[0].value.startswith("You have no report")


def test_a_user_builds_their_report_from_the_page_and_it_has_light_paper(reports_env):
    """Issue 18: the page stayed empty unless the daily job ran, and the report's dark text sat on
    the dark theme's background."""
    env = reports_env
    sim = env.runtime.sim
    carol = env.user("carol")
    at = page_as(carol)
    at.button(key="report_build").click().run()
    no_exceptions(at)
    assert at.info[0].value == "No trades yet on this account: nothing to report."
    sim.buy(carol.id, "BTCUSDT", quote_amount="1000")
    at.button(key="report_build").click().run()
    no_exceptions(at)
    day = sim.now().date().isoformat()
    assert at.info[0].value == f"Report {day} built."
    assert at.selectbox(key="report_pick").options == [day]
    (frame,) = iframes(at)
    doc = frame.proto.srcdoc
    assert doc.startswith("<style>html{background:#ffffff;color:#1f2328")
    assert f"Trading report {day}" in doc
