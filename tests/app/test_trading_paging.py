"""The Trading page pages its open orders and trades through orders_page / trades_page."""

from __future__ import annotations

from typing import Any

from tests.app.conftest import logged_in, no_exceptions

TRADING = "app_pages/trading.py"


def cancel_buttons(at: Any) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith("cancel_")}


def test_open_orders_come_fifty_at_a_time_with_older_and_newer(env: Any) -> None:
    user = env.user("pager")
    sim = env.runtime.sim
    ids = [sim.buy(user.id, "XRPUSDT", "20", price="0.4000").id for _ in range(60)]
    at = logged_in(user, TRADING)
    no_exceptions(at)
    newest = {f"cancel_{i}" for i in ids[-50:]}
    assert cancel_buttons(at) == newest
    at.button(key="_paging_open_orders_older").click().run()
    no_exceptions(at)
    assert cancel_buttons(at) == {f"cancel_{i}" for i in ids[:10]}
    at.button(key="_paging_open_orders_newer").click().run()
    assert cancel_buttons(at) == newest
