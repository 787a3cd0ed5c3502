"""The public API used by pages, notebooks and jobs: one :class:`Simulator` object.

    sim = Simulator.open()                 # from the settings (sim.bootstrap); embedded: SQLite + replay
    alice = sim.register("alice", "correct horse")
    sim.buy(alice.id, "BTCUSDT", quote_amount="100")   # buy 100 USDT of BTC at the replay price
    sim.advance(24)                        # play 24 hourly candles: resting orders fill as prices move
    sim.portfolio(alice.id)

A facade: each method is a one-line delegation to a use case of :mod:`sim.service_layer` (or of
the analytics modules), which run on the simulator as a
:class:`~sim.service_layer.context.ServiceContext`. Every write is one unit of work (see
:mod:`sim.service_layer.trading`); a refusal raises a :class:`~sim.domain.errors.SimError` whose
text is meant for people, and changes nothing. Events (fills, cancels, triggered stops) go to
``sim.listeners`` once their unit of work has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine

import sim.history as history
import sim.pagination as pagination
from sim.adapters.history.base import HistoryStore
from sim.adapters.ledger.forecasts_store import SqlForecastLog
from sim.adapters.ledger.pg_transactions import make_order_engine
from sim.adapters.ledger.unit_of_work import SqlUnitOfWork
from sim.adapters.market import InMemoryMarket
from sim.analysis_api import AnalysisMethods
from sim.bootstrap import open_simulator
from sim.clock import Clock
from sim.competition_api import CompetitionMethods
from sim.contract import guarded
from sim.domain.errors import InvalidInput  # noqa: F401 - part of the facade's vocabulary
from sim.domain.fills import Tick
from sim.domain.instruments import Instruments
from sim.notify_api import NotificationMethods
from sim.replay import ReplayFeed
from sim.service_layer import accounts, market, matching, orders
from sim.service_layer.matching import TradeLike
from sim.service_layer.ports import MarketData
from sim.settings import Settings
from sim.user_api import UserMethods
from sim.views import (
    FillView,
    OrderView,
    PortfolioView,
    UserView,  # noqa: F401 - re-exported: callers name it from here
)
from sim.watch_api import WatchMethods

DEFAULT_REPLAY_START = datetime(2023, 12, 1, tzinfo=UTC)


@guarded
class Simulator(UserMethods, AnalysisMethods, NotificationMethods, WatchMethods, CompetitionMethods):
    """The paper-trading simulator over one ledger database and one market data source.

    Every public method keeps the error contract of :mod:`sim.contract`: ids are checked, and an
    unreachable service raises the retryable :class:`~sim.domain.errors.ServiceUnavailable`."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        instruments: Instruments,
        market: MarketData,
        clock: Clock | Callable[[], datetime],
        replay: ReplayFeed | None = None,
        history: HistoryStore | None = None,
    ) -> None:
        self.engine = engine
        # order transactions on PostgreSQL: their own autocommit pool (see pg_transactions)
        self.order_engine = make_order_engine(engine) if engine.dialect.name == "postgresql" else None
        super().__init__(
            settings,
            instruments,
            market,
            clock,
            uow=lambda: SqlUnitOfWork(self.engine, self.order_engine),
            reader=lambda: SqlUnitOfWork(self.engine, mode="read"),
            dry_run=lambda: SqlUnitOfWork(self.engine, mode="dry_run"),
            replay=replay,
            history=history,
            forecast_log=SqlForecastLog(engine),
        )

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        settings: Settings | None = None,
        market: MarketData | None = None,
        clock: Clock | Callable[[], datetime] | None = None,
        replay_start: datetime | str | None = None,
        seed: int = 0,
        history: HistoryStore | None = None,
        redis_url: str | None = None,
        history_url: str | None = None,
    ) -> Simulator:
        """Open the simulator from the settings (the environment), arguments overriding them:
        :func:`sim.bootstrap.open_simulator` says what is read and when the replay resumes."""
        return open_simulator(
            cls,
            database_url,
            settings=settings,
            market=market,
            clock=clock,
            replay_start=replay_start,
            seed=seed,
            history=history,
            redis_url=redis_url,
            history_url=history_url,
        )

    def close(self) -> None:
        """Dispose of the engines and close what :meth:`open` opened (live store, history)."""
        engines = [e for e in (self.order_engine, self.engine) if e is not None]
        for close in (*self.closers, *(e.dispose for e in engines)):
            close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------------
    def record_tick(self, tick: Tick) -> None:
        """A replayed trade: an in-memory market takes it as the last price."""
        if isinstance(self.market, InMemoryMarket):
            self.market.update(tick)

    # --- market -------------------------------------------------------------------------------
    def price(self, symbol: str) -> Tick | None:
        """The latest trade of ``symbol`` (price and time), or None before the first one."""
        return market.price(self, symbol)

    def prices(self) -> dict[str, Tick | None]:
        return market.prices(self)

    def history(
        self, symbol: str, interval: str = "1h", start: object = None, end: object = None
    ) -> pd.DataFrame:
        """Candles as a DataFrame: open_time (UTC), open, high, low, close, volume (floats).

        From the history store when one is configured, else from the shipped candles. Only candles
        closed by the simulator's clock are returned (no peeking into the replay's future).
        """
        return history.candles(self, symbol, interval, start, end)

    def last_activity(self) -> datetime | None:
        """When the ledger last changed (the newest order), or None for an empty ledger."""
        return market.last_activity(self)

    def advance(self, candles: int = 1) -> int:
        """Play the next ``candles`` candle times of the replay: prices move and resting orders
        fill as the ticks cross them. Returns how many ticks
        were played: :func:`~sim.service_layer.matching.advance`."""
        return matching.advance(self, candles)

    def on_trade(self, symbol: str, price: Decimal, time: datetime) -> int:
        """A trade happened: update the price and fill the resting orders it crossed (safe to call
        twice with the same trade); returns how many orders changed:
        :func:`~sim.service_layer.matching.on_trade`."""
        return matching.on_trade(self, symbol, price, time)

    def match(self, symbol: str, price: Decimal, time: datetime) -> int:
        """Fill the resting orders of ``symbol`` that a trade at ``price`` crosses (exactly once;
        only orders created by ``time``): :func:`sim.service_layer.matching.match`."""
        return matching.match(self, symbol, price, time)

    def match_trades(self, symbol: str, trades: Sequence[TradeLike]) -> int:
        """Match a batch of trades of ``symbol`` (each with ``price`` and ``time``, in trade-id
        order) in one call, as :meth:`match` on each would:
        :func:`~sim.service_layer.matching.match_trades`."""
        return matching.match_trades(self, symbol, trades)

    # --- trading ------------------------------------------------------------------------------
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
        trailing_delta_bps: object = None,
        activation_price: object = None,
    ) -> OrderView:
        """Place any single order; see :mod:`sim.domain.orders` for the kinds and rules.
        ``order_type="TRAILING_STOP"`` takes ``trailing_delta_bps`` and an optional
        ``activation_price`` (:mod:`sim.domain.trailing`)."""
        fields = dict(quantity=quantity, quote_amount=quote_amount, price=price, stop_price=stop_price)
        fields.update(trailing_delta_bps=trailing_delta_bps, activation_price=activation_price)
        return orders.place_order(self, user_id, symbol, side, order_type, client_order_id, **fields)

    def buy(
        self,
        user_id: int,
        symbol: str,
        quantity: object = None,
        *,
        quote_amount: object = None,
        price: object = None,
        client_order_id: str | None = None,
    ) -> OrderView:
        """Market buy (or limit buy when ``price`` is given)."""
        kind = "LIMIT" if price is not None else "MARKET"
        return self.place_order(
            user_id,
            symbol,
            "BUY",
            kind,
            quantity=quantity,
            quote_amount=quote_amount,
            price=price,
            client_order_id=client_order_id,
        )

    def sell(
        self,
        user_id: int,
        symbol: str,
        quantity: object,
        *,
        price: object = None,
        client_order_id: str | None = None,
    ) -> OrderView:
        """Market sell (or limit sell when ``price`` is given)."""
        kind = "LIMIT" if price is not None else "MARKET"
        return self.place_order(
            user_id,
            symbol,
            "SELL",
            kind,
            quantity=quantity,
            price=price,
            client_order_id=client_order_id,
        )

    def place_oco(
        self,
        user_id: int,
        symbol: str,
        side: str,
        quantity: object,
        *,
        take_profit: object,
        stop_loss: object = None,
        client_order_id: str | None = None,
        trailing_delta_bps: object = None,
        activation_price: object = None,
    ) -> list[OrderView]:
        """A take-profit and a stop-loss (or, with ``trailing_delta_bps``, a trailing stop) for the
        same quantity; when one fills the other cancels."""
        trail = dict(trailing_delta_bps=trailing_delta_bps, activation_price=activation_price)
        return orders.place_oco_order(
            self, user_id, symbol, side, quantity, take_profit, stop_loss, client_order_id, **trail
        )

    def cancel(self, user_id: int, order_id: int) -> OrderView:
        """Cancel a resting order of this user (an OCO leg cancels its pair)."""
        return orders.cancel(self, user_id, int(order_id))

    # --- reading ------------------------------------------------------------------------------
    def order(self, user_id: int, order_id: int) -> OrderView:
        return orders.order(self, user_id, order_id)

    def orders(self, user_id: int, status: str | None = None, limit: int | None = None) -> list[OrderView]:
        """This user's orders on the active account, newest first: all of them, or the newest
        ``limit``; ``status="open"`` for resting ones. Pages: :meth:`orders_page`."""
        return pagination.all_orders(self, user_id, status, limit)

    def orders_page(
        self, user_id: int, status: str | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> pagination.Page[OrderView]:
        """``limit`` orders (1 to 1000), newest first, after ``cursor`` (a page's ``next_cursor``);
        ``page.has_more`` says whether there are older ones (see :mod:`sim.pagination`)."""
        return pagination.orders_page(self, user_id, status, limit, cursor)

    def trades(self, user_id: int, all_accounts: bool = False) -> list[FillView]:
        """This user's fills, oldest first (the active account, or every account incl. resets)."""
        return pagination.all_trades(self, user_id, all_accounts)

    def trades_page(
        self,
        user_id: int,
        *,
        limit: int = 100,
        cursor: str | None = None,
        all_accounts: bool = False,
        newest_first: bool = False,
    ) -> pagination.Page[FillView]:
        """``limit`` fills (1 to 1000) after ``cursor``, oldest first unless ``newest_first``."""
        return pagination.trades_page(self, user_id, limit, cursor, all_accounts, newest_first)

    def trades_frame(self, user_id: int) -> pd.DataFrame:
        """The active account's fills as a DataFrame (floats for charts)."""
        return pagination.trades_frame(self, user_id)

    def portfolio(self, user_id: int) -> PortfolioView:
        """Cash, holdings at the latest prices, and PnL of the active account."""
        return accounts.portfolio(self, user_id)

    def accounts(self, user_id: int) -> list[dict[str, Any]]:
        """Every account of the user, the active one and those archived by resets."""
        return accounts.accounts(self, user_id)

    def reset(self, user_id: int, label: str | None = None) -> PortfolioView:
        """Start again with a fresh account; the old one is archived (labelled), its history kept,
        its resting orders canceled and their locks released
        (see :func:`sim.service_layer.accounts.reset`)."""
        accounts.reset(self, user_id, label)
        return self.portfolio(user_id)

    def unseen_fills(self, user_id: int) -> list[OrderView]:
        """Resting orders filled or expired by the matcher since the user last looked (then marked
        seen): the app shows them as toasts."""
        return accounts.unseen_fills(self, user_id)

    # --- app support --------------------------------------------------------------------------
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
        trailing_delta_bps: object = None,
        activation_price: object = None,
    ) -> dict[str, Any]:
        """What an order would do now, without writing anything.

        Places the order exactly as :meth:`place_order` (or :meth:`place_oco` for
        ``order_type="OCO"``) would, inside a transaction that is then rolled back, so the preview
        cannot drift from the real thing.
        Returns a dict: ``fills_now`` (True when it would fill at once), ``price`` (the expected
        average fill price, or the limit/stop price for a resting order), ``quantity``,
        ``notional``, ``fee``, ``total`` (what leaves or enters the cash), ``locked_cash``,
        ``locked_qty``, ``cash_free_after``, ``qty_free_after``. Raises the same
        :class:`~sim.domain.errors.SimError` the order would (bad input, stale price, too little
        cash or quantity). A trailing stop (or OCO trailing leg) adds ``stop_level``: the stop as it
        would start (None until an activation price is reached).
        """
        fields = dict(quantity=quantity, quote_amount=quote_amount, price=price, stop_price=stop_price)
        fields.update(trailing_delta_bps=trailing_delta_bps, activation_price=activation_price)
        return orders.preview_order(self, user_id, symbol, side, order_type, take_profit, stop_loss, **fields)

    def ticker(self, symbol: str) -> dict[str, Any] | None:
        """The latest price of ``symbol`` with its 24h change, or None before the first trade.

        The change comes from the live store's 24h mini ticker when it has one; otherwise from the
        history store: the open of the first hourly candle of the last 24 hours (up to the market
        clock) against the latest price. ``change_pct`` is a percentage (Decimal), None when there
        is nothing to compare with.
        """
        return history.ticker(self, symbol)

    def chart_intervals(self, symbol: str) -> list[str]:
        """The candle intervals the history store can give for ``symbol`` (finest first)."""
        return history.chart_intervals(self, symbol)

    # --- assistant (equity, reports, backtests, forecasts: sim.analysis_api) ---
    def chat(self, user_id: int, message: str, history: list[dict[str, Any]] | None = None) -> Any:
        """The assistant's :class:`~sim.assistant.ChatReply`; never trades: :func:`sim.assistant.chat`."""
        from sim.assistant import chat

        return chat(self, user_id, message, history)

    def confirm_proposal(self, user_id: int, proposal: Any) -> OrderView:
        """Place an order the assistant proposed and the user confirmed (at most once)."""
        from sim.assistant import confirm_proposal

        return confirm_proposal(self, user_id, proposal)

    def requote_proposal(self, user_id: int, proposal: Any) -> Any:
        """A new quote when the proposal's price moved or it aged, else None:
        :func:`sim.assistant.requote.requote` (its rule is ``sim.assistant.requote.RULE``)."""
        from sim.assistant.requote import requote

        return requote(self, user_id, proposal)
