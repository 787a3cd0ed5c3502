"""Every page renders for a signed-in user; the ticket places, refuses and cancels orders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.app.conftest import logged_in, no_exceptions

TRADING = "app_pages/trading.py"
PORTFOLIO = "app_pages/portfolio.py"


@pytest.mark.parametrize(
    ("page", "title"),
    [
        (None, "Dashboard"),
        ("app_pages/trading.py", "Trading"),
        ("app_pages/portfolio.py", "Portfolio"),
        ("app_pages/settings.py", "Settings"),
    ],
)
def test_each_page_renders(env, page, title):
    at = logged_in(env.user(), page)
    no_exceptions(at)
    assert [t.value for t in at.title] == [title]


def test_dashboard_shows_prices_changes_freshness_and_the_chart(env):
    user = env.user()
    env.runtime.sim.buy(user.id, "BTCUSDT", quote_amount="500")
    at = logged_in(user)
    metrics = {m.label: m for m in at.metric}
    assert set(metrics) == {"BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"} | {
        "Equity (USDT)",
        "Today's PnL (USDT)",
        "Open orders",
    }
    assert metrics["BTCUSDT"].value == "27,000.10"
    assert metrics["BTCUSDT"].delta.endswith("% 24h")  # from the last 24h of candles
    badges = [m.value for m in at.main.markdown if "-badge[" in m.value]
    assert sum(":green-badge[" in b and "live" in b for b in badges) == 5  # one per symbol
    assert any("feed live: 5/5 live" in m.value for m in at.sidebar.markdown)
    charts = at.get("iframe")
    assert len(charts) == 1
    assert '"your buys"' in charts[0].proto.srcdoc
    # a year of 1h candles is drawn in coarser buckets
    at.segmented_control(key="dash_range").set_value("1Y").run()
    no_exceptions(at)
    assert "buckets to stay under 1500 candles" in at.get("iframe")[0].proto.srcdoc


def ticket(at, **values):
    for key, value in values.items():
        widget = at.selectbox(key=key) if key in ("t_symbol", "t_type") else None
        if key == "t_mode":
            at.radio(key=key).set_value(value).run()
        elif key == "t_side":
            at.segmented_control(key=key).set_value(value).run()
        elif widget is not None:
            widget.set_value(value).run()
        else:
            at.text_input(key=key).input(value).run()
    return at


def test_market_buy_through_the_ticket_changes_the_portfolio(env):
    user = env.user()
    sim = env.runtime.sim
    at = logged_in(user, TRADING)
    ticket(at, t_mode="Quote amount (USDT)", t_quote="1000")
    no_exceptions(at)
    preview = {m.label: m.value for m in at.metric}
    assert preview["Price"] == "27,002.81"  # 27000.10 + 1 bp slippage, rounded up to the tick
    assert preview["Free USDT after"] == "99,000.17"
    assert preview["Quantity"] == "0.03699 BTC" and preview["Total"] == "999.83 USDT"
    assert sim.orders(user.id) == []  # a preview writes nothing
    at.button(key="t_place").click().run()
    no_exceptions(at)
    assert at.success[0].value.endswith("is filled, 0.03699 filled.")
    pv = sim.portfolio(user.id)
    (btc,) = pv.positions
    assert btc.symbol == "BTCUSDT" and btc.quantity == Decimal("0.03699")
    assert pv.cash_free == Decimal("100000") - Decimal("999.83277585")
    at.switch_page(PORTFOLIO).run()
    no_exceptions(at)
    holdings = at.dataframe[0].value
    assert list(holdings["Symbol"]) == ["BTCUSDT"]
    assert holdings["Quantity"].iloc[0] == "0.03699"  # at BTCUSDT's step size
    assert len(at.get("iframe")) == 2  # allocation and equity curve


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"t_qty": "0.000001"}, "too many decimals"),
        ({"t_mode": "Quote amount (USDT)", "t_quote": "1000000"}, "Not enough free USDT"),
        ({"t_side": "SELL", "t_qty": "0.01"}, "Not enough free BTC"),
    ],
)
def test_a_refused_order_shows_its_error_and_changes_nothing(env, fields, message):
    user = env.user()
    sim = env.runtime.sim
    at = logged_in(user, TRADING)
    ticket(at, **fields)
    assert message in at.warning[0].value  # the preview says so before submitting
    assert at.button(key="t_place").disabled  # and the order cannot be placed
    no_exceptions(at)
    assert sim.orders(user.id) == [] and sim.trades(user.id) == []
    assert sim.portfolio(user.id).cash_free == Decimal("100000")


def test_limit_order_rests_then_cancel_releases_the_cash(env):
    user = env.user()
    sim = env.runtime.sim
    at = logged_in(user, TRADING)
    ticket(at, t_type="LIMIT", t_qty="0.01", t_price="25000")
    assert "While it rests the order locks 250.25 USDT." in [c.value for c in at.caption]
    at.button(key="t_place").click().run()
    (order,) = sim.orders(user.id, "open")
    assert sim.portfolio(user.id).cash_locked == Decimal("250.25")
    at.button(key=f"cancel_{order.id}").click().run()
    no_exceptions(at)
    assert sim.order(user.id, order.id).status == "CANCELED"
    assert sim.portfolio(user.id).cash_locked == 0
    assert f"Order {order.id} canceled." in [i.value for i in at.info]
    assert not [b for b in at.button if b.key == f"cancel_{order.id}"]


def test_oco_and_stop_orders_through_the_ticket(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quantity="0.02")
    at = logged_in(user, TRADING)
    ticket(at, t_side="SELL", t_type="OCO", t_qty="0.02", t_tp="30000", t_sl="25000")
    at.button(key="t_place").click().run()
    no_exceptions(at)
    assert at.success[0].value.startswith("OCO placed")
    assert sorted(o.type for o in sim.orders(user.id, "open")) == ["STOP_LOSS", "TAKE_PROFIT"]
    ticket(at, t_side="BUY", t_type="STOP_LOSS", t_qty="0.01", t_stop="26000")
    assert "would trigger immediately" in at.warning[0].value
    assert at.button(key="t_place").disabled


def test_a_fill_of_a_resting_order_shows_as_a_toast(env):
    user = env.user()
    sim = env.runtime.sim
    order = sim.buy(user.id, "BTCUSDT", "0.01", price="26500")
    at = logged_in(user, PORTFOLIO)
    assert not at.toast
    env.trade("BTCUSDT", "26400")  # goes through the limit: the matcher fills it
    assert sim.order(user.id, order.id).status == "FILLED"
    at.run()
    no_exceptions(at)
    assert [t.value for t in at.toast] == ["Your limit buy of 0.01 BTCUSDT filled at 26,500.00."]
    at.run()
    assert not at.toast  # shown once


def test_users_see_only_their_own_account(env):
    alice, bob = env.user("alice"), env.user("bob")
    sim = env.runtime.sim
    sim.buy(alice.id, "ETHUSDT", "1")
    sim.buy(alice.id, "BTCUSDT", "0.01", price="20000")
    at = logged_in(bob, PORTFOLIO)
    assert "No holdings yet" in " ".join(c.value for c in at.caption)
    at.switch_page(TRADING).run()
    assert "No open orders." in [c.value for c in at.caption]
    assert "No trades yet." in [c.value for c in at.caption]


def test_settings_costs_and_reset(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", "0.01", price="20000")
    at = logged_in(user, "app_pages/settings.py")
    at.number_input(key="s_taker").set_value(0.2)
    at.number_input(key="s_slip").set_value(5.0)
    at.button(key="FormSubmitter:prefs_form-Save costs").click().run()
    no_exceptions(at)
    prefs = sim.preferences(user.id)
    assert prefs["taker_fee"] == Decimal("0.002") and prefs["slippage_bps"] == Decimal("5")
    assert at.button(key="s_reset").disabled
    at.checkbox(key="s_reset_confirm").check().run()
    at.button(key="s_reset").click().run()
    no_exceptions(at)
    assert sim.orders(user.id, "open") == []
    assert sim.portfolio(user.id).cash == Decimal("100000")
    assert len(sim.accounts(user.id)) == 2


def test_profile_display_name(env):
    user = env.user()
    at = logged_in(user, "app_pages/settings.py")
    at.text_input(key="s_display").input("Alice <3")
    at.button(key="FormSubmitter:profile_form-Save profile").click().run()
    assert "may not contain" in at.error[0].value
    at.text_input(key="s_display").input("Alice Liddell")
    at.button(key="FormSubmitter:profile_form-Save profile").click().run()
    assert env.runtime.sim.me(user.id).display_name == "Alice Liddell"


def test_settings_webhook_refuses_a_private_address_then_saves_and_shows_the_delivery_log(env):
    user = env.user()
    sim = env.runtime.sim
    at = logged_in(user, "app_pages/settings.py")
    at.text_input(key="s_hook_url").input("http://127.0.0.1:8080/steal")
    at.button(key="FormSubmitter:webhook_form-Save webhook").click().run()
    assert "private network" in at.error[0].value and sim.webhook(user.id) is None
    at.text_input(key="s_hook_url").input("https://hooks.example.com/T1/B2")
    at.selectbox(key="s_hook_format").set_value("slack")
    at.button(key="FormSubmitter:webhook_form-Save webhook").click().run()
    assert sim.webhook(user.id)["format"] == "slack"
    sim.buy(user.id, "BTCUSDT", quantity="0.01")
    sent = []
    assert sim.send_notifications(post=lambda url, body, key: sent.append(key) or (200, "")).delivered == 1
    at.run()
    log = at.dataframe[0].value  # the only table on Settings
    assert list(log["Status"]) == ["Delivered"] and list(log["Key"]) == sent
    assert log["Market time"][0].startswith("2023-06-01 12:00")  # the fill's market time, not 2026
    at.button(key="s_hook_remove").click().run()
    assert sim.webhook(user.id) is None
