"""The login gate: signed out you get the login form and nothing else; accounts live in the DB."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PASSWORD, ROOT, logged_in, login, new_app, no_exceptions

PAGES = ["dashboard", "trading", "portfolio", "assistant", "backtest_lab", "reports", "settings"]


def shows_only_login(at: AppTest) -> None:
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Crypto paper trading"]
    assert at.text_input(key="login_username") is not None
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
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
    assert "Account carol created" in at.success[0].value
    user = env.runtime.sim.user_by_name("carol")
    assert user is not None and user.display_name == "**Carol**"

    at = login(at, "carol")
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Dashboard"]
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


def test_wrong_passwords_are_counted_in_the_database_and_lock(env):
    env.user("dave")
    at = new_app().run()
    for _ in range(4):
        at = login(at, "dave", "wrong password")
        assert at.error[0].value == "Wrong username or password."
    at = login(at, "dave", "wrong password")
    assert "locked for 15 minutes" in at.error[0].value
    # the right password does not help while locked, in this session or any other
    at = login(new_app().run(), "dave")
    assert "locked" in at.error[0].value
    assert [t.value for t in at.title] == ["Crypto paper trading"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("some_key", "published default"),
        ("short-key-of-31-bytes-xxxxxxxxx", "only 31 bytes"),
        ("", "No cookie key is configured"),
    ],
)
def test_refuses_to_start_with_a_weak_cookie_key(env, monkeypatch, key, message):
    monkeypatch.setenv("AUTH_COOKIE_KEY", key)
    at = new_app()
    at.secrets["auth"] = {"cookie_key": ""}  # not the developer's own .streamlit/secrets.toml
    at.run()
    assert len(at.error) == 1 and message in at.error[0].value
    assert at.error[0].value.startswith("The app will not start")
    assert not at.text_input


def test_cookie_key_from_secrets(env, monkeypatch):
    monkeypatch.delenv("AUTH_COOKIE_KEY")
    at = new_app()
    at.secrets["auth"] = {"cookie_key": "s" * 40}
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
