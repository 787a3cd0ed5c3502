"""The trailing stop: one pure rule, used by paper trading, the matcher and the backtester.

Binance's semantics (spot "Trailing Stop order FAQ"), for a stop-market order:

- ``trailing_delta_bps`` (``trailingDelta``) is a whole number of basis points (1 bp = 0.01%)
  within the symbol's ``TRAILING_DELTA`` filter: a SELL (its stop lies below the market) within
  ``[min_below, max_below]``, a BUY (its stop above) within ``[min_above, max_above]``. A symbol
  whose exchangeInfo has no such filter gets Binance's usual bounds, 10 to 2000 bps
  (:data:`DEFAULT_BOUNDS`).
- **Tracking.** A SELL tracks the *highest* trade price since it started tracking (the
  ``extreme``); a BUY the *lowest*. Only trades at or after the order's creation count: a trade
  older than the order, however late it arrives, never moves the stop (the matcher's rule).
- **Start.** Without an activation price, tracking starts at the last trade price when the order is
  placed (Binance's scenario E: "the order starts tracking price changes once placed"). With an
  activation price (Binance's ``stopPrice`` on a trailing order), nothing is tracked until a trade
  reaches it (SELL: at or above it, BUY: at or below it); that trade's price is the first extreme.
- **Stop level.** SELL: ``extreme x (1 - delta/10000)``; BUY: ``extreme x (1 + delta/10000)``,
  exact (no rounding). A trade *at or beyond* the level triggers the order (SELL:
  ``price <= level``, BUY: ``price >= level``), which then fills as a market order at that trade's
  price with slippage and the taker fee, like a STOP_LOSS (:mod:`sim.domain.fills`).
- A trade that improves the extreme (SELL: above it, BUY: below it) moves it and cannot trigger on
  the same trade; the activating trade cannot trigger either.

:func:`step` is the whole rule: a state and a trade price in, the new state and whether the trade
triggers out. Standard library and Decimal only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sim.domain.errors import InvalidInput
from sim.domain.filters import TrailingDelta
from sim.domain.messages import Term
from sim.domain.values import ceil_to, floor_to

BPS = Decimal(10_000)
SELL = "SELL"


DEFAULT_BOUNDS = TrailingDelta(10, 2000, 10, 2000)  # Binance's usual TRAILING_DELTA filter


def check_delta(value: object, side: str, bounds: TrailingDelta | None, symbol: str) -> int:
    """``value`` as a whole number of bps within the bounds for ``side``, or InvalidInput."""
    b = bounds or DEFAULT_BOUNDS
    low, high = (b.min_below, b.max_below) if side == SELL else (b.min_above, b.max_above)
    try:
        delta = Decimal(str(value).strip())
    except ArithmeticError:
        delta = Decimal("NaN")
    if not delta.is_finite() or delta != delta.to_integral_value():
        raise InvalidInput.of("trailing.not_whole", value=value)
    if not low <= delta <= high:
        raise InvalidInput.of(
            "trailing.out_of_range",
            delta=int(delta),
            symbol=symbol,
            side=Term(str.lower(side)),
            low=low,
            high=high,
            low_pct=f"{Decimal(low) / 100:f}",
            high_pct=f"{Decimal(high) / 100:f}",
        )
    return int(delta)


@dataclass(frozen=True, slots=True)
class Trail:
    """A trailing stop's state: ``extreme`` is None until tracking starts."""

    side: str
    delta_bps: int
    activation: Decimal | None = None
    extreme: Decimal | None = None

    @property
    def level(self) -> Decimal | None:
        """The stop level now (None before tracking starts)."""
        return None if self.extreme is None else stop_level(self.side, self.extreme, self.delta_bps)


def stop_level(side: str, extreme: Decimal, delta_bps: int) -> Decimal:
    """SELL: ``extreme x (1 - delta/10000)``; BUY: ``extreme x (1 + delta/10000)`` (exact)."""
    sign = -1 if side == SELL else 1
    return extreme * (BPS + sign * delta_bps) / BPS


def trigger_price(side: str, extreme: Decimal, delta_bps: int, tick: Decimal) -> Decimal:
    """The first price on the tick grid that triggers: SELL the level rounded down, BUY up."""
    level = stop_level(side, extreme, delta_bps)
    return floor_to(level, tick) if side == SELL else ceil_to(level, tick)


def activated_by(side: str, activation: Decimal, price: Decimal) -> bool:
    """True when a trade at ``price`` reaches the activation price (SELL: at or above, BUY: at or below)."""
    return price >= activation if side == SELL else price <= activation


def fires(side: str, extreme: Decimal, delta_bps: int, price: Decimal) -> bool:
    """True when ``price`` is at or beyond the stop level of ``extreme`` (exact, no division)."""
    if side == SELL:
        return price * BPS <= extreme * (BPS - delta_bps)
    return price * BPS >= extreme * (BPS + delta_bps)


def step(trail: Trail, price: Decimal) -> tuple[Trail, bool]:
    """One trade at ``price`` (at or after the order's creation): the new state, and whether it
    triggers the order. See the module docstring for the rule."""
    side, extreme = trail.side, trail.extreme
    if extreme is None:
        if trail.activation is None or activated_by(side, trail.activation, price):
            return replace(trail, extreme=price), False
        return trail, False
    if (price > extreme) if side == SELL else (price < extreme):
        return replace(trail, extreme=price), False
    return trail, fires(side, extreme, trail.delta_bps, price)


def walk(trail: Trail, prices: list[Decimal]) -> tuple[Trail, int | None]:
    """:func:`step` over ``prices`` in order until one triggers: the state and the index of the
    triggering price (None when none does)."""
    for i, price in enumerate(prices):
        trail, fired = step(trail, price)
        if fired:
            return trail, i
    return trail, None
