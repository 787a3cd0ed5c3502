"""The notebook API on SQLite and PostgreSQL: what users do, and what they must not be able to do."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from sim.adapters.ledger.tables import users
from sim.domain.errors import (
    AuthError,
    IllegalTransition,
    InsufficientFunds,
    InvalidInput,
    NotFound,
    OrderRejected,
    StalePrice,
    UnknownSymbol,
)
from sim.services import Simulator
from tests.integration.conftest import Driver, snapshot

D = Decimal
FEE = D("0.001")


def test_market_buy_and_sell_exact_cash(env: tuple[Simulator, Driver]) -> None:
    sim, drv = env
    u = sim.register("alice", "correct horse")
    buy = sim.buy(u.id, "BTCUSDT", "0.5")
    assert buy.status == "FILLED" and buy.avg_fill_price == D("40000")
    drv.trade("BTCUSDT", "45500.00")
    sell = sim.sell(u.id, "BTCUSDT", "0.5")
    assert sell.fills[0].price == D("45500")
    pf = sim.portfolio(u.id)
    cost = D("0.5") * D("40000") * (1 + FEE)
    proceeds = D("0.5") * D("45500") * (1 - FEE)  # 22,727.25
    assert proceeds == D("22727.25")
    assert pf.cash_free == D("100000") - cost + proceeds
    assert pf.realized_pnl == proceeds - cost


def test_limit_rests_locks_and_fills_at_its_price_as_maker(env: tuple[Simulator, Driver]) -> None:
    sim, drv = env
    u = sim.register("bob", "correct horse")
    o = sim.buy(u.id, "ETHUSDT", "1", price="1900")
    assert o.status == "OPEN" and o.locked_cash == D("1900") * (1 + FEE)
    assert sim.portfolio(u.id).cash_free == D("100000") - D("1900") * (1 + FEE)
    assert drv.trade("ETHUSDT", "1900.00") == 0  # touching is not crossing
    assert drv.trade("ETHUSDT", "1899.99") == 1
    filled = sim.order(u.id, o.id)
    assert filled.status == "FILLED" and filled.fills[0].price == D("1900")
    assert filled.fills[0].liquidity == "maker"
    assert drv.trade("ETHUSDT", "1899.98") == 0  # exactly once
    pf = sim.portfolio(u.id)
    assert pf.cash_locked == 0 and pf.cash_free == D("100000") - D("1900") * (1 + FEE)
    assert [f.id for f in sim.unseen_fills(u.id)] == [o.id]
    assert sim.unseen_fills(u.id) == []


def test_cancel_releases_the_lock(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("carol", "correct horse")
    o = sim.buy(u.id, "BTCUSDT", "0.1", price="30000")
    sim.cancel(u.id, o.id)
    pf = sim.portfolio(u.id)
    assert (pf.cash_free, pf.cash_locked) == (D("100000"), 0)
    with pytest.raises(IllegalTransition, match="already canceled"):
        sim.cancel(u.id, o.id)


def test_stop_loss_and_oco(env: tuple[Simulator, Driver]) -> None:
    sim, drv = env
    u = sim.register("dave", "correct horse")
    sim.buy(u.id, "SOLUSDT", "10")
    tp, sl = sim.place_oco(u.id, "SOLUSDT", "SELL", "10", take_profit="120", stop_loss="90")
    assert sim.portfolio(u.id).positions[0].qty_locked == D("10")
    drv.trade("SOLUSDT", "95.00")
    assert drv.trade("SOLUSDT", "89.50") == 1
    assert sim.order(u.id, sl.id).status == "FILLED"
    assert sim.order(u.id, sl.id).fills[0].price == D("89.50")  # market at the trigger trade
    assert sim.order(u.id, tp.id).status == "CANCELED"
    pos = sim.portfolio(u.id).positions[0]
    assert pos.quantity == 0 and pos.qty_locked == 0


def test_stop_that_would_trigger_now_is_refused(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("erin", "correct horse")
    sim.buy(u.id, "BTCUSDT", "0.01")
    with pytest.raises(OrderRejected, match="would trigger immediately"):
        sim.place_order(u.id, "BTCUSDT", "SELL", "STOP_LOSS", quantity="0.01", stop_price="41000")


def test_client_order_id_applies_once(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("frank", "correct horse")
    a = sim.buy(u.id, "BTCUSDT", "0.01", client_order_id="retry-1")
    b = sim.buy(u.id, "BTCUSDT", "0.01", client_order_id="retry-1")
    assert a.id == b.id and len(sim.trades(u.id)) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"quantity": "NaN"}, InvalidInput, "finite"),
        ({"quantity": "inf"}, InvalidInput, "finite"),
        ({"quantity": "-1"}, InvalidInput, "greater than zero"),
        ({"quantity": "0"}, InvalidInput, "greater than zero"),
        ({"quantity": "1e-2"}, InvalidInput, "exponent"),
        ({"quantity": "0.000001"}, InvalidInput, "too many decimals"),
        ({"quantity": "0.0001"}, OrderRejected, "below the minimum of 5"),
        ({"quantity": "3"}, InsufficientFunds, "Not enough free USDT"),
        ({"quantity": "0.01", "price": "30000.001"}, InvalidInput, "price grid"),
        ({"quantity": "3", "price": "39000"}, InsufficientFunds, "Not enough free USDT"),
    ],
)
def test_refused_buys_change_nothing(
    env: tuple[Simulator, Driver], kwargs: dict[str, str], error: type[Exception], fragment: str
) -> None:
    sim, _ = env
    u = sim.register("grace", "correct horse")
    before = snapshot(sim)
    with pytest.raises(error, match=fragment):
        sim.buy(u.id, "BTCUSDT", **kwargs)  # type: ignore[arg-type]
    assert snapshot(sim) == before


def test_other_refusals_change_nothing(env: tuple[Simulator, Driver]) -> None:
    sim, drv = env
    u = sim.register("heidi", "correct horse")
    other = sim.register("ivan", "correct horse")
    theirs = sim.buy(other.id, "BTCUSDT", "0.01", price="30000")
    filled = sim.buy(u.id, "BTCUSDT", "0.01")
    before = snapshot(sim)
    with pytest.raises(UnknownSymbol, match="Unknown symbol 'DOGEUSDT'"):
        sim.buy(u.id, "DOGEUSDT", "1")
    with pytest.raises(InsufficientFunds, match="Not enough free ETH"):
        sim.sell(u.id, "ETHUSDT", "1")
    with pytest.raises(NotFound, match=f"no order {theirs.id}"):
        sim.cancel(u.id, theirs.id)
    with pytest.raises(IllegalTransition, match="already filled"):
        sim.cancel(u.id, filled.id)
    drv.clock[0] += timedelta(seconds=sim.settings.max_price_age_seconds + 5)
    with pytest.raises(StalePrice, match="feed looks stale"):
        sim.buy(u.id, "BTCUSDT", "0.01")
    assert snapshot(sim) == before


def test_no_price_yet_refuses_market_orders(ledger_url: str) -> None:
    from tests.integration.conftest import open_sim

    sim, _ = open_sim(ledger_url, symbols=("BTCUSDT",))
    sim.market._ticks.clear()  # type: ignore[attr-defined]
    u = sim.register("judy", "correct horse")
    with pytest.raises(StalePrice, match="no market price for BTCUSDT yet"):
        sim.buy(u.id, "BTCUSDT", "0.01")
    sim.close()


def test_reset_keeps_old_history_labelled(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("mallory", "correct horse")
    sim.buy(u.id, "BTCUSDT", "0.01")
    sim.buy(u.id, "BTCUSDT", "0.01", price="30000")
    pf = sim.reset(u.id)
    assert pf.cash_free == D("100000") and pf.positions == ()
    assert sim.trades(u.id) == [] and len(sim.trades(u.id, all_accounts=True)) == 1
    old = [a for a in sim.accounts(u.id) if not a["active"]]
    assert len(old) == 1 and old[0]["label"].startswith("run 1")


def test_users_rules_and_hashes(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    with pytest.raises(InvalidInput, match="may only contain letters"):
        sim.register("<b>bob</b>", "correct horse")
    with pytest.raises(InvalidInput, match="at least 8"):
        sim.register("shortpw", "short")
    u = sim.register("Olivia", "correct horse")
    with pytest.raises(InvalidInput, match="taken"):
        sim.register("olivia", "another pass")
    with sim.engine.connect() as conn:
        digest = conn.execute(select(users.c.password_hash).where(users.c.id == u.id)).scalar_one()
    assert digest.startswith("$2") and "correct horse" not in digest
    assert sim.authenticate("OLIVIA", "correct horse").id == u.id
    with pytest.raises(AuthError, match="Wrong username or password"):
        sim.authenticate("olivia", "wrong password")
    # wrong passwords slow further tries instead of locking: tests/integration/test_logins.py
