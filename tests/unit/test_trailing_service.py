"""Trailing stops through the use cases on the in-memory unit of work (the fake the service tests
use): placing, tracking, triggering and filling, with fills written as formulas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim.adapters.market import InMemoryMarket
from sim.bootstrap import load_instruments
from sim.domain.errors import OrderRejected, StalePrice
from sim.domain.fills import Tick, slipped_price
from sim.domain.orders import Side, make_oco, make_request
from sim.domain.values import fee_amount
from sim.service_layer import accounts, matching, orders
from sim.service_layer.context import ServiceContext
from sim.service_layer.memory_uow import InMemoryLedger, InMemoryUnitOfWork
from sim.settings import Settings

D = Decimal
BPS = D(10_000)
T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
SEC = timedelta(seconds=1)


class DryRun(InMemoryUnitOfWork):
    """A preview's unit of work: always rolled back."""

    def commit(self) -> None:
        self.rollback()


@pytest.fixture
def world():
    settings = Settings()
    ledger = InMemoryLedger()
    market = InMemoryMarket()
    market.update(Tick("BTCUSDT", D("40000"), T0))
    now = [T0]
    ctx = ServiceContext(
        settings,
        load_instruments(settings),
        market,
        lambda: now[0],
        uow=ledger.uow,
        dry_run=lambda: DryRun(ledger),
    )
    uid = ledger.add_user("trailer", settings.starting_balance, T0)
    return ctx, ledger, market, now, uid


def trade(ctx, market, now, price: str, at: datetime) -> int:
    now[0] = max(now[0], at)
    market.update(Tick("BTCUSDT", D(price), at))
    return matching.on_trade(ctx, "BTCUSDT", D(price), at)


