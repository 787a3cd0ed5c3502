"""The order ticket offers trailing stops (issue 15): a preview of the stop level as it would
start, the open-orders row following the market, and an OCO with a trailing-stop leg."""

from __future__ import annotations

from decimal import Decimal

from tests.app.conftest import logged_in, no_exceptions
from tests.app.test_pages import TRADING, ticket

D = Decimal


def test_a_trailing_stop_through_the_ticket_previews_places_and_follows_the_market(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quantity="0.02")
    at = logged_in(user, TRADING)
    ticket(at, t_side="SELL", t_type="TRAILING_STOP", t_qty="0.02", t_delta="150")
    no_exceptions(at)
    preview = {m.label: m.value for m in at.metric}
    level = D("27000.10") * (1 - D(150) / 10_000)  # 26,595.0985 from the last price
    assert preview["Stop level now"] == f"{level:,.2f}" == "26,595.10"
    assert "While it rests the order locks 0.02000 BTC." in [c.value for c in at.caption]
    assert any("follows the best price traded after it is placed" in c.value for c in at.caption)
    assert sim.orders(user.id, "open") == []  # a preview writes nothing
    at.button(key="t_place").click().run()
    no_exceptions(at)
    (order,) = sim.orders(user.id, "open")
    assert (order.type, order.trailing_delta, at.success[0].value) == (
        "TRAILING_STOP",
        150,
        f"Order {order.id} is open.",
    )
    assert "stop 26,595.10 (trails 1.5%)" in [m.value for m in at.markdown]
    env.trade("BTCUSDT", "28000")  # a new high: the stop follows it
    at.run()
    assert f"stop {D(28000) * D('0.985'):,.2f} (trails 1.5%)" == "stop 27,580.00 (trails 1.5%)"
    assert "stop 27,580.00 (trails 1.5%)" in [m.value for m in at.markdown]
    env.trade("BTCUSDT", "27580")
    assert sim.order(user.id, order.id).status == "FILLED"


def test_an_activation_price_and_an_oco_with_a_trailing_leg(env):
    user = env.user()
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quantity="0.02")
    at = logged_in(user, TRADING)
    ticket(at, t_side="SELL", t_type="TRAILING_STOP", t_qty="0.02", t_delta="150", t_act="29000")
    assert {m.label: m.value for m in at.metric}["Activation price"] == "29,000.00"
    ticket(at, t_act="26000")
    assert "activation price 26000 is already reached" in at.warning[0].value
    assert at.button(key="t_place").disabled
    ticket(at, t_type="OCO_TRAILING", t_qty="0.02", t_tp="30000", t_delta="200", t_act="")
    no_exceptions(at)
    assert "Trailing-stop leg" in "".join(m.value for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Stop level now"] == "26,460.10"  # 27000.10 x 0.98
    at.button(key="t_place").click().run()
    no_exceptions(at)
    assert at.success[0].value.startswith("OCO placed")
    assert sorted(o.type for o in sim.orders(user.id, "open")) == ["TAKE_PROFIT", "TRAILING_STOP"]
