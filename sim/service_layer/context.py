"""What every use case runs on: :class:`ServiceContext`, the narrow context below the facade.

It holds the settings, the instruments, the market (last prices, books), the clock, the replay (if
any), the history store (if any), the ledger's unit-of-work factories, the forecast log (in memory
unless one is given) and the event listeners. The
facade :class:`sim.services.Simulator` *is* a ServiceContext with one-line delegations on top, so a
use case written against this class never imports the facade (no import cycle), and a notebook may
still pass its simulator to any use case.

Assumptions: the unit-of-work factories are injected (the composition root gives the SQLAlchemy
ones, tests may give :class:`~sim.service_layer.memory_uow.InMemoryUnitOfWork`); ``engine`` is the
ledger's SQLAlchemy engine for the read helpers that still take a connection, None on a fake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sim.clock import Clock, as_clock
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.fills import FeeSchedule, Tick
from sim.domain.instruments import Instruments
from sim.service_layer.decisions import Costs
from sim.service_layer.ports import CandleStore, ForecastLog, MarketData, Replay
from sim.service_layer.trading import TradingContext
from sim.service_layer.unit_of_work import UnitOfWork
from sim.settings import Settings

Listener = Callable[[OrderEvent | FillEvent], None]
BCRYPT_ROUNDS = 12  # see sim.users


def _memory_forecast_log() -> ForecastLog:
    from sim.service_layer.memory_forecasts import InMemoryForecastLog

    return InMemoryForecastLog()


class ServiceContext:
    """The settings, market, clock and ledger the use cases need (see the module docstring)."""

    # the ledger's SQLAlchemy engines, set by the facade for the adapters' own read helpers
    # (forecasts, logins); typed loosely so the service layer names no adapter library
    engine: Any
    order_engine: Any

    def __init__(
        self,
        settings: Settings,
        instruments: Instruments,
        market: MarketData,
        clock: Clock | Callable[[], datetime],
        uow: Callable[[], UnitOfWork],
        reader: Callable[[], UnitOfWork] | None = None,
        dry_run: Callable[[], UnitOfWork] | None = None,
        replay: Replay | None = None,
        history: CandleStore | None = None,
        forecast_log: ForecastLog | None = None,
    ) -> None:
        self.settings = settings
        self.instruments = instruments
        self.market = market
        self.clock = as_clock(clock)  # never runs backwards (see sim.clock)
        self._clock = self.clock.now
        self.uow_factory = uow
        self.reader_factory = reader or uow
        self.dry_run_factory = dry_run or uow
        self.replay = replay
        self.history_store = history
        self.forecast_log: ForecastLog = forecast_log or _memory_forecast_log()
        self.listeners: list[Listener] = []  # told of each event once its unit of work committed
        self.closers: list[Callable[[], None]] = []  # what open() opened, closed by close()
        self._open_24h_cache: dict[tuple[str, datetime], Decimal | None] = {}
        self.stored_forecasts: set[tuple[str, datetime]] = set()  # (model id, as of) written by us
        self.bcrypt_rounds = BCRYPT_ROUNDS

    def now(self) -> datetime:
        """Market time: the clock's (see :mod:`sim.clock`); it never runs backwards."""
        return self._clock()

    def record_tick(self, tick: Tick) -> None:
        """A trade happened on a market this process keeps itself (a replay): the facade stores
        it; a live store is written by the pipeline's consumer, so nothing is done here."""

    def trading_context(self) -> TradingContext:
        return TradingContext(
            instruments=self.instruments,
            last=self.market.last,
            book=self.market.book,
            now=self._clock,
            max_price_age=timedelta(seconds=self.settings.max_price_age_seconds),
            costs=self.costs_of,
        )

    @contextmanager
    def writing(self) -> Iterator[UnitOfWork]:
        """A unit of work whose events go to the listeners once it has committed."""
        with self.uow_factory() as uow:
            yield uow
        self.publish(uow.events)

    def reading(self) -> UnitOfWork:
        """A unit of work for reads only."""
        return self.reader_factory()

    def dry_run(self) -> UnitOfWork:
        """A unit of work that is always rolled back and publishes nothing (for previews)."""
        return self.dry_run_factory()

    def publish(self, events: list[OrderEvent | FillEvent]) -> None:
        for event in events:
            for listener in self.listeners:
                listener(event)

    def costs_of(self, row: Any) -> Costs:
        """The user's fee and slippage preferences from ``row``, else the settings' defaults."""
        s = self.settings
        return Costs(
            FeeSchedule(
                maker=row.maker_fee if row.maker_fee is not None else s.maker_fee,
                taker=row.taker_fee if row.taker_fee is not None else s.taker_fee,
            ),
            row.slippage_bps if row.slippage_bps is not None else s.slippage_bps,
        )
