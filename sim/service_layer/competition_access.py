"""Who may do what in a competition, and the accounts a person may trade: the access rules of
:mod:`sim.service_layer.competitions` (see its docstring for the roles), and the rows they read.

Any user may host; the host manages their competition; the admin (``ADMIN_USERNAME``) manages
every one; members, the host and the admin read its standings. A competition entry's trader is
nobody's login: every verb taking the asking person refuses it (:func:`person`). Times are market
time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sim.domain.competition import Window
from sim.domain.errors import Forbidden, InvalidInput, NotFound
from sim.domain.messages import Term
from sim.service_layer.context import ServiceContext
from sim.service_layer.ports import CompetitionStore


@dataclass(frozen=True, slots=True)
class TraderChoice:
    """An account a person may trade: their own (``kind="own"``) or one of their competition
    entries, labelled for a switcher ("Spring cup · season 2")."""

    trader_id: int
    label: str
    kind: str  # "own" | "competition"
    competition_id: int | None = None
    season: int | None = None
    state: str | None = None  # the season's SeasonState value
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def parse_time(value: object, name: str) -> datetime:
    """An aware datetime, or ISO text such as ``2024-01-08T00:00Z`` (a time without zone is refused)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput.of("competition.time_format_got", name=Term(name), value=value) from None
    if not isinstance(value, datetime):
        raise InvalidInput.of("competition.time_format", name=Term(name))
    if value.tzinfo is None:
        raise InvalidInput.of("competition.time_zone", name=Term(name))
    return value.astimezone(UTC)


def window_of(season: Any) -> Window:
    return Window(season.starts_at, season.ends_at, season.ended_early_at)


def person(ctx: ServiceContext, user_id: int) -> Any:
    """The user's row; refused for a competition entry's trader (it is nobody's login)."""
    with ctx.reading() as uow:
        row = uow.user_row(user_id)
    if row.owner_id is not None:
        raise Forbidden.of("competition.entry_cannot")
    return row


def is_admin(ctx: ServiceContext, row: Any) -> bool:
    admin = ctx.settings.admin_username
    return admin is not None and row.owner_id is None and row.username == admin


def competition_row(store: CompetitionStore, competition_id: int) -> Any:
    row = store.competition(int(competition_id))
    if row is None:
        raise NotFound.of("competition.none", competition=competition_id)
    return row


def season_row(store: CompetitionStore, comp: Any, number: int | None = None) -> Any:
    """Season ``number`` of the competition (the latest when None)."""
    seasons = store.seasons(comp.id)
    if number is None:
        return seasons[-1]
    for s in seasons:
        if s.number == number:
            return s
    raise NotFound.of("competition.no_season", name=comp.name, number=number, count=len(seasons))


def check_manager(ctx: ServiceContext, comp: Any, user_id: int) -> Any:
    """The user's row when they host the competition or are the admin; Forbidden otherwise."""
    row = person(ctx, user_id)
    if comp.host_id != row.id and not is_admin(ctx, row):
        raise Forbidden.of("competition.host_only", name=comp.name)
    return row


def check_viewer(ctx: ServiceContext, store: CompetitionStore, comp: Any, user_id: int) -> Any:
    """The user's row when they may read the standings: host, admin or member."""
    row = person(ctx, user_id)
    if comp.host_id == row.id or is_admin(ctx, row) or store.is_member(comp.id, row.id):
        return row
    raise Forbidden.of("competition.members_only", name=comp.name)


def trading_accounts(ctx: ServiceContext, store: CompetitionStore, user_id: int) -> list[TraderChoice]:
    """The accounts the person may trade or read: their own first, then their entries (not
    removed), newest season first."""
    row = person(ctx, user_id)
    now = ctx.now()
    choices = [TraderChoice(row.id, "My account", "own")]
    for e in reversed(store.entries_of_member(row.id)):
        if e.removed_at is not None:
            continue
        w = Window(e.starts_at, e.ends_at, e.ended_early_at)
        label = f"{e.competition_name} · season {e.season_number}"
        choices.append(
            TraderChoice(
                e.trader_id,
                label,
                "competition",
                e.competition_id,
                e.season_number,
                w.state(now).value,
                w.start,
                w.effective_end,
            )
        )
    return choices


def trader_for(ctx: ServiceContext, store: CompetitionStore, user_id: int, trader_id: int) -> int:
    """``trader_id`` when the person may trade it (their own id, or an entry of theirs not removed);
    NotFound otherwise (the same answer whether it exists or not)."""
    row = person(ctx, user_id)
    if int(trader_id) == row.id:
        return row.id
    entry = store.entry_by_trader(int(trader_id))
    if entry is None or entry.member_id != row.id or entry.removed_at is not None:
        raise NotFound.of("competition.no_account", trader=trader_id)
    return int(trader_id)
