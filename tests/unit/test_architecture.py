"""The floors of the README's Layout section, read from the import graph (every import counts:
module level, ``if TYPE_CHECKING:`` and inside functions; see :mod:`tests.unit.import_graph`).

Each rule below is one line of that section; a failure names the importing file and line.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.import_graph import Arrow, cycles, import_graph, within

ROOT = Path(__file__).resolve().parents[2]
PLACES = ("sim", "pipeline", "ui", "app_pages", "airflow/dags", "app.py")
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@pytest.fixture(scope="module")
def graph() -> dict[str, list[Arrow]]:
    return import_graph(ROOT, PLACES)


def _arrows(graph: dict[str, list[Arrow]], source: str) -> list[Arrow]:
    return [a for m, arrows in graph.items() if within(m, source) for a in arrows]


def _top(target: str) -> str:
    return target.split(".")[0]


Rule = Callable[[str], bool]


def _breaking(arrows: list[Arrow], allowed: Rule) -> str:
    return "\n".join(str(a) for a in arrows if not allowed(a.target))


def _only(*prefixes: str, third_party: tuple[str, ...] = ()) -> Rule:
    def allowed(target: str) -> bool:
        return (
            _top(target) in STDLIB or _top(target) in third_party or any(within(target, p) for p in prefixes)
        )

    return allowed


def _none_of(*prefixes: str) -> Rule:
    return lambda target: not any(within(target, p) for p in prefixes)


def test_sim_imports_no_pipeline_ui_streamlit_pages_or_airflow(graph: dict[str, list[Arrow]]) -> None:
    rule = _none_of("pipeline", "ui", "streamlit", "app_pages", "app", "airflow")
    assert not _breaking(_arrows(graph, "sim"), rule), _breaking(_arrows(graph, "sim"), rule)


def test_pipeline_imports_no_ui_streamlit_or_pages(graph: dict[str, list[Arrow]]) -> None:
    rule = _none_of("ui", "streamlit", "app_pages", "app")
    assert not _breaking(_arrows(graph, "pipeline"), rule), _breaking(_arrows(graph, "pipeline"), rule)


def test_domain_imports_only_the_standard_library_and_itself(graph: dict[str, list[Arrow]]) -> None:
    rule = _only("sim.domain")
    assert not _breaking(_arrows(graph, "sim.domain"), rule), _breaking(_arrows(graph, "sim.domain"), rule)


def test_market_vocabulary_imports_only_the_domain_and_itself(graph: dict[str, list[Arrow]]) -> None:
    rule = _only("sim.domain", "sim.market", third_party=("msgspec",))
    arrows = _arrows(graph, "sim.market")
    assert arrows, "sim.market has no imports: is the package where the Layout section says?"
    assert not _breaking(arrows, rule), _breaking(arrows, rule)


def test_settings_are_a_leaf_over_the_domain(graph: dict[str, list[Arrow]]) -> None:
    sim_only = [a for a in _arrows(graph, "sim.settings") if _top(a.target) == "sim"]
    assert not _breaking(sim_only, _only("sim.domain")), _breaking(sim_only, _only("sim.domain"))


def test_service_layer_imports_no_floor_above_it(graph: dict[str, list[Arrow]]) -> None:
    sim_only = [a for a in _arrows(graph, "sim.service_layer") if _top(a.target) == "sim"]
    rule = _none_of("sim.services", "sim.bootstrap", "sim.assistant")
    to_the_package = [a for a in sim_only if a.target == "sim"]
    assert not to_the_package, "\n".join(map(str, to_the_package))
    assert not _breaking(sim_only, rule), _breaking(sim_only, rule)


#: the analysis use cases beside the service layer: they reach storage only through its ports
ANALYSIS_USE_CASES = (
    "sim.forecasting",
    "sim.forecast_models",
    "sim.forecast_record",
    "sim.equity",
    "sim.paper_vs_backtest",
    "sim.backtest_service",
    "sim.reports",
    "sim.pagination",
    "sim.notifications",
    "sim.rank_notifications",
    "sim.competition_seasons",
    "sim.backtest_forecast",
    "sim.standings",
    "sim.competition_report",
)


@pytest.mark.parametrize("module", ANALYSIS_USE_CASES)
def test_analysis_use_cases_reach_no_adapter(graph: dict[str, list[Arrow]], module: str) -> None:
    arrows = _arrows(graph, module)
    assert arrows, f"{module} has no imports: is it where the Layout section says?"
    rule = _none_of("sim.adapters", "sim.services", "sim.bootstrap")
    assert not _breaking(arrows, rule), _breaking(arrows, rule)


def test_adapters_import_only_domain_market_settings_ports_and_adapters(
    graph: dict[str, list[Arrow]],
) -> None:
    sim_only = [a for a in _arrows(graph, "sim.adapters") if _top(a.target) == "sim"]
    rule = _only("sim.domain", "sim.market", "sim.settings", "sim.service_layer", "sim.adapters")
    assert not _breaking(sim_only, rule), _breaking(sim_only, rule)


def test_analytics_imports_only_domain_market_settings_and_itself(graph: dict[str, list[Arrow]]) -> None:
    sim_only = [a for a in _arrows(graph, "sim.analytics") if _top(a.target) == "sim"]
    rule = _only("sim.domain", "sim.market", "sim.settings", "sim.analytics")
    assert not _breaking(sim_only, rule), _breaking(sim_only, rule)


def test_only_the_package_imports_the_facade_inside_sim(graph: dict[str, list[Arrow]]) -> None:
    arrows = [a for a in _arrows(graph, "sim") if a.source != "sim" and within(a.target, "sim.services")]
    assert not arrows, "\n".join(map(str, arrows))


def test_only_the_facade_imports_the_composition_root_inside_sim(graph: dict[str, list[Arrow]]) -> None:
    arrows = [
        a
        for a in _arrows(graph, "sim")
        if a.source not in ("sim", "sim.services") and within(a.target, "sim.bootstrap")
    ]
    assert not arrows, "\n".join(map(str, arrows))


def test_pages_ui_and_dags_reach_no_adapter(graph: dict[str, list[Arrow]]) -> None:
    outer = [a for place in ("ui", "app_pages", "app", "airflow.dags") for a in _arrows(graph, place)]
    assert len(outer) > 20, "the pages, ui and DAGs were not found"
    rule = _none_of("sim.adapters")
    assert not _breaking(outer, rule), _breaking(outer, rule)


def _cycle_report(graph: dict[str, list[Arrow]], inside: str) -> str:
    lines = []
    for component in cycles(graph, inside):
        members = set(component)
        lines.append(f"cycle of {len(component)} modules: {', '.join(component)}")
        lines += [f"    {a}" for m in component for a in graph[m] if a.target in members]
    return "\n".join(lines)


@pytest.mark.parametrize("inside", ["sim", "pipeline", "ui", "app_pages"])
def test_no_import_cycle(graph: dict[str, list[Arrow]], inside: str) -> None:
    report = _cycle_report(graph, inside)
    assert not report, "import cycles (every arrow inside each one listed):\n" + report


# --- the reader itself, on a small tree ------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_the_reader_sees_type_checking_function_level_and_relative_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": """\
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from pkg.b import B
                class A: ...
                """,
            "pkg/b.py": """\
                def f():
                    from . import c
                    return c
                """,
            "pkg/c.py": "import pkg.a\nfrom pkg.d import helper\n",
            "pkg/d.py": "import json\n",
        },
    )
    graph = import_graph(tmp_path, ["pkg"])
    targets = {m: sorted(a.target for a in arrows) for m, arrows in graph.items()}
    assert targets == {
        "pkg": ["pkg.a"],
        "pkg.a": ["pkg.b", "typing"],
        "pkg.b": ["pkg.c"],
        "pkg.c": ["pkg.a", "pkg.d"],
        "pkg.d": ["json"],
    }
    assert cycles(graph, "pkg") == [["pkg.a", "pkg.b", "pkg.c"]]
    report = _cycle_report(graph, "pkg")
    assert "pkg.a -> pkg.b (pkg/a.py:3)" in report
    assert "pkg.b -> pkg.c (pkg/b.py:2)" in report
    assert "pkg.d" not in report


def test_a_module_importing_itself_is_a_cycle_and_a_tree_is_not(tmp_path: Path) -> None:
    _write(tmp_path, {"q/__init__.py": "", "q/x.py": "import q.x\n", "q/y.py": "import q.z\n", "q/z.py": ""})
    assert cycles(import_graph(tmp_path, ["q"]), "q") == [["q.x"]]


def test_no_source_file_is_over_400_lines() -> None:
    """The Layout section's rule: small files (tests and migrations aside)."""
    sources = [p for place in (*PLACES, "bench") for p in (ROOT / place).rglob("*.py")]
    sources += [ROOT / "app.py"]
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 400
    }
    assert not long, long
