"""Resets under concurrency (issue 14, item 10): 8 threads released together.

Before: of 8 concurrent resets on PostgreSQL 2 succeeded and 6 got "User N has no active
account."; 6 of 10 buys racing one reset got the same; the archived account kept the cash its
canceled order had locked. Now every reset and every order lands in the old account or a new one.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from sim.adapters.ledger.tables import accounts, positions
from sim.domain.errors import NotFound
from tests.integration.conftest import open_sim
from tests.integration.test_concurrency import race

D = Decimal
THREADS = 8


def test_eight_concurrent_resets_all_succeed(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    u = sim.register("resetter", "correct horse")
    results, errors = race(THREADS, lambda i: sim.reset(u.id))
    assert errors == [] and len(results) == THREADS
    rows = sim.accounts(u.id)
    assert len(rows) == THREADS + 1 and sum(r["active"] for r in rows) == 1
    assert sim.portfolio(u.id).cash_free == D("100000")
    sim.close()


def test_orders_racing_resets_land_in_one_account_or_the_other(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    u = sim.register("racer2", "correct horse")
    sim.buy(u.id, "ETHUSDT", "0.01", price="1000")  # a resting order for the reset to cancel

    def act(i: int) -> object:
        if i % 4 == 0:
            return sim.reset(u.id)
        return sim.buy(u.id, "BTCUSDT", "0.01")

    results, errors = race(THREADS, act)
    assert errors == [], errors[:3]
    assert len(results) == THREADS
    # every buy is in some account of the user, and the accounts add up
    fills = sim.trades(u.id, all_accounts=True)
    assert len(fills) == THREADS - THREADS // 4
    assert {f.account_id for f in fills} <= {a["id"] for a in sim.accounts(u.id)}
    sim.close()


def test_an_archived_account_holds_nothing_locked(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    u = sim.register("locker", "correct horse")
    sim.buy(u.id, "ETHUSDT", "1")
    sim.buy(u.id, "BTCUSDT", "0.0025", price="39000")  # rests below the market, locking cash
    sim.sell(u.id, "ETHUSDT", "0.5", price="2500")  # locks 0.5 ETH
    old = sim.portfolio(u.id)
    assert old.cash_locked == D("0.0025") * D("39000") * (1 + D("0.001"))
    sim.reset(u.id)
    with sim.engine.connect() as conn:
        archived = conn.execute(select(accounts).where(accounts.c.id == old.account_id)).one()
        held = conn.execute(select(positions).where(positions.c.account_id == old.account_id)).all()
    assert not archived.active and archived.cash_locked == 0
    assert archived.cash_free == old.cash_free + old.cash_locked
    assert [(p.symbol, p.qty_free, p.qty_locked) for p in held] == [("ETHUSDT", D("1"), D("0"))]
    assert [o.status for o in sim.orders_page(u.id).items] == []  # the new account is empty
    sim.close()


def test_a_user_without_an_account_is_still_not_found(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    try:
        sim.reset(424242)
    except NotFound as exc:
        assert "no active account" in str(exc)
    else:
        raise AssertionError("reset of an unknown user went through")
    sim.close()
