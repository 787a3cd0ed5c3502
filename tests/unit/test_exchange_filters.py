"""Exchange filters beyond the five shipped symbols: the recorded universe fixture in Binance's
format (DOGEUSDT and ADAUSDT captured, PEPEUSDT with PEPE's extreme filters, BCCUSDT in BREAK;
see tests/fixtures/binance/SOURCES.md). Expected values are written as literals or formulas."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sim.domain.account import Account
from sim.domain.errors import (
    InvalidExchangeRules,
    InvalidInput,
    OrderRejected,
    SymbolNotTrading,
    UnknownSymbol,
)
from sim.domain.fills import affordable_quantity, slipped_price
from sim.domain.filters import LotSize, PercentPriceBySide, TrailingDelta, plain, read_symbol_rules
from sim.domain.instruments import Instrument, Instruments
from sim.domain.orders import Side
from sim.domain.values import MAX_AMOUNT, fee_amount

ROOT = Path(__file__).resolve().parents[2]
UNIVERSE = ROOT / "tests/fixtures/binance/rest/exchange_info_universe.json"


def universe() -> dict[str, Any]:
    return json.loads(UNIVERSE.read_text())


def entry(symbol: str) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in universe()["symbols"] if e["symbol"] == symbol))


def set_field(e: dict[str, Any], filter_type: str, field: str, value: object) -> dict[str, Any]:
    next(f for f in e["filters"] if f["filterType"] == filter_type)[field] = value
    return e


@pytest.fixture(scope="module")
def pepe() -> Instrument:
    return Instruments.from_exchange_info(universe(), ["PEPEUSDT"])["PEPEUSDT"]


def test_every_used_filter_of_a_captured_symbol_is_read() -> None:
    doge = Instruments.from_exchange_info(universe(), ["BTCUSDT", "DOGEUSDT"])["DOGEUSDT"]
    assert (doge.tick_size, doge.min_price, doge.max_price) == (
        Decimal("0.00001"),
        Decimal("0.00001"),
        Decimal("1000"),
    )
    assert (doge.step_size, doge.min_qty, doge.max_qty) == (Decimal("1"), Decimal("1"), Decimal("9000000"))
    assert doge.market_lot == LotSize(Decimal("0"), Decimal("28160624.66945606"), Decimal("0"))
    assert (doge.min_notional, doge.max_notional) == (Decimal("5"), Decimal("9000000"))
    assert doge.trailing_delta == TrailingDelta(10, 2000, 10, 2000)
    assert doge.percent_price_by_side == PercentPriceBySide(
        Decimal("5"), Decimal("0.2"), Decimal("5"), Decimal("0.2"), 5
    )
    assert doge.trading and doge.status == "TRADING"


def test_pepe_tick_of_1e_8_is_exact(pepe: Instrument) -> None:
    assert pepe.tick_size == Decimal("0.00000001")
    assert pepe.price("0.00000123") == Decimal("0.00000123")
    assert pepe.price("0.00000001") == pepe.min_price
    with pytest.raises(InvalidInput) as err:
        pepe.price("0.000001234")
    assert "0.00000001" in str(err.value) and "E-" not in str(err.value)
    # slippage rounds away from the taker onto the 1e-8 grid:
    # 0.00000123 * (1 + 1/10000) = 0.000001230123 -> up to 0.00000124
    # 0.00000123 * (1 - 1/10000) = 0.000001229877 -> down to 0.00000122
    assert slipped_price(Decimal("0.00000123"), Side.BUY, Decimal(1), pepe.tick_size) == Decimal("0.00000124")
    assert slipped_price(Decimal("0.00000123"), Side.SELL, Decimal(1), pepe.tick_size) == Decimal(
        "0.00000122"
    )


def test_quantities_in_the_billions_are_exact(pepe: Instrument) -> None:
    q = pepe.quantity("9000000000")
    assert q == Decimal(9 * 10**9)
    price = Decimal("0.00000123")
    notional = q * price
    assert notional == Decimal("11070")  # 9e9 * 1.23e-6
    pepe.check_notional(price, q)
    assert fee_amount(notional, Decimal("0.001")) == Decimal("11.07")
    # the largest quantity Binance can hold at 8 decimals in an int64: 92233720368
    assert pepe.quantity("92233720368") == Decimal("92233720368")
    with pytest.raises(InvalidInput, match=r"above the maximum of 92233720368 PEPE"):
        pepe.quantity("92233720369")
    with pytest.raises(InvalidInput, match=r"too many decimals for PEPEUSDT: at most 0 \(step size 1\)"):
        pepe.quantity("9000000000.5")


def test_spending_a_budget_on_pepe_stays_on_the_grid(pepe: Instrument) -> None:
    budget, price, rate = Decimal("100000"), Decimal("0.00000123"), Decimal("0.001")
    q = affordable_quantity(budget, price, rate, pepe.step_size)
    assert q == q.to_integral_value() and q > 9 * 10**9
    assert q * price + fee_amount(q * price, rate) <= budget
    assert (q + 1) * price + fee_amount((q + 1) * price, rate) > budget


def test_plain_never_prints_exponents() -> None:
    assert plain(Decimal("1E-8")) == "0.00000001"
    assert plain(Decimal("9000000000.00000000")) == "9000000000"
    assert plain(Decimal("0.01000000")) == "0.01"


def test_a_symbol_in_break_is_refused_with_its_status() -> None:
    info = universe()
    with pytest.raises(SymbolNotTrading, match=r"^BCCUSDT is not trading on Binance \(status BREAK\)"):
        Instruments.from_exchange_info(info, ["BTCUSDT", "BCCUSDT"])
    tracked = Instruments.from_exchange_info(info, ["BTCUSDT"])
    with pytest.raises(SymbolNotTrading, match=r"status BREAK") as err:
        tracked.get_or_raise("bccusdt")
    assert isinstance(err.value, UnknownSymbol)  # every caller refusing unknown symbols refuses it
    everything = Instruments.from_exchange_info(info)
    assert not everything["BCCUSDT"].trading
    with pytest.raises(SymbolNotTrading, match=r"BCCUSDT is not trading on Binance \(status BREAK\)"):
        everything.get_or_raise("BCCUSDT")
    with pytest.raises(UnknownSymbol, match=r"Unknown symbol 'NOPEUSDT'"):
        tracked.get_or_raise("NOPEUSDT")


def test_a_halted_symbol_says_halt() -> None:
    info = universe()
    next(e for e in info["symbols"] if e["symbol"] == "DOGEUSDT")["status"] = "HALT"
    with pytest.raises(SymbolNotTrading, match=r"DOGEUSDT is not trading on Binance \(status HALT\)"):
        Instruments.from_exchange_info(info, ["DOGEUSDT"])


def test_a_malformed_entry_of_an_untracked_symbol_does_not_stop_the_tracked_ones() -> None:
    info = universe()
    set_field(next(e for e in info["symbols"] if e["symbol"] == "ADAUSDT"), "LOT_SIZE", "stepSize", "0")
    assert list(Instruments.from_exchange_info(info, ["DOGEUSDT"])) == ["DOGEUSDT"]
    with pytest.raises(InvalidExchangeRules, match="ADAUSDT: LOT_SIZE stepSize is 0"):
        Instruments.from_exchange_info(info)


def test_max_price_zero_means_no_maximum() -> None:
    doge = read_symbol_rules(set_field(entry("DOGEUSDT"), "PRICE_FILTER", "maxPrice", "0.00000000"))
    assert doge.price.max_price is None
    e = set_field(entry("DOGEUSDT"), "PRICE_FILTER", "maxPrice", "0.00000000")
    instrument = Instruments.from_exchange_info(
        {"symbols": [set_field(e, "PRICE_FILTER", "minPrice", "0.1")]}
    )["DOGEUSDT"]
    assert instrument.price("123456789.12345") == Decimal("123456789.12345")
    with pytest.raises(InvalidInput, match=r"price 0.05 is below the minimum of 0.1 for DOGEUSDT"):
        instrument.price("0.05")


BROKEN = [
    ("PRICE_FILTER", "tickSize", "0.00000000", "PEPEUSDT: PRICE_FILTER tickSize is 0"),
    ("PRICE_FILTER", "minPrice", "2.00000000", "PEPEUSDT: PRICE_FILTER minPrice 2 is above maxPrice 1"),
    ("PRICE_FILTER", "tickSize", 1e-08, "PEPEUSDT: PRICE_FILTER tickSize 1e-08 must be a decimal string"),
    ("PRICE_FILTER", "tickSize", "1e-8", "PEPEUSDT: PRICE_FILTER tickSize '1e-8' is unreadable"),
    ("LOT_SIZE", "minQty", "-1", "PEPEUSDT: LOT_SIZE minQty -1 must not be negative"),
    ("LOT_SIZE", "maxQty", "0.50000000", "PEPEUSDT: LOT_SIZE minQty 1 is above maxQty 0.5"),
    ("LOT_SIZE", "stepSize", None, "PEPEUSDT: LOT_SIZE stepSize is missing or not a number"),
    (
        "MARKET_LOT_SIZE",
        "minQty",
        "99000000000.0",
        "MARKET_LOT_SIZE minQty 99000000000 is above maxQty 9900000000",
    ),
    ("NOTIONAL", "minNotional", "9000001", "PEPEUSDT: NOTIONAL minNotional 9000001 is above maxNotional"),
    ("NOTIONAL", "applyMinToMarket", "yes", "PEPEUSDT: NOTIONAL applyMinToMarket must be true or false"),
    ("TRAILING_DELTA", "minTrailingAboveDelta", 3000, "minTrailingAboveDelta 3000 is above maxTrailingAbove"),
    (
        "TRAILING_DELTA",
        "maxTrailingBelowDelta",
        0,
        "maxTrailingBelowDelta must be a whole number of at least 1",
    ),
    ("PERCENT_PRICE_BY_SIDE", "askMultiplierDown", "6", "askMultiplierDown 6 is above askMultiplierUp 5"),
    ("PERCENT_PRICE_BY_SIDE", "bidMultiplierUp", "0", "bid multipliers must be above 0"),
]


@pytest.mark.parametrize(("filter_type", "field", "value", "message"), BROKEN)
def test_broken_filters_are_refused_naming_symbol_filter_and_field(
    filter_type: str, field: str, value: object, message: str
) -> None:
    with pytest.raises(InvalidExchangeRules) as err:
        read_symbol_rules(set_field(entry("PEPEUSDT"), filter_type, field, value))
    assert message in str(err.value)


def test_missing_required_parts_are_refused() -> None:
    e = entry("PEPEUSDT")
    e["filters"] = [f for f in e["filters"] if f["filterType"] != "LOT_SIZE"]
    with pytest.raises(InvalidExchangeRules, match="PEPEUSDT: the LOT_SIZE filter is missing"):
        read_symbol_rules(e)
    e = entry("PEPEUSDT")
    del e["status"]
    with pytest.raises(InvalidExchangeRules, match="PEPEUSDT: status is missing"):
        read_symbol_rules(e)
    with pytest.raises(InvalidExchangeRules, match="no valid symbol name"):
        read_symbol_rules({**entry("PEPEUSDT"), "symbol": "pepe/usdt"})
    with pytest.raises(InvalidExchangeRules, match="no symbols list"):
        Instruments.from_exchange_info({"code": -1, "msg": "nope"})


def test_counts_sent_as_digit_strings_are_read_like_integers() -> None:
    """Some captures (ccxt's) carry Binance's JSON integers as strings: both read the same."""
    e = entry("DOGEUSDT")
    for name in (
        "minTrailingAboveDelta",
        "maxTrailingAboveDelta",
        "minTrailingBelowDelta",
        "maxTrailingBelowDelta",
    ):
        set_field(
            e,
            "TRAILING_DELTA",
            name,
            str(next(f for f in e["filters"] if f["filterType"] == "TRAILING_DELTA")[name]),
        )
    assert read_symbol_rules(e).trailing_delta == TrailingDelta(10, 2000, 10, 2000)


def test_a_holding_never_passes_the_largest_amount_the_ledger_stores() -> None:
    assert Decimal("92233720368.54775807") == MAX_AMOUNT  # (2**63 - 1) units of 1e-8
    account = Account(Decimal("100000"))
    qty = Decimal("92233720368")
    account.apply_fill("PEPEUSDT", Side.BUY, qty, qty * Decimal("0.00000001"), Decimal("0.92233721"), "PEPE")
    before = (account.cash_free, account.position("PEPEUSDT").quantity)
    one, tiny = Decimal(1), Decimal("0.00000001")
    beyond = r"PEPE holding to 92233720369, above .* \(92233720368.54775807\)"
    with pytest.raises(OrderRejected, match=beyond):
        account.apply_fill("PEPEUSDT", Side.BUY, one, tiny, tiny, "PEPE")
    assert (account.cash_free, account.position("PEPEUSDT").quantity) == before
