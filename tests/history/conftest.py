"""Both history backends behind one fixture: DuckDB files in tmp_path, Postgres via postgres_url."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sim.adapters.history import HistoryStore, open_history
from sim.settings import DATA_DIR

SAMPLE_DIR = DATA_DIR / "sample"
MakeStore = Callable[..., HistoryStore]


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeStore]:
    """``make_store(sample=False, symbols=(...))`` opens a store on a fresh backend."""
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'history.duckdb'}"
    else:
        url = request.getfixturevalue("postgres_url")
    opened: list[HistoryStore] = []

    def make(sample: bool = False, symbols: tuple[str, ...] = ("BTCUSDT",)) -> HistoryStore:
        store = open_history(url, SAMPLE_DIR if sample else None, symbols)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
