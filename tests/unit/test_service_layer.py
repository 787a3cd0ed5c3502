"""The use cases on an in-memory unit of work: no database, the same service code.

The ledger is :class:`sim.service_layer.memory_uow.InMemoryLedger`; the market an
:class:`InMemoryMarket` whose reads fail while an account row is locked (the service reads the
market first, then locks). Expected values are written as formulas from the settings' defaults.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim import pagination
from sim.adapters.market import InMemoryMarket
from sim.bootstrap import load_instruments
from sim.domain.errors import IllegalTransition, InsufficientFunds
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.fills import Book, Tick
from sim.domain.orders import OrderStatus, make_request
from sim.domain.values import fee_amount
from sim.service_layer import accounts, matching, orders
from sim.service_layer.context import ServiceContext
from sim.service_layer.memory_uow import InMemoryLedger
from sim.settings import Settings

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


class LockCheckedMarket(InMemoryMarket):
    """A market that refuses to be read while the ledger holds an account lock."""

    def __init__(self, ledger: InMemoryLedger) -> None:
        super().__init__()
        self.ledger = ledger

    def last(self, symbol: str) -> Tick | None:
        assert not self.ledger.account_locked, "market read while the account row is locked"
        return super().last(symbol)

    def book(self, symbol: str) -> Book | None:
        assert not self.ledger.account_locked, "market read while the account row is locked"
        return super().book(symbol)


@pytest.fixture
def world() -> tuple[ServiceContext, InMemoryLedger, list[OrderEvent | FillEvent], int]:
    settings = Settings()
    ledger = InMemoryLedger()
    market = LockCheckedMarket(ledger)
    market.update(Tick("BTCUSDT", Decimal("40000"), T0))
    now = [T0]
    ctx = ServiceContext(settings, load_instruments(settings), market, lambda: now[0], uow=ledger.uow)
    events: list[OrderEvent | FillEvent] = []
    ctx.listeners.append(events.append)
    uid = ledger.add_user("alice", settings.starting_balance, T0)
    return ctx, ledger, events, uid


def test_a_market_buy_fills_at_the_last_price_plus_slippage_and_publishes_after_commit(world) -> None:
    ctx, ledger, events, uid = world
    s = ctx.settings
    btc = ctx.instruments["BTCUSDT"]
    view = orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.01"))
    assert view.status == OrderStatus.FILLED
    fill_price = view.avg_fill_price
    assert fill_price is not None and fill_price >= Decimal("40000")  # slippage only makes it worse
    assert fill_price <= Decimal("40000") * (1 + s.slippage_bps / 10_000) + btc.tick_size
    notional = fill_price * Decimal("0.01")
    fee = view.fee_total
    assert fee == fee_amount(notional, s.taker_fee)
    pf = accounts.portfolio(ctx, uid)
    assert pf.cash_free == s.starting_balance - notional - fee
    assert [p.quantity for p in pf.positions] == [Decimal("0.01")]
    assert [type(e) for e in events] == [FillEvent, OrderEvent]  # published once committed
    assert ledger.tables.orders[view.id].status == "FILLED"
    assert [f.order_id for f in pagination.all_trades(ctx, uid, False)] == [view.id]
    assert [o.id for o in pagination.orders_page(ctx, uid, None, 10, None).items] == [view.id]


def test_a_refusal_changes_nothing_and_publishes_nothing(world) -> None:
    ctx, ledger, events, uid = world
    before = copy.deepcopy(ledger.tables)
    too_much = ctx.settings.starting_balance * 2
    with pytest.raises(InsufficientFunds):
        orders.place(
            ctx, uid, make_request(ctx.instruments["BTCUSDT"], "BUY", "MARKET", quote_amount=too_much)
        )
    assert ledger.tables == before
    assert events == []
    assert accounts.portfolio(ctx, uid).cash_free == ctx.settings.starting_balance


def test_a_resting_limit_buy_is_filled_by_a_batch_of_trades_exactly_once(world) -> None:
    ctx, _, events, uid = world
    btc = ctx.instruments["BTCUSDT"]
    limit = Decimal("39000")
    view = orders.place(ctx, uid, make_request(btc, "BUY", "LIMIT", quantity="0.01", price=limit))
    assert view.status == OrderStatus.OPEN and view.locked_cash > limit * Decimal("0.01")
    events.clear()
    later = T0 + timedelta(seconds=5)
    older = view.created_at - timedelta(seconds=1)

    class Trade:
        def __init__(self, price: str, time: datetime) -> None:
            self.price, self.time = Decimal(price), time

    # a trade older than the order never fills it, even at a crossing price
    assert matching.match_trades(ctx, "BTCUSDT", [Trade("38000", older)]) == 0
    batch = [Trade("39500", later), Trade("38990", later), Trade("38500", later)]
    assert matching.match_trades(ctx, "BTCUSDT", batch) == 1
    assert matching.match_trades(ctx, "BTCUSDT", batch) == 0  # a replayed batch changes nothing
    filled = orders.order(ctx, uid, view.id)
    assert filled.status == OrderStatus.FILLED
    assert filled.avg_fill_price == limit  # a maker fill at the limit
    assert filled.locked_cash == 0
    pf = accounts.portfolio(ctx, uid)
    assert pf.cash_locked == 0
    assert pf.cash_free == ctx.settings.starting_balance - limit * Decimal("0.01") - filled.fee_total
    assert [type(e) for e in events] == [FillEvent, OrderEvent]
    assert [o.id for o in accounts.unseen_fills(ctx, uid)] == [view.id]
    assert accounts.unseen_fills(ctx, uid) == []


def test_fees_given_in_percent_are_converted_exactly_and_checked(tmp_path) -> None:
    from sim.domain.costs import fee_from_percent
    from sim.domain.errors import InvalidInput
    from sim.services import Simulator

    assert fee_from_percent("0.075") == Decimal("0.00075")
    assert fee_from_percent(0.035) == Decimal("0.00035")  # a widget's float, read through its repr
    for bad in ("1.5", "-0.1", "abc", "0.0000001"):
        with pytest.raises(InvalidInput):
            fee_from_percent(bad)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    with Simulator.open(settings=settings) as sim:
        sim.bcrypt_rounds = 4
        user = sim.register("pat", "correct horse")
        sim.set_cost_percentages(user.id, maker_fee_pct="0.075", taker_fee_pct="0.1", slippage_bps="2.5")
        assert sim.preferences(user.id) == {
            "maker_fee": Decimal("0.00075"),
            "taker_fee": Decimal("0.001"),
            "slippage_bps": Decimal("2.5"),
        }


def test_a_cancel_is_published_once_committed_and_a_refused_cancel_publishes_nothing(world) -> None:
    ctx, ledger, events, uid = world
    btc = ctx.instruments["BTCUSDT"]
    view = orders.place(ctx, uid, make_request(btc, "BUY", "LIMIT", quantity="0.01", price="39000"))
    events.clear()
    canceled = orders.cancel(ctx, uid, view.id)
    assert canceled.status == OrderStatus.CANCELED and canceled.locked_cash == 0
    assert [(type(e), e.status) for e in events] == [(OrderEvent, OrderStatus.CANCELED)]
    before = copy.deepcopy(ledger.tables)
    with pytest.raises(IllegalTransition):
        orders.cancel(ctx, uid, view.id)
    assert len(events) == 1 and ledger.tables == before
    assert accounts.portfolio(ctx, uid).cash_free == ctx.settings.starting_balance
