"""The host's view of who is in a competition (issue 16): names and join times, never orders or
holdings. Only the host and the admin may read it
(:func:`~sim.service_layer.competition_access.check_manager`)."""

from __future__ import annotations

from typing import Any

from sim.service_layer.competition_access import check_manager, competition_row, season_row
from sim.service_layer.context import ServiceContext
from sim.service_layer.ports import CompetitionStore


def members(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int
) -> list[dict[str, Any]]:
    """The latest season's members (not removed): member id, the name shown on the leaderboard and
    when they joined (market time)."""
    comp = competition_row(store, competition_id)
    check_manager(ctx, comp, user_id)
    season = season_row(store, comp)
    return [
        {
            "member_id": e.member_id,
            "name": e.member_display_name or e.member_username,
            "joined_at": e.joined_at,
        }
        for e in store.entries(season.id)
    ]
