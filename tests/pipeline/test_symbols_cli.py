"""``python -m pipeline symbols refresh`` run as a user runs it: from a file, and from a local
server named by BINANCE_REST_URL; the printout, the exit codes, and the snapshot left alone on
failure."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pipeline.fixtures import REST, load
from tests.pipeline.rest_server import FakeBinance, Scripted, serving

ROOT = Path(__file__).resolve().parents[2]
UNIVERSE = REST / "exchange_info_universe.json"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("SYMBOLS", "BINANCE_REST_URL")}
    environment.update(PYTHONPATH=str(ROOT), LOG_FORMAT="text", **env)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--no-progress", "symbols", "refresh", *args],
        cwd=tmp_path,  # no .env of the checkout
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "exchange_info.json"
    path.write_bytes((ROOT / "data" / "exchange_info.json").read_bytes())
    return path


@pytest.fixture
def fake() -> FakeBinance:
    return FakeBinance(exchange_info=load(UNIVERSE))


@pytest.fixture
def base_url(fake: FakeBinance) -> Iterator[str]:
    with serving(fake) as url:
        yield url


def test_refresh_from_a_file(tmp_path: Path, snapshot: Path) -> None:
    done = run(tmp_path, "--from", str(UNIVERSE), "--snapshot", str(snapshot), SYMBOLS="BTCUSDT,DOGEUSDT")
    assert done.returncode == 0, done.stderr
    previous = snapshot.with_suffix(".previous.json")
    assert done.stdout.splitlines() == [
        f"Read exchangeInfo from {UNIVERSE}: 10 symbols, 9 kept.",
        "Added (4): ADAUSDT, BCCUSDT (BREAK), DOGEUSDT, PEPEUSDT",
        "Removed (0): -",
        "Changed (0): -",
        "Not trading (1): BCCUSDT (BREAK); refused in SYMBOLS and in orders until Binance lists them as "
        "TRADING.",
        f"Wrote {snapshot} (9 symbols); the previous one is kept as {previous}.",
    ]
    again = run(tmp_path, "--from", str(UNIVERSE), "--snapshot", str(snapshot))
    assert again.returncode == 0 and f"No changes: {snapshot} was left as it was (9 symbols)." in again.stdout


def test_refresh_from_the_server_named_by_binance_rest_url(
    tmp_path: Path, snapshot: Path, fake: FakeBinance, base_url: str
) -> None:
    done = run(tmp_path, "--snapshot", str(snapshot), "--quote", "ALL", BINANCE_REST_URL=base_url)
    assert done.returncode == 0, done.stderr
    source = f"{base_url}/api/v3/exchangeInfo"
    assert done.stdout.startswith(f"Read exchangeInfo from {source}: 10 symbols, 10 kept.")
    assert "Added (5): ADAUSDT, BCCUSDT (BREAK), DOGEUSDT, ETHBTC, PEPEUSDT" in done.stdout
    assert [path for path, _ in fake.requests] == ["/api/v3/exchangeInfo"]


def test_an_unreachable_binance_exits_75_and_keeps_the_snapshot(
    tmp_path: Path, snapshot: Path, fake: FakeBinance, base_url: str
) -> None:
    before = snapshot.read_bytes()
    fake.script = [Scripted(503, body="maintenance")]
    done = run(tmp_path, "--snapshot", str(snapshot), "--retries", "0", BINANCE_REST_URL=base_url)
    assert done.returncode == 75
    assert f"symbols refresh refused: Binance ({base_url}) did not answer after 1 attempt" in done.stderr
    assert f"The snapshot {snapshot} was left as it was." in done.stderr
    assert snapshot.read_bytes() == before and done.stdout == ""


def test_a_broken_file_exits_1_and_keeps_the_snapshot(tmp_path: Path, snapshot: Path) -> None:
    before = snapshot.read_bytes()
    broken = tmp_path / "saved.json"
    broken.write_text('{"symbols": [{"symbol": "DOGEUSDT"}]}')
    done = run(tmp_path, "--from", str(broken), "--snapshot", str(snapshot))
    assert done.returncode == 1
    assert "exchangeInfo fails the checks for 1 symbol(s):\n  DOGEUSDT: filters must be a list" in done.stderr
    assert snapshot.read_bytes() == before
