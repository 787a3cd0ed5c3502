"""What the assistant needs of the simulator: :class:`Facade`, the public methods it calls.

The assistant is a client of the facade like a page or a notebook; it names this protocol instead
of :class:`sim.services.Simulator`, so the facade can delegate ``chat`` to the assistant without an
import cycle. :class:`~sim.services.Simulator` satisfies it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from sim.domain.fills import Tick
    from sim.domain.instruments import Instruments
    from sim.settings import Settings
    from sim.views import FillView, OrderView, PortfolioView, UserView


class Facade(Protocol):
    """The simulator as the assistant sees it (see the module docstring)."""

    settings: Settings
    instruments: Instruments

    def now(self) -> datetime: ...

    def symbols(self) -> list[str]: ...

    def tracked_symbols(self, user_id: int) -> list[str]: ...

    def me(self, user_id: int) -> UserView: ...

    def price(self, symbol: str) -> Tick | None: ...

    def ticker(self, symbol: str) -> dict[str, Any] | None: ...

    def history(
        self, symbol: str, interval: str = "1h", start: object = None, end: object = None
    ) -> pd.DataFrame: ...

    def chart_intervals(self, symbol: str) -> list[str]: ...

    def portfolio(self, user_id: int) -> PortfolioView: ...

    def trades(self, user_id: int, all_accounts: bool = False) -> list[FillView]: ...

    def preferences(self, user_id: int) -> dict[str, Decimal]: ...

    def forecast(self, symbol: str, interval: str = "1h", horizon: int = 1) -> Any: ...

    def score_forecasts(self) -> int: ...

    def track_record(self, symbol: str | None = None, horizon: int | None = None) -> Any: ...

    def analysis(self, symbol: str, interval: str = "1h", lang: str = "en") -> Any: ...

    def preview_order(
        self,
        user_id: int,
        symbol: str,
        side: str,
        order_type: str = "MARKET",
        *,
        quantity: object = None,
        quote_amount: object = None,
        price: object = None,
        stop_price: object = None,
        take_profit: object = None,
        stop_loss: object = None,
    ) -> dict[str, Any]: ...

    def place_order(
        self,
        user_id: int,
        symbol: str,
        side: str,
        order_type: str = "MARKET",
        *,
        quantity: object = None,
        quote_amount: object = None,
        price: object = None,
        stop_price: object = None,
        client_order_id: str | None = None,
    ) -> OrderView: ...
