"""A season's standings: live while it runs, frozen at its end, and its final report (its HTML page,
in the reader's language, is :mod:`sim.competition_report`).

The numbers are :mod:`sim.domain.ranking`'s formulas on each entry's fills (the ledger, Decimal)
and marks, all **as of** ``min(market clock, the season's end)``: nothing after the end is read.

- Samples: the season's start, every hourly candle close after it up to ``as_of`` (closes from
  the history store, or the shipped candles; :func:`sim.history.candles`), and ``as_of`` itself.
- Marks: at a close, that candle's close (the last one known for a symbol without a candle
  there); at ``as_of``, the later of the latest trade (when it is at or before ``as_of`` and
  before the end: while a season runs, the price the portfolio shows; a trade dated at the end
  belongs after it, as for orders) and the last close at or before ``as_of`` (the candle closing
  at the end holds the trades before it). A symbol with no price at all by then is marked at the
  entry's last fill price of it.
- Freezing (:func:`finalize`, idempotent): once the end has passed, the entries' resting orders
  are canceled at the end time ("The competition ended.") and the standings document (each
  entry's numbers and holdings as of the end) is stored with the season; readers then get exactly
  that. The daily batch freezes every season whose end has passed (:func:`finalize_due`), and the
  host's early end freezes at once. Assumption: the candle closing at the end is in the history
  store when it freezes (the daily batch runs well after; an early end is marked at the latest
  trades, at or before that moment).
- Privacy: the leaderboard shows each entry's name, rank, return, drawdown, score and trades; never
  orders. Holdings only after the end, when the host set ``show_holdings_after_end``
  (:func:`holdings`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.domain import ranking
from sim.domain.competition import SeasonState, symbols_of, when
from sim.domain.errors import CompetitionRefused, Forbidden, InvalidInput
from sim.domain.values import to_decimal
from sim.history import candles as closed_candles
from sim.service_layer import competition_access as access
from sim.service_layer import competitions as cases
from sim.service_layer.ports import CompetitionStore
from sim.views import FillView, fill_from_row

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext

HOUR = timedelta(hours=1)
ENDED_REASON = "The competition ended."
FRAME_COLUMNS = ["rank", "name", "return", "max_drawdown", "score", "trades", "ranked", "reason", "you"]


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """One line of a leaderboard as members see it (no orders, no holdings)."""

    rank: int | None
    name: str
    ret: Decimal
    max_drawdown: Decimal
    score: Decimal
    trades: int
    ranked: bool
    reason: str
    you: bool
    min_trades: int = 0  # the season's minimum of trades to be ranked (the reason's number)


def as_of(season: Any, now: datetime) -> datetime:
    """The market time a season's standings describe: the clock, or the end once it has passed."""
    return min(now, access.window_of(season).effective_end)


# --- computing ------------------------------------------------------------------------------------
def _closes(ctx: ServiceContext, symbol: str, start: datetime, until: datetime) -> dict[datetime, Decimal]:
    """Hourly closes of ``symbol`` by close time, in ``(start, until]``."""
    try:
        frame = closed_candles(ctx, symbol, "1h", start - HOUR, None)
    except InvalidInput:  # no candles of it here: marked at the latest trade or fill price
        return {}
    out = {}
    for open_time, close in zip(frame["open_time"], frame["close"], strict=True):
        t = pd.Timestamp(open_time).to_pydatetime() + HOUR
        if start < t <= until:
            out[t] = to_decimal(repr(float(close)), "close")
    return out


def _final_marks(
    ctx: ServiceContext, closes: dict[str, dict[datetime, Decimal]], at: datetime, end: datetime
) -> dict[str, Decimal]:
    """The marks at ``at``: the later of the latest trade (made by ``at`` and before ``end``) and
    the last close."""
    marks = {}
    for symbol, series in closes.items():
        best = max(series.items(), default=None)
        tick = ctx.market.last(symbol)
        usable = tick is not None and tick.time <= at and tick.time < end
        if tick is not None and usable and (best is None or tick.time >= best[0]):
            best = (tick.time, tick.price)
        if best is not None:
            marks[symbol] = best[1]
    return marks


