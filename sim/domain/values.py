"""Exact numbers for money, prices and quantities.

Assumptions:
- Nothing on the money path passes through float arithmetic. Text is parsed as it arrived; a Python
  float given by a notebook is read through ``repr`` (its shortest round-trip text, so ``0.1`` is
  exactly ``Decimal("0.1")``), never through its binary value.
- Text typed by a person must be plain positional notation of ASCII digits (``"0.015"``; ``"1,000"``,
  ``" 1 "`` and ``"１２"`` are refused): an exponent form such as ``"1e-3"`` is refused because
  people do not type it on purpose. Every number is bounded (20 digits before the point, 18 after)
  before any arithmetic.
- Money (USDT) is kept to 8 decimals, Binance's quote asset precision. Fees are rounded *up* to that
  unit (never in the user's favour); every other amount in the simulator is exact at that scale.
- The largest amount of one asset an account holds is :data:`MAX_AMOUNT`, 92233720368.54775807:
  2^63 - 1 units of 1e-8, the fixed-point range Binance's own quantities use and the most the
  embedded ledger (SQLite integers scaled by 1e8) stores. A buy that would pass it is refused.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Decimal
from typing import NewType

from sim.domain.errors import InvalidInput
from sim.domain.messages import Term

MONEY_SCALE = 8
MONEY_UNIT = Decimal(1).scaleb(-MONEY_SCALE)  # 0.00000001
ZERO = Decimal(0)
MAX_AMOUNT = Decimal(2**63 - 1).scaleb(-MONEY_SCALE)  # 92233720368.54775807

# ASCII digits only ([0-9], not \d, which also matches other scripts' digits such as "１２" or "١٢")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_EXPONENT_FORM = re.compile(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", re.ASCII)
_NON_FINITE = ("nan", "snan", "inf", "infinity")
MAX_INTEGER_DIGITS = 20  # 10^20 is far beyond any price, quantity or amount the simulator holds
MAX_DECIMALS = 18
MAX_TEXT = 1 + MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS  # sign, digits, point, decimals

Numeric = Decimal | str | int | float


def to_decimal(value: object, field: str) -> Decimal:
    """Parse ``value`` into a finite Decimal, or raise InvalidInput naming ``field``.

    Accepts Decimal, int, float (read through its repr) and plain decimal text of ASCII digits
    (``"0.015"``, ``"-2"``, ``".5"``); refuses bool, None, NaN, infinities, exponent notation in
    text, digits of other scripts, surrounding spaces and anything else. Every value is bounded
    (at most ``MAX_INTEGER_DIGITS`` digits before the point and ``MAX_DECIMALS`` after) *before*
    any arithmetic, so no later step (a grid check's ``%``, a product) can overflow Decimal's
    28-digit context and raise ``decimal.InvalidOperation`` instead of a clear refusal.
    """
    if isinstance(value, bool) or value is None:
        raise InvalidInput.of("number.not_a_number", field=Term(field), value=value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise _too_large(field)
        result = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInput.of("number.not_finite", field=Term(field), value=value)
        result = Decimal(repr(value))
    elif isinstance(value, str):
        result = _parse_text(value, field)
    else:
        raise InvalidInput.of("number.wrong_type", field=Term(field), type=type(value).__name__)
    if not result.is_finite():
        raise InvalidInput.of("number.not_finite", field=Term(field), value=value)
    if result and result.adjusted() >= MAX_INTEGER_DIGITS:
        raise _too_large(field)
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMALS:
        raise InvalidInput.of("number.too_many_decimals", field=Term(field), decimals=MAX_DECIMALS)
    return result


def _parse_text(value: str, field: str) -> Decimal:
    """Plain decimal text, checked character by character before Decimal sees it."""
    shown = value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "..."
    if value != value.strip():
        raise InvalidInput.of("number.spaces", field=Term(field), value=shown)
    if value.lower().lstrip("+-") in _NON_FINITE:
        raise InvalidInput.of("number.not_finite", field=Term(field), value=value)
    if len(value) > MAX_TEXT:
        whole = value.lstrip("+-").split(".")[0].lstrip("0")
        if len(value) < 1000 and _PLAIN_NUMBER.fullmatch(value) and len(whole) > MAX_INTEGER_DIGITS:
            raise _too_large(field)
        raise InvalidInput.of("number.too_long", field=Term(field), characters=MAX_TEXT)
    if not _PLAIN_NUMBER.fullmatch(value):
        if _EXPONENT_FORM.fullmatch(value):
            raise InvalidInput.of("number.exponent", field=Term(field), value=value)
        raise InvalidInput.of("number.not_decimal", field=Term(field), value=shown)
    return Decimal(value)


def _too_large(field: str) -> InvalidInput:
    return InvalidInput.of("number.too_large", field=Term(field), digits=MAX_INTEGER_DIGITS)


def positive(value: object, field: str) -> Decimal:
    """A finite Decimal strictly above zero."""
    result = to_decimal(value, field)
    if result <= 0:
        raise InvalidInput.of("number.not_positive", field=Term(field), value=result)
    return result


def on_grid(value: Decimal, unit: Decimal) -> bool:
    """True when ``value`` is a whole multiple of ``unit`` (a tick or step size)."""
    return unit == 0 or (value % unit) == 0


def floor_to(value: Decimal, unit: Decimal) -> Decimal:
    """Largest multiple of ``unit`` not above ``value`` (unit > 0), carried at unit's exponent."""
    return ((value / unit).to_integral_value(rounding=ROUND_DOWN) * unit).quantize(unit)


def ceil_to(value: Decimal, unit: Decimal) -> Decimal:
    """Smallest multiple of ``unit`` not below ``value`` (unit > 0), carried at unit's exponent."""
    return ((value / unit).to_integral_value(rounding=ROUND_UP) * unit).quantize(unit)


def money(value: Decimal) -> Decimal:
    """Round an amount of quote currency half-even to 1e-8 (used for proportional cost basis)."""
    return value.quantize(MONEY_UNIT, rounding=ROUND_HALF_EVEN)


def fee_amount(notional: Decimal, rate: Decimal) -> Decimal:
    """Fee in quote currency: ``notional * rate`` rounded up to 1e-8 USDT."""
    return (notional * rate).quantize(MONEY_UNIT, rounding=ROUND_UP)


def plain(value: Decimal) -> str:
    """``value`` in positional notation without trailing zeros: ``1E-8`` -> ``0.00000001``,
    ``9E+9`` -> ``9000000000``. For messages a person reads."""
    return format(value.normalize(), "f")


def decimals_of(value: Decimal) -> int:
    """Number of digits after the decimal point as written (``Decimal("0.010")`` -> 3)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


# Typed names for the three kinds of exact number. They are Decimals at run time; the names let
# mypy keep a price from being passed where a quantity is expected.
Price = NewType("Price", Decimal)
Quantity = NewType("Quantity", Decimal)
Money = NewType("Money", Decimal)