def test_a_sell_trailing_stop_tracks_the_peak_and_fills_at_the_triggering_trade(world) -> None:
    ctx, ledger, market, now, uid = world
    s, btc = ctx.settings, ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.1"))
    cash_before = accounts.portfolio(ctx, uid).cash_free
    d = 200  # 2%
    view = orders.place(
        ctx, uid, make_request(btc, "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=d)
    )
    assert (view.status, view.trail_extreme, view.locked_qty) == ("OPEN", D("40000"), D("0.1"))
    assert view.stop_level == D("40000") * (1 - D(d) / BPS)
    row = ledger.tables.orders[view.id]
    assert trade(ctx, market, now, "41000", T0 + SEC) == 0  # tracked, not filled
    assert ledger.tables.orders[view.id].trail_extreme == D("41000")
    trade(ctx, market, now, "40500", T0 + 2 * SEC)  # no new peak: the row is not written
    assert ledger.tables.orders[view.id].updated_at == T0 + SEC
    trade(ctx, market, now, "42000", T0 + 3 * SEC)
    level = D("42000") * (1 - D(d) / BPS)  # 41160
    assert orders.order(ctx, uid, view.id).stop_level == level
    assert trade(ctx, market, now, "41160.01", T0 + 4 * SEC) == 0
    assert trade(ctx, market, now, "41150", T0 + 5 * SEC) == 1
    done = orders.order(ctx, uid, view.id)
    price = slipped_price(D("41150"), Side.SELL, s.slippage_bps, btc.tick_size)
    assert price == (D("41150") * (1 - s.slippage_bps / BPS)).quantize(btc.tick_size, rounding="ROUND_FLOOR")
    fee = fee_amount(price * D("0.1"), s.taker_fee)
    assert (done.status, done.avg_fill_price, done.fee_total) == ("FILLED", price, fee)
    assert done.fills[0].liquidity == "taker" and done.fills[0].time == T0 + 5 * SEC
    assert accounts.portfolio(ctx, uid).cash_free == cash_before + price * D("0.1") - fee
    assert row is not None


def test_a_buy_trailing_stop_with_an_activation_price_waits_for_it(world) -> None:
    ctx, ledger, market, now, uid = world
    s, btc = ctx.settings, ctx.instruments["BTCUSDT"]
    d = 100
    req = make_request(
        btc, "BUY", "TRAILING_STOP", quantity="0.01", trailing_delta_bps=d, activation_price="39000"
    )
    view = orders.place(ctx, uid, req)
    assert view.trail_extreme is None and view.stop_level is None
    first = (D("39000") * (1 + D(d) / BPS)).quantize(btc.tick_size)  # 39390: its first trigger price
    worst = (first * (1 + s.slippage_bps / BPS)).quantize(btc.tick_size, rounding="ROUND_CEILING")
    locked = worst * D("0.01")
    assert view.locked_cash == locked + fee_amount(locked, max(s.maker_fee, s.taker_fee))
    trade(ctx, market, now, "45000", T0 + SEC)  # far above: nothing tracked before activation
    trade(ctx, market, now, "39500", T0 + 2 * SEC)
    assert ledger.tables.orders[view.id].trail_extreme is None
    trade(ctx, market, now, "38800", T0 + 3 * SEC)  # reaches 39000: tracking starts at 38800
    trade(ctx, market, now, "38500", T0 + 4 * SEC)
    assert orders.order(ctx, uid, view.id).stop_level == D("38500") * (1 + D(d) / BPS) == D("38885")
    assert trade(ctx, market, now, "38884.99", T0 + 5 * SEC) == 0
    assert trade(ctx, market, now, "38885", T0 + 6 * SEC) == 1
    done = orders.order(ctx, uid, view.id)
    price = (D("38885") * (1 + s.slippage_bps / BPS)).quantize(btc.tick_size, rounding="ROUND_CEILING")
    assert (done.status, done.avg_fill_price) == ("FILLED", price)
    assert done.fee_total == fee_amount(price * D("0.01"), s.taker_fee)


def test_a_trade_older_than_the_order_never_moves_its_stop(world) -> None:
    ctx, ledger, market, now, uid = world
    btc = ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.1"))
    now[0] = T0 + 10 * SEC
    market.update(Tick("BTCUSDT", D("40000"), T0 + 10 * SEC))
    view = orders.place(
        ctx, uid, make_request(btc, "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=100)
    )
    assert matching.match(ctx, "BTCUSDT", D("50000"), T0 + 5 * SEC) == 0  # late: a new peak, ignored
    assert matching.match(ctx, "BTCUSDT", D("30000"), T0 + 6 * SEC) == 0  # late: through it, ignored
    row = ledger.tables.orders[view.id]
    assert (row.status, row.trail_extreme) == ("OPEN", D("40000"))


def test_refusals_change_nothing(world) -> None:
    ctx, ledger, _market, now, uid = world
    btc = ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.1"))
    before = repr(ledger.tables)
    with pytest.raises(OrderRejected, match="activation price 39000 is already reached: the last BTCUSDT"):
        orders.place(
            ctx,
            uid,
            make_request(
                btc, "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=100, activation_price="39000"
            ),
        )
    now[0] = T0 + timedelta(hours=1)
    with pytest.raises(StalePrice, match="starts from the last BTCUSDT price, and there is no fresh one"):
        orders.place(
            ctx, uid, make_request(btc, "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=100)
        )
    assert repr(ledger.tables) == before


def test_an_oco_of_a_take_profit_and_a_trailing_stop_cancels_the_other_leg(world) -> None:
    ctx, _ledger, market, now, uid = world
    btc = ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.1"))
    legs = make_oco(btc, "SELL", quantity="0.1", take_profit="45000", trailing_delta_bps=300)
    tp, trail = orders.place_oco(ctx, uid, legs)
    assert trail.stop_level == D("40000") * (1 - D(300) / BPS)
    assert tp.locked_qty == D("0.1") and trail.locked_qty == 0  # the pair locks once
    trade(ctx, market, now, "42000", T0 + SEC)
    assert trade(ctx, market, now, str(D("42000") * (1 - D(300) / BPS)), T0 + 2 * SEC) == 1
    assert orders.order(ctx, uid, trail.id).status == "FILLED"
    assert orders.order(ctx, uid, tp.id).status == "CANCELED"
    pf = accounts.portfolio(ctx, uid)
    assert pf.cash_locked == 0 and all(p.quantity == 0 for p in pf.positions)


def test_the_preview_shows_the_starting_stop_level(world) -> None:
    ctx, ledger, _market, _now, uid = world
    btc = ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.1"))
    before = repr(ledger.tables)
    p = orders.preview_order(
        ctx, uid, "BTCUSDT", "SELL", "TRAILING_STOP", None, None, quantity="0.1", trailing_delta_bps=150
    )
    assert p["stop_level"] == p["price"] == D("40000") * (1 - D(150) / BPS)
    assert p["fills_now"] is False and p["locked_qty"] == D("0.1")
    assert repr(ledger.tables) == before