def entry_numbers(
    starting: Decimal,
    fills: Sequence[FillView],
    samples: Sequence[datetime],
    closes: dict[str, dict[datetime, Decimal]],
    final: dict[str, Decimal],
) -> tuple[list[Decimal], Decimal, dict[str, Decimal]]:
    """The equity at each sample (the first is the start: ``starting``), the cash at the last and
    the quantities held then. ``fills`` are the entry's, made by the last sample, oldest first."""
    equities, marks, last_fill = [starting], {}, {}
    cash, held, i = starting, dict[str, Decimal](), 0
    for t in samples:
        while i < len(fills) and fills[i].time <= t:
            f = fills[i]
            c, h = ranking.positions_after([f], Decimal(0))
            cash += c
            held[f.symbol] = held.get(f.symbol, Decimal(0)) + h[f.symbol]
            last_fill[f.symbol] = f.price
            i += 1
        for symbol, series in closes.items():
            if t in series:
                marks[symbol] = series[t]
        if t == samples[-1]:
            marks.update(final)
        equities.append(ranking.equity_at(cash, held, {**last_fill, **marks}))
    return equities, cash, {s: q for s, q in held.items() if q != 0}


def compute(ctx: ServiceContext, store: CompetitionStore, comp: Any, season: Any) -> dict[str, Any]:
    """The standings document of ``season`` as of :func:`as_of` (see the module docstring)."""
    at = as_of(season, ctx.now())
    start = season.starts_at
    entries = store.entries(season.id)
    fills: dict[int, list[FillView]] = {}
    with ctx.reading() as uow:
        for e in entries:
            rows = [fill_from_row(r) for r in uow.list_fills([e.account_id])]
            fills[e.id] = [f for f in rows if f.time <= at]
    symbols = sorted({f.symbol for fs in fills.values() for f in fs})
    closes = {s: _closes(ctx, s, start, at) for s in symbols} if at > start else {}
    samples = sorted({t for series in closes.values() for t in series} | {at}) if at > start else []
    final = _final_marks(ctx, closes, at, access.window_of(season).effective_end)
    results = []
    for e in entries:
        equities, cash, held = entry_numbers(e.starting_cash, fills[e.id], samples, closes, final)
        results.append(
            {
                "entry_id": e.id,
                "member_id": e.member_id,
                "name": e.member_display_name or e.member_username,
                "joined_at": e.joined_at.isoformat(),
                "starting": str(e.starting_cash),
                "equity": str(equities[-1]),
                "max_drawdown": str(ranking.max_drawdown(equities)),
                "trades": len({f.order_id for f in fills[e.id]}),
                "cash": str(cash),
                "holdings": {s: str(q) for s, q in sorted(held.items())},
            }
        )
    return {
        "competition": comp.name,
        "season": season.number,
        "as_of": at.isoformat(),
        "min_trades": comp.min_trades,
        "score_rule": ranking.SCORE_RULE,
        "tie_rule": ranking.TIE_RULE,
        "results": results,
    }


def document(ctx: ServiceContext, store: CompetitionStore, comp: Any, season: Any) -> dict[str, Any]:
    """The frozen standings when the season is frozen, else computed now."""
    if season.standings is not None:
        stored: dict[str, Any] = json.loads(season.standings)
        return stored
    return compute(ctx, store, comp, season)


def _results(doc: dict[str, Any]) -> list[ranking.Result]:
    return [
        ranking.Result(
            r["entry_id"],
            r["name"],
            datetime.fromisoformat(r["joined_at"]),
            Decimal(r["starting"]),
            Decimal(r["equity"]),
            Decimal(r["max_drawdown"]),
            int(r["trades"]),
        )
        for r in doc["results"]
    ]


def entry_standings(doc: dict[str, Any], by: str = "score") -> dict[int, ranking.Standing]:
    """The document's standings ordered ``by``, keyed by entry id (for notifications)."""
    rows = ranking.standings(_results(doc), by, int(doc["min_trades"]))  # type: ignore[arg-type]
    return {s.entry_id: s for s in rows}


def ranked(doc: dict[str, Any], by: str = "score", viewer: int | None = None) -> list[LeaderboardRow]:
    """The document's leaderboard ordered ``by`` ``"score"`` or ``"return"``."""
    if by not in ("score", "return"):
        raise InvalidInput.of("ranking.order_by", by=by)
    members = {r["entry_id"]: r["member_id"] for r in doc["results"]}
    rows = ranking.standings(_results(doc), by, int(doc["min_trades"]))  # type: ignore[arg-type]
    return [
        LeaderboardRow(
            s.rank,
            s.name,
            s.ret,
            s.max_drawdown,
            s.score,
            s.trades,
            s.ranked,
            s.reason,
            members[s.entry_id] == viewer,
            int(doc["min_trades"]),
        )
        for s in rows
    ]


# --- the verbs --------------------------------------------------------------------------------
def _season(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int, number: int | None
) -> tuple[Any, Any, Any]:
    comp = access.competition_row(store, competition_id)
    viewer = access.check_viewer(ctx, store, comp, user_id)
    return comp, access.season_row(store, comp, number), viewer


