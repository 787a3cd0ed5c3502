"""Competitions: join with an invite code, the leaderboards of yours, host one (issue 16).

Only facade verbs: ``competitions``, ``competition``, ``join_competition``, ``leaderboard``,
``competition_report(_html)``, ``competition_holdings`` and the host's verbs in
:mod:`ui.competition_host`. Members see ranks, returns and scores, never each other's orders.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sim.domain import ranking
from sim.domain.errors import SimError
from ui import competition_host, errors, i18n
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import error_text, t
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title(t("nav.competitions"))
st.caption(t("comp.caption"))
done = st.session_state.pop("_comp_done", None)
if done is not None:
    st.success(done)

join, host = st.columns(2)
with join, st.form("comp_join", clear_on_submit=True, border=True):
    st.subheader(t("comp.join_title"))
    code = st.text_input(t("comp.invite_code"), max_chars=32, placeholder=t("comp.invite_placeholder"))
    if st.form_submit_button(t("comp.join"), type="primary"):
        try:
            trader = sim.join_competition(user.id, code)
        except SimError as exc:
            st.error(error_text(exc))
        else:
            st.session_state["trading_as"] = trader  # the sidebar's switcher now shows it
            st.session_state["_comp_done"] = t("comp.joined")
            st.rerun()
with host:
    competition_host.create_form(sim, user)

mine: list[dict[str, Any]] = sim.competitions(user.id)
if not mine:
    st.info(t("comp.none_yet"))
    st.stop()

st.divider()
names = {c["id"]: c["name"] for c in mine}
chosen_id = st.selectbox(t("comp.competition"), list(names), format_func=names.__getitem__, key="comp_pick")
comp = next(c for c in mine if c["id"] == chosen_id)
seasons = {s["season"]: s for s in comp["seasons"]}
number = st.segmented_control(
    t("comp.season"),
    sorted(seasons, reverse=True),
    default=max(seasons),
    format_func=lambda n: t("comp.season_n", n=n),
    key=f"comp_season_{chosen_id}",
    required=True,
) or max(seasons)
season = seasons[number]
state = season["state"]

a, b = st.columns([1, 3])
states = {"upcoming": t("comp.not_started"), "running": t("comp.running"), "ended": t("comp.ended")}
a.metric(t("comp.state"), states.get(state, state))
b.metric(t("comp.members"), season["members"])
st.markdown(
    t(
        "comp.window",
        start=i18n.when(season["starts_at"]),
        end=i18n.when(season["ends_at"]),
        early=t("comp.ended_early") if season["ended_early"] else "",
        balance=fmt.money(comp["starting_balance"], "USDT"),
        symbols=", ".join(comp["symbols"]) or t("comp.every_symbol"),
    )
)
st.caption(
    t(
        "comp.costs",
        maker=f"{float(comp['maker_fee']) * 100:.3g}",
        taker=f"{float(comp['taker_fee']) * 100:.3g}",
        slippage=f"{float(comp['slippage_bps']):g}",
        min_trades=comp["min_trades"],
    )
)

rank_words = {"score": t("comp.by_score"), "return": t("comp.by_return")}
by = st.radio(
    t("comp.rank_by"), ["score", "return"], horizontal=True, format_func=rank_words.__getitem__, key="comp_by"
)
with st.expander(t("comp.how")):
    score_rule, tie_rule = ranking.rules(i18n.lang())  # the rules in the reader's language
    st.markdown(t("comp.score_rule", rule=score_rule))
    st.markdown(t("comp.tie_rule", rule=tie_rule))


def standings_table(rows: list[Any]) -> pd.DataFrame:
    """The leaderboard as people read it (percent, ranks, "you")."""
    return pd.DataFrame(
        [
            {
                t("comp.col_rank"): r.rank if r.ranked else "-",
                t("comp.col_member"): t("comp.you", name=r.name) if r.you else r.name,
                t("comp.col_return"): f"{float(r.ret) * 100:+.2f}%".replace("-0.00%", "0.00%").replace(
                    "+0.00%", "0.00%"
                ),
                t("comp.col_drawdown"): f"{float(r.max_drawdown) * 100:.2f}%",
                t("comp.col_score"): f"{float(r.score):,.2f}",
                t("comp.col_trades"): r.trades,
                t("comp.col_note"): "" if r.ranked else t("comp.unranked", have=r.trades, need=r.min_trades),
            }
            for r in rows
        ]
    )


@st.fragment(run_every=5 if state == "running" else None)
@errors.guarded
def leaderboard() -> None:
    still_signed_in()
    rows = sim.leaderboard(user.id, chosen_id, season=number, by=by)
    if not rows:
        st.caption(t("comp.nobody"))
        return
    st.dataframe(standings_table(rows), hide_index=True, key="comp_board")
    if state == "running":
        st.caption(t("comp.live", time=i18n.when(sim.now())))
    elif state == "ended":
        st.caption(t("comp.frozen", time=i18n.when(season["ends_at"])))
    else:
        st.caption(t("comp.not_started_caption"))


st.subheader(t("comp.leaderboard", n=number))
leaderboard()

if state == "ended":
    st.subheader(t("comp.final_report"))
    try:
        report = sim.competition_report(user.id, chosen_id, number)
    except SimError as exc:
        st.error(error_text(exc))
    else:
        st.caption(
            t("comp.report_times", frozen=i18n.when(report["frozen_at"]), as_of=i18n.when(report["as_of"]))
        )
        st.download_button(
            t("comp.download"),
            sim.competition_report_html(user.id, chosen_id, number, i18n.lang()),
            file_name=f"competition-{chosen_id}-season-{number}.html",
            mime="text/html",
        )
        if comp["show_holdings_after_end"]:
            holdings = sim.competition_holdings(user.id, chosen_id, number)
            st.dataframe(
                pd.DataFrame(
                    [
                        {t("comp.col_member"): name, **{k: float(v) for k, v in held.items()}}
                        for name, held in holdings.items()
                    ]
                ),
                hide_index=True,
            )

if comp["you_manage"]:
    competition_host.manage(sim, user, comp, season)
