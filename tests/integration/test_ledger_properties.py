"""Property test: random sequences of orders, ticks and cancels never break the ledger's invariants.

After every step: cash >= 0 and quantities >= 0; free + locked = total; locked cash and locked
quantity equal what the resting orders hold; cash and positions equal a replay of the transactions
table from the starting balance.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sim.adapters.ledger.tables import orders, positions
from sim.domain.errors import SimError
from sim.services import Simulator
from tests.integration.conftest import Driver, open_sim

D = Decimal
SYMBOLS = ["BTCUSDT", "ETHUSDT"]
PRICE = {"BTCUSDT": D("40000.00"), "ETHUSDT": D("2000.00")}
QTY = {"BTCUSDT": D("0.00001"), "ETHUSDT": D("0.0001")}

symbol = st.sampled_from(SYMBOLS)
steps = st.integers(min_value=10, max_value=2_500)  # quantity in steps of the lot size
offset = st.integers(min_value=-800, max_value=800)  # price offset in basis points
op = st.one_of(
    st.tuples(st.just("market"), st.sampled_from(["BUY", "SELL"]), symbol, steps),
    st.tuples(st.just("limit"), st.sampled_from(["BUY", "SELL"]), symbol, steps, offset),
    st.tuples(st.just("stop"), st.sampled_from(["BUY", "SELL"]), symbol, steps, offset),
    st.tuples(st.just("oco"), symbol, steps, st.integers(1, 500), st.integers(1, 500)),
    st.tuples(st.just("tick"), symbol, offset),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
)


def price_at(sym: str, bps: int) -> Decimal:
    return (PRICE[sym] * (1 + D(bps) / 10000)).quantize(D("0.01"))


def apply(sim: Simulator, drv: Driver, uid: int, step: tuple) -> None:  # type: ignore[type-arg]
    kind = step[0]
    if kind == "market":
        _, side, sym, n = step
        sim.place_order(uid, sym, side, "MARKET", quantity=QTY[sym] * n)
    elif kind == "limit":
        _, side, sym, n, bps = step
        sim.place_order(uid, sym, side, "LIMIT", quantity=QTY[sym] * n, price=price_at(sym, bps))
    elif kind == "stop":
        _, side, sym, n, bps = step
        kind_name = "STOP_LOSS" if (side == "SELL") == (bps < 0) else "TAKE_PROFIT"
        sim.place_order(uid, sym, side, kind_name, quantity=QTY[sym] * n, stop_price=price_at(sym, bps))
    elif kind == "oco":
        _, sym, n, up, down = step
        sim.place_oco(
            uid,
            sym,
            "SELL",
            QTY[sym] * n,
            take_profit=price_at(sym, up),
            stop_loss=price_at(sym, -down),
        )
    elif kind == "tick":
        _, sym, bps = step
        drv.trade(sym, str(price_at(sym, bps)))
    else:
        open_orders = sim.orders(uid, "open")
        if open_orders:
            sim.cancel(uid, open_orders[step[1] % len(open_orders)].id)


def check_invariants(sim: Simulator, uid: int) -> None:
    pf = sim.portfolio(uid)
    assert pf.cash_free >= 0 and pf.cash_locked >= 0
    fills = sim.trades(uid)
    cash = sim.settings.starting_balance
    qty: dict[str, Decimal] = {}
    for f in fills:
        sign = 1 if f.side == "BUY" else -1
        cash -= sign * f.total_amount + f.fee
        qty[f.symbol] = qty.get(f.symbol, D(0)) + sign * f.quantity
    assert pf.cash == cash
    with sim.engine.connect() as conn:
        rows = conn.execute(select(positions).where(positions.c.account_id == pf.account_id)).all()
        resting = conn.execute(
            select(orders).where(
                orders.c.account_id == pf.account_id,
                orders.c.status.in_(["OPEN", "PARTIALLY_FILLED"]),
            )
        ).all()
    assert pf.cash_locked == sum((o.locked_cash for o in resting), D(0))
    for r in rows:
        assert r.qty_free >= 0 and r.qty_locked >= 0
        assert r.qty_free + r.qty_locked == qty.get(r.symbol, D(0))
        assert r.qty_locked == sum((o.locked_qty for o in resting if o.symbol == r.symbol), D(0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=25))
def test_random_sequences_keep_the_ledger_exact(tmp_path: Path, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    import uuid

    sim, drv = open_sim(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}", starting_balance=D("1000"))
    try:
        uid = sim.register("prop", "correct horse").id
        opening = [("market", "BUY", "BTCUSDT", 500), ("market", "BUY", "ETHUSDT", 1000)]
        for step in opening + ops:
            try:
                apply(sim, drv, uid, step)
                event(f"{step[0]} accepted")
            except SimError as exc:
                event(
                    f"{step[0]} refused: {type(exc).__name__}"
                )  # refused: the invariants below prove it changed nothing wrong
            check_invariants(sim, uid)
        event(f"fills per example: {min(len(sim.trades(uid)), 5)}+")
    finally:
        sim.close()
