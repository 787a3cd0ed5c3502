"""Issue 18, the app as a trader uses it: onboarding, the order ticket, tables (AppTest).

The browser checks of the same points are in ``tests/browser/test_walkthrough_browser.py``.
"""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import logged_in, login, new_app, no_exceptions
from tests.app.test_pages import PORTFOLIO, TRADING, ticket

SNAKE = re.compile(r"^[a-z]+(_[a-z]+)+$")


def headers(at) -> list[str]:
    return [str(c) for df in at.dataframe for c in df.value.columns]


def test_a_failed_login_empties_the_password_field(env):
    env.user("dave")
    at = login(new_app().run(), "dave", "not the password")
    no_exceptions(at)
    assert at.error and at.text_input(key="login_password").value == ""


def test_the_ticket_resets_after_placing_and_a_second_click_cannot_place_again(env):
    user = env.user()
    sim = env.runtime.sim
    at = logged_in(user, TRADING)
    ticket(at, t_type="LIMIT", t_qty="0.01", t_price="25000")
    assert [m.label for m in at.metric][:2] == ["Price", "Quantity"]
    at.button(key="t_place").click().run()
    no_exceptions(at)
    assert len(sim.orders(user.id, "open")) == 1
    assert at.success[0].value.startswith("Order ")
    assert at.text_input(key="t_qty").value == "" and at.text_input(key="t_price").value == ""
    assert not [m for m in at.metric if m.label == "Price"]  # the preview went
    assert at.button(key="t_place").disabled
    at.run()
    assert len(sim.orders(user.id, "open")) == 1


def test_the_oco_preview_shows_both_legs_with_formatted_amounts(env):
    user = env.user()
    env.runtime.sim.buy(user.id, "BTCUSDT", quantity="0.02")
    at = logged_in(user, TRADING)
    ticket(at, t_side="SELL", t_type="OCO", t_qty="0.02", t_tp="30000", t_sl="25000")
    no_exceptions(at)
    legs = [m.value for m in at.markdown if "leg**" in m.value]
    assert len(legs) == 2 and "Take-profit" in legs[0] and "Stop-loss" in legs[1]
    prices = [m.value for m in at.metric if m.label == "Price"]
    assert prices == ["30,000.00", "25,000.00"]
    proceeds = [m.value for m in at.metric if m.label == "Proceeds"]
    assert proceeds == ["599.40 USDT", "499.50 USDT"]  # 0.02 x price less the 0.1% taker fee
    assert "While it rests the order locks 0.02000 BTC." in [c.value for c in at.caption]


def test_tables_have_human_headers_formatted_numbers_and_the_portfolio_lists_open_orders(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "ETHUSDT", quantity="0.5")
    sim.buy(user.id, "BTCUSDT", "0.01", price="20000")
    at = logged_in(user, TRADING)
    no_exceptions(at)
    assert headers(at) and not [h for h in headers(at) if SNAKE.match(h)], headers(at)
    trades = at.dataframe[-1].value
    assert "Time (UTC)" in trades.columns and not trades["Time (UTC)"].str.contains(r"\+00:00").any()
    assert trades["Price"].iloc[0] == "1,900.45"  # ETHUSDT's tick 0.01, not 1900.4400
    assert trades["Quantity"].iloc[0] == "0.5000"  # its step 0.0001
    cells = [m.value for m in at.markdown]
    assert "**Limit / stop**" in cells and ":green[Buy]" in cells and "Limit" in cells
    at.switch_page(PORTFOLIO).run()
    no_exceptions(at)
    assert not [h for h in headers(at) if SNAKE.match(h)], headers(at)
    orders = at.dataframe[1].value
    assert list(orders["Type"]) == ["Limit"] and list(orders["Limit / stop"]) == ["20,000.00"]


def test_holding_btc_instead_starts_at_the_first_trade(env):
    user = env.user()
    at = logged_in(user, PORTFOLIO)
    no_exceptions(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Holding BTC instead"] == "-"
    assert any("starts at your first trade" in c.value for c in at.caption)


def test_the_dashboard_sums_up_the_account_and_names_candle_size_and_period_apart(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quote_amount="500")
    sim.buy(user.id, "ETHUSDT", "0.1", price="1000")
    at = logged_in(user)
    no_exceptions(at)
    metrics = {m.label: m.value for m in at.metric}
    equity = float(metrics["Equity (USDT)"].replace(",", ""))
    today = float(metrics["Today's PnL (USDT)"].replace(",", ""))
    assert today == pytest.approx(equity - 100_000, abs=0.011)  # the first trade was today
    assert metrics["Open orders"] == "1"
    assert at.segmented_control(key="dash_interval").label == "Candle size"
    assert at.segmented_control(key="dash_range").label == "Period shown"
    assert at.segmented_control(key="dash_range").format_func("1D") == "Day"
    assert at.segmented_control(key="dash_interval").format_func("1d") == "1 day"
