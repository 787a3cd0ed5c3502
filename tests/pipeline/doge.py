"""A machine where Binance's snapshot lists DOGEUSDT and its monthly dumps were imported.

``doge_env(tmp_path)`` copies the recorded exchangeInfo universe (``rest/exchange_info_universe.json``:
DOGEUSDT, ADAUSDT, PEPEUSDT TRADING, BCCUSDT in BREAK) into ``tmp_path`` and imports the constructed
DOGEUSDT dumps of November and December 2023 (``klines/``, see SOURCES.md) as ``python -m pipeline
import`` does, into a history store and an import directory under ``tmp_path``. Returns the
environment variables that point the app, the CLI or ``Simulator.open`` at them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.pipeline.fixtures import FIXTURES, REST

UNIVERSE = REST / "exchange_info_universe.json"
DUMPS = sorted((FIXTURES / "klines").glob("DOGEUSDT-1h-*.zip"))


def doge_env(tmp_path: Path, *, import_dumps: bool = True) -> dict[str, str]:
    from pipeline.imports import import_dumps as run_import
    from sim.adapters.history import history_from_settings
    from sim.settings import load_settings

    snapshot = tmp_path / "exchange_info.json"
    shutil.copyfile(UNIVERSE, snapshot)
    env = {
        "EXCHANGE_INFO_PATH": str(snapshot),
        "IMPORT_DIR": str(tmp_path / "imported"),
        "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
    }
    if import_dumps:
        settings = load_settings(env, dotenv=False)
        history = history_from_settings(settings)
        try:
            assert run_import(DUMPS, settings, history, say=lambda _: None) == 0
        finally:
            history.close()
    return env
