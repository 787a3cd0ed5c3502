"""Every SimError ``sim`` makes has a catalog key, so every refusal can be told in every language
(issue 16): the whole source of ``sim`` is read, and a ``SomeError("...")`` of a SimError subclass
that is not made through ``SomeError.of(key, ...)`` fails here, naming the file and line.

Assumptions:
- The SimError subclasses are found by importing every module of ``sim`` (a subclass defined in a
  module nothing else imports is still found) and walking ``__subclasses__``.
- A call of the class by name (``NotFound(...)``) or as an attribute (``errors.NotFound(...)``) makes
  one; ``NotFound.of(...)`` is the keyed way. ``raise`` or not does not matter (a factory that
  returns the error counts too).
- :data:`ALLOWED` lists the classes made without ``.of`` on purpose, each with its reason.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import sim
from tests.unit.test_error_messages import _sim_error_names

ROOT = Path(__file__).resolve().parents[2]

#: classes made without ``.of`` on purpose, and why
ALLOWED = {
    "ServiceUnavailable": "an infrastructure failure: the English names the failing call for the "
    "operator, and its localized() tells the user to try again in every language",
    "SymbolNotTrading": "keys itself: its __init__ renders 'symbol.not_trading' from its arguments",
}


def _sim_errors() -> set[str]:
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        importlib.import_module(info.name)
    return _sim_error_names()  # the subclasses of every module imported above


def keyless_calls(source: str, names: set[str]) -> Iterator[tuple[int, str]]:
    """``(line, class)`` of every call that makes one of ``names`` without ``.of``."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in names:
            yield node.lineno, name


def test_every_sim_error_in_sim_is_made_with_a_catalog_key() -> None:
    names = _sim_errors() - set(ALLOWED) - {"SimError"}
    assert {"InvalidInput", "NotFound", "ForecastUnavailable", "NotEnoughHistory"} <= names
    keyless = [
        f"{path.relative_to(ROOT)}:{line}: {name}(...) without .of(key, ...)"
        for path in sorted((ROOT / "sim").rglob("*.py"))
        for line, name in keyless_calls(path.read_text(), names)
    ]
    assert not keyless, "make these with SomeError.of(key, ...) and a catalog key:\n" + "\n".join(keyless)


def test_the_check_finds_a_keyless_raise() -> None:
    """The check on source made wrong on purpose (the test tests itself)."""
    source = (
        "def f(x):\n"
        "    if x:\n"
        "        raise InvalidInput.of('backtest.cash_not_positive')\n"
        "    raise errors.NotFound(f'no {x}')\n"
        "def g():\n"
        "    raise InvalidInput('plain')\n"
    )
    assert list(keyless_calls(source, {"InvalidInput", "NotFound"})) == [(4, "NotFound"), (6, "InvalidInput")]
