"""The Backtest lab page: gated by the login, runs an MA crossover, shows stats, charts, sensitivity
and the user's paper trades replayed.

The lead adds the page to ``app.py``'s navigation; until then (and to test the page alone) the
page file is run directly with the session already signed in, as ``app.py`` would leave it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, login, new_app, no_exceptions

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
PAGE = str(ROOT / "app_pages" / "backtest_lab.py")
APP = ROOT / "app.py"
IN_NAV = "app_pages/backtest_lab.py" in APP.read_text()


def page_as(user) -> AppTest:
    """The page alone, with the session keys the login gate sets."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = user.username
    at.session_state["name"] = user.display_name
    at.session_state["user_id"] = user.id
    return at.run()


def test_logged_out_sees_the_login_form_only(env):
    at = new_app().run()
    no_exceptions(at)
    assert at.text_input(key="login_username") is not None
    assert not at.get("iframe") and "Backtest lab" not in [t.value for t in at.title]
    if IN_NAV:  # signed out, the navigation holds the login page only
        with pytest.raises(ValueError, match="Known pages: \\['Log in'\\]"):
            at.switch_page("app_pages/backtest_lab.py")


def test_the_page_itself_refuses_a_visitor_without_a_login(env):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    no_exceptions(at)
    assert [i.value for i in at.info] == ["Please log in to see this page."]
    assert not at.title and not at.get("iframe")


def test_logged_in_runs_an_ma_crossover_and_shows_stats_charts_and_sensitivity(env):
    user = env.user()
    if IN_NAV:
        at = login(new_app().run(), user.username)
        at.switch_page("app_pages/backtest_lab.py").run()
    else:
        at = page_as(user)
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Backtest lab"]
    at.multiselect(key="bt_symbols").set_value(["BTCUSDT", "ETHUSDT"])
    at.date_input(key="bt_start").set_value(date(2023, 3, 1))
    at.date_input(key="bt_end").set_value(date(2023, 4, 1))
    at.selectbox(key="bt_interval").set_value("1h")
    at.selectbox(key="bt_strategy").set_value("ma_crossover").run()
    at.number_input(key="bt_fast").set_value(10)
    at.number_input(key="bt_slow").set_value(30).run()
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    results, sensitivity, _paper = at.tabs
    stats = results.dataframe[0].value
    assert stats.columns.tolist() == ["Value"]  # the strategy's label is the heading above
    assert [h.value for h in results.subheader] == ["MA crossover (fast=10, slow=30)"]
    assert stats.loc["Start"].iloc[0] == "2023-03-01 00:00"
    assert stats.loc["End"].iloc[0] == "2023-03-31 23:00"
    assert {"Total return", "Sharpe ratio", "Max drawdown", "Fees paid (USDT)"} <= set(stats.index)
    # issue 18: no snake_case label or header anywhere in the lab's tables
    for frame in at.dataframe:
        names = [*map(str, frame.value.columns), *map(str, frame.value.index)]
        assert not [n for n in names if SNAKE.match(n)], names
    specs = [c.proto.srcdoc for c in results.get("iframe")]
    assert len(specs) == 3  # equity vs buy and hold, drawdown, trades on the candles
    assert '"the symbols (buy & hold)"' in specs[0] and '"drawdown"' in specs[1]
    assert '"candlestick"' in specs[2] and '"buy"' in specs[2]
    assert "Fill-model sensitivity" in sensitivity.get("iframe")[0].proto.srcdoc
    sens = sensitivity.dataframe[0].value
    assert sens.columns.tolist() == ["Default fills", "Pessimistic fills"]
    # the run survives a rerun (another symbol's candles) without running again
    at.selectbox(key="bt_chart_symbol").set_value("ETHUSDT").run()
    no_exceptions(at)
    assert '"ETHUSDT"' in at.tabs[0].get("iframe")[2].proto.srcdoc


def test_paper_vs_backtest_shows_a_user_without_fills_what_to_do(env):
    at = page_as(env.user())
    no_exceptions(at)
    assert any("No paper fills in a closed candle yet" in c.value for c in at.caption)


def test_an_impossible_range_is_refused_with_a_message(env):
    at = page_as(env.user())
    at.date_input(key="bt_start").set_value(date(2023, 3, 10))
    at.date_input(key="bt_end").set_value(date(2023, 3, 10))
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert at.error and "end of the range must be after its start" in at.error[0].value


def test_paper_vs_backtest_explains_the_difference_in_numbers(env):
    import time
    from datetime import timedelta
    from decimal import Decimal

    from sim.market import Trade
    from tests.app.conftest import MARKET_TIME

    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quote_amount="1000")  # at 27000.10 + 1 bp, in the 12:00 candle
    later = MARKET_TIME + timedelta(hours=3)  # the market clock moves on: 12:00 and 13:00 close
    env.runtime.live.write(
        [Trade("BTCUSDT", 99, Decimal("27100"), Decimal("1"), later, False)], int(time.time() * 1000)
    )
    at = page_as(user)
    no_exceptions(at)
    paper = at.tabs[2]
    metrics = {m.label: m.value for m in paper.metric}
    assert set(metrics) == {"Backtest minus paper", "Fees", "Slippage and price", "Timing"}
    comparison = sim.paper_vs_backtest(user.id)
    totals = comparison.reconciliation.totals
    assert totals["replayed"] == 1 and comparison.pending == 0
    # the parts add up to the final equity difference exactly (Decimal)
    assert totals["fee"] + totals["price"] + totals["timing"] == totals["final_equity_difference"]
    assert metrics["Timing"] == f"{float(totals['timing']):,.4f}"
    lines = [m.value for m in paper.markdown]
    assert any(line.startswith("- Replayed 1 of 1 paper fills on 1h candles") for line in lines)
    assert any("Timing" in line and "next candle's open" in line for line in lines)
    (chart,) = paper.get("iframe")  # issue 18: not from 0, two distinct colours
    assert '"rangemode":"normal"' in chart.proto.srcdoc.replace(" ", "")
    assert "#f2a900" in chart.proto.srcdoc and "#29b6f6" in chart.proto.srcdoc


def test_the_xgboost_strategy_is_tested_out_of_sample_and_the_page_states_both_windows(env):
    at = page_as(env.user())
    at.selectbox(key="bt_strategy").set_value("forecast").run()
    assert at.number_input(key="bt_train_days").value == 365  # the default train window
    assert any("Walk-forward, out of sample" in c.value for c in at.caption)
    # too little history before the test window: refused with a message, nothing shown as a result
    at.date_input(key="bt_start").set_value(date(2021, 1, 1))
    at.date_input(key="bt_end").set_value(date(2021, 2, 1))
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert at.error and "Not enough history" in at.error[0].value
    assert "on or after 2021-10-03" in at.error[0].value and not at.tabs[0].subheader
    at.date_input(key="bt_start").set_value(date(2023, 3, 1))
    at.date_input(key="bt_end").set_value(date(2023, 4, 1))
    at.number_input(key="bt_train_days").set_value(90)
    at.button(key="bt_run").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    results = at.tabs[0]
    (windows,) = [i.value for i in results.info]
    assert windows.startswith("Trained on 2022-12-01 – 2023-03-01, tested on 2023-03-01 – 2023-04-01")
    assert "out of sample" in windows and not results.warning  # no in-sample warning
    stats = results.dataframe[0].value
    assert stats.loc["Start"].iloc[0] == "2023-03-01 00:00"  # the performance is the test window's
