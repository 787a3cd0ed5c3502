"""Tradable instruments and their Binance exchange filters.

An instrument is read from a Binance ``GET /api/v3/exchangeInfo`` symbol entry; the filters are
parsed and checked by :mod:`sim.domain.filters` (which says what each one means). Orders use:
- ``PRICE_FILTER``: prices must lie in [minPrice, maxPrice] (no maximum when Binance sends 0) and on
  the ``tickSize`` grid;
- ``LOT_SIZE``: quantities must lie in [minQty, maxQty] and on the ``stepSize`` grid;
- ``NOTIONAL`` (current) or ``MIN_NOTIONAL`` (legacy, pre-2023 responses): price x quantity must be at
  least ``minNotional`` (and at most ``maxNotional`` when given).
``MARKET_LOT_SIZE``, ``TRAILING_DELTA`` and ``PERCENT_PRICE_BY_SIDE`` are parsed, checked and kept on
the instrument for the order types that need them.

A symbol whose ``status`` is not ``TRADING`` (``BREAK``, ``HALT``, ...) is refused with
:class:`~sim.domain.errors.SymbolNotTrading`, whose message gives the status: when it is asked for
as a tracked symbol (``SYMBOLS``) and when it is looked up. Decimal values stay exact at the
extremes Binance uses (a tick of 0.00000001, quantities in the billions): every check is a Decimal
comparison or remainder, and messages print plain digits (never ``1E-8``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sim.domain.errors import (
    InvalidExchangeRules,
    InvalidInput,
    OrderRejected,
    SymbolNotTrading,
    UnknownSymbol,
)
from sim.domain.filters import LotSize, PercentPriceBySide, TrailingDelta, plain, read_symbol_rules
from sim.domain.messages import Term
from sim.domain.values import Price, Quantity, decimals_of, on_grid, positive

TRADING = "TRADING"
MAX_NAMED = 20  # an unknown symbol's message lists the tradable ones up to this many


@dataclass(frozen=True, slots=True)
class Instrument:
    """One spot symbol with the exchange's trading rules."""

    symbol: str
    base_asset: str
    quote_asset: str
    tick_size: Decimal
    min_price: Decimal
    max_price: Decimal | None  # None: no maximum
    step_size: Decimal
    min_qty: Decimal
    max_qty: Decimal
    min_notional: Decimal
    max_notional: Decimal | None = None
    status: str = TRADING
    market_lot: LotSize | None = None
    trailing_delta: TrailingDelta | None = None
    percent_price_by_side: PercentPriceBySide | None = None

    @property
    def trading(self) -> bool:
        """True when Binance lists the symbol as ``TRADING``."""
        return self.status == TRADING

    def price(self, value: object, field: str = "price") -> Price:
        """Validate a price: finite, > 0, within the filter's range, on the tick grid."""
        result = positive(value, field)
        if not on_grid(result, self.tick_size):
            raise InvalidInput.of(
                "price.off_grid",
                field=Term(field),
                value=result,
                symbol=self.symbol,
                tick=plain(self.tick_size),
                decimals=decimals_of(self.tick_size),
            )
        if self.max_price is None and result < self.min_price:
            raise InvalidInput.of(
                "price.below_min",
                field=Term(field),
                value=result,
                low=plain(self.min_price),
                symbol=self.symbol,
            )
        if self.max_price is not None and not self.min_price <= result <= self.max_price:
            raise InvalidInput.of(
                "price.out_of_range",
                field=Term(field),
                value=result,
                symbol=self.symbol,
                low=plain(self.min_price),
                high=plain(self.max_price),
            )
        return Price(result)

    def quantity(self, value: object, field: str = "quantity") -> Quantity:
        """Validate a base-asset quantity: finite, > 0, on the step grid, within LOT_SIZE."""
        result = positive(value, field)
        if not on_grid(result, self.step_size):
            places = decimals_of(self.step_size)
            if decimals_of(result) > places:
                raise InvalidInput.of(
                    "quantity.decimals",
                    field=Term(field),
                    value=result,
                    symbol=self.symbol,
                    places=places,
                    step=plain(self.step_size),
                )
            raise InvalidInput.of(
                "quantity.off_grid",
                field=Term(field),
                value=result,
                symbol=self.symbol,
                step=plain(self.step_size),
            )
        if result < self.min_qty:
            raise InvalidInput.of(
                "quantity.below_min",
                field=Term(field),
                value=result,
                low=plain(self.min_qty),
                asset=self.base_asset,
                symbol=self.symbol,
            )
        if result > self.max_qty:
            raise InvalidInput.of(
                "quantity.above_max",
                field=Term(field),
                value=result,
                high=plain(self.max_qty),
                asset=self.base_asset,
                symbol=self.symbol,
            )
        return Quantity(result)

    def check_notional(self, price: Decimal, quantity: Decimal) -> None:
        """Refuse an order whose value (price x quantity) is under the exchange minimum."""
        notional = price * quantity
        if notional < self.min_notional:
            raise OrderRejected.of(
                "notional.below_min",
                notional=plain(notional),
                quote=self.quote_asset,
                low=plain(self.min_notional),
                symbol=self.symbol,
            )
        if self.max_notional is not None and notional > self.max_notional:
            raise OrderRejected.of(
                "notional.above_max",
                notional=plain(notional),
                quote=self.quote_asset,
                high=plain(self.max_notional),
                symbol=self.symbol,
            )