def leaderboard(
    ctx: ServiceContext,
    store: CompetitionStore,
    user_id: int,
    competition_id: int,
    season: int | None = None,
    by: str = "score",
) -> list[LeaderboardRow]:
    """The standings of a season (the latest by default) for a member, the host or the admin."""
    comp, row, viewer = _season(ctx, store, user_id, competition_id, season)
    return ranked(document(ctx, store, comp, row), by, viewer.id)


def standings_frame(
    ctx: ServiceContext,
    store: CompetitionStore,
    user_id: int,
    competition_id: int,
    season: int | None = None,
    by: str = "score",
) -> pd.DataFrame:
    """:func:`leaderboard` as a DataFrame (floats: return, drawdown and score as fractions)."""
    rows = leaderboard(ctx, store, user_id, competition_id, season, by)
    data = [
        {
            "rank": r.rank,
            "name": r.name,
            "return": float(r.ret),
            "max_drawdown": float(r.max_drawdown),
            "score": float(r.score),
            "trades": r.trades,
            "ranked": r.ranked,
            "reason": r.reason,
            "you": r.you,
        }
        for r in rows
    ]
    return pd.DataFrame(data, columns=FRAME_COLUMNS).astype({"rank": "Int64"})


def finalize(ctx: ServiceContext, store: CompetitionStore, comp: Any, season: Any) -> bool:
    """Freeze an ended season (see the module docstring); False when it was frozen already."""
    if season.frozen_at is not None:
        return False
    end = access.window_of(season).effective_end
    if access.window_of(season).state(ctx.now()) is not SeasonState.ENDED:
        raise CompetitionRefused.of(
            "competition.freezes_at", number=season.number, name=comp.name, end=when(end)
        )
    for e in store.entries(season.id, include_removed=True):
        cases.cancel_resting(ctx, e.trader_id, end, ENDED_REASON)
    doc = compute(ctx, store, comp, season)
    return store.freeze(season.id, ctx.now(), json.dumps(doc, sort_keys=True))


def finalize_due(ctx: ServiceContext, store: CompetitionStore) -> list[dict[str, Any]]:
    """Freeze every season whose end has passed and that is not frozen yet (the daily batch)."""
    done = []
    for season in store.due_seasons(ctx.now()):
        comp = access.competition_row(store, season.competition_id)
        if finalize(ctx, store, comp, season):
            done.append({"competition_id": comp.id, "competition": comp.name, "season": season.number})
    return done


def holdings(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int, season: int | None = None
) -> dict[str, dict[str, Decimal]]:
    """Every entry's holdings at the end (name -> symbol -> quantity, ``USDT`` the cash), when the
    season has ended and the host chose to show them; Forbidden otherwise."""
    comp, row, _ = _season(ctx, store, user_id, competition_id, season)
    if not comp.show_holdings_after_end:
        raise Forbidden.of("competition.holdings_private", name=comp.name)
    if access.window_of(row).state(ctx.now()) is not SeasonState.ENDED:
        end = when(access.window_of(row).effective_end)
        raise Forbidden.of("competition.holdings_after_end", number=row.number, end=end)
    doc = document(ctx, store, comp, row)
    out = {}
    for r in doc["results"]:
        out[r["name"]] = {"USDT": Decimal(r["cash"]), **{s: Decimal(q) for s, q in r["holdings"].items()}}
    return out


def report(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int, season: int | None = None
) -> dict[str, Any]:
    """The final report of an ended season (frozen now if it was not yet): the rules, both
    orderings and the settings; refused while the season runs."""
    comp, row, viewer = _season(ctx, store, user_id, competition_id, season)
    finalize(ctx, store, comp, row)  # refused while it runs; nothing when frozen already
    row = access.season_row(store, comp, row.number)
    doc = document(ctx, store, comp, row)
    return {
        "competition": comp.name,
        "season": row.number,
        "starts_at": row.starts_at,
        "ends_at": access.window_of(row).effective_end,
        "ended_early": row.ended_early_at is not None,
        "frozen_at": row.frozen_at,
        "as_of": datetime.fromisoformat(doc["as_of"]),
        "starting_balance": comp.starting_balance,
        "symbols": list(symbols_of(comp.symbols) or ()),
        "min_trades": doc["min_trades"],
        "score_rule": doc["score_rule"],
        "tie_rule": doc["tie_rule"],
        "by_score": [asdict(r) for r in ranked(doc, "score", viewer.id)],
        "by_return": [asdict(r) for r in ranked(doc, "return", viewer.id)],
    }
