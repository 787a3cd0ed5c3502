"""Streamlit entry: page config, the login gate, navigation and the shared sidebar.

Run with ``streamlit run app.py`` (``make run``). Pages live in ``app_pages/`` (never ``pages/``:
that folder switches Streamlit to auto-discovery, which serves pages without this gate).
"""

import streamlit as st

from sim.settings import SettingsError
from ui import accounts, auth, errors, i18n, widgets
from ui.i18n import t
from ui.runtime import get_runtime

st.set_page_config(page_title="Crypto paper trading", page_icon="📈", layout="wide")


def pages() -> list[st.Page]:
    """The page list in the session's language (titles are the menu's labels): adding a page is one
    line here."""
    return [
        st.Page(
            "app_pages/dashboard.py",
            title=t("nav.dashboard"),
            icon=":material/monitoring:",
            url_path="home",
            default=True,
        ),
        st.Page("app_pages/trading.py", title=t("nav.trading"), icon=":material/swap_horiz:"),
        st.Page("app_pages/portfolio.py", title=t("nav.portfolio"), icon=":material/account_balance_wallet:"),
        st.Page("app_pages/assistant.py", title=t("nav.assistant"), icon=":material/smart_toy:"),
        st.Page("app_pages/backtest_lab.py", title=t("nav.backtest"), icon=":material/science:"),
        st.Page("app_pages/competitions.py", title=t("nav.competitions"), icon=":material/trophy:"),
        st.Page("app_pages/reports.py", title=t("nav.reports"), icon=":material/summarize:"),
        st.Page("app_pages/settings.py", title=t("nav.settings"), icon=":material/settings:"),
        # The default page lives at "/" (its url_path only reserves a name); "/dashboard", the
        # address the other pages' pattern suggests, opened a "Page not found" dialog over it. It
        # is the Dashboard too: one run, not in the menu.
        st.Page(
            "app_pages/dashboard.py", title=t("nav.dashboard"), url_path="dashboard", visibility="hidden"
        ),
    ]


try:
    key = auth.cookie_key()
except (auth.CookieKeyError, SettingsError) as exc:  # second line: python -m ui.serve refuses first
    st.error(t("app.wont_start", error=exc))
    st.stop()

widgets.compact_layout()
runtime = get_runtime()
auth.restore_session(runtime.sim, key)
user = auth.current_user(runtime.sim)
i18n.use(user.language if user else None)  # their choice in Settings, else the browser's language
# the tab's title in that language (Streamlit 1.67: a later call is additive, only the title changes)
st.set_page_config(page_title=t("app.title"))

if user is None:
    login = st.navigation(
        [st.Page(auth.login_page, title=t("nav.login"), icon=":material/login:")], position="hidden"
    )
    with errors.boundary():
        login.run()
    st.stop()

page = st.navigation(pages())
if page.title != t("nav.dashboard"):
    st.session_state.pop("_welcome", None)  # the note after registering lasts until another page
with st.sidebar:
    st.text(t("sidebar.signed_in_as", name=user.display_name or user.username))
    st.button(
        t("sidebar.logout"), on_click=auth.request_logout, key="sidebar_logout", icon=":material/logout:"
    )
    accounts.switcher(runtime.sim, user)

    @st.fragment(run_every=5)
    @errors.guarded
    def _feed_badge() -> None:
        auth.still_signed_in()
        statuses = widgets.feed_statuses(runtime)
        status = widgets.overall_status(statuses)
        live = sum(s == "live" for s in statuses.values())
        widgets.status_badge(
            status, t("sidebar.feed", status=widgets.status_word(status), live=live, total=len(statuses))
        )
        st.caption(t("sidebar.market_time", time=i18n.when(runtime.sim.now())))

    _feed_badge()

widgets.toast_fills(runtime.sim, user.trader)
with errors.boundary():
    page.run()
