"""Accounts in the app: sessions the server can revoke, carried in a signed cookie.

Who checks what:
- **Passwords** are checked by ``Simulator.authenticate`` (growing delays per account name and per
  client address after failures, the same answers for unknown names; see ``sim.logins``).
  Registration and password changes go through ``Simulator.register`` /
  ``Simulator.change_password``.
- **Sessions** live in the ledger database (``login_sessions``). A login creates one; the browser
  keeps its random id in a JWT signed with the cookie key (``{username, exp_date, sid}``), set by
  extra-streamlit-components' cookie manager. Every run (and every run of a live fragment,
  through :func:`still_signed_in`) checks the id against the database, so logout or a password
  change (which revoke every session of the user) end the login in every browser, and a copied
  cookie stops working. Sessions expire after 12 idle hours (renewed on use, the cookie re-set
  with them) and after 7 days at most.
- **Reading the cookie** needs no component: it comes with the page's request
  (``st.context.cookies``). The cookie component (extra-streamlit-components' cookie manager, which
  streamlit-authenticator 0.4.2 wraps; the app no longer uses that library) is drawn only on the
  runs that set or delete the cookie, never its ``getAll`` call: drawn on every run, as the
  library's ``Authenticate`` does, it added an iframe to every page and its answer started a second
  full run of every page opened (issue 18, point 9).
- **The cookie** is set from JavaScript by that component, so it cannot be ``HttpOnly``:
  a script injected into the page could read it. It is ``SameSite=Strict``, ``Path=/`` and
  ``Secure`` when the page was served over HTTPS. A stolen cookie works until logout, a password
  change or expiry; the key alone is not enough to forge one (the session id must exist).
- **The cookie key** comes from ``AUTH_COOKIE_KEY`` (environment or ``.env``) or
  ``st.secrets["auth"]["cookie_key"]`` and is checked by :mod:`ui.keys`; ``python -m ui.serve``
  refuses to start with a bad one, and the app refuses again here.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
import streamlit as st

from sim.domain.errors import SimError
from ui.i18n import error_text, t
from ui.keys import CookieKeyError, check_key

__all__ = ["CookieKeyError", "CurrentUser", "cookie_key", "current_user", "require_user"]

COOKIE_NAME = "paper_sim_auth"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in person (``id``: settings, watchlist, webhooks, reports) and the account the
    pages trade and show (``trader``: their own id, or a competition entry chosen in the sidebar's
    switcher, checked against the ledger on every run; ``account_label`` names it)."""

    id: int
    username: str
    display_name: str
    trader: int = 0
    account_label: str = "My account"
    competition_id: int | None = None
    language: str | None = None  # chosen in Settings ("en" | "ko"); None: the browser's (ui.i18n)

    @property
    def in_competition(self) -> bool:
        return self.competition_id is not None


def cookie_key() -> str:
    """The cookie signing key; raises :class:`CookieKeyError` with a message saying what to do."""
    from sim.settings import load_settings

    key = load_settings().auth_cookie_key  # the environment, then .env
    if not key:
        try:
            key = str(st.secrets["auth"]["cookie_key"]).strip()
        except Exception:  # no secrets file, or no [auth] section: both mean "not configured"
            key = ""
    return check_key(key)


def _cookie_manager() -> Any:
    """extra-streamlit-components' cookie manager for one set or delete, without the ``getAll``
    component its constructor draws (see the module docstring).

    Assumes extra-streamlit-components 0.1.81 (pinned in requirements.txt): the
    class keeps the component function in ``cookie_manager`` and the known cookies in ``cookies``.
    """
    module = importlib.import_module("extra_streamlit_components.CookieManager")
    manager = module.CookieManager.__new__(module.CookieManager)
    manager.cookie_manager = module._component_func
    manager.cookies = {COOKIE_NAME: None}  # what delete() expects to find
    return manager


def _sign_in(username: str, name: str, user_id: int, sid: str) -> None:
    st.session_state["authentication_status"] = True
    st.session_state["username"] = username
    st.session_state["name"] = name
    st.session_state["user_id"] = user_id
    st.session_state["_sid"] = sid
    st.session_state["logout"] = None


