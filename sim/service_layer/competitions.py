"""Use cases of competitions and seasons: create, join, edit, remove a member, end early, open a
season. Rules: :mod:`sim.domain.competition`; standings and
final reports: :mod:`sim.standings`.

Roles. Any user may **host**: the creator of a competition (clubs and classes run their own). The
host edits it before its current season starts, removes a member, ends a season early and opens
the next one. The **admin** (the user named by ``ADMIN_USERNAME``, see :mod:`sim.settings`) may do
all of that for every competition, and read every competition's standings. Members (anyone who
joined with the invite code) read the standings of their competition; nobody reads another
member's orders or holdings, except holdings after the end when the host chose to show them.

Entries. A member trades a season through an entry's own trader (a ``users`` row they own, never
able to log in; see :mod:`sim.domain.competition`), so every trading verb of the facade works on
it unchanged. The facade's caller passes the trader's id after asking
:func:`~sim.service_layer.competition_access.trader_for`, which refuses a trader that is not the
caller's (``trading_accounts`` there lists the caller's choices; who may do what is that module's).

Seasons. Season 1 opens with the competition. When a season has ended, the host opens the next
one (:func:`new_season`): every member of the ended season who was not removed is carried over
with a fresh entry (``carry_over=False`` to let them join again with the same invite code), and
past seasons stay readable. Members may join an upcoming or a running season (a late joiner starts
with the same balance, and is ranked on the same formulas), never an ended one.

All times are market time from the simulator's clock (``ctx.now()``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sim.domain import competition as rules
from sim.domain.competition import SeasonState, when
from sim.domain.costs import check_fee, check_slippage
from sim.domain.errors import CompetitionRefused, InvalidInput, NotFound
from sim.service_layer import trading
from sim.service_layer.competition_access import (
    check_manager,
    competition_row,
    parse_time,
    person,
    season_row,
    window_of,
)
from sim.service_layer.context import ServiceContext
from sim.service_layer.ports import CompetitionStore

EDITABLE = frozenset(
    {
        "name",
        "start",
        "end",
        "starting_balance",
        "symbols",
        "maker_fee",
        "taker_fee",
        "slippage_bps",
        "min_trades",
        "show_holdings_after_end",
        "invite_code",
    }
)
CODE_LENGTH = 8


def _settings(ctx: ServiceContext, given: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """The competition columns of ``given`` (checked), over ``base``."""
    out: dict[str, Any] = dict(base)
    if "name" in given:
        out["name"] = rules.check_name(given["name"])
    if "starting_balance" in given:
        out["starting_balance"] = rules.check_balance(given["starting_balance"])
    if "symbols" in given:
        symbols = rules.check_symbols(given["symbols"])
        for s in symbols or ():
            ctx.instruments.get_or_raise(s)  # unknown or not trading: refused, saying why
        out["symbols"] = rules.symbols_text(symbols)
    for fee in ("maker_fee", "taker_fee"):
        if fee in given:
            out[fee] = check_fee(given[fee], fee.replace("_", " "))
    if "slippage_bps" in given:
        out["slippage_bps"] = check_slippage(given["slippage_bps"])
    if "min_trades" in given:
        out["min_trades"] = rules.check_min_trades(given["min_trades"])
    if "show_holdings_after_end" in given:
        if not isinstance(given["show_holdings_after_end"], bool):
            raise InvalidInput.of("competition.holdings_flag")
        out["show_holdings_after_end"] = given["show_holdings_after_end"]
    if "invite_code" in given:
        out["invite_code"] = rules.check_invite_code(given["invite_code"])
    return out


def new_code() -> str:
    return "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, start: object, end: object, **given: Any
) -> int:
    """A new competition hosted by the user, with season 1 from ``start`` (None: now) to ``end``;
    its id. ``given``: the editable settings (:data:`EDITABLE`), defaults from the settings."""
    host = person(ctx, user_id)
    unknown = set(given) - EDITABLE
    if unknown:
        raise InvalidInput.of("competition.unknown_settings", names=", ".join(sorted(unknown)))
    now = ctx.now()
    starts = now if start is None else parse_time(start, "start")
    ends = parse_time(end, "end")
    rules.check_dates(starts, ends, now)
    s = ctx.settings
    base = dict(
        starting_balance=s.starting_balance,
        maker_fee=s.maker_fee,
        taker_fee=s.taker_fee,
        slippage_bps=s.slippage_bps,
        min_trades=0,
        show_holdings_after_end=False,
        symbols=None,
    )
    values = _settings(ctx, given, base)
    if "name" not in values:
        raise InvalidInput.of("competition.name_missing")
    values.update(host_id=host.id, created_at=now)
    for _ in range(5):
        code = values.get("invite_code") or new_code()
        cid = store.create({**values, "invite_code": code}, starts, ends)
        if cid is not None:
            return cid
        if "invite_code" in values:
            raise CompetitionRefused.of("competition.code_taken", code=code)
    raise CompetitionRefused.of("competition.no_free_code")  # pragma: no cover


def _entry_values(
    comp: Any, season: Any, member: Any, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trader and account columns of ``member``'s entry in ``season``."""
    trader = dict(
        username=rules.entry_username(season.id, member.id),
        password_hash=rules.ENTRY_PASSWORD_HASH,
        display_name=member.display_name or member.username,
        created_at=now,
        owner_id=member.id,
        maker_fee=comp.maker_fee,
        taker_fee=comp.taker_fee,
        slippage_bps=comp.slippage_bps,
    )
    label = f"{comp.name[:50]} · season {season.number}"
    window = window_of(season)
    account = dict(
        label=label, trade_from=window.start, trade_until=window.effective_end, symbols=comp.symbols
    )
    account.update(starting_cash=comp.starting_balance, cash_free=comp.starting_balance, cash_locked=0)
    return trader, account


