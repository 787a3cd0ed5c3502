"""Settings: profile, password, fee and slippage preferences, watchlist, fill notifications, account
reset."""

import streamlit as st

from sim.domain.errors import SimError
from ui import i18n, watchlist_settings, webhook_settings
from ui.auth import keep_signed_in_after_password_change, require_user
from ui.i18n import error_text, t
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title(t("nav.settings"))


def _save_language() -> None:
    """on_change of the language picker: stored before the next run, which app.py then shows in it."""
    try:
        sim.set_preferences(user.id, language=st.session_state["s_language"])
    except SimError as exc:
        st.session_state["_language_error"] = i18n.error_text(exc)


# the person's stored choice, else the browser's language (what the page is shown in): kept in step
# with the stored choice on every run, so another browser's change is never written back from here
st.session_state["s_language"] = i18n.lang()
st.selectbox(
    "Language / 언어",
    list(i18n.LANGUAGES),
    format_func=i18n.LANGUAGES.__getitem__,
    key="s_language",
    on_change=_save_language,
)
if st.session_state.get("_language_error"):
    st.error(st.session_state.pop("_language_error"))

with st.form("profile_form"):
    st.subheader(t("settings.profile"))
    st.text_input(t("auth.username"), value=user.username, disabled=True)
    name = st.text_input(t("settings.display_name"), value=user.display_name, max_chars=64, key="s_display")
    if st.form_submit_button(t("settings.save_profile")):
        try:
            sim.set_preferences(user.id, display_name=name)
            st.session_state["name"] = name
            st.success(t("settings.profile_saved"))
        except SimError as exc:
            st.error(error_text(exc))

with st.form("password_form", clear_on_submit=True):
    st.subheader(t("settings.change_password"))
    old = st.text_input(t("settings.current_password"), type="password", key="s_old")
    new = st.text_input(t("settings.new_password"), type="password", key="s_new")
    again = st.text_input(t("settings.repeat_new_password"), type="password", key="s_new2")
    if st.form_submit_button(t("settings.change_password")):
        if new != again:
            st.error(t("settings.new_passwords_differ"))
        else:
            try:
                sim.change_password(user.id, old, new)
            except SimError as exc:
                st.error(error_text(exc))
            else:  # every other login of this user has ended; this browser gets a new session
                keep_signed_in_after_password_change(sim, user.id)
                st.session_state["_password_notice"] = t("settings.password_changed")
                st.rerun()
    notice = st.session_state.pop("_password_notice", None)
    if notice:
        st.success(notice)

prefs = sim.preferences(user.id)
with st.form("prefs_form"):
    st.subheader(t("settings.costs"))
    st.caption(t("settings.costs_caption"))
    c1, c2, c3 = st.columns(3)
    maker = c1.number_input(
        t("settings.maker_fee"),
        0.0,
        1.0,
        float(prefs["maker_fee"]) * 100,
        step=0.01,
        format="%.3f",
        key="s_maker",
    )
    taker = c2.number_input(
        t("settings.taker_fee"),
        0.0,
        1.0,
        float(prefs["taker_fee"]) * 100,
        step=0.01,
        format="%.3f",
        key="s_taker",
    )
    slip = c3.number_input(
        t("settings.slippage"),
        0.0,
        100.0,
        float(prefs["slippage_bps"]),
        step=0.5,
        format="%.1f",
        key="s_slip",
    )
    if st.form_submit_button(t("settings.save_costs")):
        try:
            # the widgets' values as the text they show; the service converts percent exactly
            sim.set_cost_percentages(
                user.id,
                maker_fee_pct=f"{maker:.3f}",
                taker_fee_pct=f"{taker:.3f}",
                slippage_bps=f"{slip:.1f}",
            )
            st.success(t("settings.costs_saved"))
        except SimError as exc:
            st.error(error_text(exc))

watchlist_settings.draw(sim, user.id)

webhook_settings.draw(sim, user.id)

st.subheader(t("settings.reset"))
st.caption(t("settings.reset_caption"))
confirm = st.checkbox(t("settings.reset_confirm"), key="s_reset_confirm")
if st.button(t("settings.reset_button"), type="primary", disabled=not confirm, key="s_reset"):
    try:
        pv = sim.reset(user.id)
        st.success(t("settings.reset_done", cash=i18n.number(pv.cash)))
    except SimError as exc:
        st.error(error_text(exc))
