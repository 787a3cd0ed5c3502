"""The catalogs of the app's own text (:mod:`ui.locales`): every key in both languages with the same
``{placeholders}``, no key defined twice, and every ``t("key")`` the app calls in some catalog."""

from __future__ import annotations

import ast
import string
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ui import i18n
from ui.locales import CATALOGS, PARTS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _called_keys(path: Path) -> list[tuple[str, int]]:
    """The literal keys of ``t("...")`` / ``i18n.t("...")`` / ``i18n.text(lang, "...")`` calls in
    ``path`` (a key built at run time is not seen: the app spells its keys out)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "t") or (
            isinstance(func, ast.Attribute) and func.attr == "t"
        ):
            position = 0
        elif isinstance(func, ast.Attribute) and func.attr == "text" and ast.unparse(func.value) == "i18n":
            position = 1
        else:
            continue
        arg = node.args[position] if len(node.args) > position else None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.append((arg.value, node.lineno))
    return found


def test_every_key_exists_in_both_languages() -> None:
    english, korean = set(CATALOGS["en"]), set(CATALOGS["ko"])
    assert not english - korean, f"only in English: {sorted(english - korean)}"
    assert not korean - english, f"only in Korean: {sorted(korean - english)}"


def test_both_texts_of_a_key_take_the_same_parameters() -> None:
    differ = {
        key: (sorted(_fields(CATALOGS["en"][key])), sorted(_fields(CATALOGS["ko"][key])))
        for key in CATALOGS["en"]
        if key in CATALOGS["ko"] and _fields(CATALOGS["en"][key]) != _fields(CATALOGS["ko"][key])
    }
    assert not differ, differ


def test_no_key_is_defined_twice_across_the_parts_of_a_language() -> None:
    for language, parts in PARTS.items():
        seen: dict[str, int] = {}
        for number, part in enumerate(parts):
            twice = [key for key in part if key in seen]
            assert not twice, f"{language}: part {number} repeats {twice}"
            seen.update(dict.fromkeys(part, number))


def test_texts_are_not_empty() -> None:
    empty = [(language, key) for language, catalog in CATALOGS.items() for key, v in catalog.items() if not v]
    assert not empty, empty


def test_every_key_the_app_asks_for_is_in_the_catalogs() -> None:
    calls = [(path, key, line) for path in SOURCES for key, line in _called_keys(path)]
    assert len(calls) > 10, "no t(...) calls found: is the scan looking in the right places?"
    missing = [f"{p.relative_to(ROOT)}:{line}: {key}" for p, key, line in calls if key not in CATALOGS["en"]]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_text_formats_with_its_own_parameters(language: str) -> None:
    for key, template in CATALOGS[language].items():
        i18n.text(language, key, **dict.fromkeys(_fields(template), "x"))


def test_the_scan_sees_literal_keys_only(tmp_path: Path) -> None:
    path = tmp_path / "page.py"
    path.write_text('t("a.b")\ni18n.t("c.d", n=1)\ni18n.text("ko", "e.f")\nt(name)\nst.text("g.h")\n')
    assert [k for k, _ in _called_keys(path)] == ["a.b", "c.d", "e.f"]


def test_formats_per_language() -> None:
    moment = datetime(2023, 12, 1, 0, 0, tzinfo=UTC)
    assert i18n.when(moment, "en") == "2023-12-01 00:00"
    assert i18n.when(moment, "ko") == "2023년 12월 1일 00:00"
    assert i18n.day(moment, "ko") == "2023년 12월 1일" and i18n.day(moment, "en") == "2023-12-01"
    assert i18n.number(Decimal("1234567.891")) == "1,234,567.89"
    assert i18n.when(None) == ""


def test_a_missing_text_falls_back_to_english_then_to_the_key() -> None:
    assert i18n.text("ko", "nav.trading") == "거래"
    assert i18n.text("xx", "nav.trading") == "Trading"
    assert i18n.text("ko", "no.such.key") == "no.such.key"


def test_errors_use_localized_when_the_exception_offers_it() -> None:
    class Plain(Exception):
        pass

    class Localized(Exception):
        def localized(self, language: str) -> str:
            return f"[{language}] {self}"

    class Broken(Exception):
        def localized(self) -> str:  # another signature: falls back to the plain message
            return "never"

    assert i18n.error_text(Plain("no")) == "no"
    assert i18n.error_text(Localized("no")) == "[en] no"  # no session: the browser's, none: English
    assert i18n.error_text(Broken("no")) == "no"


def test_browser_language() -> None:
    assert i18n.resolve("ko") == "ko" and i18n.resolve("en") == "en"
    assert i18n.resolve(None) == "en" and i18n.resolve("fr") == "en"  # no browser here: English
