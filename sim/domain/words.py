"""Word tables for the text ``sim`` writes for people (chart labels, forecast wording, lab notes,
reports), in every language the simulator speaks.

A table maps a language to ``{key: template}``; templates are ``str.format`` strings. This is the
non-error sibling of :mod:`sim.domain.messages` (refusals), with the same rules:

- English (``"en"``) is the source language; a language or key that is missing falls back to
  English, then to the key itself, so a slip never breaks a page (the tests insist that every
  table has every key in every language of :data:`~sim.domain.messages.LANGUAGES`, with the same
  fields: ``tests/unit/test_word_tables.py``).
- The caller formats numbers and times before passing them, so both languages print the same
  digits.
- Pure: dictionaries and ``str.format`` only.
"""

from __future__ import annotations

from collections.abc import Mapping

Table = Mapping[str, Mapping[str, str]]  # language -> key -> template


def say(table: Table, lang: str, key: str, /, **params: object) -> str:
    """The text of ``key`` in ``lang`` from ``table`` (English, then the key, when missing),
    formatted with ``params``."""
    template = table.get(lang, {}).get(key) or table.get("en", {}).get(key) or key
    return template.format(**params) if params else template