def join(ctx: ServiceContext, store: CompetitionStore, user_id: int, invite_code: object) -> int:
    """Join the competition of ``invite_code`` (its latest season, upcoming or running) with a new
    entry; the entry's trader id (trade it with the facade's verbs, e.g. ``sim.buy(trader_id, ...)``)."""
    member = person(ctx, user_id)
    try:
        code = rules.check_invite_code(invite_code)
    except InvalidInput:
        code = None
    comp = store.by_code(code) if code else None
    if comp is None:
        raise NotFound.of("competition.code_unknown", code=invite_code)
    season = season_row(store, comp)
    now = ctx.now()
    if window_of(season).state(now) is SeasonState.ENDED:
        raise CompetitionRefused.of(
            "competition.season_ended_join",
            number=season.number,
            name=comp.name,
            end=when(window_of(season).effective_end),
        )
    for entry in store.entries(season.id, include_removed=True):
        if entry.member_id == member.id:
            if entry.removed_at is not None:
                raise CompetitionRefused.of("competition.removed", season=season.number, name=comp.name)
            raise CompetitionRefused.of("competition.joined_twice", season=season.number, name=comp.name)
    trader, account = _entry_values(comp, season, member, now)
    trader_id = store.add_entry(season.id, member.id, trader, account, now)
    if trader_id is None:
        raise CompetitionRefused.of("competition.joined_twice", season=season.number, name=comp.name)
    return trader_id


def edit(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int, **given: Any
) -> None:
    """Change settings or dates (:data:`EDITABLE`) while the latest season has not started; the
    entries already made take the new balance, fees, symbols and window."""
    comp = competition_row(store, competition_id)
    check_manager(ctx, comp, user_id)
    unknown = set(given) - EDITABLE
    if unknown:
        raise InvalidInput.of("competition.unknown_settings", names=", ".join(sorted(unknown)))
    season = season_row(store, comp)
    now = ctx.now()
    if window_of(season).state(now) is not SeasonState.UPCOMING:
        raise CompetitionRefused.of(
            "competition.season_started", number=season.number, name=comp.name, start=when(season.starts_at)
        )
    starts = parse_time(given["start"], "start") if "start" in given else season.starts_at
    ends = parse_time(given["end"], "end") if "end" in given else season.ends_at
    rules.check_dates(starts, ends, now)
    changed = _settings(ctx, {k: v for k, v in given.items() if k not in ("start", "end")}, {})
    account: dict[str, Any] = dict(trade_from=starts, trade_until=ends)
    if "starting_balance" in changed:
        b = changed["starting_balance"]
        account.update(starting_cash=b, cash_free=b)  # nobody traded before the start
    if "symbols" in changed:
        account["symbols"] = changed["symbols"]
    if "name" in changed:
        account["label"] = f"{changed['name'][:50]} · season {season.number}"
    trader: dict[str, Any] = {
        k: changed[k] for k in ("maker_fee", "taker_fee", "slippage_bps") if k in changed
    }
    season_values = dict(starts_at=starts, ends_at=ends)
    if not store.edit(comp.id, season.id, changed, season_values, account, trader):
        raise CompetitionRefused.of("competition.code_taken", code=changed.get("invite_code"))