def instrument_from_exchange_info(entry: Mapping[str, Any]) -> Instrument:
    """Build an Instrument from one ``symbols[]`` entry of an exchangeInfo response.

    Raises InvalidExchangeRules when a filter is missing or breaks its own rules.
    """
    rules = read_symbol_rules(entry)
    notional = rules.notional
    return Instrument(
        symbol=rules.symbol,
        base_asset=rules.base_asset,
        quote_asset=rules.quote_asset,
        tick_size=rules.price.tick_size.normalize(),
        min_price=rules.price.min_price,
        max_price=rules.price.max_price,
        step_size=rules.lot.step_size.normalize(),
        min_qty=rules.lot.min_qty,
        max_qty=rules.lot.max_qty,
        min_notional=notional.min_notional if notional else Decimal(0),
        max_notional=notional.max_notional if notional else None,
        status=rules.status,
        market_lot=rules.market_lot,
        trailing_delta=rules.trailing_delta,
        percent_price_by_side=rules.percent_price_by_side,
    )


def _entries(info: object) -> list[Any]:
    symbols = info.get("symbols") if isinstance(info, Mapping) else None
    if not isinstance(symbols, list):
        raise InvalidExchangeRules.of("rules.no_symbols")
    return symbols


class Instruments(Mapping[str, Instrument]):
    """The tracked instruments, looked up by symbol with a clear error for unknown ones.

    ``not_trading`` maps the other symbols of the document whose status is not TRADING to that
    status, so that looking one of them up says so instead of calling it unknown. ``unavailable``
    maps symbols the exchange lists as TRADING but this system has no market data for (offline: no
    candles) to the refusal that says so and what to do: a message key of
    :mod:`sim.domain.messages` and its parameters (raised as UnknownSymbol).
    """

    def __init__(
        self,
        items: Iterable[Instrument],
        not_trading: Mapping[str, str] | None = None,
        unavailable: Mapping[str, tuple[str, Mapping[str, object]]] | None = None,
    ) -> None:
        self._by_symbol = {i.symbol: i for i in items}
        self._not_trading = dict(not_trading or {})
        self._unavailable = dict(unavailable or {})

    def listed(self, symbol: str) -> bool:
        """True when the snapshot lists ``symbol`` at all (tradable here, not trading, or no data)."""
        return symbol in self._by_symbol or symbol in self._not_trading or symbol in self._unavailable

    @classmethod
    def from_exchange_info(cls, info: Mapping[str, Any], symbols: Iterable[str] | None = None) -> Instruments:
        """Parse an exchangeInfo document, keeping ``symbols`` (all when None).

        A symbol asked for in ``symbols`` must be listed (else UnknownSymbol) and TRADING (else
        SymbolNotTrading). With ``symbols=None`` every entry is parsed, those not trading included
        (their lookups are refused). Only the kept entries are parsed and checked: a malformed
        entry of another symbol does not stop the tracked ones.
        """
        wanted = list(dict.fromkeys(symbols)) if symbols is not None else None
        entries = _entries(info)
        statuses = {
            e["symbol"]: e.get("status", TRADING)
            for e in entries
            if isinstance(e, Mapping) and isinstance(e.get("symbol"), str)
        }
        not_trading = {s: str(st) for s, st in statuses.items() if st != TRADING}
        if wanted is not None:
            missing = [s for s in wanted if s not in statuses]
            if missing:
                raise UnknownSymbol.of("symbol.no_entry", symbols=", ".join(sorted(missing)))
            for s in wanted:
                if s in not_trading:
                    raise SymbolNotTrading(s, not_trading[s])
        keep = set(wanted) if wanted is not None else None
        items = [
            instrument_from_exchange_info(e)
            for e in entries
            if keep is None or (isinstance(e, Mapping) and e.get("symbol") in keep)
        ]
        return cls(items, not_trading)

    def get_or_raise(self, symbol: object) -> Instrument:
        """The instrument for ``symbol`` (case-insensitive); UnknownSymbol when it is not tracked,
        SymbolNotTrading (with the status) when Binance does not list it as TRADING."""
        key = symbol.strip().upper() if isinstance(symbol, str) else None
        instrument = self._by_symbol.get(key) if key is not None else None
        if key is not None and instrument is not None and not instrument.trading:
            raise SymbolNotTrading(key, instrument.status)
        if key is not None and instrument is None and key in self._not_trading:
            raise SymbolNotTrading(key, self._not_trading[key])
        if key is not None and instrument is None and key in self._unavailable:
            reason, params = self._unavailable[key]
            raise UnknownSymbol.of(reason, **params)
        if instrument is None:
            if len(self._by_symbol) <= MAX_NAMED:
                known = ", ".join(sorted(self._by_symbol))
                raise UnknownSymbol.of("symbol.unknown", symbol=symbol, known=known)
            raise UnknownSymbol.of("symbol.unknown_many", symbol=symbol, count=len(self._by_symbol))
        return instrument

    def __getitem__(self, symbol: str) -> Instrument:
        return self._by_symbol[symbol]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_symbol)

    def __len__(self) -> int:
        return len(self._by_symbol)
