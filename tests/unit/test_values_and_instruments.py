"""Exact numbers and the Binance filters: bad input is refused with a message naming the problem."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from sim.domain.errors import InvalidInput, OrderRejected, UnknownSymbol
from sim.domain.instruments import Instruments
from sim.domain.values import ceil_to, fee_amount, floor_to, to_decimal

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


@pytest.fixture(scope="module")
def instruments() -> Instruments:
    return Instruments.from_exchange_info(json.loads((ROOT / "data/exchange_info.json").read_text()))


def test_btcusdt_filters_match_binance(instruments: Instruments) -> None:
    btc = instruments["BTCUSDT"]
    assert (btc.tick_size, btc.step_size, btc.min_notional) == (D("0.01"), D("0.00001"), D("5"))
    assert set(instruments) == {"BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"}


def test_legacy_min_notional_filter_is_read() -> None:
    legacy = ROOT / "tests/fixtures/exchange_info_2021.json"
    info = json.loads(legacy.read_text())
    btc = Instruments.from_exchange_info(info)["BTCUSDT"]
    assert btc.min_notional == D("10")  # MIN_NOTIONAL, the pre-2023 filter


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (float("nan"), "finite"),
        ("NaN", "finite"),
        (float("inf"), "finite"),
        ("-inf", "finite"),
        ("-0.1", "greater than zero"),
        ("0", "greater than zero"),
        ("1e-3", "exponent"),
        ("0.000001", "too many decimals"),
        ("0.000015", "too many decimals"),
        ("abc", "decimal number"),
        (None, "must be a number"),
        (True, "must be a number"),
        ("10000", "above the maximum"),
    ],
)
def test_bad_quantities_are_refused(instruments: Instruments, value: object, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        instruments["BTCUSDT"].quantity(value)


def test_off_step_grid_is_refused(instruments: Instruments) -> None:
    with pytest.raises(InvalidInput, match="too many decimals for XRPUSDT: at most 0"):
        instruments["XRPUSDT"].quantity("10.5")
    coarse = replace(instruments["SOLUSDT"], step_size=D("0.05"))
    with pytest.raises(InvalidInput, match="off the SOLUSDT quantity grid"):
        coarse.quantity("0.12")
    assert coarse.quantity("0.15") == D("0.15")


def test_price_off_tick_grid(instruments: Instruments) -> None:
    with pytest.raises(InvalidInput, match="off the BTCUSDT price grid"):
        instruments["BTCUSDT"].price("45000.005")
    assert instruments["BTCUSDT"].price("45000.01") == D("45000.01")


def test_notional_under_minimum(instruments: Instruments) -> None:
    with pytest.raises(OrderRejected, match="below the minimum of 5 USDT"):
        instruments["BTCUSDT"].check_notional(D("40000"), D("0.0001"))  # 4 USDT


def test_unknown_symbol(instruments: Instruments) -> None:
    with pytest.raises(UnknownSymbol, match="Unknown symbol 'DOGEUSDT'"):
        instruments.get_or_raise("DOGEUSDT")
    assert instruments.get_or_raise(" btcusdt ").symbol == "BTCUSDT"


def test_float_is_read_through_repr_not_binary() -> None:
    assert to_decimal(0.1, "x") == D("0.1")
    assert to_decimal(1e-05, "x") == D("0.00001")


def test_grid_rounding_and_fee_rounding() -> None:
    assert floor_to(D("0.123456"), D("0.001")) == D("0.123")
    assert ceil_to(D("0.123001"), D("0.001")) == D("0.124")
    # 0.1% of 12.345 = 0.012345 exactly: no rounding needed
    assert fee_amount(D("12.345"), D("0.001")) == D("0.012345")
    # 0.1% of 0.00123457 = 0.00000123457 -> rounded up to 0.00000124
    assert fee_amount(D("0.00123457"), D("0.001")) == D("0.00000124")
