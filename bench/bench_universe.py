"""Benchmark: the pages and the symbol search with the five shipped symbols, then with a universe
of 500 (issue 15 part 2).

Run from the repo root: ``.venv/bin/python -m bench.bench_universe [--runs N]``. Writes
``bench/results/universe.md``.

Two app servers in turn (``python -m ui.serve`` with the embedded replay, as ``make run``): one on
the shipped snapshot (5 symbols: what every picker offered before watchlists), one on the
constructed 500-symbol snapshot of ``tests/pipeline/universe500.py`` (495 made-up symbols with
imported candles; the replay plays nothing for them after its start, so the feed's load is the
same). In each, a signed-in user (3 symbols on the watchlist) opens each page with a picker by its
URL (``goto`` to the page's last element drawn, as in ``bench/bench_pages.py``), and on Trading
searches the picker: click, type a symbol near the end of the list, to its option shown. p50 and
p95 of ``--runs`` after one warm-up round.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from bench.bench_app import KEY, PASSWORD, machine
from bench.bench_pages import PAGES, T, pct, timed_open
from tests.browser.conftest import CHROMIUM_ARGS, start_app, stop_app
from tests.pipeline import universe500

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "universe.md"
MEASURED = ("dashboard", "trading", "assistant", "backtest_lab", "settings")


def _register(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("tab", name="Register").click()
    for label, value in (("New username", "bench"), ("Choose a password", PASSWORD)):
        page.get_by_role("textbox", name=label).fill(value)
    page.get_by_role("textbox", name="Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=T)
    page.wait_for_timeout(2000)  # the cookie is set by the next run's component


def _search(page: Page, url: str, typed: str, option: str) -> float:
    page.goto(f"{url}/trading")
    box = page.get_by_test_id("stSelectbox").filter(has_text="Symbol").first
    expect(box).to_be_visible(timeout=T)
    t = time.perf_counter()
    box.click()
    page.keyboard.type(typed)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible(timeout=T)
    took = time.perf_counter() - t
    page.keyboard.press("Escape")
    return took


def run_config(
    browser: object, env: dict[str, str], runs: int, typed: str, option: str
) -> dict[str, list[float]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench_universe_"))
    proc, url, _ = start_app(tmp, {"AUTH_COOKIE_KEY": KEY, **env})
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        page = context.new_page()
        _register(page, url)
        out: dict[str, list[float]] = {name: [] for name in MEASURED} | {"search": []}
        for i in range(runs + 1):
            for name in MEASURED:
                tab = context.new_page()
                took = timed_open(tab, f"{url}/{name}", PAGES[name])
                tab.close()
                if i:
                    out[name].append(took)
            took = _search(page, url, typed, option)
            if i:
                out["search"].append(took)
        context.close()
        return out
    finally:
        stop_app(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    where = machine()
    big = Path(tempfile.mkdtemp(prefix="bench_universe500_"))
    env500 = universe500.build(big)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        small = run_config(browser, {"IMPORT_DIR": str(big / "none")}, args.runs, "xrp", "XRPUSDT")
        large = run_config(browser, env500, args.runs, "t490", "T490USDT")
        browser.close()
    lines = [
        "# Universe benchmark: pages and the symbol search with 5 and 500 symbols",
        "",
        f"Machine: {where}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "Command: `.venv/bin/python -m bench.bench_universe` (what is measured: the docstring of",
        f"`bench/bench_universe.py`). Seconds, p50 / p95 of {args.runs} each.",
        "",
        "| measure | 5 symbols p50 | p95 | 500 symbols p50 | p95 | 500 / 5 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in (*MEASURED, "search"):
        a, b = small[name], large[name]
        label = "Trading: type in the picker -> option shown" if name == "search" else f"/{name} opened"
        lines.append(
            f"| {label} | {statistics.median(a):.3f} | {pct(a, 0.95):.3f} | {statistics.median(b):.3f} | "
            f"{pct(b, 0.95):.3f} | {statistics.median(b) / statistics.median(a):.2f} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
