"""Races settled by the database: 50 threads released together, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

from sim.domain.errors import InsufficientFunds
from sim.services import Simulator
from tests.integration.conftest import open_sim

D = Decimal
THREADS = 50


def race(n: int, action: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(n)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            r = action(i)
            with lock:
                results.append(r)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def replayed_cash(sim: Simulator, user_id: int) -> Decimal:
    cash = sim.settings.starting_balance
    for f in sim.trades(user_id):
        cash += -(f.total_amount + f.fee) if f.side == "BUY" else f.total_amount - f.fee
    return cash


def test_fifty_threads_cannot_spend_the_same_cash(ledger_url: str) -> None:
    # 100,000 USDT buys 12 orders of 0.2 BTC at 40,000 (8,008 each with the fee), not 13.
    sim, _ = open_sim(ledger_url)
    u = sim.register("racer", "correct horse")
    results, errors = race(THREADS, lambda i: sim.buy(u.id, "BTCUSDT", "0.2"))
    cost = D("0.2") * D("40000") * (1 + D("0.001"))
    affordable = int(D("100000") // cost)
    assert len(results) == affordable == 12
    assert len(errors) == THREADS - affordable
    assert all(isinstance(e, InsufficientFunds) for e in errors), errors[:3]
    pf = sim.portfolio(u.id)
    assert pf.cash_free == D("100000") - affordable * cost == replayed_cash(sim, u.id)
    assert pf.cash_free >= 0 and pf.positions[0].quantity == affordable * D("0.2")
    sim.close()


def test_fifty_threads_cannot_sell_the_same_coin_twice(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    u = sim.register("seller", "correct horse")
    sim.buy(u.id, "ETHUSDT", "1")
    results, errors = race(THREADS, lambda i: sim.sell(u.id, "ETHUSDT", "0.1"))
    assert len(results) == 10 and len(errors) == THREADS - 10
    assert all(isinstance(e, InsufficientFunds) for e in errors)
    pf = sim.portfolio(u.id)
    assert pf.positions[0].quantity == 0
    assert pf.cash_free == replayed_cash(sim, u.id)
    sim.close()


def test_same_client_order_id_from_ten_threads_makes_one_transaction(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    u = sim.register("retrier", "correct horse")
    results, errors = race(10, lambda i: sim.buy(u.id, "BTCUSDT", "0.01", client_order_id="click-42").id)
    assert errors == [] and len(set(results)) == 1
    assert len(sim.trades(u.id)) == 1
    sim.close()


def test_matcher_and_user_race_on_one_resting_order(ledger_url: str) -> None:
    """A tick delivered many times at once while the user cancels: exactly one outcome."""
    sim, drv = open_sim(ledger_url)
    u = sim.register("matchy", "correct horse")
    o = sim.buy(u.id, "BTCUSDT", "0.1", price="39000")

    def act(i: int) -> object:
        if i == 0:
            try:
                return sim.cancel(u.id, o.id)
            except Exception as exc:
                return exc
        return sim.match("BTCUSDT", D("38999.99"), drv.clock[0])

    race(12, act)
    final = sim.order(u.id, o.id)
    assert final.status in ("FILLED", "CANCELED")
    assert len(sim.trades(u.id)) == (1 if final.status == "FILLED" else 0)
    pf = sim.portfolio(u.id)
    assert pf.cash_locked == 0 and pf.cash_free == replayed_cash(sim, u.id)
    sim.close()