def cancel_resting(ctx: ServiceContext, trader_id: int, at: datetime, reason: str) -> int:
    """Cancel every resting order of the trader's account at market time ``at``, releasing what
    they locked (an OCO pair at once); how many were canceled."""
    canceled = 0
    with ctx.writing() as uow:
        acct = uow.lock_active_account(trader_id)
        while resting := uow.resting_orders(acct.id):
            before = len(resting)
            trading.cancel(uow, at, trader_id, resting[0].id, reason)
            canceled += before - len(uow.resting_orders(acct.id))
    return canceled


def remove_member(
    ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int, member_id: int
) -> None:
    """Remove a member from the running (or upcoming) season: their entry stops trading now, its
    resting orders are canceled and it leaves the standings."""
    comp = competition_row(store, competition_id)
    check_manager(ctx, comp, user_id)
    season = season_row(store, comp)
    now = ctx.now()
    if window_of(season).state(now) is SeasonState.ENDED:
        raise CompetitionRefused.of("competition.season_final", number=season.number, name=comp.name)
    entry = next((e for e in store.entries(season.id) if e.member_id == member_id), None)
    if entry is None:
        raise NotFound.of("competition.not_member", member=member_id, number=season.number, name=comp.name)
    store.remove_entry(entry.id, now)
    store.close_window([entry.trader_id], max(now, season.starts_at))
    cancel_resting(ctx, entry.trader_id, now, "Removed from the competition by the host.")


def end_early(ctx: ServiceContext, store: CompetitionStore, user_id: int, competition_id: int) -> Any:
    """End the running season now: orders are refused from this moment and resting ones can no
    longer fill. Returns the season row (the caller freezes its standings, :mod:`sim.standings`)."""
    comp = competition_row(store, competition_id)
    check_manager(ctx, comp, user_id)
    season = season_row(store, comp)
    now = ctx.now()
    state = window_of(season).state(now)
    if state is SeasonState.UPCOMING:
        raise CompetitionRefused.of(
            "competition.not_started", number=season.number, name=comp.name, start=when(season.starts_at)
        )
    if state is SeasonState.ENDED:
        raise CompetitionRefused.of("competition.already_ended", number=season.number, name=comp.name)
    store.end_early(season.id, now)
    store.close_window([e.trader_id for e in store.entries(season.id, include_removed=True)], now)
    return store.season(season.id)


def new_season(
    ctx: ServiceContext,
    store: CompetitionStore,
    user_id: int,
    competition_id: int,
    start: object,
    end: object,
    carry_over: bool = True,
) -> int:
    """Open the next season (fresh accounts) once the latest has ended; its number. With
    ``carry_over`` every member of the ended season not removed gets an entry in the new one."""
    comp = competition_row(store, competition_id)
    check_manager(ctx, comp, user_id)
    last = season_row(store, comp)
    now = ctx.now()
    if window_of(last).state(now) is not SeasonState.ENDED:
        raise CompetitionRefused.of(
            "competition.season_running",
            number=last.number,
            name=comp.name,
            end=when(window_of(last).effective_end),
            next=last.number + 1,
        )
    starts = now if start is None else parse_time(start, "start")
    ends = parse_time(end, "end")
    rules.check_dates(starts, ends, now)
    season_id = store.add_season(comp.id, last.number + 1, starts, ends, now)
    if season_id is None:
        raise CompetitionRefused.of("competition.season_taken", next=last.number + 1, name=comp.name)
    season = store.season(season_id)
    if carry_over:
        with ctx.reading() as uow:
            members = [uow.user_row(e.member_id) for e in store.entries(last.id)]
        for m in members:
            trader, account = _entry_values(comp, season, m, now)
            store.add_entry(season_id, m.id, trader, account, now)
    return int(last.number + 1)
