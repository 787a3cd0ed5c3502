"""The service layer names only the floors below it: the domain, its own ports and modules, the
settings, the clock and the read models (``sim.views``); never an adapter, the facade, the
pipeline or the UI. Every import counts, those under ``TYPE_CHECKING`` and inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import sim.service_layer

ALLOWED = ("sim.domain", "sim.service_layer", "sim.settings", "sim.clock", "sim.views")
FORBIDDEN_ROOTS = ("sim", "pipeline", "ui", "app_pages", "streamlit", "sqlalchemy", "redis")


def imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_service_layer_imports_nothing_above_it() -> None:
    package = Path(sim.service_layer.__file__).parent
    wrong = {
        f"{path.name}: {name}"
        for path in sorted(package.glob("*.py"))
        for name in imported(path)
        if name.split(".")[0] in FORBIDDEN_ROOTS and not name.startswith(ALLOWED)
    }
    assert not wrong, sorted(wrong)
