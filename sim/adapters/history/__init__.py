"""Candle history: :func:`open_history` picks the backend from ``HISTORY_URL``.

- ``duckdb:///path/history.duckdb`` -> :class:`DuckDBHistoryStore` over Parquet files in
  ``path/history/`` (the file name's stem; no ``.duckdb`` file is created, see
  :mod:`.duckdb_store` for why);
- ``postgresql://...`` or ``postgresql+psycopg2://...`` -> :class:`PostgresHistoryStore`.

``sample_dir=None`` loads nothing on first use; pass ``settings.sample_dir`` (or call
:func:`history_from_settings`) to import the shipped candles of ``symbols`` into an empty store.
Opening a store does no I/O; the first call does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.adapters.history.base import (
    INTERVALS,
    CandleRow,
    HistoryStore,
    HistoryUnavailable,
)
from sim.settings import DEFAULT_SYMBOLS

if TYPE_CHECKING:
    from sim.settings import Settings

__all__ = [
    "INTERVALS",
    "CandleRow",
    "HistoryStore",
    "HistoryUnavailable",
    "history_from_settings",
    "open_history",
]


def open_history(
    url: str,
    sample_dir: Path | None = None,
    symbols: Sequence[str] = DEFAULT_SYMBOLS,
) -> HistoryStore:
    """The history store named by ``url``; raises ValueError for an unsupported scheme."""
    scheme = url.split(":", 1)[0].lower() if "://" in url else ""
    if scheme == "duckdb":
        from sim.adapters.history.duckdb_store import DuckDBHistoryStore

        path = Path(url[len("duckdb://") :])
        if not str(path).strip("/"):
            raise ValueError(f"HISTORY_URL {url!r} names no file; use duckdb:///abs/path/x.duckdb")
        return DuckDBHistoryStore(path.parent / path.stem, sample_dir, symbols)
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        from sim.adapters.history.postgres_store import PostgresHistoryStore

        return PostgresHistoryStore(url, sample_dir, symbols)
    raise ValueError(
        f"Unsupported history URL {url!r}: use duckdb:///path/history.duckdb or "
        "postgresql+psycopg2://user@host:port/db."
    )


def history_from_settings(settings: Settings) -> HistoryStore:
    """The configured store, importing the shipped sample for the tracked symbols on first use."""
    return open_history(settings.history_url, settings.sample_dir, settings.symbols)
