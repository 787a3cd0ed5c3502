"""Settings: profile, password, fee and slippage preferences, watchlist, fill notifications, account
reset."""

import streamlit as st

from sim.domain.errors import SimError
from ui import i18n, watchlist_settings, webhook_settings
from ui.auth import keep_signed_in_after_password_change, require_user
from ui.i18n import error_text
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title("Settings")


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
    st.subheader("Profile")
    st.text_input("Username", value=user.username, disabled=True)
    name = st.text_input("Display name", value=user.display_name, max_chars=64, key="s_display")
    if st.form_submit_button("Save profile"):
        try:
            sim.set_preferences(user.id, display_name=name)
            st.session_state["name"] = name
            st.success("Profile saved.")
        except SimError as exc:
            st.error(error_text(exc))

with st.form("password_form", clear_on_submit=True):
    st.subheader("Change password")
    old = st.text_input("Current password", type="password", key="s_old")
    new = st.text_input("New password", type="password", key="s_new")
    again = st.text_input("Repeat the new password", type="password", key="s_new2")
    if st.form_submit_button("Change password"):
        if new != again:
            st.error("The two new passwords differ.")
        else:
            try:
                sim.change_password(user.id, old, new)
            except SimError as exc:
                st.error(error_text(exc))
            else:  # every other login of this user has ended; this browser gets a new session
                keep_signed_in_after_password_change(sim, user.id)
                st.session_state["_password_notice"] = "Password changed."
                st.rerun()
    notice = st.session_state.pop("_password_notice", None)
    if notice:
        st.success(notice)

prefs = sim.preferences(user.id)
with st.form("prefs_form"):
    st.subheader("Trading costs")
    st.caption("Practise under other costs: fees from 0 to 1%, slippage from 0 to 100 basis points.")
    c1, c2, c3 = st.columns(3)
    maker = c1.number_input(
        "Maker fee (%)", 0.0, 1.0, float(prefs["maker_fee"]) * 100, step=0.01, format="%.3f", key="s_maker"
    )
    taker = c2.number_input(
        "Taker fee (%)", 0.0, 1.0, float(prefs["taker_fee"]) * 100, step=0.01, format="%.3f", key="s_taker"
    )
    slip = c3.number_input(
        "Slippage (bps)", 0.0, 100.0, float(prefs["slippage_bps"]), step=0.5, format="%.1f", key="s_slip"
    )
    if st.form_submit_button("Save costs"):
        try:
            # the widgets' values as the text they show; the service converts percent exactly
            sim.set_cost_percentages(
                user.id,
                maker_fee_pct=f"{maker:.3f}",
                taker_fee_pct=f"{taker:.3f}",
                slippage_bps=f"{slip:.1f}",
            )
            st.success("Costs saved; they apply to your next orders.")
        except SimError as exc:
            st.error(error_text(exc))

watchlist_settings.draw(sim, user.id)

webhook_settings.draw(sim, user.id)

st.subheader("Reset the account")
st.caption(
    "Start again with a fresh virtual balance. The current account is archived with its history, "
    "and its open orders are canceled."
)
confirm = st.checkbox("Yes, archive my account and start again", key="s_reset_confirm")
if st.button("Reset account", type="primary", disabled=not confirm, key="s_reset"):
    try:
        pv = sim.reset(user.id)
        st.success(f"A fresh account with {pv.cash:,.2f} USDT is ready.")
    except SimError as exc:
        st.error(error_text(exc))
