"""Competitions: join with an invite code, the leaderboards of yours, host one (issue 16).

Only facade verbs: ``competitions``, ``competition``, ``join_competition``, ``leaderboard``,
``competition_report(_html)``, ``competition_holdings`` and the host's verbs in
:mod:`ui.competition_host`. Members see ranks, returns and scores, never each other's orders.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sim.domain.errors import SimError
from ui import competition_host, errors
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import error_text
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title("Competitions")
st.caption(
    "Everyone in a competition starts with the same virtual balance, trades an account that exists "
    "only inside it (your own account is not touched) and is ranked at the end. Times are market "
    "time (UTC), the simulator's clock."
)
done = st.session_state.pop("_comp_done", None)
if done is not None:
    st.success(done)

join, host = st.columns(2)
with join, st.form("comp_join", clear_on_submit=True, border=True):
    st.subheader("Join with an invite code")
    code = st.text_input("Invite code", max_chars=32, placeholder="e.g. K7Q2-M9XA")
    if st.form_submit_button("Join", type="primary"):
        try:
            trader = sim.join_competition(user.id, code)
        except SimError as exc:
            st.error(error_text(exc))
        else:
            st.session_state["trading_as"] = trader  # the sidebar's switcher now shows it
            st.session_state["_comp_done"] = (
                "You joined. Your competition account is now the one the Trading, Portfolio and "
                "Dashboard pages show; switch back to your own account in the sidebar."
            )
            st.rerun()
with host:
    competition_host.create_form(sim, user)

mine: list[dict[str, Any]] = sim.competitions(user.id)
if not mine:
    st.info("You are in no competition yet: join one with its invite code, or host one.")
    st.stop()

st.divider()
names = {c["id"]: c["name"] for c in mine}
chosen_id = st.selectbox("Competition", list(names), format_func=names.__getitem__, key="comp_pick")
comp = next(c for c in mine if c["id"] == chosen_id)
seasons = {s["season"]: s for s in comp["seasons"]}
number = st.segmented_control(
    "Season",
    sorted(seasons, reverse=True),
    default=max(seasons),
    format_func=lambda n: f"Season {n}",
    key=f"comp_season_{chosen_id}",
    required=True,
) or max(seasons)
season = seasons[number]
state = season["state"]

a, b = st.columns([1, 3])
a.metric("State", {"upcoming": "Not started", "running": "Running", "ended": "Ended"}.get(state, state))
b.metric("Members", season["members"])
early = " (ended early)" if season["ended_early"] else ""
symbols = ", ".join(comp["symbols"]) or "every symbol"
st.markdown(
    f"**{season['starts_at']:%Y-%m-%d %H:%M}** to **{season['ends_at']:%Y-%m-%d %H:%M} UTC**{early} · "
    f"starting balance {fmt.money(comp['starting_balance'], 'USDT')} · symbols: {symbols}"
)
st.caption(
    f"Maker fee {float(comp['maker_fee']) * 100:.3g}%, taker fee {float(comp['taker_fee']) * 100:.3g}%, "
    f"slippage {float(comp['slippage_bps']):g} bps; at least {comp['min_trades']} trade(s) to be ranked."
)

by = st.radio("Rank by", ["score", "return"], horizontal=True, format_func=str.title, key="comp_by")
with st.expander("How the score and the ranks are worked out"):
    st.markdown(f"**Score.** {comp['score_rule']}")
    st.markdown(f"**Ties and the minimum.** {comp['tie_rule']}")


def standings_table(rows: list[Any]) -> pd.DataFrame:
    """The leaderboard as people read it (percent, ranks, "you")."""
    return pd.DataFrame(
        [
            {
                "Rank": r.rank if r.ranked else "-",
                "Member": f"{r.name} (you)" if r.you else r.name,
                "Return": f"{float(r.ret) * 100:+.2f}%".replace("-0.00%", "0.00%").replace("+0.00%", "0.00%"),
                "Max drawdown": f"{float(r.max_drawdown) * 100:.2f}%",
                "Score": f"{float(r.score):,.2f}",
                "Trades": r.trades,
                "Note": "" if r.ranked else r.reason,
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
        st.caption("Nobody has joined this season yet.")
        return
    st.dataframe(standings_table(rows), hide_index=True, key="comp_board")
    if state == "running":
        st.caption(f"Standings live, updated every 5 s: as of {sim.now():%Y-%m-%d %H:%M} UTC market time.")
    elif state == "ended":
        st.caption(f"Standings frozen at the end, {season['ends_at']:%Y-%m-%d %H:%M} UTC.")
    else:
        st.caption("The season has not started: everyone is at the starting balance.")


st.subheader(f"Leaderboard, season {number}")
leaderboard()

if state == "ended":
    st.subheader("Final report")
    try:
        report = sim.competition_report(user.id, chosen_id, number)
    except SimError as exc:
        st.error(error_text(exc))
    else:
        st.caption(
            f"Frozen at {report['frozen_at']:%Y-%m-%d %H:%M} UTC, as of {report['as_of']:%Y-%m-%d %H:%M} UTC."
        )
        st.download_button(
            "Download the final report (HTML)",
            sim.competition_report_html(user.id, chosen_id, number),
            file_name=f"competition-{chosen_id}-season-{number}.html",
            mime="text/html",
        )
        if comp["show_holdings_after_end"]:
            holdings = sim.competition_holdings(user.id, chosen_id, number)
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Member": name, **{k: float(v) for k, v in held.items()}}
                        for name, held in holdings.items()
                    ]
                ),
                hide_index=True,
            )

if comp["you_manage"]:
    competition_host.manage(sim, user, comp, season)
