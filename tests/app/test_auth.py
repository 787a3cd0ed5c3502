"""The login gate: signed out you get the login form and nothing else; accounts live in the DB."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sim.adapters.ledger.tables import login_throttle
from tests.app.conftest import PASSWORD, ROOT, logged_in, login, new_app, no_exceptions

PAGES = ["dashboard", "trading", "portfolio", "assistant", "backtest_lab", "reports", "settings"]


def shows_only_login(at: AppTest) -> None:
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Crypto paper trading"]
    assert at.text_input(key="login_username") is not None
    assert not at.metric and not at.get("iframe") and not at.dataframe
    assert not [b for b in at.button if b.key == "sidebar_logout"]


def test_logged_out_sees_the_login_form_and_nothing_else(env):
    at = new_app().run()
    shows_only_login(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/portfolio.py")


@pytest.mark.parametrize("page", PAGES)
def test_each_page_guards_itself(env, page):
    """Run directly (no app.py gate), a page shows a notice and stops before any user data."""
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{page}.py"), default_timeout=60).run()
    no_exceptions(at)
    assert [i.value for i in at.info] == ["Please log in to see this page."]
    assert not at.metric and not at.title and not at.button


def test_register_then_log_in_and_out(env):
    at = new_app().run()
    at.text_input(key="reg_username").input("carol")
    at.text_input(key="reg_display").input("**Carol** <b>")
    at.text_input(key="reg_password").input(PASSWORD)
    at.text_input(key="reg_password2").input(PASSWORD)
    at.button(key="FormSubmitter:register_form-Register").click().run()
    assert "Display name may not contain" in at.error[0].value
    at.text_input(key="reg_display").input("**Carol**")
    at.text_input(key="reg_password").input(PASSWORD)
    at.text_input(key="reg_password2").input(PASSWORD)
    at.button(key="FormSubmitter:register_form-Register").click().run()
    no_exceptions(at)
    user = env.runtime.sim.user_by_name("carol")
    assert user is not None and user.display_name == "**Carol**"
    # signed in at once, on the Dashboard (issue 18: no second login with the same name)
    assert [t.value for t in at.title] == ["Dashboard"]
    assert at.success[0].value.startswith("Welcome, carol")
    # the display name is plain text, never markdown or HTML
    assert "Signed in as **Carol**" in [t.value for t in at.sidebar.text]
    at.button(key="sidebar_logout").click().run()
    shows_only_login(at)


def test_html_usernames_are_refused(env):
    at = new_app().run()
    at.text_input(key="reg_username").input("<script>x")
    at.text_input(key="reg_password").input(PASSWORD)
    at.text_input(key="reg_password2").input(PASSWORD)
    at.button(key="FormSubmitter:register_form-Register").click().run()
    assert "Username may only contain" in at.error[0].value
    assert env.runtime.sim.user_by_name("<script>x") is None


def test_wrong_passwords_slow_down_but_never_lock_the_owner_out(env):
    """Five wrong passwords used to lock any account for 15 minutes, and only existing ones."""
    env.user("dave")
    answers = {}
    for name in ("dave", "nobody-such"):
        at = new_app().run()
        for _ in range(5):
            at = login(at, name, "wrong password")
        answers[name] = at.error[0].value
    assert answers["dave"] == answers["nobody-such"]  # the same words for unknown names
    assert "Too many failed logins" in answers["dave"] and "wait" in answers["dave"]
    assert "locked" not in answers["dave"]
    with env.runtime.sim.engine.begin() as conn:  # the short wait passes (not 15 minutes)
        conn.execute(login_throttle.update().values(blocked_until=None))
    at = login(new_app().run(), "dave")
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Dashboard"]


def test_login_refuses_a_password_over_72_bytes(env):
    env.runtime.sim.register("pw72user", "y" * 72)
    at = login(new_app().run(), "pw72user", "y" * 72 + "anything")
    assert "at most 72 bytes" in at.error[0].value
    assert [t.value for t in at.title] == ["Crypto paper trading"]
    at = login(new_app().run(), "pw72user", "y" * 72)
    assert [t.value for t in at.title] == ["Dashboard"]


def test_a_revoked_session_ends_on_the_next_run(env):
    """Logout elsewhere (or a password change) revokes this session: checked on every run."""
    user = env.user("kim")
    at = logged_in(user, "app_pages/portfolio.py")
    assert [t.value for t in at.title] == ["Portfolio"]
    env.runtime.sim.revoke_sessions(user.id)
    at.run()
    shows_only_login(at)
    assert "session has ended" in at.error[0].value


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("some_key", "published example or default"),
        ("change-me-to-a-long-random-string-of-at-least-32-bytes", "published example or default"),
        ("replace-me-with-a-random-secret-of-at-least-32-bytes", "published example or default"),
        ("change-me-" + "Zq8vX2mK9pL4wR7tY1uI3oA6sD5fG0hJ", "placeholder"),
        ("short-key-of-31-bytes-xQ8vZ2mK9", "only 31 bytes"),
        ("s" * 40, "only 1 different characters"),
        ("Ab3$Xy9!QwZk" * 3, "repeats"),
        ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", "runs such as"),
        ("", "AUTH_COOKIE_KEY is not set"),
    ],
)
def test_refuses_to_start_with_a_weak_cookie_key(env, monkeypatch, key, message):
    monkeypatch.setenv("AUTH_COOKIE_KEY", key)
    at = new_app()
    at.secrets["auth"] = {"cookie_key": ""}  # not the developer's own .streamlit/secrets.toml
    at.run()
    assert len(at.error) == 1 and message in at.error[0].value, at.error[0].value
    assert at.error[0].value.startswith("The app will not start")
    assert "AUTH_COOKIE_KEY" in at.error[0].value
    assert not at.text_input


def test_cookie_key_from_secrets(env, monkeypatch):
    monkeypatch.delenv("AUTH_COOKIE_KEY")
    at = new_app()
    at.secrets["auth"] = {"cookie_key": "RXAFM_bV0QPjWeKzXPyCf48ipvAdm3yf7tsoBmfn-iZmCxvAUbDfgg"}
    at.run()
    no_exceptions(at)
    assert not at.error and at.text_input(key="login_username") is not None


def test_change_password(env):
    user = env.user("erin")
    at = logged_in(user, "app_pages/settings.py")
    at.text_input(key="s_old").input(PASSWORD)
    at.text_input(key="s_new").input("a new password")
    at.text_input(key="s_new2").input("a new password")
    at.button(key="FormSubmitter:password_form-Change password").click().run()
    no_exceptions(at)
    assert [s.value for s in at.success] == ["Password changed."]
    assert env.runtime.sim.authenticate("erin", "a new password").id == user.id
    # this browser stays signed in with a new session; every earlier session was revoked
    at.run()
    assert [t.value for t in at.title] == ["Settings"]
