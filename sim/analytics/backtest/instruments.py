"""Which exchange rules a backtest trades under.

By default the shipped ``data/exchange_info.json`` (read on first use, never at import): the same
tick sizes, step sizes and minimum notionals that paper trading enforces. A caller may pass its
own mapping symbol -> :class:`~sim.domain.instruments.Instrument` (for example
``Simulator.instruments``) or build one with :func:`instrument` for a synthetic market.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache

from sim.domain.errors import UnknownSymbol
from sim.domain.instruments import Instrument, Instruments
from sim.settings import DATA_DIR


@lru_cache(maxsize=1)
def default_instruments() -> Instruments:
    """The instruments of the shipped ``data/exchange_info.json`` (cached after the first read)."""
    info = json.loads((DATA_DIR / "exchange_info.json").read_text())
    return Instruments.from_exchange_info(info)


def instrument(
    symbol: str,
    tick_size: str = "0.01",
    step_size: str = "0.00001",
    min_notional: str = "5",
    quote: str = "USDT",
) -> Instrument:
    """A made-up instrument (for synthetic data or tests); text arguments keep them exact."""
    base = symbol[: -len(quote)] if symbol.endswith(quote) and symbol != quote else symbol
    return Instrument(
        symbol=symbol,
        base_asset=base,
        quote_asset=quote,
        tick_size=Decimal(tick_size),
        min_price=Decimal(tick_size),
        max_price=Decimal("100000000"),
        step_size=Decimal(step_size),
        min_qty=Decimal(step_size),
        max_qty=Decimal("100000000000"),
        min_notional=Decimal(min_notional),
    )


def resolve(symbols: Iterable[str], instruments: Mapping[str, Instrument] | None) -> dict[str, Instrument]:
    """The instrument of each symbol, from ``instruments`` or the shipped exchange info."""
    source = instruments if instruments is not None else default_instruments()
    found: dict[str, Instrument] = {}
    for symbol in symbols:
        if symbol not in source:
            known = ", ".join(sorted(source))
            raise UnknownSymbol.of("backtest.no_rules", symbol=symbol, known=known)
        found[symbol] = source[symbol]
    return found
