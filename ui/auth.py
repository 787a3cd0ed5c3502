"""Accounts in the app: streamlit-authenticator 0.4.2 for the session cookie, the users table for
everything else.

Who checks what:
- **Passwords** are checked by ``Simulator.authenticate`` against the users table, which counts
  failed logins and locks an account for 15 minutes after 5 failures (the authenticator's own
  check would count failures in memory only, per process). Registration and password changes go
  through ``Simulator.register`` / ``Simulator.change_password`` for the same reason.
- **The session cookie** (a signed JWT "remember me" for 7 days) and the session keys
  (``authentication_status``, ``username``, ``name``) are streamlit-authenticator's: after a
  login the app asks its cookie controller to set the cookie; on a new visit its cookie is read
  back and the user is looked up in the database again; logout is its logout (session cleared,
  cookie deleted).
- **The cookie key** comes from ``AUTH_COOKIE_KEY`` or ``st.secrets["auth"]["cookie_key"]``. The
  library's default (``some_key``) or any key under 32 bytes stops the app: with it anyone could
  sign a cookie for any username.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sim.domain.errors import SimError

COOKIE_NAME = "paper_sim_auth"
COOKIE_DAYS = 7.0
MIN_KEY_BYTES = 32
DEFAULT_KEYS = {
    "some_key",
    "some_signature_key",
    "abcdef",
    "changeme",
    "change-me",
    "replace-me-with-a-random-secret-of-at-least-32-bytes",  # .streamlit/secrets.toml.example
}


class CookieKeyError(RuntimeError):
    """The cookie key is missing, the library default, or too short."""


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str


def cookie_key() -> str:
    """The cookie signing key; raises :class:`CookieKeyError` with a message saying what to do."""
    key = os.environ.get("AUTH_COOKIE_KEY", "").strip()
    if not key:
        try:
            key = str(st.secrets["auth"]["cookie_key"]).strip()
        except Exception:  # no secrets file, or no [auth] section: both mean "not configured"
            key = ""
    how = (
        "Set AUTH_COOKIE_KEY (or cookie_key under [auth] in .streamlit/secrets.toml) to a random "
        'secret of at least 32 bytes, e.g. python -c "import secrets; print(secrets.token_urlsafe(48))".'
    )
    if not key:
        raise CookieKeyError(f"No cookie key is configured, so logins cannot be kept safe. {how}")
    if key in DEFAULT_KEYS:
        raise CookieKeyError(
            f"The cookie key is a published default ({key!r}); anyone could forge a login. {how}"
        )
    if len(key.encode()) < MIN_KEY_BYTES:
        raise CookieKeyError(f"The cookie key is only {len(key.encode())} bytes long. {how}")
    return key


def authenticator(key: str) -> Any:
    """streamlit-authenticator for this run (it renders its cookie component, so one per run)."""
    import streamlit_authenticator as stauth

    return stauth.Authenticate(
        {"usernames": {}},
        cookie_name=COOKIE_NAME,
        cookie_key=key,
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
    )


def _credentials_entry(auth: Any, username: str, name: str) -> None:
    """Tell the library about a user we authenticated (its logout and cookie code look them up)."""
    creds = auth.authentication_controller.authentication_model.credentials
    creds["usernames"][username] = {"name": name, "email": None, "logged_in": True}


def _sign_in(sim: Any, username: str, name: str, user_id: int) -> None:
    st.session_state["authentication_status"] = True
    st.session_state["username"] = username
    st.session_state["name"] = name
    st.session_state["user_id"] = user_id
    st.session_state["logout"] = None


def restore_session(sim: Any, auth: Any) -> None:
    """Sign in from the session, a fresh login (set the cookie) or a valid cookie; else nothing."""
    if st.session_state.pop("_logout_requested", False) and st.session_state.get("authentication_status"):
        auth.logout(location="unrendered")
        st.session_state.pop("user_id", None)
        return
    if st.session_state.get("authentication_status") and st.session_state.get("user_id"):
        _credentials_entry(auth, st.session_state["username"], st.session_state["name"] or "")
        if st.session_state.pop("_set_cookie", False):
            auth.cookie_controller.set_cookie()
        return
    try:
        raw = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no request context (bare runs)
        raw = None
    if not isinstance(raw, str) or not raw:
        return
    token = auth.cookie_controller.get_cookie()
    if token and token.get("username"):
        user = sim.user_by_name(str(token["username"]))
        if user is not None:
            _sign_in(sim, user.username, user.display_name, user.id)
            _credentials_entry(auth, user.username, user.display_name)


def current_user(sim: Any) -> CurrentUser | None:
    """The signed-in user, read again from the database (None when signed out or deleted)."""
    user_id = st.session_state.get("user_id")
    if not st.session_state.get("authentication_status") or not user_id:
        return None
    try:
        me = sim.me(int(user_id))
    except SimError:
        return None
    return CurrentUser(me.id, me.username, me.display_name)


def require_user() -> CurrentUser:
    """The page guard: the signed-in user, or a notice and ``st.stop()``."""
    from ui.runtime import get_runtime

    user = current_user(get_runtime().sim) if st.session_state.get("user_id") else None
    if user is None:
        st.info("Please log in to see this page.")
        st.stop()
    assert user is not None
    return user


def request_logout() -> None:
    """on_click of the logout button: the next run logs out before anything is drawn."""
    st.session_state["_logout_requested"] = True


# --- the forms --------------------------------------------------------------------------------
def _do_login() -> None:
    from ui.runtime import get_runtime

    sim = get_runtime().sim
    username = st.session_state.get("login_username", "")
    password = st.session_state.get("login_password", "")
    try:
        user = sim.authenticate(username, password)
    except SimError as exc:
        st.session_state["_login_error"] = str(exc)
        st.session_state["authentication_status"] = False
        return
    _sign_in(sim, user.username, user.display_name, user.id)
    st.session_state["_set_cookie"] = True
    st.session_state["login_password"] = ""


def _do_register() -> None:
    from ui.runtime import get_runtime

    sim = get_runtime().sim
    s = st.session_state
    if s.get("reg_password", "") != s.get("reg_password2", ""):
        s["_register_error"] = "The two passwords differ."
        return
    try:
        user = sim.register(
            s.get("reg_username", ""), s.get("reg_password", ""), s.get("reg_display") or None
        )
    except SimError as exc:
        s["_register_error"] = str(exc)
        return
    s["_register_ok"] = f"Account {user.username} created with a fresh virtual balance. Log in to start."
    s["reg_password"] = s["reg_password2"] = ""


def login_page() -> None:
    """The only page a signed-out visitor gets: log in or register."""
    st.title("Crypto paper trading")
    st.caption("Trade Binance spot symbols on real prices with a virtual 100,000 USDT. No money at risk.")
    login_tab, register_tab = st.tabs(["Log in", "Register"])
    with login_tab:
        with st.form("login_form"):
            st.subheader("Log in")
            st.text_input("Username", key="login_username", autocomplete="username")
            st.text_input("Password", type="password", key="login_password", autocomplete="current-password")
            st.form_submit_button("Log in", on_click=_do_login, type="primary")
        error = st.session_state.pop("_login_error", None)
        if error:
            st.error(error)
    with register_tab:
        with st.form("register_form"):
            st.subheader("Create an account")
            st.text_input("New username", key="reg_username", help="3-32 letters, digits, '_', '.', '-'")
            st.text_input("Display name (optional)", key="reg_display")
            st.text_input("Choose a password", type="password", key="reg_password", help="8 to 72 bytes")
            st.text_input("Repeat the password", type="password", key="reg_password2")
            st.form_submit_button("Register", on_click=_do_register)
        error = st.session_state.pop("_register_error", None)
        if error:
            st.error(error)
        ok = st.session_state.pop("_register_ok", None)
        if ok:
            st.success(ok)
