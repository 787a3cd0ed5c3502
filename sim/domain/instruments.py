"""Tradable instruments and their Binance exchange filters.

An instrument is read from a Binance ``GET /api/v3/exchangeInfo`` symbol entry:
- ``PRICE_FILTER``: prices must lie in [minPrice, maxPrice] and on the ``tickSize`` grid;
- ``LOT_SIZE``: quantities must lie in [minQty, maxQty] and on the ``stepSize`` grid;
- ``NOTIONAL`` (current) or ``MIN_NOTIONAL`` (legacy, pre-2023 responses): price x quantity must be at
  least ``minNotional`` (and at most ``maxNotional`` when given);
- ``TRAILING_DELTA`` (optional): ``min/maxTrailingAboveDelta`` and ``min/maxTrailingBelowDelta`` in
  basis points, the bounds of a trailing stop's delta (:mod:`sim.domain.trailing`). Without it the
  instrument carries None and trailing stops use Binance's usual bounds, 10 to 2000 bps.
A symbol whose ``status`` is not ``TRADING`` is still parsed but refuses orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sim.domain.errors import InvalidInput, OrderRejected, UnknownSymbol
from sim.domain.trailing import TrailingDelta
from sim.domain.values import Price, Quantity, decimals_of, on_grid, positive


@dataclass(frozen=True, slots=True)
class Instrument:
    """One spot symbol with the exchange's trading rules."""

    symbol: str
    base_asset: str
    quote_asset: str
    tick_size: Decimal
    min_price: Decimal
    max_price: Decimal
    step_size: Decimal
    min_qty: Decimal
    max_qty: Decimal
    min_notional: Decimal
    max_notional: Decimal | None = None
    trading: bool = True
    trailing_delta: TrailingDelta | None = None

    def price(self, value: object, field: str = "price") -> Price:
        """Validate a price: finite, > 0, within the filter's range, on the tick grid."""
        result = positive(value, field)
        if not on_grid(result, self.tick_size):
            raise InvalidInput(
                f"{field} {result} is off the {self.symbol} price grid: it must be a multiple of "
                f"the tick size {self.tick_size.normalize()} "
                f"(at most {decimals_of(self.tick_size)} decimals)."
            )
        if result < self.min_price or result > self.max_price:
            raise InvalidInput(
                f"{field} {result} is outside the allowed range for {self.symbol}: "
                f"{self.min_price.normalize()} to {self.max_price.normalize()}."
            )
        return Price(result)

    def quantity(self, value: object, field: str = "quantity") -> Quantity:
        """Validate a base-asset quantity: finite, > 0, on the step grid, within LOT_SIZE."""
        result = positive(value, field)
        if not on_grid(result, self.step_size):
            places = decimals_of(self.step_size)
            if decimals_of(result) > places:
                raise InvalidInput(
                    f"{field} {result} has too many decimals for {self.symbol}: at most {places} "
                    f"(step size {self.step_size.normalize()})."
                )
            raise InvalidInput(
                f"{field} {result} is off the {self.symbol} quantity grid: it must be a multiple "
                f"of the step size {self.step_size.normalize()}."
            )
        if result < self.min_qty:
            raise InvalidInput(
                f"{field} {result} is below the minimum of {self.min_qty.normalize()} "
                f"{self.base_asset} for {self.symbol}."
            )
        if result > self.max_qty:
            raise InvalidInput(
                f"{field} {result} is above the maximum of {self.max_qty.normalize()} "
                f"{self.base_asset} for {self.symbol}."
            )
        return Quantity(result)

    def check_notional(self, price: Decimal, quantity: Decimal) -> None:
        """Refuse an order whose value (price x quantity) is under the exchange minimum."""
        notional = price * quantity
        if notional < self.min_notional:
            raise OrderRejected(
                f"Order value {notional.normalize():f} {self.quote_asset} is below the minimum of "
                f"{self.min_notional.normalize()} {self.quote_asset} for {self.symbol}."
            )
        if self.max_notional is not None and notional > self.max_notional:
            raise OrderRejected(
                f"Order value {notional.normalize():f} {self.quote_asset} is above the maximum of "
                f"{self.max_notional.normalize()} {self.quote_asset} for {self.symbol}."
            )


def _filters(entry: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {f["filterType"]: f for f in entry.get("filters", [])}


def instrument_from_exchange_info(entry: Mapping[str, Any]) -> Instrument:
    """Build an Instrument from one ``symbols[]`` entry of an exchangeInfo response."""
    filters = _filters(entry)
    price_f = filters["PRICE_FILTER"]
    lot = filters["LOT_SIZE"]
    notional_f = filters.get("NOTIONAL") or filters.get("MIN_NOTIONAL") or {"minNotional": "0"}
    max_notional = notional_f.get("maxNotional")
    trail = filters.get("TRAILING_DELTA")
    return Instrument(
        symbol=entry["symbol"],
        base_asset=entry["baseAsset"],
        quote_asset=entry["quoteAsset"],
        tick_size=Decimal(price_f["tickSize"]).normalize(),
        min_price=Decimal(price_f["minPrice"]),
        max_price=Decimal(price_f["maxPrice"]),
        step_size=Decimal(lot["stepSize"]).normalize(),
        min_qty=Decimal(lot["minQty"]),
        max_qty=Decimal(lot["maxQty"]),
        min_notional=Decimal(notional_f["minNotional"]),
        max_notional=Decimal(max_notional) if max_notional is not None else None,
        trading=entry.get("status", "TRADING") == "TRADING",
        trailing_delta=_trailing(trail) if trail else None,
    )


def _trailing(f: Mapping[str, Any]) -> TrailingDelta:
    names = [f"{end}Trailing{side}Delta" for side in ("Above", "Below") for end in ("min", "max")]
    return TrailingDelta(*(int(f[n]) for n in names))


class Instruments(Mapping[str, Instrument]):
    """The tracked instruments, looked up by symbol with a clear error for unknown ones."""

    def __init__(self, items: Iterable[Instrument]) -> None:
        self._by_symbol = {i.symbol: i for i in items}

    @classmethod
    def from_exchange_info(cls, info: Mapping[str, Any], symbols: Iterable[str] | None = None) -> Instruments:
        """Parse an exchangeInfo document, keeping ``symbols`` (all when None)."""
        wanted = set(symbols) if symbols is not None else None
        items = [
            instrument_from_exchange_info(e)
            for e in info["symbols"]
            if wanted is None or e["symbol"] in wanted
        ]
        if wanted is not None:
            missing = wanted - {i.symbol for i in items}
            if missing:
                raise UnknownSymbol(f"exchangeInfo has no entry for {', '.join(sorted(missing))}.")
        return cls(items)

    def get_or_raise(self, symbol: object) -> Instrument:
        """The instrument for ``symbol`` (case-insensitive), or UnknownSymbol."""
        key = symbol.strip().upper() if isinstance(symbol, str) else None
        if key is None or key not in self._by_symbol:
            known = ", ".join(sorted(self._by_symbol))
            raise UnknownSymbol(f"Unknown symbol {symbol!r}. Tracked symbols: {known}.")
        instrument = self._by_symbol[key]
        if not instrument.trading:
            raise UnknownSymbol(f"{key} is not trading on the exchange now.")
        return instrument

    def __getitem__(self, symbol: str) -> Instrument:
        return self._by_symbol[symbol]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_symbol)

    def __len__(self) -> int:
        return len(self._by_symbol)
