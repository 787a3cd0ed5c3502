"""The host's part of the Competitions page: create one, and manage it (edit before the start,
remove a member, end early, open the next season). Anyone may host; the admin named by
``ADMIN_USERNAME`` may manage every competition. Every refusal is the facade's ``SimError``,
shown as it is; nothing here decides who may do what (the service layer does)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import streamlit as st

from sim.domain.errors import SimError
from ui.auth import CurrentUser
from ui.i18n import error_text, t


def _when(label: str, default: datetime, key: str) -> datetime:
    """A market-time (UTC) moment from a date and a time input (``label``: already translated)."""
    d, h = st.columns(2)
    day = d.date_input(t("host.utc_date", label=label), default.date(), key=f"{key}_d")
    at = h.time_input(
        t("host.utc_time", label=label), default.time().replace(second=0, microsecond=0), key=f"{key}_t"
    )
    return datetime.combine(day, at or time(0), tzinfo=UTC)


def _next_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _rules(sim: Any, user: CurrentUser, key: str, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The settings inputs shared by creating and editing; values as the facade takes them."""
    s = sim.settings
    cur = current or {}
    bal = st.number_input(
        t("host.balance"),
        min_value=100.0,
        max_value=1e9,
        value=float(cur.get("starting_balance", s.starting_balance)),
        step=1000.0,
        key=f"{key}_bal",
    )
    options = list(sim.tracked_symbols(user.id))  # the live-fed ones: SYMBOLS, then the watchlist
    symbols = st.pills(
        t("host.symbols"),
        options,
        selection_mode="multi",
        default=[x for x in cur.get("symbols", []) if x in options],
        key=f"{key}_sym",
    )
    f1, f2, f3 = st.columns(3)
    maker = f1.number_input(
        t("settings.maker_fee"),
        0.0,
        5.0,
        float(cur.get("maker_fee", s.maker_fee)) * 100,
        0.01,
        "%.3f",
        key=f"{key}_mk",
    )
    taker = f2.number_input(
        t("settings.taker_fee"),
        0.0,
        5.0,
        float(cur.get("taker_fee", s.taker_fee)) * 100,
        0.01,
        "%.3f",
        key=f"{key}_tk",
    )
    slip = f3.number_input(
        t("settings.slippage"),
        0.0,
        500.0,
        float(cur.get("slippage_bps", s.slippage_bps)),
        1.0,
        "%.1f",
        key=f"{key}_sl",
    )
    m1, m2 = st.columns(2)
    min_trades = m1.number_input(
        t("host.min_trades"), 0, 1000, int(cur.get("min_trades", 1)), 1, key=f"{key}_mt"
    )
    show = m2.checkbox(
        t("host.show_holdings"),
        bool(cur.get("show_holdings_after_end", False)),
        key=f"{key}_sh",
    )
    return {
        "starting_balance": Decimal(f"{bal:.2f}"),
        "symbols": symbols or None,
        "maker_fee": Decimal(f"{maker:.4f}") / 100,
        "taker_fee": Decimal(f"{taker:.4f}") / 100,
        "slippage_bps": Decimal(f"{slip:.1f}"),
        "min_trades": int(min_trades),
        "show_holdings_after_end": show,
    }


def create_form(sim: Any, user: CurrentUser) -> None:
    """Host a new competition: its first season and its invite code."""
    with st.expander(t("host.create_title"), icon=":material/add:"):
        start0 = _next_hour(sim.now())
        with st.form("comp_create", border=False):
            name = st.text_input(t("host.name"), max_chars=64, placeholder=t("host.name_placeholder"))
            at_once = st.checkbox(t("host.start_now"), True, key="cc_now")
            later = _when(t("host.starts"), start0, "cc_start")
            start = None if at_once else later
            end = _when(t("host.ends"), start0 + timedelta(days=7), "cc_end")
            rules = _rules(sim, user, "cc")
            if st.form_submit_button(t("host.create"), type="primary"):
                try:
                    cid = sim.create_competition(user.id, name, start=start, end=end, **rules)
                    code = sim.competition(user.id, cid)["invite_code"]
                except SimError as exc:
                    st.error(error_text(exc))
                else:
                    st.session_state["comp_pick"] = cid
                    st.session_state["_comp_done"] = t("host.created", name=name.strip(), code=code)
                    st.rerun()


def manage(sim: Any, user: CurrentUser, comp: dict[str, Any], season: dict[str, Any]) -> None:
    """Host tools for the competition ``comp`` and its shown ``season``."""
    st.divider()
    st.subheader(t("host.tools"))
    st.markdown(t("host.invite", code=comp["invite_code"]))
    cid, state = comp["id"], season["state"]
    latest = season["season"] == max(s["season"] for s in comp["seasons"])
    if latest and state == "upcoming":
        with st.expander(t("host.edit_title")), st.form("comp_edit", border=False):
            name = st.text_input(t("host.name"), comp["name"], max_chars=64)
            start = _when(t("host.starts"), season["starts_at"], "ce_start")
            end = _when(t("host.ends"), season["ends_at"], "ce_end")
            rules = _rules(sim, user, "ce", comp)
            if st.form_submit_button(t("host.save")):
                _do(
                    lambda: sim.edit_competition(user.id, cid, name=name, start=start, end=end, **rules),
                    t("host.saved"),
                )
    if latest and state != "ended":
        members = sim.competition_members(user.id, cid)
        if members:
            who = {m["member_id"]: m["name"] for m in members}
            c1, c2 = st.columns([3, 1])
            gone = c1.selectbox(t("host.member"), list(who), format_func=who.__getitem__, key="comp_rm_who")
            c2.space("small")
            if c2.button(t("host.remove_member"), key="comp_rm"):
                _do(lambda: sim.remove_member(user.id, cid, gone), t("host.removed", name=who[gone]))
        if state == "running" and st.button(t("host.end_now"), key="comp_end", type="secondary"):
            _do(lambda: sim.end_competition_early(user.id, cid), t("host.ended"))
    if latest and state == "ended":
        with st.expander(t("host.next_title")), st.form("comp_next", border=False):
            start0 = _next_hour(sim.now())
            at_once = st.checkbox(t("host.start_now"), True, key="cn_now")
            later = _when(t("host.starts"), start0, "cn_start")
            start = None if at_once else later
            end = _when(t("host.ends"), start0 + timedelta(days=7), "cn_end")
            carry = st.checkbox(t("host.carry_over"), True)
            if st.form_submit_button(t("host.open_season")):
                _do(
                    lambda: sim.new_season(user.id, cid, start=start, end=end, carry_over=carry),
                    t("host.season_open"),
                )


def _do(action: Any, message: str) -> None:
    try:
        action()
    except SimError as exc:
        st.error(error_text(exc))
    else:
        st.session_state["_comp_done"] = message
        st.rerun()
