"""Every notebook in ``notebooks/`` runs top to bottom on the embedded defaults, so none rots.

Each is executed with nbclient in a fresh kernel of this interpreter, from the repository root
(the notebooks also find the project when started from ``notebooks/``). The executed copy is kept
in memory only; the notebooks write nothing outside their own temporary folders. A notebook should
take well under a minute (small date ranges, small models): the timeout per cell is generous for a
busy machine, the wall-time bound below is the budget.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BUDGET_SECONDS = 120


def test_the_three_notebooks_are_there():
    assert {p.stem for p in NOTEBOOKS} >= {"quickstart", "backtest", "forecast"}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path):
    book = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    started = time.perf_counter()
    NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    elapsed = time.perf_counter() - started
    errors = [o for c in book.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.0f} s"
