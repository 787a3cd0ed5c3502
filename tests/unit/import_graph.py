"""Read a code tree's import graph with :mod:`ast`, without importing anything.

Assumptions:
- Every ``import``/``from ... import`` statement counts, wherever it stands: at module level, inside
  ``if TYPE_CHECKING:``, inside a function or a ``try``. An import that only runs sometimes is still
  an arrow between the two modules.
- ``from pkg import name`` is an arrow to ``pkg.name`` when that is a module of the tree, else to
  ``pkg`` (``name`` is then an attribute of ``pkg``). Relative imports are resolved against the
  importing module's package.
- Importing ``a.b.c`` also runs ``a/__init__.py`` and ``a/b/__init__.py``; those implicit arrows to the
  parent packages are not counted (as in import-linter), so a package that re-exports its submodules
  is not a cycle with each of them.
- A module's name is its path under the root with ``/`` as ``.``; ``pkg/__init__.py`` is ``pkg``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` at ``path:line``."""

    source: str
    target: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.path}:{self.line})"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def find_modules(root: Path, places: Iterable[str]) -> dict[str, Path]:
    """Every module under ``places`` (folders or single files, relative to ``root``) -> its path."""
    found: dict[str, Path] = {}
    for place in places:
        start = root / place
        paths = [start] if start.is_file() else sorted(start.rglob("*.py"))
        for path in paths:
            found[module_name(start.parent if start.is_file() else root, path)] = path
    return found


def _arrows_of(name: str, path: Path, known: set[str], root: Path) -> list[Arrow]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    shown = str(path.relative_to(root))
    arrows = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            arrows += [Arrow(name, alias.name, shown, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package[: len(package) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                arrows.append(Arrow(name, full if full in known else base, shown, node.lineno))
    return list(dict.fromkeys(arrows))  # one arrow per line, however many names it imports


def import_graph(root: Path, places: Iterable[str]) -> dict[str, list[Arrow]]:
    """Each module under ``places`` -> the arrows out of it (to any module, in the tree or not)."""
    modules = find_modules(root, places)
    known = set(modules)
    return {name: _arrows_of(name, path, known, root) for name, path in modules.items()}


def within(name: str, prefix: str) -> bool:
    """``name`` is the module or package ``prefix`` or lies inside it."""
    return name == prefix or name.startswith(prefix + ".")


def cycles(graph: dict[str, list[Arrow]], inside: str) -> list[list[str]]:
    """The import cycles among the modules within ``inside``: each strongly connected component of
    two or more modules (or one that imports itself), sorted; Tarjan's algorithm, iteratively."""
    nodes = sorted(m for m in graph if within(m, inside))
    succ = {
        m: sorted({a.target for a in graph[m] if a.target in graph and within(a.target, inside)})
        for m in nodes
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in nodes:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(succ[node]):
                work.append((node, i + 1))
                nxt = succ[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1 or node in succ[node]:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found)
