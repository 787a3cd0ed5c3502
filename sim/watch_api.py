"""The watchlist part of the public facade: :class:`WatchMethods`, mixed into ``sim.services.Simulator``.

Each user keeps a watchlist: symbols of the tradable universe (:mod:`sim.universe`) they follow
beside ``SYMBOLS``. Rules:

- a symbol is written as Binance does (``DOGEUSDT``; case and spaces around are forgiven);
- it must be in the universe when added: unknown to the exchangeInfo snapshot, not TRADING (with
  its status), or, offline, without candles to replay: each refused with a sentence saying why
  (a :class:`~sim.domain.errors.UnknownSymbol` or :class:`~sim.domain.errors.SymbolNotTrading`);
- at most :data:`sim.universe.MAX_WATCHLIST` symbols per user (the 51st is refused, nothing
  changes); adding a symbol already there changes nothing; removing one that is not there is
  refused (:class:`~sim.domain.errors.NotFound`);
- ``SYMBOLS`` need no watching: everyone follows them, and removing one from a watchlist does not
  remove it from the feed.

The live producer subscribes to the union of all watchlists and ``SYMBOLS``
(:meth:`WatchMethods.feed_symbols`, re-read every ``pipeline.subscriptions.REFRESH_SECONDS``).
Watchlist times are the wall clock (a preference, not a market event).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from sim.adapters.ledger import repository as repo
from sim.adapters.ledger.watchlists_store import SqlWatchlistStore, WatchlistFull
from sim.domain.errors import InvalidInput, NotFound
from sim.domain.instruments import Instruments
from sim.universe import MAX_WATCHLIST

if TYPE_CHECKING:
    from sim.settings import Settings


def _symbol(value: object) -> str:
    """``value`` as a symbol name: letters and digits, upper case; InvalidInput otherwise."""
    text = value.strip().upper() if isinstance(value, str) else ""
    if not text or not text.isascii() or not text.isalnum() or len(text) > 20:
        raise InvalidInput.of("watch.symbol_format", value=value)
    return text


class WatchMethods:
    """Watchlists and the symbol lists built on them; the host provides engine, settings, instruments."""

    engine: Engine
    settings: Settings
    instruments: Instruments
    max_watchlist = MAX_WATCHLIST

    def _watchlists(self) -> SqlWatchlistStore:
        return SqlWatchlistStore(self.engine)

    def watchlist(self, user_id: int) -> list[str]:
        """The user's watched symbols, in the order they were added."""
        with self.engine.connect() as conn:
            repo.user_row(conn, user_id)  # NotFound for a user that does not exist
        return self._watchlists().symbols(user_id)

    def watch(self, user_id: int, symbol: str) -> list[str]:
        """Add ``symbol`` to the user's watchlist (see the module docstring); returns the list."""
        name = _symbol(symbol)
        self.instruments.get_or_raise(name)  # unknown, not trading or no data: refused, saying why
        with self.engine.connect() as conn:
            repo.user_row(conn, user_id)
        try:
            self._watchlists().add(user_id, name, MAX_WATCHLIST, datetime.now(UTC))
        except WatchlistFull:
            raise InvalidInput.of("watch.full", most=MAX_WATCHLIST, name=name) from None
        return self._watchlists().symbols(user_id)

    def unwatch(self, user_id: int, symbol: str) -> list[str]:
        """Remove ``symbol`` from the user's watchlist; returns the list."""
        name = _symbol(symbol)
        if not self._watchlists().remove(user_id, name):
            raise NotFound.of("watch.not_listed", name=name)
        return self._watchlists().symbols(user_id)

    def symbols(self) -> list[str]:
        """The tradable universe (:mod:`sim.universe`): ``SYMBOLS`` first, then the rest sorted;
        a user's own order (watchlist first) is :meth:`symbol_choices`."""
        rest = sorted(s for s in self.instruments if s not in self.settings.symbols)
        return [*[s for s in self.settings.symbols if s in self.instruments], *rest]

    def tracked_symbols(self, user_id: int) -> list[str]:
        """What the user follows: ``SYMBOLS``, then their watchlist (still tradable ones), each once."""
        watched = [s for s in self.watchlist(user_id) if s in self.instruments]
        return list(dict.fromkeys([*self.settings.symbols, *watched]))

    def symbol_choices(self, user_id: int) -> list[str]:
        """Options of a symbol picker: the user's watchlist first, then ``SYMBOLS``, then the rest of
        the tradable universe in alphabetical order."""
        watched = [s for s in self.watchlist(user_id) if s in self.instruments]
        first = list(dict.fromkeys([*watched, *self.settings.symbols]))
        return list(dict.fromkeys([*first, *sorted(s for s in self.instruments if s not in first)]))

    def feed_symbols(self) -> list[str]:
        """``SYMBOLS`` and every symbol on any watchlist that is still tradable: what the live
        producer subscribes to."""
        watched = [s for s in self._watchlists().union() if s in self.instruments]
        return list(dict.fromkeys([*self.settings.symbols, *watched]))
