"""The app's own text in English and Korean: ``t(key, **params)``, the current language, formats.

Assumptions:

- Two languages, ``"en"`` and ``"ko"`` (:data:`LANGUAGES`). Texts live in Python dicts, one set of
  modules per language under :mod:`ui.locales` (split by page to stay short); a key missing in the
  chosen language falls back to English, then to the key itself, so a slip never breaks a page
  (``tests/unit/test_i18n_catalogs.py`` fails on such a slip first).
- Parameters are ``str.format`` fields (``t("welcome", name="alice")`` for ``"Welcome, {name}"``);
  every text goes through ``format``, so a literal brace in a text is written ``{{`` or ``}}``.
- The language of a browser session is decided once per run by ``app.py`` (:func:`use`): the
  signed-in person's choice stored in the ledger (Settings), else the browser's language
  (``st.context.locale``, ``navigator.language``: Korean when it starts with ``ko``, else
  English). Before anyone signs in (the login page) it is the browser's. Live fragments rerun
  without ``app.py`` and read the value kept in the session state.
- Formats: numbers are the same in both languages (``1,234.56``: Korean groups digits by three
  with commas and uses a decimal point too). Dates and times are ISO in English
  (``2023-12-01 00:00``), Korean-style in Korean (``2023년 12월 1일 00:00``); both are market time
  (UTC), which the texts around them say.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import streamlit as st

from sim.domain import dates
from ui.locales import CATALOGS

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
_STATE_KEY = "_lang"


def browser_language() -> str:
    """``"ko"`` when the browser's language (``st.context.locale``) is Korean, else ``"en"``."""
    try:
        locale = st.context.locale
    except Exception:  # no request context (bare runs)
        locale = None
    return "ko" if isinstance(locale, str) and locale.strip().lower().startswith("ko") else DEFAULT


def resolve(chosen: object) -> str:
    """The language to show: ``chosen`` (a person's stored choice) when valid, else the browser's."""
    return chosen if isinstance(chosen, str) and chosen in LANGUAGES else browser_language()


def use(chosen: object) -> str:
    """Decide this session's language for the run (``app.py``, once the user is known); returns it."""
    language = resolve(chosen)
    st.session_state[_STATE_KEY] = language
    return language


def lang() -> str:
    """The current session's language, ``"en"`` or ``"ko"``."""
    try:
        kept = st.session_state.get(_STATE_KEY)
    except Exception:  # no session (bare runs)
        kept = None
    return kept if isinstance(kept, str) and kept in LANGUAGES else browser_language()


def text(language: str, key: str, **params: object) -> str:
    """The text of ``key`` in ``language`` with ``params`` filled in (English, then the key, when
    missing)."""
    template = CATALOGS.get(language, {}).get(key) or CATALOGS[DEFAULT].get(key, key)
    return template.format(**params)


def t(key: str, **params: object) -> str:
    """The text of ``key`` in the current language with ``params`` filled in."""
    return text(lang(), key, **params)


def error_text(exc: BaseException) -> str:
    """A refusal's message for people in the current language: ``exc.localized(lang())`` when the
    exception offers it (``SimError`` once localized in ``sim``), else ``str(exc)``."""
    localized = getattr(exc, "localized", None)
    if callable(localized):
        try:
            shown = localized(lang())
        except Exception:  # an older or different signature: the plain message is still right
            shown = None
        if isinstance(shown, str) and shown:
            return shown
    return str(exc)


def when(moment: datetime | None, language: str | None = None) -> str:
    """A date and time to the minute: ``2023-12-01 00:00`` / ``2023년 12월 1일 00:00``; ``""`` for
    None. The moment is shown as it is (the app's times are market time, UTC)."""
    return "" if moment is None else dates.when(moment, language or lang())


def day(moment: date | datetime | None, language: str | None = None) -> str:
    """A date: ``2023-12-01`` / ``2023년 12월 1일``; ``""`` for None."""
    return "" if moment is None else dates.day(moment, language or lang())


def number(value: float | Decimal | int, places: int = 2) -> str:
    """A number with thousands separators and ``places`` decimals (the same in both languages)."""
    return f"{value:,.{places}f}"
