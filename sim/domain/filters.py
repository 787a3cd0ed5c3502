"""The Binance exchangeInfo filters the simulator reads, parsed and checked.

Assumptions (Binance spot API docs, "Filters"; the formats of the recorded payloads in
``tests/fixtures/binance``):
- Prices, quantities, notionals and multipliers arrive as decimal strings (``"0.00000001"``) and
  are read as Decimal from that text. Counts (basis points, minutes) arrive as JSON integers (some
  captures carry them as digit strings; both are read). A JSON float is refused: its text is lost.
- ``PRICE_FILTER`` (required): ``minPrice``, ``maxPrice``, ``tickSize``. The tick must be above
  zero (the simulator rounds prices to it, though Binance lets 0 disable the grid); ``maxPrice``
  0 means no maximum (Binance: 0 disables that bound); otherwise ``minPrice <= maxPrice``.
- ``LOT_SIZE`` (required): ``minQty``, ``maxQty``, ``stepSize``; ``stepSize > 0`` and
  ``0 <= minQty <= maxQty``, ``maxQty > 0``.
- ``MARKET_LOT_SIZE`` (optional): the same fields for market orders. Binance sends zeros
  (``"0.00000000"``) for bounds it does not apply (a zero step: the ``LOT_SIZE`` step governs); a
  non-zero ``maxQty`` must not be below ``minQty``.
- ``NOTIONAL`` (current) or ``MIN_NOTIONAL`` (legacy, before 2023): ``minNotional >= 0``;
  ``NOTIONAL``'s ``maxNotional``, when given, is not below it. ``NOTIONAL`` wins when both exist.
- ``TRAILING_DELTA`` (optional): ``min/maxTrailingAboveDelta`` and ``min/maxTrailingBelowDelta`` in
  basis points, whole numbers with ``0 < min <= max``.
- ``PERCENT_PRICE_BY_SIDE`` (optional): ``bid/askMultiplierUp`` and ``bid/askMultiplierDown``,
  each above zero with ``down <= up``; ``avgPriceMins`` a whole number of minutes.
Other filters (``ICEBERG_PARTS``, ``MAX_NUM_ORDERS``, ...) are kept in the document but not read.
Every refusal is :class:`~sim.domain.errors.InvalidExchangeRules` naming symbol, filter and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sim.domain.errors import InvalidExchangeRules, InvalidInput
from sim.domain.values import plain, to_decimal

__all__ = [
    "USED_FILTERS",
    "LotSize",
    "Notional",
    "PercentPriceBySide",
    "PriceFilter",
    "SymbolRules",
    "TrailingDelta",
    "plain",
    "read_symbol_rules",
]

USED_FILTERS = (
    "PRICE_FILTER",
    "LOT_SIZE",
    "MARKET_LOT_SIZE",
    "NOTIONAL",
    "MIN_NOTIONAL",
    "TRAILING_DELTA",
    "PERCENT_PRICE_BY_SIDE",
)


@dataclass(frozen=True, slots=True)
class PriceFilter:
    min_price: Decimal
    max_price: Decimal | None  # None: no maximum (Binance sent 0)
    tick_size: Decimal


@dataclass(frozen=True, slots=True)
class LotSize:
    min_qty: Decimal
    max_qty: Decimal
    step_size: Decimal  # 0 only in MARKET_LOT_SIZE: the LOT_SIZE step governs


@dataclass(frozen=True, slots=True)
class Notional:
    min_notional: Decimal
    max_notional: Decimal | None
    apply_min_to_market: bool
    apply_max_to_market: bool


@dataclass(frozen=True, slots=True)
class TrailingDelta:
    """Bounds in basis points of a trailing stop's ``trailingDelta``: "above" for orders whose
    stop lies above the market (buy stops), "below" for those below it (sell stops)."""

    min_above: int
    max_above: int
    min_below: int
    max_below: int


@dataclass(frozen=True, slots=True)
class PercentPriceBySide:
    """A limit price must lie within these multiples of the ``avg_price_mins`` average price."""

    bid_up: Decimal
    bid_down: Decimal
    ask_up: Decimal
    ask_down: Decimal
    avg_price_mins: int


@dataclass(frozen=True, slots=True)
class SymbolRules:
    """Everything the simulator reads from one ``symbols[]`` entry of exchangeInfo."""

    symbol: str
    status: str
    base_asset: str
    quote_asset: str
    price: PriceFilter
    lot: LotSize
    market_lot: LotSize | None
    notional: Notional | None
    trailing_delta: TrailingDelta | None
    percent_price_by_side: PercentPriceBySide | None


class _Reader:
    """Reads the fields of one filter, naming symbol, filter and field in every refusal."""

    def __init__(self, symbol: str, name: str, raw: Mapping[str, Any]) -> None:
        self.symbol, self.name, self.raw = symbol, name, raw

    def fail(self, problem: str) -> InvalidExchangeRules:
        return InvalidExchangeRules.of(
            "rules.filter_problem", symbol=self.symbol, name=self.name, problem=problem
        )

    def decimal(self, field: str, *, optional: bool = False) -> Decimal | None:
        if field not in self.raw and optional:
            return None
        value = self.raw.get(field)
        if isinstance(value, float):
            raise self.fail(f"{field} {value!r} must be a decimal string as Binance sends it, not a float.")
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise self.fail(f"{field} is missing or not a number: {value!r}.")
        try:
            result = to_decimal(value, field)
        except InvalidInput as exc:
            raise self.fail(f"{field} {value!r} is unreadable: {exc}") from None
        if result < 0:
            raise self.fail(f"{field} {value} must not be negative.")
        return result

    def required(self, field: str) -> Decimal:
        result = self.decimal(field)
        assert result is not None
        return result

    def whole(self, field: str, *, minimum: int = 0) -> int:
        value = self.raw.get(field)
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(f"{field} must be a whole number of at least {minimum}, got {value!r}.")
        return value

    def flag(self, field: str, default: bool) -> bool:
        value = self.raw.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(f"{field} must be true or false, got {value!r}.")
        return value


def _price(r: _Reader) -> PriceFilter:
    low, high, tick = r.required("minPrice"), r.required("maxPrice"), r.required("tickSize")
    if tick == 0:
        raise r.fail("tickSize is 0: the simulator needs a price grid.")
    if high != 0 and low > high:
        raise r.fail(f"minPrice {plain(low)} is above maxPrice {plain(high)}.")
    return PriceFilter(low, high or None, tick)


def _lot(r: _Reader, *, market: bool) -> LotSize:
    low, high, step = r.required("minQty"), r.required("maxQty"), r.required("stepSize")
    if not market and step == 0:
        raise r.fail("stepSize is 0: the simulator needs a quantity grid.")
    if not market and high == 0:
        raise r.fail("maxQty is 0: no quantity could be traded.")
    if high != 0 and low > high:
        raise r.fail(f"minQty {plain(low)} is above maxQty {plain(high)}.")
    return LotSize(low, high, step)


def _notional(r: _Reader) -> Notional:
    low = r.required("minNotional")
    high = r.decimal("maxNotional", optional=True)
    if high is not None and low > high:
        raise r.fail(f"minNotional {plain(low)} is above maxNotional {plain(high)}.")
    if r.name == "MIN_NOTIONAL":
        return Notional(low, None, r.flag("applyToMarket", True), False)
    return Notional(low, high, r.flag("applyMinToMarket", True), r.flag("applyMaxToMarket", False))


def _trailing(r: _Reader) -> TrailingDelta:
    values = [
        r.whole(f, minimum=1)
        for f in (
            "minTrailingAboveDelta",
            "maxTrailingAboveDelta",
            "minTrailingBelowDelta",
            "maxTrailingBelowDelta",
        )
    ]
    for side, low, high in (("Above", values[0], values[1]), ("Below", values[2], values[3])):
        if low > high:
            raise r.fail(f"minTrailing{side}Delta {low} is above maxTrailing{side}Delta {high}.")
    return TrailingDelta(*values)


def _percent_by_side(r: _Reader) -> PercentPriceBySide:
    values = {}
    for side in ("bid", "ask"):
        up, down = r.required(f"{side}MultiplierUp"), r.required(f"{side}MultiplierDown")
        if down == 0 or up == 0:
            raise r.fail(f"{side} multipliers must be above 0, got up {plain(up)}, down {plain(down)}.")
        if down > up:
            raise r.fail(f"{side}MultiplierDown {plain(down)} is above {side}MultiplierUp {plain(up)}.")
        values[side] = (up, down)
    return PercentPriceBySide(*values["bid"], *values["ask"], r.whole("avgPriceMins"))


def _text(entry: Mapping[str, Any], field: str, symbol: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidExchangeRules.of("rules.text_missing", symbol=symbol, field=field, value=value)
    return value


def read_symbol_rules(entry: object) -> SymbolRules:
    """Parse and check one ``symbols[]`` entry, or raise InvalidExchangeRules saying what is wrong."""
    if not isinstance(entry, Mapping):
        raise InvalidExchangeRules.of("rules.entry_not_object", entry=str(entry)[:80])
    symbol = entry.get("symbol")
    if not (isinstance(symbol, str) and symbol.isascii() and symbol.isalnum() and symbol.isupper()):
        raise InvalidExchangeRules.of("rules.entry_no_symbol", symbol=symbol)
    raw_filters = entry.get("filters")
    if not isinstance(raw_filters, list) or not all(
        isinstance(f, Mapping) and isinstance(f.get("filterType"), str) for f in raw_filters
    ):
        raise InvalidExchangeRules.of("rules.filters_not_list", symbol=symbol)
    filters = {f["filterType"]: f for f in raw_filters}
    for name in ("PRICE_FILTER", "LOT_SIZE"):
        if name not in filters:
            raise InvalidExchangeRules.of("rules.filter_missing", symbol=symbol, name=name)

    def reader(name: str) -> _Reader:
        return _Reader(symbol, name, filters[name])

    notional_name = "NOTIONAL" if "NOTIONAL" in filters else "MIN_NOTIONAL"
    return SymbolRules(
        symbol=symbol,
        status=_text(entry, "status", symbol),
        base_asset=_text(entry, "baseAsset", symbol),
        quote_asset=_text(entry, "quoteAsset", symbol),
        price=_price(reader("PRICE_FILTER")),
        lot=_lot(reader("LOT_SIZE"), market=False),
        market_lot=_lot(reader("MARKET_LOT_SIZE"), market=True) if "MARKET_LOT_SIZE" in filters else None,
        notional=_notional(reader(notional_name)) if notional_name in filters else None,
        trailing_delta=_trailing(reader("TRAILING_DELTA")) if "TRAILING_DELTA" in filters else None,
        percent_price_by_side=(
            _percent_by_side(reader("PERCENT_PRICE_BY_SIDE")) if "PERCENT_PRICE_BY_SIDE" in filters else None
        ),
    )
