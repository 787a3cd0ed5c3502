"""The catalogs of the app's own text: ``CATALOGS[language][key]`` (see :mod:`ui.i18n`).

Each language is a set of modules with a ``MESSAGES`` dict, split by part of the app so no file
grows past the house limit; :data:`PARTS` lists them and ``tests/unit/test_i18n_catalogs.py``
checks that the parts of one language never define the same key twice and that every key exists
in both languages with the same ``{placeholders}``.
"""

from __future__ import annotations

from ui.locales import (
    en,
    en_assistant,
    en_forecast,
    en_lab,
    en_pages,
    en_trading,
    ko,
    ko_assistant,
    ko_forecast,
    ko_lab,
    ko_pages,
    ko_trading,
)

PARTS: dict[str, list[dict[str, str]]] = {
    "en": [
        en.MESSAGES,
        en_pages.MESSAGES,
        en_trading.MESSAGES,
        en_lab.MESSAGES,
        en_assistant.MESSAGES,
        en_forecast.MESSAGES,
    ],
    "ko": [
        ko.MESSAGES,
        ko_pages.MESSAGES,
        ko_trading.MESSAGES,
        ko_lab.MESSAGES,
        ko_assistant.MESSAGES,
        ko_forecast.MESSAGES,
    ],
}
CATALOGS: dict[str, dict[str, str]] = {
    language: {key: value for part in parts for key, value in part.items()}
    for language, parts in PARTS.items()
}
