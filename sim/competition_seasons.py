"""A competition as its host and members read and steer it (issue 16): its description, ending a
season early and opening the next one. Each use case pairs a rule of
:mod:`sim.service_layer.competitions` with freezing the standings (:func:`sim.standings.finalize`):
a season that ends is frozen at once, so its final report never waits for the daily batch.
Storage only through the ports; times are market time from ``ctx``.
"""

from __future__ import annotations

from typing import Any

import sim.standings as standings
from sim.domain.competition import SeasonState, symbols_of
from sim.domain.ranking import SCORE_RULE, TIE_RULE
from sim.service_layer import competition_access as access
from sim.service_layer import competitions as cases
from sim.service_layer.context import ServiceContext
from sim.service_layer.ports import CompetitionStore


def describe(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int
) -> dict[str, Any]:
    """A competition's settings, rules and seasons (with their state) for a member, the host or
    the admin; the invite code only for the host and the admin."""
    comp = access.competition_row(store, competition_id)
    viewer = access.check_viewer(ctx, store, comp, user_id)
    manager = comp.host_id == viewer.id or access.is_admin(ctx, viewer)
    now = ctx.now()
    seasons = [
        {
            "season": s.number,
            "starts_at": s.starts_at,
            "ends_at": access.window_of(s).effective_end,
            "ended_early": s.ended_early_at is not None,
            "state": access.window_of(s).state(now).value,
            "frozen": s.frozen_at is not None,
            "members": len(store.entries(s.id)),
        }
        for s in store.seasons(comp.id)
    ]
    return {
        "id": comp.id,
        "name": comp.name,
        "host_id": comp.host_id,
        "you_manage": manager,
        "invite_code": comp.invite_code if manager else None,
        "starting_balance": comp.starting_balance,
        "symbols": list(symbols_of(comp.symbols) or ()),
        "maker_fee": comp.maker_fee,
        "taker_fee": comp.taker_fee,
        "slippage_bps": comp.slippage_bps,
        "min_trades": comp.min_trades,
        "show_holdings_after_end": comp.show_holdings_after_end,
        "score_rule": SCORE_RULE,
        "tie_rule": TIE_RULE,
        "seasons": seasons,
    }


def end_early(ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int) -> int:
    """End the running season now (host or admin) and freeze it; the season's number."""
    season = cases.end_early(ctx, store, user_id, competition_id)
    standings.finalize(ctx, store, access.competition_row(store, competition_id), season)
    return int(season.number)


def new_season(
    ctx: ServiceContext,
    store: CompetitionStore,
    user_id: int,
    competition_id: int,
    start: object,
    end: object,
    carry_over: bool,
) -> int:
    """Open the next season once the latest has ended (the ended one is frozen first); its number."""
    comp = access.competition_row(store, competition_id)
    access.check_manager(ctx, comp, user_id)
    last = access.season_row(store, comp)
    if access.window_of(last).state(ctx.now()) is SeasonState.ENDED:
        standings.finalize(ctx, store, comp, last)
    return cases.new_season(ctx, store, user_id, competition_id, start, end, carry_over)
