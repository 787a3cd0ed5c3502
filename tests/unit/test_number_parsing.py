"""Numbers typed or sent by users: ASCII digits, no spaces, bounded, checked before arithmetic.

Whatever arrives, the parsers raise InvalidInput (a SimError) or return an exact Decimal; never
``decimal.InvalidOperation`` (a grid check's ``%`` on 25 digits used to raise it), and never a
number read from digits of another script.
"""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.domain.errors import InvalidInput, SimError
from sim.domain.ids import check_id
from sim.domain.instruments import Instruments
from sim.domain.values import MAX_INTEGER_DIGITS, to_decimal

ROOT = Path(__file__).resolve().parents[2]
BTC = Instruments.from_exchange_info(json.loads((ROOT / "data/exchange_info.json").read_text()))["BTCUSDT"]


@pytest.mark.parametrize(
    "text", ["１２", "١٢٣", "۱۲", "१२", "1２", "１.5", " 1 ", "1 ", "\t1", "1\n", "1_000", "0x10", "½"]
)
def test_only_plain_ascii_text_is_a_number(text: str) -> None:
    with pytest.raises(InvalidInput):
        to_decimal(text, "quantity")


@pytest.mark.parametrize(
    "value",
    ["1" * 25, "9" * 21, 1e308, 1e21, Decimal("1E+30"), Decimal("9" * 40), 10**21, "-" + "1" * 30],
)
def test_huge_numbers_are_refused_before_any_arithmetic(value: object) -> None:
    with pytest.raises(InvalidInput, match="too large"):
        to_decimal(value, "quantity")
    with pytest.raises(InvalidInput):
        BTC.quantity(value)
    with pytest.raises(InvalidInput):
        BTC.price(value)


def test_the_largest_accepted_numbers_still_work() -> None:
    assert to_decimal("9" * MAX_INTEGER_DIGITS, "x") == Decimal("9" * MAX_INTEGER_DIGITS)
    assert to_decimal("0." + "1" * 18, "x") == Decimal("0." + "1" * 18)
    assert to_decimal("+.5", "x") == Decimal("0.5") and to_decimal("7.", "x") == Decimal(7)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.floats(), st.integers(), st.decimals()))
def test_any_input_gives_a_decimal_or_a_sim_error(value: object) -> None:
    for parse in (lambda v: to_decimal(v, "x"), BTC.quantity, BTC.price):
        with contextlib.suppress(SimError):
            parse(value)


@pytest.mark.parametrize("bad", [True, False, 0, -3, 2**31, 2.0, "7", None, Decimal(3), b"1"])
def test_ids_are_positive_whole_numbers(bad: object) -> None:
    with pytest.raises(InvalidInput, match="order id must be a whole number"):
        check_id(bad, "order id")
    assert check_id(7, "order id") == 7
