"""The ports the service layer needs besides the unit of work: the market, the candle store, the
replay, the forecast log, the webhook store and the competition store.

Protocols only: the adapters (``sim.adapters.market``, ``sim.adapters.live``,
``sim.adapters.history``, ``sim.replay``, ``sim.adapters.ledger.forecasts_store``,
``sim.adapters.ledger.competitions_store``) satisfy them
structurally, so the service layer names no adapter; :mod:`sim.service_layer.memory_forecasts` is
the in-memory forecast log for service tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sim.domain.fills import Book, Tick

if TYPE_CHECKING:
    import pandas as pd


class MarketData(Protocol):
    """The latest trade and order book top of each symbol."""

    def last(self, symbol: str) -> Tick | None: ...

    def book(self, symbol: str) -> Book | None: ...


class CandleStore(Protocol):
    """Closed candles by symbol and interval (the history store)."""

    def candles(
        self,
        symbol: str,
        interval: str = "1h",
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame: ...

    def stored_intervals(self, symbol: str) -> list[str]: ...


class Replay(Protocol):
    """A replay of real candles, one candle time at a time: per symbol its bar, name and ticks."""

    def next_candle(self) -> Sequence[tuple[Any, str, Sequence[Any]]]: ...


class ForecastLog(Protocol):
    """The stored forecasts (one row per ``(model_id, as_of)``) and their outcomes.

    Rows are read by attribute (``row.id``, ``row.outcome``, ...) or, where the method says so, as
    dicts of the same columns. ``users_with_fills`` is the report job's list of whom to report on.
    """

    def insert_once(self, values: dict[str, Any]) -> bool: ...

    def newest(self, symbol: str | None, horizon: int | None, limit: int) -> list[dict[str, Any]]: ...

    def due(self, now: datetime) -> list[Any]: ...

    def set_outcomes(self, outcomes: Sequence[tuple[int, str]], now: datetime) -> int: ...

    def all_of(self, symbol: str | None, horizon: int | None) -> list[Any]: ...

    def made_by(self, until: datetime | None) -> list[dict[str, Any]]: ...

    def users_with_fills(self) -> list[int]: ...


class WebhookStore(Protocol):
    """Users' webhooks and the log of their notifications (see :mod:`sim.domain.webhooks`).

    ``queue_new_fills`` queues every fill made after a webhook's cursor, once; ``due`` gives the
    pending notifications whose next attempt has come (rows with ``id``, ``url``, ``body``,
    ``event_key``, ``attempts``); ``record_attempt`` writes an attempt's outcome; ``rank_watch``
    lists the competition entries whose member has a webhook, and ``queue_rank_change`` moves an
    entry's last notified rank and queues its notification together (False: already moved).
    """

    def set_webhook(self, user_id: int, url: str, fmt: str, now: datetime) -> None: ...

    def remove_webhook(self, user_id: int) -> bool: ...

    def webhook(self, user_id: int) -> Any | None: ...

    def deliveries(self, user_id: int, limit: int) -> list[Any]: ...

    def queue_new_fills(self, now: datetime, limit: int = 500) -> int: ...

    def due(self, now: datetime, limit: int) -> list[Any]: ...

    def record_attempt(self, delivery_id: int, values: dict[str, Any]) -> None: ...

    def rank_watch(self) -> list[Any]: ...

    def queue_rank_change(
        self, webhook_id: int, entry_id: int, previous: int | None, rank: int | None, delivery: dict[str, Any]
    ) -> bool: ...


class CompetitionStore(Protocol):
    """Competitions, their seasons and entries (see :mod:`sim.domain.competition`).

    ``create`` and ``add_season`` answer None when the invite code or season number is taken;
    ``add_entry`` writes the trader, its account and the entry together and answers None when the
    member already has an entry in the season; ``edit`` changes a competition, its upcoming season
    and that season's entries' accounts and traders together (False: invite code taken);
    ``freeze`` stores the final standings once (False: already frozen). Entry rows carry the
    season, competition name, member names and the trader's active account.
    """

    def competition(self, competition_id: int) -> Any | None: ...

    def by_code(self, code: str) -> Any | None: ...

    def competitions_of(self, user_id: int | None) -> list[Any]: ...

    def seasons(self, competition_id: int) -> list[Any]: ...

    def season(self, season_id: int) -> Any | None: ...

    def entries(self, season_id: int, include_removed: bool = False) -> list[Any]: ...

    def entries_of_member(self, member_id: int) -> list[Any]: ...

    def entry_by_trader(self, trader_id: int) -> Any | None: ...

    def is_member(self, competition_id: int, member_id: int) -> bool: ...

    def due_seasons(self, now: datetime) -> list[Any]: ...

    def create(self, values: dict[str, Any], starts_at: datetime, ends_at: datetime) -> int | None: ...

    def add_season(
        self, competition_id: int, number: int, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> int | None: ...

    def add_entry(
        self, season_id: int, member_id: int, trader: dict[str, Any], account: dict[str, Any], now: datetime
    ) -> int | None: ...

    def edit(
        self,
        competition_id: int,
        season_id: int,
        competition: dict[str, Any],
        season: dict[str, Any],
        account: dict[str, Any],
        trader: dict[str, Any],
    ) -> bool: ...

    def close_window(self, trader_ids: Sequence[int], until: datetime) -> None: ...

    def end_early(self, season_id: int, at: datetime) -> None: ...

    def remove_entry(self, entry_id: int, at: datetime) -> None: ...

    def freeze(self, season_id: int, frozen_at: datetime, standings: str) -> bool: ...
