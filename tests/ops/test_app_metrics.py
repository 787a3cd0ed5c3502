"""The app's metrics endpoint on a real ``streamlit run app.py`` with Debian's Chromium.

The endpoint starts with the first script run (a cached resource, once per process) on
``METRICS_PORT``; ``sim_app_active_sessions`` follows the browser sessions connected.
"""

from __future__ import annotations

from pathlib import Path

from tests.brokers import free_port
from tests.browser.conftest import CHROMIUM_ARGS, start_app, stop_app
from tests.ops.scrape import value, wait_metric
from tests.services import require_chromium


def test_the_app_serves_its_metrics_and_counts_active_sessions(tmp_path: Path) -> None:
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc, url, _ = start_app(tmp_path, {"METRICS_PORT": str(port), "EMBEDDED_FEED": "0"})
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(url)
                page.get_by_text("Log in").first.wait_for(timeout=30_000)
                wait_metric(
                    port,
                    lambda s: value(s, "sim_app_active_sessions") == 1,
                    what="one active session",
                )
                page.close()
                samples = wait_metric(
                    port, lambda s: value(s, "sim_app_active_sessions") == 0, what="no active session"
                )
            finally:
                browser.close()
    finally:
        stop_app(proc)
    assert value(samples, "process_resident_memory_bytes")  # the client's process metrics come along
