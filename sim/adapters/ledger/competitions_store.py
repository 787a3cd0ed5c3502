"""SQL for competitions, seasons and entries (tables of migration 0007): :class:`SqlCompetitionStore`.

Each write is one transaction; the rules (who may, when) are checked by the use cases in
:mod:`sim.service_layer.competitions` before they call here. An entry is written with its trader
(a ``users`` row owned by the member, password unusable) and the trader's one account (the starting
balance, the season's window and the allowed symbols) in the same transaction, so a member is in a
season with a tradable account or not at all. Rows are read by attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from sim.adapters.ledger.tables import (
    accounts,
    competition_entries,
    competition_seasons,
    competitions,
    users,
)

C, S, E = competitions.c, competition_seasons.c, competition_entries.c
member = users.alias("member")
# an entry with its season, its competition's name, its member's names and its trader's account
_ENTRY = (
    select(
        E.id,
        E.season_id,
        E.member_id,
        E.trader_id,
        E.joined_at,
        E.removed_at,
        S.competition_id,
        S.number.label("season_number"),
        S.starts_at,
        S.ends_at,
        S.ended_early_at,
        C.name.label("competition_name"),
        member.c.username.label("member_username"),
        member.c.display_name.label("member_display_name"),
        accounts.c.id.label("account_id"),
        accounts.c.starting_cash,
    )
    .join(competition_seasons, S.id == E.season_id)
    .join(competitions, C.id == S.competition_id)
    .join(member, member.c.id == E.member_id)
    .join(accounts, and_(accounts.c.user_id == E.trader_id, accounts.c.active.is_(True)))
)


class SqlCompetitionStore:
    """Competitions, seasons and entries on the ledger ``engine`` (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- reading ----------------------------------------------------------------------------
    def competition(self, competition_id: int) -> Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(select(competitions).where(C.id == competition_id)).first()

    def by_code(self, code: str) -> Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(select(competitions).where(C.invite_code == code)).first()

    def competitions_of(self, user_id: int | None) -> list[Row[Any]]:
        """Competitions the user hosts or has an entry in (every one when ``user_id`` is None)."""
        query = select(competitions).order_by(C.id)
        if user_id is not None:
            joined = (
                select(S.competition_id)
                .join(competition_entries, E.season_id == S.id)
                .where(E.member_id == user_id)
            )
            query = query.where(or_(C.host_id == user_id, C.id.in_(joined)))
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    def seasons(self, competition_id: int) -> list[Row[Any]]:
        """The competition's seasons, first to last."""
        query = select(competition_seasons).where(S.competition_id == competition_id).order_by(S.number)
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    def season(self, season_id: int) -> Row[Any] | None:
        with self.engine.connect() as conn:
            return conn.execute(select(competition_seasons).where(S.id == season_id)).first()

    def entries(self, season_id: int, include_removed: bool = False) -> list[Row[Any]]:
        """The season's entries in the order they joined (removed ones only when asked)."""
        query = _ENTRY.where(E.season_id == season_id)
        if not include_removed:
            query = query.where(E.removed_at.is_(None))
        with self.engine.connect() as conn:
            return list(conn.execute(query.order_by(E.joined_at, E.id)))

    def entries_of_member(self, member_id: int) -> list[Row[Any]]:
        """Every entry of the member, oldest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(_ENTRY.where(E.member_id == member_id).order_by(E.id)))

    def entry_by_trader(self, trader_id: int) -> Any | None:
        with self.engine.connect() as conn:
            return conn.execute(_ENTRY.where(E.trader_id == trader_id)).first()

    def is_member(self, competition_id: int, member_id: int) -> bool:
        """Whether the user has an entry, not removed, in any season of the competition."""
        query = (
            select(E.id)
            .join(competition_seasons, S.id == E.season_id)
            .where(S.competition_id == competition_id, E.member_id == member_id, E.removed_at.is_(None))
        )
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def due_seasons(self, now: datetime) -> list[Row[Any]]:
        """Seasons not frozen yet whose end (or early end) is at or before ``now``."""
        ended = or_(S.ends_at <= now, and_(S.ended_early_at.is_not(None), S.ended_early_at <= now))
        query = select(competition_seasons).where(S.frozen_at.is_(None), ended).order_by(S.id)
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    # --- writing ----------------------------------------------------------------------------
    def create(self, values: dict[str, Any], starts_at: datetime, ends_at: datetime) -> int | None:
        """Insert a competition and its season 1; its id, or None when the invite code is taken."""
        try:
            with self.engine.begin() as conn:
                cid = conn.execute(insert(competitions).values(**values).returning(C.id)).scalar_one()
                conn.execute(
                    insert(competition_seasons).values(
                        competition_id=cid,
                        number=1,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        created_at=values["created_at"],
                    )
                )
                return int(cid)
        except IntegrityError:
            return None

    def add_season(
        self, competition_id: int, number: int, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> int | None:
        """Insert season ``number``; its id, or None when that number exists (a race)."""
        try:
            with self.engine.begin() as conn:
                values = dict(competition_id=competition_id, number=number, starts_at=starts_at)
                values.update(ends_at=ends_at, created_at=now)
                return int(
                    conn.execute(insert(competition_seasons).values(**values).returning(S.id)).scalar_one()
                )
        except IntegrityError:
            return None

    def add_entry(
        self,
        season_id: int,
        member_id: int,
        trader: dict[str, Any],
        account: dict[str, Any],
        now: datetime,
    ) -> int | None:
        """The member's entry: its trader (``users`` values), the trader's account (``accounts``
        values) and the entry row, in one transaction; the trader's id, or None when the member
        already has an entry in the season."""
        try:
            with self.engine.begin() as conn:
                trader_id = conn.execute(insert(users).values(**trader).returning(users.c.id)).scalar_one()
                conn.execute(
                    insert(accounts).values(user_id=trader_id, active=True, created_at=now, **account)
                )
                conn.execute(
                    insert(competition_entries).values(
                        season_id=season_id, member_id=member_id, trader_id=trader_id, joined_at=now
                    )
                )
                return int(trader_id)
        except IntegrityError:
            return None

    def edit(
        self,
        competition_id: int,
        season_id: int,
        competition: dict[str, Any],
        season: dict[str, Any],
        account: dict[str, Any],
        trader: dict[str, Any],
    ) -> bool:
        """Change the competition, its upcoming season and that season's entries (their accounts
        and traders) together; False when the invite code is taken."""
        traders = select(E.trader_id).where(E.season_id == season_id)
        try:
            with self.engine.begin() as conn:
                if competition:
                    conn.execute(update(competitions).where(C.id == competition_id).values(**competition))
                if season:
                    conn.execute(update(competition_seasons).where(S.id == season_id).values(**season))
                if account:
                    conn.execute(update(accounts).where(accounts.c.user_id.in_(traders)).values(**account))
                if trader:
                    conn.execute(update(users).where(users.c.id.in_(traders)).values(**trader))
                return True
        except IntegrityError:
            return False

    def close_window(self, trader_ids: Sequence[int], until: datetime) -> None:
        """End the trading window of these traders' accounts at ``until`` (if it ends later)."""
        if not trader_ids:
            return
        until_col = accounts.c.trade_until
        with self.engine.begin() as conn:
            conn.execute(
                update(accounts)
                .where(accounts.c.user_id.in_(list(trader_ids)), or_(until_col.is_(None), until_col > until))
                .values(trade_until=until)
            )

    def end_early(self, season_id: int, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(competition_seasons).where(S.id == season_id).values(ended_early_at=at))

    def remove_entry(self, entry_id: int, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(competition_entries).where(E.id == entry_id).values(removed_at=at))

    def freeze(self, season_id: int, frozen_at: datetime, standings: str) -> bool:
        """Store the final standings once; False when the season was frozen already."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(competition_seasons)
                .where(S.id == season_id, S.frozen_at.is_(None))
                .values(frozen_at=frozen_at, standings=standings)
            )
            return bool(done.rowcount)
