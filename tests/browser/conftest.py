"""A real ``streamlit run app.py`` on loopback with temp data, and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import require_chromium

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEST_KEY = "browser-test-QI9FnwWBDAIiGJq9CGQkZJ2ivwiuc3kFkRSCdjewsX-Bh8m6QKE6ew"  # random: passes ui.keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> float:
    """Seconds until ``/_stcore/health`` answers ok; fails if the server dies or times out."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


def start_app(
    tmp: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/sim.sqlite3",
        "HISTORY_URL": f"duckdb:///{tmp}/history.duckdb",
        "AUTH_COOKIE_KEY": TEST_KEY,
        "EMBEDDED_FEED": "1",
        **(extra_env or {}),
    }
    log = open(tmp / "streamlit.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [  # the entry make run and the container use: checks the cookie key, then streamlit run app.py
            sys.executable,
            "-m",
            "ui.serve",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        seconds = wait_healthy(url, proc)
    except Exception:
        proc.terminate()
        proc.wait(10)
        raise
    return proc, url, seconds


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("app")
    proc, url, _ = start_app(tmp)
    try:
        yield url
    finally:
        stop_app(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests rerun a failure up to twice (pytest-rerunfailures): Streamlit can drop a click
    that lands while a rerun is still drawing, or show a stale copy of a form for a moment, and
    Playwright then times out although the app is right. A test that fails three times fails."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
