"""The sidebar's trading-account switcher keeps the chosen competition account while its labels
change language (Settings → 한국어): the options are the accounts' ids, their labels only words."""

from __future__ import annotations

from datetime import timedelta

from tests.app.conftest import logged_in, no_exceptions

SETTINGS = "app_pages/settings.py"


def test_the_chosen_account_stays_chosen_when_the_language_changes(env):
    sim = env.runtime.sim
    host, member = env.user("host"), env.user("mina")
    cup = sim.create_competition(host.id, "Spring cup", end=sim.now() + timedelta(days=7))
    entry = sim.trader_for(
        member.id, sim.join_competition(member.id, sim.competition(host.id, cup)["invite_code"])
    )
    at = logged_in(member, SETTINGS)
    switcher = at.sidebar.selectbox(key="trading_as")
    assert switcher.value == member.id
    switcher.set_value(entry).run()
    no_exceptions(at)
    assert at.sidebar.selectbox(key="trading_as").value == entry
    assert at.sidebar.selectbox(key="trading_as").format_func(entry) == "Spring cup · season 1"

    at.selectbox(key="s_language").set_value("ko").run()
    at.run()  # the next run draws the labels in Korean
    no_exceptions(at)
    box = at.sidebar.selectbox(key="trading_as")
    assert box.label == "거래 계정"
    assert box.value == entry, "changing the language put the person back on their own account"
    assert box.format_func(entry) == "Spring cup · 시즌 1"
    assert at.session_state["_lang"] == "ko"
