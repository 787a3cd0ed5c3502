"""The competitions part of the public facade: :class:`CompetitionMethods`, mixed into
``sim.services.Simulator``.

    cup = sim.create_competition(alice.id, "Spring cup", start=None, end="2023-12-08T00:00Z",
                                 symbols=["BTCUSDT", "ETHUSDT"], min_trades=3)
    info = sim.competition(alice.id, cup)          # the invite code, the rules, the seasons
    me = sim.join_competition(bob.id, info["invite_code"])   # bob's entry: a trader of its own
    sim.buy(sim.trader_for(bob.id, me), "BTCUSDT", quote_amount="500")
    sim.leaderboard(bob.id, cup, by="score")       # or by="return"; season=N for a past season
    sim.standings_frame(bob.id, cup)               # the same as a DataFrame

Who may do what, the seasons and the entries: :mod:`sim.service_layer.competitions`; the numbers,
freezing at the end and the final report: :mod:`sim.standings`; the formulas:
:mod:`sim.domain.ranking`. ``user_id`` is always the person asking (the logged-in user); a
competition account is traded by passing its trader id, which a page must first check with
:meth:`trader_for` (the switcher lists :meth:`trading_accounts`). Times are market time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Engine

import sim.competition_report as competition_report
import sim.competition_seasons as seasons
import sim.standings as standings
from sim.adapters.ledger.competitions_store import SqlCompetitionStore
from sim.service_layer import competition_access as access
from sim.service_layer import competition_members
from sim.service_layer import competitions as cases
from sim.service_layer.competition_access import TraderChoice
from sim.standings import LeaderboardRow

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext


class CompetitionMethods:
    """Competitions, seasons, leaderboards; the host class provides the engine and the context."""

    engine: Engine

    def _store(self) -> SqlCompetitionStore:
        return SqlCompetitionStore(self.engine)

    def _ctx(self) -> ServiceContext:
        return self  # type: ignore[return-value]  # the facade is a ServiceContext

    # --- hosting ------------------------------------------------------------------------------
    def create_competition(
        self, user_id: int, name: str, start: object = None, end: object = None, **settings: Any
    ) -> int:
        """A competition hosted by the user, season 1 from ``start`` (None: now) to ``end`` (aware
        times or ISO text, market time); its id. ``settings``: ``starting_balance``, ``symbols``
        (None: all), ``maker_fee``, ``taker_fee``, ``slippage_bps`` (default: the settings'),
        ``min_trades`` (0), ``show_holdings_after_end`` (False), ``invite_code`` (generated)."""
        return cases.create(self._ctx(), self._store(), user_id, start, end, name=name, **settings)

    def edit_competition(self, user_id: int, competition_id: int, **changes: Any) -> dict[str, Any]:
        """Change settings, ``name``, ``start`` or ``end`` before the latest season starts (host or
        admin); returns :meth:`competition`."""
        cases.edit(self._ctx(), self._store(), user_id, competition_id, **changes)
        return self.competition(user_id, competition_id)

    def remove_member(self, user_id: int, competition_id: int, member_id: int) -> None:
        """Remove a member from the current season (host or admin): their entry stops trading now."""
        cases.remove_member(self._ctx(), self._store(), user_id, competition_id, member_id)

    def competition_members(self, user_id: int, competition_id: int) -> list[dict[str, Any]]:
        """The latest season's members (``member_id``, ``name``, ``joined_at``): host or admin only."""
        return competition_members.members(self._ctx(), self._store(), user_id, competition_id)

    def end_competition_early(self, user_id: int, competition_id: int) -> dict[str, Any]:
        """End the running season now (host or admin) and freeze it; returns its final report."""
        number = seasons.end_early(self._ctx(), self._store(), user_id, competition_id)
        return self.competition_report(user_id, competition_id, number)

    def new_season(
        self,
        user_id: int,
        competition_id: int,
        start: object = None,
        end: object = None,
        carry_over: bool = True,
    ) -> int:
        """Open the next season once the latest has ended (the ended one is frozen first); its
        number. ``carry_over``: members not removed get a fresh entry (else they join again)."""
        return seasons.new_season(self._ctx(), self._store(), user_id, competition_id, start, end, carry_over)

    # --- members -----------------------------------------------------------------------------
    def join_competition(self, user_id: int, invite_code: str) -> int:
        """Join with the invite code; the new entry's trader id (trade it like an account)."""
        return cases.join(self._ctx(), self._store(), user_id, invite_code)

    def trading_accounts(self, user_id: int) -> list[TraderChoice]:
        """The accounts the person may trade: their own, then their competition entries."""
        return access.trading_accounts(self._ctx(), self._store(), user_id)

    def my_entries(self, user_id: int) -> list[TraderChoice]:
        """The person's competition entries (:meth:`trading_accounts` without their own account)."""
        return [c for c in self.trading_accounts(user_id) if c.kind == "competition"]

    def trader_for(self, user_id: int, trader_id: int) -> int:
        """``trader_id`` if the person may trade it (their own id or their entry); NotFound else."""
        return access.trader_for(self._ctx(), self._store(), user_id, trader_id)

    def is_admin(self, user_id: int) -> bool:
        """Whether the user is the admin named by ``ADMIN_USERNAME``."""
        with self._ctx().reading() as uow:
            return access.is_admin(self._ctx(), uow.user_row(user_id))

    # --- reading -----------------------------------------------------------------------------
    def competitions(self, user_id: int) -> list[dict[str, Any]]:
        """The competitions the person hosts or joined (every one for the admin)."""
        row = access.person(self._ctx(), user_id)
        owner = None if access.is_admin(self._ctx(), row) else row.id
        return [self.competition(user_id, c.id) for c in self._store().competitions_of(owner)]

    def competition(self, user_id: int, competition_id: int) -> dict[str, Any]:
        """A competition's settings, rules and seasons (with their state) for a member, the host
        or the admin; the invite code only for the host and the admin."""
        return seasons.describe(self._ctx(), self._store(), user_id, competition_id)

    def leaderboard(
        self, user_id: int, competition_id: int, season: int | None = None, by: str = "score"
    ) -> list[LeaderboardRow]:
        """The standings (latest season unless ``season``), ``by="score"`` or ``"return"``: live
        while it runs, frozen after its end."""
        return standings.leaderboard(self._ctx(), self._store(), user_id, competition_id, season, by)

    def standings_frame(
        self, user_id: int, competition_id: int, season: int | None = None, by: str = "score"
    ) -> pd.DataFrame:
        """:meth:`leaderboard` as a DataFrame (rank, name, return, max_drawdown, score, trades, ...)."""
        return standings.standings_frame(self._ctx(), self._store(), user_id, competition_id, season, by)

    def competition_holdings(
        self, user_id: int, competition_id: int, season: int | None = None
    ) -> dict[str, dict[str, Decimal]]:
        """Members' holdings at the end, only after it and only if the host chose to show them."""
        return standings.holdings(self._ctx(), self._store(), user_id, competition_id, season)

    def competition_report(
        self, user_id: int, competition_id: int, season: int | None = None
    ) -> dict[str, Any]:
        """The final report of an ended season (frozen on demand); refused while it runs."""
        return standings.report(self._ctx(), self._store(), user_id, competition_id, season)

    def competition_report_html(
        self, user_id: int, competition_id: int, season: int | None = None, lang: str = "en"
    ) -> str:
        """:meth:`competition_report` as a small HTML page in the reader's language ``lang``."""
        return competition_report.report_html(self.competition_report(user_id, competition_id, season), lang)

    def finalize_competitions(self) -> list[dict[str, Any]]:
        """Freeze every season whose end has passed (idempotent; the daily batch calls it)."""
        return standings.finalize_due(self._ctx(), self._store())


__all__ = ["CompetitionMethods", "LeaderboardRow", "TraderChoice"]
