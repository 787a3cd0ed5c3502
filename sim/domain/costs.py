"""Rules for the trading costs a person may choose (preferences, the Backtest lab's fill model).

A fee rate is a fraction from 0 to 0.01 (0% to 1%; Binance's spot fees are around 0.1%) and
slippage is 0 to 100 basis points, each with at most 8 decimal places. Negative values would pay
the trader for trading (a taker fee of -1 divides by zero when a quote amount is converted), and
larger ones are typing mistakes more often than experiments.
"""

from __future__ import annotations

from decimal import Decimal

from sim.domain.errors import InvalidInput
from sim.domain.messages import Term
from sim.domain.values import to_decimal

FEE_RANGE = (Decimal(0), Decimal("0.01"))
SLIPPAGE_RANGE = (Decimal(0), Decimal(100))


def _within(raw: object, name: str, lo: Decimal, hi: Decimal, unit: str) -> Decimal:
    value = to_decimal(raw, name)
    exponent = value.as_tuple().exponent
    if not value.is_finite() or not lo <= value <= hi or not isinstance(exponent, int) or exponent < -8:
        raise InvalidInput.of("costs.range", name=Term(name), lo=lo, hi=hi, unit=Term(unit))
    return value


def check_fee(raw: object, name: str = "fee rate") -> Decimal:
    """A fee rate as a fraction (0.001 is 0.1%); InvalidInput when negative or above 1%."""
    return _within(raw, name, *FEE_RANGE, " (a fraction: 0.001 is 0.1%)")


def check_slippage(raw: object, name: str = "slippage") -> Decimal:
    """Slippage in basis points; InvalidInput when negative or above 100."""
    return _within(raw, name, *SLIPPAGE_RANGE, " basis points")


def fee_from_percent(raw: object, name: str = "fee") -> Decimal:
    """A fee given in percent (``"0.075"`` is 0.075%, what a form shows) as the fraction
    :func:`check_fee` takes: exact decimal division by 100, no float on the way."""
    percent = to_decimal(raw, f"{name} (%)")
    exponent = percent.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -6:
        raise InvalidInput.of("costs.percent", name=Term(name))
    return check_fee(percent / 100, name)
