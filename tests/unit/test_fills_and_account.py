"""Fill models, fees and the account, with expected values written as formulas."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sim.domain.account import Account
from sim.domain.errors import InsufficientFunds, OrderRejected
from sim.domain.fills import (
    Book,
    FeeSchedule,
    Level,
    execute_market,
    limit_crossed,
    resting_lock,
    slipped_price,
    stop_triggered,
)
from sim.domain.instruments import Instrument, Instruments
from sim.domain.orders import OrderType, Side
from sim.domain.values import fee_amount

D = Decimal
FEE = D("0.001")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def btc() -> Instrument:
    info = json.loads((ROOT / "data/exchange_info.json").read_text())
    return Instruments.from_exchange_info(info)["BTCUSDT"]


def test_selling_half_a_btc_at_45500_credits_exactly() -> None:
    account = Account(cash_free=D(0))
    account.position("BTCUSDT").qty_free = D("0.5")
    account.position("BTCUSDT").cost_basis = D("20000")
    notional = D("0.5") * D("45500")
    fee = notional * FEE
    account.apply_fill("BTCUSDT", Side.SELL, D("0.5"), notional, fee)
    assert account.cash_free == notional - fee == D("22727.25")


def test_cost_basis_includes_buy_fee_and_pnl_is_net_of_both_fees() -> None:
    account = Account(cash_free=D(1000))
    buy_notional = D("1") * D("100")
    account.apply_fill("X", Side.BUY, D("1"), buy_notional, buy_notional * FEE)
    assert account.positions["X"].avg_price == D("100") * (1 + FEE)
    sell_notional = D("1") * D("110")
    pnl = account.apply_fill("X", Side.SELL, D("1"), sell_notional, sell_notional * FEE)
    assert pnl == (D("110") - D("100")) - D("100") * FEE - D("110") * FEE
    assert account.cash_free == D(1000) + pnl


def test_partial_sell_removes_cost_basis_pro_rata() -> None:
    account = Account(cash_free=D(0))
    pos = account.position("X")
    pos.qty_free, pos.cost_basis = D("3"), D("300.3")
    pnl = account.apply_fill("X", Side.SELL, D("1"), D("120"), D("0.12"))
    assert pnl == D("120") - D("0.12") - D("300.3") / 3
    assert pos.cost_basis == D("300.3") * 2 / 3


def test_buying_more_than_free_cash_is_refused_and_changes_nothing() -> None:
    account = Account(cash_free=D("100"))
    with pytest.raises(InsufficientFunds, match="costs 100.1 with fees, you have 100 free"):
        account.apply_fill("X", Side.BUY, D("1"), D("100"), D("0.1"))
    assert account.cash_free == D("100") and account.positions["X"].quantity == 0


def test_market_without_book_fills_at_last_plus_slippage(btc: Instrument) -> None:
    last = D("40000.00")
    ex = execute_market(btc, Side.BUY, FEE, quantity=D("0.1"), last=last, slippage_bps=D("5"))
    assert ex.avg_price == last * (1 + D("5") / 10000)  # 40020.00, already on the tick grid
    assert ex.fee == fee_amount(D("0.1") * D("40020.00"), FEE)
    sell = execute_market(btc, Side.SELL, FEE, quantity=D("0.1"), last=D("40000.01"), slippage_bps=D("5"))
    # 40000.01 * 0.9995 = 39980.0099... rounded down to the tick
    assert sell.avg_price == D("39980.00")


def test_market_walks_the_book_vwap_and_partial(btc: Instrument) -> None:
    book = Book(asks=[Level(D("100.00"), D("0.5")), Level(D("101.00"), D("0.3"))])
    ex = execute_market(btc, Side.BUY, FEE, quantity=D("1"), book=book)
    assert ex.quantity == D("0.8")  # the book is too thin: partial
    assert ex.notional == D("0.5") * D("100") + D("0.3") * D("101")
    assert ex.avg_price == ex.notional / D("0.8")


def test_quote_amount_buy_spends_at_most_the_amount_fee_included(btc: Instrument) -> None:
    ex = execute_market(btc, Side.BUY, FEE, quote_amount=D("100"), last=D("37000.00"))
    q = ex.quantity
    assert q * D("37000") + ex.fee <= D("100")
    assert (q + btc.step_size) * D("37000") + fee_amount((q + btc.step_size) * D("37000"), FEE) > 100


def test_quote_amount_too_small_is_refused(btc: Instrument) -> None:
    with pytest.raises(OrderRejected, match="not enough to buy the minimum"):
        execute_market(btc, Side.BUY, FEE, quote_amount=D("0.1"), last=D("37000.00"))


def test_limit_fills_only_through_the_price() -> None:
    assert not limit_crossed(Side.BUY, D("100"), D("100"))
    assert limit_crossed(Side.BUY, D("100"), D("99.99"))
    assert limit_crossed(Side.SELL, D("100"), D("100.01"))


@pytest.mark.parametrize(
    ("kind", "side", "price", "triggered"),
    [
        (OrderType.STOP_LOSS, Side.SELL, "95", True),
        (OrderType.STOP_LOSS, Side.SELL, "96", False),
        (OrderType.TAKE_PROFIT, Side.SELL, "105", True),
        (OrderType.STOP_LOSS, Side.BUY, "105", True),
        (OrderType.TAKE_PROFIT, Side.BUY, "95", True),
        (OrderType.TAKE_PROFIT, Side.BUY, "96", False),
    ],
)
def test_stop_triggers(kind: OrderType, side: Side, price: str, triggered: bool) -> None:
    stop = (
        D("95")
        if kind is OrderType.STOP_LOSS and side is Side.SELL
        else (D("105") if side is Side.SELL or kind is OrderType.STOP_LOSS else D("95"))
    )
    assert stop_triggered(kind, side, stop, D(price)) is triggered


def test_resting_locks() -> None:
    fees = FeeSchedule()
    cash, qty = resting_lock(Side.BUY, D("2"), D("100"), fees, D("0"), D("0.01"), OrderType.LIMIT)
    assert (cash, qty) == (D("200") + D("200") * FEE, 0)
    cash, qty = resting_lock(Side.SELL, D("2"), D("100"), fees, D("0"), D("0.01"), OrderType.LIMIT)
    assert (cash, qty) == (0, D("2"))
    cash, _ = resting_lock(Side.BUY, D("1"), D("100"), fees, D("10"), D("0.01"), OrderType.STOP_LOSS)
    assert cash == D("100.10") + D("100.10") * FEE  # stop price moved by 10 bps of slippage


def test_slipped_price_rounds_against_the_taker() -> None:
    # 1.0001 x 1.0001 = 1.00020001 -> up to the tick: 1.0003
    assert slipped_price(D("1.0001"), Side.BUY, D("1"), D("0.0001")) == D("1.0003")
    # 1.0001 x 0.9999 = 0.99999999 -> down to the tick: 0.9999
    assert slipped_price(D("1.0001"), Side.SELL, D("1"), D("0.0001")) == D("0.9999")
    assert slipped_price(D("1.0000"), Side.BUY, D("0"), D("0.0001")) == D("1.0000")
