"""Benchmark: every page opened by its URL in a real browser, against a trivial page (issue 18).

Run from the repo root: ``.venv/bin/python -m bench.bench_pages [--runs N]``. Writes the table to
``bench/results/pages.md``.

What is measured, in one run on the same machine (headless Debian Chromium, Playwright):
- **Trivial page**: a three-line Streamlit script (title, metric) served by its own
  ``streamlit run``: ``page.goto`` to its metric visible, opened just before each app page (so
  both see the same machine load). The anchor: every other row is given as a multiple of its p50.
- **Each page of the app**: a signed-in user (the login cookie of one registration, then a fresh
  tab per open) opens ``/<page>``; timed from ``goto`` to the page's last element drawn (the
  Dashboard's chart, Trading's trades table, Portfolio's equity chart, the Assistant's chat box,
  the lab's Run button, Reports' build button, Settings' reset button). The app runs its embedded
  replay feed on the shipped candles, as ``make run`` does. p50 and p95 of ``--runs`` opens.
- **90-day lab backtest**: MA crossover on BTCUSDT 1h over the lab's default 90 days: from the
  Run click to the statistics drawn.

Target (issue 18): every page and the lab backtest within 2.5x the trivial page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from bench.bench_app import KEY, PASSWORD, machine
from tests.browser.charts import chart
from tests.browser.conftest import CHROMIUM_ARGS, start_app, stop_app

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages.md"
T = 120_000
TRIVIAL = 'import streamlit as st\nst.title("Trivial")\nst.metric("answer", 42)\n'
#: page path -> what is drawn last on it
PAGES = {
    "dashboard": lambda p: chart(p),
    "trading": lambda p: p.get_by_role("heading", name="Your trades"),
    "portfolio": lambda p: chart(p, 1),
    "assistant": lambda p: p.get_by_test_id("stChatInput"),
    "backtest_lab": lambda p: p.get_by_role("button", name="Run backtest"),
    "reports": lambda p: p.get_by_role("button", name="Build my report now"),
    "settings": lambda p: p.get_by_role("button", name="Reset account"),
}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def timed_open(page: Page, url: str, last: object) -> float:
    t = time.perf_counter()
    page.goto(url)
    expect(last(page)).to_be_visible(timeout=T)  # type: ignore[operator]
    return time.perf_counter() - t


def trivial_server() -> tuple[object, str]:
    """``streamlit run`` of the three-line page on its own port; (process, url)."""
    import subprocess
    import sys

    from tests.browser.conftest import free_port, wait_healthy

    tmp = Path(tempfile.mkdtemp(prefix="bench_trivial_"))
    script = tmp / "trivial.py"
    script.write_text(TRIVIAL)
    port = free_port()
    argv = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    argv += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    proc = subprocess.Popen(argv, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    return proc, url


def app_pages(browser: object, runs: int) -> tuple[list[float], dict[str, list[float]], list[float]]:
    """Trivial-page opens interleaved with the app's page opens (same load), and the lab runs."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    proc, url, _ = start_app(tmp, {"AUTH_COOKIE_KEY": KEY})
    small, small_url = trivial_server()
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(url)
        page.get_by_role("tab", name="Register").click()
        for label, value in (("New username", "bench"), ("Choose a password", PASSWORD)):
            page.get_by_role("textbox", name=label).fill(value)
        page.get_by_role("textbox", name="Repeat the password").fill(PASSWORD)
        page.get_by_role("button", name="Register", exact=True).click()
        expect(chart(page)).to_be_visible(timeout=T)
        page.wait_for_timeout(2000)  # the cookie is set by the next run's component
        page.close()
        opens: dict[str, list[float]] = {name: [] for name in PAGES}
        base: list[float] = []
        plain = browser.new_context()  # type: ignore[attr-defined]
        for i in range(runs + 1):
            for name, last in PAGES.items():
                tab = plain.new_page()  # the anchor, just before each page
                t = timed_open(tab, small_url, lambda p: p.get_by_test_id("stMetric"))
                if i:  # the first round warms the servers and caches
                    base.append(t)
                tab.close()
                tab = context.new_page()
                t = timed_open(tab, f"{url}/{name}", last)
                if i:
                    opens[name].append(t)
                tab.close()
        plain.close()
        lab: list[float] = []
        tab = context.new_page()
        tab.goto(f"{url}/backtest_lab")
        run = tab.get_by_role("button", name="Run backtest")
        for i in range(runs + 1):
            expect(run).to_be_enabled(timeout=T)
            t = time.perf_counter()
            run.click()
            expect(tab.get_by_text("Final equity (USDT)").first).to_be_visible(timeout=T)
            expect(tab.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=T)
            if i:
                lab.append(time.perf_counter() - t)
            tab.reload()
            run = tab.get_by_role("button", name="Run backtest")
        context.close()
        return base, opens, lab
    finally:
        stop_app(proc)
        stop_app(small)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    where = machine()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        base, opens, lab = app_pages(browser, args.runs)
        browser.close()
    anchor = statistics.median(base)
    rows = [("trivial page (anchor)", base)]
    rows += [(f"/{name}, open by URL signed in", xs) for name, xs in opens.items()]
    rows += [("lab: 90-day MA crossover, Run -> stats drawn", lab)]
    lines = [
        "# Pages benchmark",
        "",
        f"Machine: {where}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "Command: `.venv/bin/python -m bench.bench_pages` (what each row measures: the docstring of",
        f"`bench/bench_pages.py`). p50 and p95 of {args.runs}; target: p50 within 2.5x the trivial page.",
        "",
        "| measure | p50 s | p95 s | x trivial | verdict |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, xs in rows:
        ratio = statistics.median(xs) / anchor
        verdict = "anchor" if name.startswith("trivial") else ("met" if ratio <= 2.5 else "NOT met")
        lines.append(
            f"| {name} | {statistics.median(xs):.3f} | {pct(xs, 0.95):.3f} | {ratio:.1f} | {verdict} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