def _sign_out() -> None:
    """Forget the login in this browser session (the keys streamlit-authenticator's logout clears)
    and delete the cookie."""
    st.session_state["logout"] = True
    for key in ("name", "username", "authentication_status", "email", "roles"):
        st.session_state[key] = None
    for key in ("user_id", "_sid", "_set_cookie"):
        st.session_state.pop(key, None)
    _cookie_manager().delete(COOKIE_NAME)


def _https() -> bool:
    try:
        proto = st.context.headers.get("X-Forwarded-Proto", "")
        return proto == "https" or str(st.context.url or "").startswith("https://")
    except Exception:  # no request context (bare runs)
        return False


def _set_cookie(key: str, username: str, sid: str, expires: datetime) -> None:
    token = jwt.encode(
        {"username": username, "exp_date": expires.timestamp(), "sid": sid}, key, algorithm="HS256"
    )
    _cookie_manager().set(
        COOKIE_NAME, token, expires_at=expires, same_site="strict", secure=True if _https() else None
    )


def _cookie_sid(key: str) -> str | None:
    """The session id in this browser's cookie when its signature is ours, else None."""
    try:
        raw = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no request context (bare runs)
        raw = None
    if not isinstance(raw, str) or not raw or len(raw) > 4096:
        return None
    try:
        claims = jwt.decode(raw, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    sid = claims.get("sid") if isinstance(claims, dict) else None
    return sid if isinstance(sid, str) else None


def restore_session(sim: Any, key: str) -> None:
    """Log out when asked; else keep a live session, or take one from the cookie; else nothing.

    Draws the cookie component only when the cookie must be set or deleted (see the module
    docstring), so an ordinary run draws nothing here and triggers no second run."""
    s = st.session_state
    if s.pop("_logout_requested", False) and s.get("user_id"):
        sim.revoke_sessions(int(s["user_id"]))
        _sign_out()
        return
    if s.get("authentication_status") and s.get("user_id") and s.get("_sid"):
        session = sim.check_session(s["_sid"])
        if session is None or session.user_id != s["user_id"]:
            _sign_out()
            s["_login_error"] = t("auth.ended")
            return
        if s.pop("_set_cookie", False) or session.renewed:
            _set_cookie(key, session.username, s["_sid"], session.expires_at)
        return
    sid = _cookie_sid(key)
    session = sim.check_session(sid) if sid else None
    if session is None:
        return
    assert sid is not None
    _sign_in(session.username, session.display_name, session.user_id, sid)
    if session.renewed:
        _set_cookie(key, session.username, sid, session.expires_at)


def still_signed_in() -> None:
    """For live fragments (they rerun without the app's gate): a revoked session reruns the app."""
    from ui.runtime import get_runtime

    sid = st.session_state.get("_sid")
    session = get_runtime().sim.check_session(sid) if sid else None
    if session is None or session.user_id != st.session_state.get("user_id"):
        st.rerun(scope="app")
    if session.renewed:  # the cookie follows on the next full run
        st.session_state["_set_cookie"] = True


def current_user(sim: Any) -> CurrentUser | None:
    """The signed-in user, read again from the database (None when signed out or deleted)."""
    user_id = st.session_state.get("user_id")
    if not st.session_state.get("authentication_status") or not user_id:
        return None
    try:
        me = sim.me(int(user_id))
    except SimError:
        return None
    chosen = st.session_state.get("trading_as")
    if chosen and chosen != me.id:
        try:  # one of their entries (not removed): anything else falls back to their own account
            choice = next(c for c in sim.trading_accounts(me.id) if c.trader_id == int(chosen))
        except (SimError, StopIteration, ValueError):
            st.session_state.pop("trading_as", None)  # gone, or never theirs: back to their own
        else:
            return CurrentUser(
                me.id,
                me.username,
                me.display_name,
                choice.trader_id,
                choice.label,
                choice.competition_id,
                me.language,
            )
    return CurrentUser(me.id, me.username, me.display_name, me.id, language=me.language)


def require_user() -> CurrentUser:
    """The page guard: the signed-in user, or a notice and ``st.stop()``."""
    from ui.runtime import get_runtime

    user = current_user(get_runtime().sim) if st.session_state.get("user_id") else None
    if user is None:
        st.info(t("auth.please_log_in"))
        st.stop()
    assert user is not None
    return user


def keep_signed_in_after_password_change(sim: Any, user_id: int) -> None:
    """A password change revoked every session; this browser gets a new one (cookie set next run)."""
    st.session_state["_sid"] = sim.start_session(user_id)
    st.session_state["_set_cookie"] = True


def request_logout() -> None:
    """on_click of the logout button: the next run logs out before anything is drawn."""
    st.session_state["_logout_requested"] = True


def client_address() -> str | None:
    """The TCP peer of this browser session (None on loopback: the machine's own user).

    Behind a reverse proxy this is the proxy's address for everyone; forwarded headers are not
    trusted because any client could send them.
    """
    try:
        return st.context.ip_address
    except Exception:  # no request context (bare runs)
        return None


# --- the forms --------------------------------------------------------------------------------
def _do_login() -> None:
    from ui.runtime import get_runtime

    sim = get_runtime().sim
    username = st.session_state.get("login_username", "")
    password = st.session_state.get("login_password", "")
    try:
        user = sim.authenticate(username, password, client_address())
    except SimError as exc:
        st.session_state["_login_error"] = error_text(exc)
        st.session_state["authentication_status"] = False
        st.session_state["login_password"] = ""  # the form clears on submit; the server's copy too
        return
    _sign_in(user.username, user.display_name, user.id, sim.start_session(user.id))
    st.session_state["_set_cookie"] = True
    st.session_state["login_password"] = ""


def _do_register() -> None:
    from ui.runtime import get_runtime

    sim = get_runtime().sim
    s = st.session_state
    if s.get("reg_password", "") != s.get("reg_password2", ""):
        s["_register_error"] = t("auth.passwords_differ")
        return
    try:
        user = sim.register(
            s.get("reg_username", ""), s.get("reg_password", ""), s.get("reg_display") or None
        )
    except SimError as exc:
        s["_register_error"] = error_text(exc)
        return
    s["reg_password"] = s["reg_password2"] = ""
    # signed in at once, as a login would (a new session, the cookie set on the next run): the
    # next run draws the app on its default page, the Dashboard
    _sign_in(user.username, user.display_name, user.id, sim.start_session(user.id))
    s["_set_cookie"] = True
    s["_welcome"] = t("auth.welcome", username=user.username)


def login_page() -> None:
    """The only page a signed-out visitor gets: log in or register."""
    st.title(t("app.title"))
    st.caption(t("auth.tagline"))
    login_tab, register_tab = st.tabs([t("auth.log_in"), t("auth.register")])
    with login_tab:
        # cleared on submit: a failed password is not left in the browser's field
        with st.form("login_form", clear_on_submit=True):
            st.subheader(t("auth.log_in"))
            st.text_input(t("auth.username"), key="login_username", autocomplete="username")
            st.text_input(
                t("auth.password"), type="password", key="login_password", autocomplete="current-password"
            )
            st.form_submit_button(t("auth.log_in"), on_click=_do_login, type="primary")
        error = st.session_state.pop("_login_error", None)
        if error:
            st.error(error)
    with register_tab:
        with st.form("register_form"):
            st.subheader(t("auth.create_account"))
            st.text_input(t("auth.new_username"), key="reg_username", help=t("auth.username_help"))
            st.text_input(t("auth.display_optional"), key="reg_display")
            st.text_input(
                t("auth.choose_password"), type="password", key="reg_password", help=t("auth.password_help")
            )
            st.text_input(t("auth.repeat_password"), type="password", key="reg_password2")
            st.form_submit_button(t("auth.register"), on_click=_do_register)
        error = st.session_state.pop("_register_error", None)
        if error:
            st.error(error)
        ok = st.session_state.pop("_register_ok", None)
        if ok:
            st.success(ok)
