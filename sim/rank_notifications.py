"""Rank-change notifications (issue 16, part 4): a member hears on their webhook when their
entry's rank by score changes in a running season.

Rules, stated: only seasons that are running in market time are watched (an ended season's rank
is final; the final report says it). The rank compared is the live leaderboard's rank by score
(:func:`sim.standings.entry_standings`; None while unranked, e.g. under the minimum of trades). A
notification is queued when it differs from the rank last notified for the entry (nothing when an
unranked entry stays unranked), and that rank is moved in the same transaction, so a change is
queued once even with two senders. The sender (:mod:`pipeline.notifier`) calls this about once a
wall-clock minute, not on every round: ranks read from live prices can flip back and forth between
ticks, and a member wants the standing, not every flicker. Delivery (at least once, back-off,
idempotency key, the log in Settings) is the fills' (:mod:`sim.notifications`). Storage is the
ports' (no adapter named here); ``now`` is the wall clock (it schedules the first attempt) while
each notification carries the standings' market time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sim.standings as standings
from sim.domain.competition import SeasonState
from sim.domain.webhooks import WebhookFormat, rank_body, rank_key
from sim.service_layer import competition_access as access
from sim.service_layer.context import ServiceContext
from sim.service_layer.ports import CompetitionStore, WebhookStore


def queue_rank_changes(
    ctx: ServiceContext, comps: CompetitionStore, hooks: WebhookStore, now: datetime
) -> int:
    """Queue a notification for each watched entry whose rank changed; how many were queued."""
    by_season: dict[int, list[Any]] = defaultdict(list)
    for row in hooks.rank_watch():
        by_season[int(row.season_id)].append(row)
    market_now = ctx.now()
    queued = 0
    for watched in by_season.values():
        first = watched[0]
        comp = access.competition_row(comps, first.competition_id)
        season = access.season_row(comps, comp, first.season_number)
        if access.window_of(season).state(market_now) is not SeasonState.RUNNING:
            continue
        doc = standings.document(ctx, comps, comp, season)
        rows = standings.entry_standings(doc, "score")
        ranked = sum(r.rank is not None for r in rows.values())
        as_of = standings.as_of(season, market_now)
        for w in watched:
            row = rows.get(int(w.entry_id))
            if row is None or row.rank == w.notified_rank:
                continue
            key = rank_key(w.entry_id, row.rank, as_of)
            change = {
                "entry_id": w.entry_id,
                "competition": comp.name,
                "season": season.number,
                "rank": row.rank,
                "previous": w.notified_rank,
                "ranked": ranked,
                "ret": row.ret,
                "score": row.score,
                "time": as_of,
                "key": key,
            }
            delivery = {
                "event_key": key,
                "event_time": as_of,
                "body": rank_body(WebhookFormat(w.format), change, w.language or "en"),
                "created_at": now,
            }
            queued += hooks.queue_rank_change(
                int(w.webhook_id), int(w.entry_id), w.notified_rank, row.rank, delivery
            )
    return queued
