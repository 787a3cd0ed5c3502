"""The Settings page's "Watchlist" section: add a symbol by typing to search, remove one.

What may be watched and the cap are the facade's rules (:mod:`sim.watch_api`); a symbol typed that
is not among the options (listed but without candles here, not trading, unknown) is still sent, so
the refusal says why. The options are the tradable universe (``sim.symbols()``): st.selectbox
filters them as the user types, hundreds included.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.domain.errors import SimError
from ui.i18n import error_text, t

NOTICE = "_watchlist_notice"


def draw(sim: Any, user_id: int) -> None:
    """The section, for the signed-in ``user_id``."""
    st.subheader(t("wl.title"))
    watched = sim.watchlist(user_id)
    universe = sim.symbols()
    everyone = ", ".join(sim.settings.symbols)
    st.caption(t("wl.caption", everyone=everyone, limit=sim.max_watchlist, count=len(universe)))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])
    with st.form("watch_form", clear_on_submit=True):
        choice = st.selectbox(
            t("wl.add"),
            [s for s in universe if s not in watched],
            index=None,
            placeholder=t("wl.placeholder", count=len(universe)),
            accept_new_options=True,
            key="wl_add",
        )
        if st.form_submit_button(t("wl.add_button")):
            if not choice:
                st.error(t("wl.pick_first"))
            else:
                try:
                    sim.watch(user_id, choice)
                except SimError as exc:
                    st.error(error_text(exc))
                else:
                    st.session_state[NOTICE] = ("success", t("wl.added", symbol=choice.strip().upper()))
                    st.rerun()
    if not watched:
        st.caption(t("wl.empty"))
    for symbol in watched:
        name, button = st.columns([4, 1], vertical_alignment="center")
        name.markdown(f"**{symbol}**" + ("" if symbol in sim.instruments else t("wl.not_tradable")))
        if button.button(t("wl.remove"), key=f"wl_rm_{symbol}"):
            try:
                sim.unwatch(user_id, symbol)
            except SimError as exc:
                st.session_state[NOTICE] = ("error", error_text(exc))
            else:
                st.session_state[NOTICE] = ("success", t("wl.removed", symbol=symbol))
            st.rerun()
