"""``python -m pipeline import`` of Binance monthly kline dumps, run as a user runs it, and the
imported symbol in the offline replay: watched, charted and bought with its snapshot filters."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from sim.services import Simulator
from sim.settings import load_settings
from tests.pipeline.doge import DUMPS, UNIVERSE, doge_env

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *files: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("SYMBOLS", "HISTORY_URL", "DATABASE_URL")}
    environment.update(PYTHONPATH=str(ROOT), LOG_FORMAT="text", **env)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--no-progress", "import", *map(str, files)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(tmp_path: Path, snapshot_from: Path = UNIVERSE) -> dict[str, str]:
    shutil.copyfile(snapshot_from, tmp_path / "exchange_info.json")
    return {
        "EXCHANGE_INFO_PATH": str(tmp_path / "exchange_info.json"),
        "IMPORT_DIR": str(tmp_path / "imported"),
        "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
    }


def _rows(path: Path) -> list[str]:
    with gzip.open(path, "rt") as fh:
        return fh.read().splitlines()


def test_import_adds_the_symbol_to_history_and_replay(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = run(tmp_path, *DUMPS, **env)
    assert done.returncode == 0, done.stderr
    replay_file = tmp_path / "imported" / "DOGEUSDT-1h.csv.gz"
    where = f"the history store and the replay ({replay_file})"
    assert f"DOGEUSDT 1h: 720 candles 2023-11-01 00:00 to 2023-11-30 23:00 UTC -> {where}" in done.stdout
    assert "DOGEUSDT 1h: 744 candles 2023-12-01 00:00" in done.stdout
    rows = _rows(replay_file)
    assert rows[0] == "open_time,open,high,low,close,volume"
    assert len(rows) == 1 + 720 + 744
    # the first dump line, unchanged: open time in ms and the prices as Binance wrote them
    with zipfile.ZipFile(DUMPS[0]) as z:
        first = z.read(z.namelist()[0]).decode().splitlines()[0].split(",")
    assert rows[1] == ",".join(first[:6])
    again = run(tmp_path, DUMPS[1], **env)  # a dump imported twice changes nothing
    assert again.returncode == 0 and _rows(replay_file) == rows


def test_a_symbol_the_snapshot_lacks_is_refused_and_nothing_written(tmp_path: Path) -> None:
    env = _env(tmp_path, ROOT / "data" / "exchange_info.json")  # the shipped five symbols
    done = run(tmp_path, *DUMPS, **env)
    assert done.returncode == 1
    assert "refused: DOGEUSDT (DOGEUSDT-1h-2023-11.zip) is not in the exchangeInfo snapshot" in done.stdout
    assert "python -m pipeline symbols refresh" in done.stdout and "Nothing was imported." in done.stdout
    assert not (tmp_path / "imported").exists()


def test_a_malformed_dump_is_refused_naming_the_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    bad = tmp_path / "DOGEUSDT-1h-2024-01.csv"
    bad.write_text("1704067200000,0.1,0.1,0.1,0.1\n")
    done = run(tmp_path, DUMPS[0], bad, **env)
    assert done.returncode == 1
    assert (
        "refused: DOGEUSDT-1h-2024-01.csv: DOGEUSDT-1h-2024-01.csv line 1: expected 12 columns, got 5"
        in done.stdout
    )
    assert not (tmp_path / "imported").exists()  # the good file before it was not written either


def test_the_imported_symbol_replays_with_its_snapshot_filters(tmp_path: Path) -> None:
    env = doge_env(tmp_path)
    settings = load_settings(env, dotenv=False)
    with Simulator.open(settings=settings) as sim:
        sim.bcrypt_rounds = 4
        doge = sim.instruments["DOGEUSDT"]
        assert (doge.tick_size, doge.step_size, doge.min_qty) == (Decimal("0.00001"), Decimal(1), Decimal(1))
        first = sim.price("DOGEUSDT")
        assert first is not None and first.price == Decimal("0.09094")  # the close of Nov 30 23:00
        sim.advance(3)
        assert sim.price("DOGEUSDT") != first
        u = sim.register("dora", "correct horse")
        sim.watch(u.id, "DOGEUSDT")
        order = sim.buy(u.id, "DOGEUSDT", quote_amount="100")
        assert order.status == "FILLED" and order.filled_qty == order.filled_qty.to_integral_value()
        frame = sim.history("DOGEUSDT", "1h")
        assert len(frame) == 720 + 3 and frame["open_time"].iloc[-1].hour == 2
        with pytest.raises(Exception, match="off the DOGEUSDT price grid"):
            sim.buy(u.id, "DOGEUSDT", "1000", price="0.090001")
