"""The public API used by pages, notebooks and jobs: one :class:`Simulator` object.

    sim = Simulator.open()                 # from the settings (sim.bootstrap); embedded: SQLite + replay
    alice = sim.register("alice", "correct horse")
    sim.buy(alice.id, "BTCUSDT", quote_amount="100")   # buy 100 USDT of BTC at the replay price
    sim.advance(24)                        # play 24 hourly candles: resting orders fill as prices move
    sim.portfolio(alice.id)

Every write is one database transaction (see ``sim.trading``); a refusal raises a
:class:`~sim.domain.errors.SimError` whose text is meant for people, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select, update

from sim import pagination, trading, users
from sim.adapters.history.base import HistoryStore
from sim.adapters.ledger import repository as repo
from sim.adapters.ledger.pg_transactions import make_order_engine, transaction
from sim.adapters.ledger.tables import accounts, orders
from sim.adapters.market import MarketData
from sim.bootstrap import open_simulator
from sim.clock import Clock, as_clock
from sim.contract import guarded
from sim.domain.errors import InvalidInput  # noqa: F401 - part of the facade's vocabulary
from sim.domain.events import FillEvent, OrderEvent
from sim.domain.fills import FeeSchedule, Tick
from sim.domain.instruments import Instruments
from sim.domain.orders import make_oco, make_request
from sim.domain.values import to_decimal
from sim.replay import ReplayFeed
from sim.resets import reset_account
from sim.settings import Settings
from sim.user_api import UserMethods
from sim.views import (
    FillView,
    OrderView,
    PortfolioView,
    PositionView,
    UserView,  # noqa: F401 - re-exported: callers name it from here
    fill_from_row,
    fills_frame,
)

DEFAULT_REPLAY_START = datetime(2023, 12, 1, tzinfo=UTC)


@guarded
class Simulator(UserMethods):
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
        self.settings = settings
        self.instruments = instruments
        self.market = market
        self.clock = as_clock(clock)  # never runs backwards (see sim.clock)
        self._clock = self.clock.now
        self.closers: list[Callable[[], None]] = []  # what open() opened, closed by close()
        self.replay = replay
        self.history_store = history
        self._open_24h_cache: dict[tuple[str, datetime], Decimal | None] = {}
        self.stored_forecasts: set[tuple[str, datetime]] = set()  # (model id, as of) written by us
        self.bcrypt_rounds = users.BCRYPT_ROUNDS
        self.listeners: list[Callable[[OrderEvent | FillEvent], None]] = []

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

    # --- plumbing -----------------------------------------------------------------------------
    def now(self) -> datetime:
        """Market time: the clock's (see :mod:`sim.clock`); it never runs backwards."""
        return self._clock()

    @contextmanager
    def _write(self) -> Iterator[tuple[Connection, trading.TradingContext]]:
        """An order transaction; its events go to the listeners once it has committed."""
        ctx = self._context()
        begin = self.engine.begin() if self.order_engine is None else transaction(self.order_engine)
        with begin as conn:
            yield conn, ctx
        for event in ctx.events:
            for listener in self.listeners:
                listener(event)

    @contextmanager
    def _dry_run(self) -> Iterator[tuple[Connection, trading.TradingContext]]:
        """A write transaction that is always rolled back and publishes nothing (for previews)."""
        with self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                yield conn, self._context()
            finally:
                transaction.rollback()

    def _context(self) -> trading.TradingContext:
        return trading.TradingContext(
            instruments=self.instruments,
            last=self.market.last,
            book=self.market.book,
            now=self._clock,
            max_price_age=timedelta(seconds=self.settings.max_price_age_seconds),
            costs=self._costs_of,
            events=[],
        )

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _costs(self, conn: Connection, user_id: int) -> trading.Costs:
        return self._costs_of(repo.user_row(conn, user_id))

    def _costs_of(self, row: Any) -> trading.Costs:
        """The user's fee and slippage preferences from ``row``, else the settings' defaults."""
        s = self.settings
        return trading.Costs(
            FeeSchedule(
                maker=row.maker_fee if row.maker_fee is not None else s.maker_fee,
                taker=row.taker_fee if row.taker_fee is not None else s.taker_fee,
            ),
            row.slippage_bps if row.slippage_bps is not None else s.slippage_bps,
        )

    # --- market -------------------------------------------------------------------------------
    def symbols(self) -> list[str]:
        return list(self.instruments)

    def price(self, symbol: str) -> Tick | None:
        """The latest trade of ``symbol`` (price and time), or None before the first one."""
        return self.market.last(self.instruments.get_or_raise(symbol).symbol)

    def prices(self) -> dict[str, Tick | None]:
        return {s: self.market.last(s) for s in self.instruments}

    def history(
        self, symbol: str, interval: str = "1h", start: object = None, end: object = None
    ) -> pd.DataFrame:
        """Candles as a DataFrame: open_time (UTC), open, high, low, close, volume (floats).

        From the history store when one is configured, else from the shipped candles. Only candles
        closed by the simulator's clock are returned (no peeking into the replay's future).
        """
        from sim.history import candles

        return candles(self, symbol, interval, start, end)

    def last_activity(self) -> datetime | None:
        """When the ledger last changed (the newest order), or None for an empty ledger."""
        from sqlalchemy import func

        with self._read() as conn:
            return conn.execute(select(func.max(orders.c.updated_at))).scalar()

    def advance(self, candles: int = 1) -> int:
        """Play the next ``candles`` candle times of the replay: prices move and resting orders
        fill as the ticks cross them. Returns how many ticks were played: :func:`sim.matching.advance`."""
        from sim.matching import advance

        return advance(self, candles)

    def on_trade(self, symbol: str, price: Decimal, time: datetime) -> int:
        """A trade happened: update the price and fill the resting orders it crossed (safe to call
        twice with the same trade); returns how many orders changed: :func:`sim.matching.on_trade`."""
        from sim.matching import on_trade

        return on_trade(self, symbol, price, time)

    def match(self, symbol: str, price: Decimal, time: datetime) -> int:
        """Fill the resting orders of ``symbol`` that a trade at ``price`` crosses (exactly once;
        only orders created by ``time``): :func:`sim.matching.match`."""
        from sim.matching import match

        return match(self, symbol, price, time)

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
    ) -> OrderView:
        """Place any single order; see :mod:`sim.domain.orders` for the kinds and rules."""
        instrument = self.instruments.get_or_raise(symbol)
        request = make_request(
            instrument,
            side,
            order_type,
            quantity=quantity,
            quote_amount=quote_amount,
            price=price,
            stop_price=stop_price,
            client_order_id=client_order_id,
        )
        with self._write() as (conn, ctx):
            order_id = trading.place(conn, ctx, user_id, request)
            return _written_view(conn, ctx, order_id)

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
        stop_loss: object,
        client_order_id: str | None = None,
    ) -> list[OrderView]:
        """A take-profit and a stop-loss for the same quantity; when one fills the other cancels."""
        instrument = self.instruments.get_or_raise(symbol)
        legs = make_oco(
            instrument,
            side,
            quantity=quantity,
            take_profit=take_profit,
            stop_loss=stop_loss,
            client_order_id=client_order_id,
        )
        with self._write() as (conn, ctx):
            ids = trading.place_oco(conn, ctx, user_id, legs)
            return [_written_view(conn, ctx, i) for i in ids]

    def cancel(self, user_id: int, order_id: int) -> OrderView:
        """Cancel a resting order of this user (an OCO leg cancels its pair)."""
        with self._write() as (conn, ctx):
            trading.cancel(conn, ctx, user_id, int(order_id))
            return _order_view(conn, int(order_id))

    # --- reading ------------------------------------------------------------------------------
    def order(self, user_id: int, order_id: int) -> OrderView:
        with self._read() as conn:
            row = repo.get_order(conn, order_id)
            owner = self._account_ids(conn, user_id)
            if row is None or row.account_id not in owner:
                from sim.domain.errors import NotFound

                raise NotFound(f"You have no order {order_id}.")
            fills = tuple(fill_from_row(r) for r in repo.order_fills(conn, order_id))
        return OrderView.from_row(row, fills)

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
        return fills_frame(self.trades(user_id))

    def _account_ids(self, conn: Connection, user_id: int) -> list[int]:
        return repo.account_ids(conn, user_id)

    def portfolio(self, user_id: int) -> PortfolioView:
        """Cash, holdings at the latest prices, and PnL of the active account."""
        with self._read() as conn:
            acct = repo.active_account(conn, user_id)
            account = repo.load_account(conn, acct)
        views = []
        for symbol, p in sorted(account.positions.items()):
            if p.quantity == 0 and p.realized_pnl == 0:
                continue
            tick = self.market.last(symbol)
            value = p.quantity * tick.price if tick else None
            views.append(
                PositionView(
                    symbol=symbol,
                    quantity=p.quantity,
                    qty_free=p.qty_free,
                    qty_locked=p.qty_locked,
                    avg_price=p.avg_price,
                    cost_basis=p.cost_basis,
                    last_price=tick.price if tick else None,
                    market_value=value,
                    unrealized_pnl=value - p.cost_basis if value is not None else None,
                    realized_pnl=p.realized_pnl,
                    fees_paid=p.fees_paid,
                )
            )
        return PortfolioView(
            acct.id,
            acct.label,
            acct.starting_cash,
            account.cash_free,
            account.cash_locked,
            tuple(views),
        )

    def accounts(self, user_id: int) -> list[dict[str, Any]]:
        """Every account of the user, the active one and those archived by resets."""
        with self._read() as conn:
            rows = conn.execute(
                select(accounts).where(accounts.c.user_id == user_id).order_by(accounts.c.id)
            ).all()
        return [
            {
                "id": r.id,
                "label": r.label,
                "active": r.active,
                "starting_cash": r.starting_cash,
                "created_at": r.created_at,
                "closed_at": r.closed_at,
            }
            for r in rows
        ]

    def reset(self, user_id: int, label: str | None = None) -> PortfolioView:
        """Start again with a fresh account; the old one is archived (labelled), its history kept,
        its resting orders canceled and their locks released (see :mod:`sim.resets`)."""
        with self.engine.begin() as conn:
            reset_account(conn, user_id, self.settings.starting_balance, self.now(), label)
        return self.portfolio(user_id)

    def unseen_fills(self, user_id: int) -> list[OrderView]:
        """Resting orders filled or expired by the matcher since the user last looked (then marked
        seen): the app shows them as toasts."""
        with self.engine.begin() as conn:
            acct = repo.active_account(conn, user_id)
            rows = conn.execute(
                select(orders).where(orders.c.account_id == acct.id, orders.c.notified.is_(False))
            ).all()
            if rows:
                conn.execute(
                    update(orders).where(orders.c.id.in_([r.id for r in rows])).values(notified=True)
                )
        return [OrderView.from_row(r) for r in rows]

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
        cash or quantity).
        """
        from sim.domain.values import fee_amount

        instrument = self.instruments.get_or_raise(symbol)
        kind = str(order_type).upper()
        with self._dry_run() as (conn, ctx):
            if kind == "OCO":
                legs = make_oco(
                    instrument, side, quantity=quantity, take_profit=take_profit, stop_loss=stop_loss
                )
                ids = trading.place_oco(conn, ctx, user_id, legs)
            else:
                request = make_request(
                    instrument,
                    side,
                    order_type,
                    quantity=quantity,
                    quote_amount=quote_amount,
                    price=price,
                    stop_price=stop_price,
                )
                ids = [trading.place(conn, ctx, user_id, request)]
            placed = [_written_view(conn, ctx, i) for i in ids]
            after = repo.load_account(conn, repo.active_account(conn, user_id), [instrument.symbol])
            costs = self._costs(conn, user_id)
        first = placed[0]
        zero = Decimal(0)
        if first.fills:
            fill_price, qty = first.avg_fill_price, first.filled_qty
            notional, fee = sum((f.total_amount for f in first.fills), zero), first.fee_total
        else:  # resting: what it would cost when it fills at its limit (maker) or stop (taker)
            fill_price = first.price if first.type == "LIMIT" else first.stop_price
            qty = first.quantity or zero
            notional = (fill_price or zero) * qty
            fee = fee_amount(notional, costs.fees.maker if first.type == "LIMIT" else costs.fees.taker)
        position = after.positions.get(instrument.symbol)
        return {
            "symbol": instrument.symbol,
            "side": first.side,
            "type": kind,
            "fills_now": bool(first.fills),
            "price": fill_price,
            "quantity": qty,
            "notional": notional,
            "fee": fee,
            "total": notional + fee if first.side == "BUY" else notional - fee,
            "locked_cash": sum((o.locked_cash for o in placed), zero),
            "locked_qty": sum((o.locked_qty for o in placed), zero),
            "cash_free_after": after.cash_free,
            "qty_free_after": position.qty_free if position else zero,
            "base_asset": instrument.base_asset,
            "quote_asset": instrument.quote_asset,
        }

    def ticker(self, symbol: str) -> dict[str, Any] | None:
        """The latest price of ``symbol`` with its 24h change, or None before the first trade.

        The change comes from the live store's 24h mini ticker when it has one; otherwise from the
        history store: the open of the first hourly candle of the last 24 hours (up to the market
        clock) against the latest price. ``change_pct`` is a percentage (Decimal), None when there
        is nothing to compare with.
        """
        instrument = self.instruments.get_or_raise(symbol)
        tick = self.market.last(instrument.symbol)
        if tick is None:
            return None
        open_24h: Decimal | None = None
        source = "candles"
        mini = getattr(self.market, "ticker", None)
        ticker = mini(instrument.symbol) if callable(mini) else None
        if ticker is not None:
            open_24h, source = ticker.open, "ticker"
        else:
            open_24h = self._open_24h(instrument.symbol, self.now())
        change = (tick.price / open_24h - 1) * 100 if open_24h else None
        return {
            "symbol": instrument.symbol,
            "price": tick.price,
            "time": tick.time,
            "open_24h": open_24h,
            "change_pct": change,
            "source": source,
        }

    def _open_24h(self, symbol: str, now: datetime) -> Decimal | None:
        """Open of the first hourly candle of the last 24 hours; the same all hour long, so it is
        kept per (symbol, hour) — market data only, never anything of a user."""
        key = (symbol, now.replace(minute=0, second=0, microsecond=0))
        cache = self._open_24h_cache
        if key not in cache:
            try:
                frame = self.history(symbol, "1h", now - timedelta(hours=24), None)
            except Exception:  # a history store that is not there must not hide the price
                frame = pd.DataFrame()
            if len(cache) > 256:
                cache.clear()
            cache[key] = to_decimal(repr(float(frame["open"].iloc[0])), "open") if not frame.empty else None
        return cache[key]

    def chart_intervals(self, symbol: str) -> list[str]:
        """The candle intervals the history store can give for ``symbol`` (finest first)."""
        from sim.adapters.history.base import INTERVAL_MS, INTERVALS

        store = self.history_store
        stored = store.stored_intervals(symbol) if store is not None else ["1h"]
        if not stored:
            return ["1h", "4h", "1d"]
        return [i for i in INTERVALS if any(INTERVAL_MS[i] % INTERVAL_MS[s] == 0 for s in stored)]

    def equity_history(
        self, user_id: int, interval: str = "1h", as_of: datetime | None = None
    ) -> pd.DataFrame:
        """The active account's equity over time beside holding BTC from the same start, up to the
        market clock (or an earlier ``as_of``): :func:`sim.equity.equity_history`."""
        from sim.equity import equity_history

        return equity_history(self, user_id, interval, as_of)

    # --- reports ---
    def reports(self, user_id: int) -> list[Any]:
        """This user's reports (:class:`sim.reports.ReportInfo`), newest first; only theirs."""
        from sim.reports.store import list_reports

        return list_reports(self.settings.reports_dir, user_id)

    def report_html(self, user_id: int, report_id: str) -> str:
        """The HTML of this user's report ``report_id`` (a ``YYYY-MM-DD`` date).

        Raises :class:`~sim.domain.errors.NotFound` for a report of another user, a missing one,
        or a malformed id (``..``, slashes, ...): the id only ever names a file in this user's
        own report directory (see :mod:`sim.reports.store`).
        """
        from sim.reports.store import read_html

        return read_html(self.settings.reports_dir, user_id, report_id)

    def report_table(self, user_id: int, report_id: str) -> pd.DataFrame:
        """The Parquet table (the fills) of this user's report; NotFound like :meth:`report_html`."""
        from sim.reports.store import table_path

        return pd.read_parquet(table_path(self.settings.reports_dir, user_id, report_id))

    # --- backtests ---
    def backtest(self, symbols: str | list[str], strategy: str = "ma_crossover", **kwargs: Any) -> Any:
        """Backtest on this simulator's candles: :func:`sim.backtest_service.run_backtest`
        (``params``, ``interval``, ``start``, ``end``, ``cash``, ``model``, ``progress``)."""
        from sim.backtest_service import run_backtest

        return run_backtest(self, [symbols] if isinstance(symbols, str) else symbols, strategy, **kwargs)

    def paper_vs_backtest(self, user_id: int, interval: str = "1h", backtest: Any = None) -> Any:
        """This user's paper fills replayed by the backtester (with ``backtest``: that run's
        quantities): see :func:`sim.paper_vs_backtest.paper_vs_backtest`."""
        from sim.paper_vs_backtest import paper_vs_backtest

        return paper_vs_backtest(self, user_id, interval, backtest)

    # --- forecasts and assistant ---
    def forecast(self, symbol: str, interval: str = "1h", horizon: int = 1) -> Any:
        """The served model's forecast from the candles closed at the clock, stored in the
        ``forecasts`` table: :func:`sim.forecasting.forecast`."""
        from sim import forecasting

        return forecasting.forecast(self, symbol, interval, horizon)

    def score_forecasts(self) -> int:
        """Give an outcome to stored forecasts whose horizon has passed (returns how many):
        :func:`sim.forecasting.score_forecasts`."""
        from sim import forecasting

        return forecasting.score_forecasts(self)

    def track_record(self, symbol: str | None = None, horizon: int | None = None) -> Any:
        """Hit rate and Brier score of scored forecasts vs baselines: :func:`sim.forecasting.track_record`."""
        from sim import forecasting

        return forecasting.track_record(self, symbol, horizon)

    def analysis(self, symbol: str, interval: str = "1h") -> Any:
        """Trend, momentum, volatility regime and levels, with definitions:
        :func:`sim.forecasting.analysis`."""
        from sim import forecasting

        return forecasting.analysis(self, symbol, interval)

    def chat(self, user_id: int, message: str, history: list[dict[str, Any]] | None = None) -> Any:
        """The assistant's :class:`~sim.assistant.ChatReply`; never trades: :func:`sim.assistant.chat`."""
        from sim.assistant import chat

        return chat(self, user_id, message, history)

    def confirm_proposal(self, user_id: int, proposal: Any) -> OrderView:
        """Place an order the assistant proposed and the user confirmed (at most once)."""
        from sim.assistant import confirm_proposal

        return confirm_proposal(self, user_id, proposal)


def _written_view(conn: Connection, ctx: trading.TradingContext, order_id: int) -> OrderView:
    """The view of an order this transaction wrote, from the rows as written (no read back); an
    order written earlier (a retried client_order_id) is read."""
    row = ctx.written_orders.get(order_id)
    if row is None:
        return _order_view(conn, order_id)
    fills = tuple(fill_from_row(r) for r in ctx.written_fills.get(order_id, []))
    return OrderView.from_row(row, fills)


def _order_view(conn: Connection, order_id: int) -> OrderView:
    row = repo.get_order(conn, order_id)
    assert row is not None
    return OrderView.from_row(row, tuple(fill_from_row(r) for r in repo.order_fills(conn, order_id)))
