"""Every word table ``sim`` writes people's text from (a module-level ``WORDS`` of the shape
:data:`sim.domain.words.Table`) has every key in every language, with the same ``{fields}``.

The tables are found by importing every module of ``sim`` (nothing does I/O at import), so a new
table is checked without being listed here."""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping

import sim
from sim.domain.messages import LANGUAGES
from sim.domain.words import say


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _tables() -> dict[str, Mapping[str, Mapping[str, str]]]:
    found = {}
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        module = importlib.import_module(info.name)
        table = getattr(module, "WORDS", None)
        if isinstance(table, Mapping) and "en" in table:
            found[info.name] = table
    return found


def test_the_tables_are_found() -> None:
    assert "sim.analytics.chart_words" in _tables()


def test_every_key_is_in_every_language_with_the_same_fields() -> None:
    problems = []
    for name, table in _tables().items():
        assert set(table) == set(LANGUAGES), f"{name}: languages {sorted(table)}"
        english = table["en"]
        for lang in LANGUAGES:
            words, keys = table[lang], set(table[lang])
            if keys != set(english):
                missing, extra = sorted(set(english) - keys), sorted(keys - set(english))
                problems.append(f"{name} [{lang}]: missing {missing}, extra {extra}")
            for key in keys & set(english):
                if _fields(words[key]) != _fields(english[key]):
                    problems.append(
                        f"{name} [{lang}] {key}: {_fields(words[key])} vs {_fields(english[key])}"
                    )
    assert not problems, "\n".join(problems)


def test_say_falls_back_to_english_then_to_the_key() -> None:
    table = {"en": {"a": "apple {n}", "b": "bee"}, "ko": {"b": "벌"}}
    assert say(table, "ko", "b") == "벌"
    assert say(table, "ko", "a", n=2) == "apple 2"
    assert say(table, "xx", "b") == "bee"
    assert say(table, "en", "zzz") == "zzz"
