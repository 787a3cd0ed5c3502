"""The app's text in the person's language (issue 16): chosen in Settings and stored, else the
browser's (``st.context.locale``, which AppTest seeds through ``at.context``)."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tests.app.conftest import logged_in, login, new_app, no_exceptions

SETTINGS = "app_pages/settings.py"
COMPETITIONS = "app_pages/competitions.py"


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def korean_user(env: Any, name: str = "minji") -> Any:
    user = env.user(name)
    env.runtime.sim.set_preferences(user.id, language="ko")
    return user


def test_switching_in_settings_is_stored_and_kept_by_a_new_session(env):
    user = env.user()
    at = logged_in(user, SETTINGS)
    assert at.session_state["_lang"] == "en"
    assert at.selectbox(key="s_language").value == "en"
    at.selectbox(key="s_language").set_value("ko").run()
    no_exceptions(at)
    assert env.runtime.sim.me(user.id).language == "ko"
    assert at.session_state["_lang"] == "ko"
    again = logged_in(user, SETTINGS)  # another browser session of the same person
    assert again.session_state["_lang"] == "ko"
    assert again.selectbox(key="s_language").value == "ko"
    again.selectbox(key="s_language").set_value("en").run()
    assert env.runtime.sim.me(user.id).language == "en"


def test_without_a_choice_the_browser_language_decides(env):
    user = env.user()
    at = new_app()
    at.context = {"locale": "ko-KR"}
    at.run()
    no_exceptions(at)
    assert at.session_state["_lang"] == "ko"
    at = new_app()
    at.context = {"locale": "en-GB"}
    at = login(at.run(), user.username)
    assert at.session_state["_lang"] == "en"
    env.runtime.sim.set_preferences(user.id, language="ko")  # a stored choice wins over the browser
    at.run()
    assert at.session_state["_lang"] == "ko"
