"""Benchmark: the Streamlit app's Dashboard with one year of 1h candles, and its cold start.

Run from the repo root: ``.venv/bin/python -m bench.bench_app [--runs N]``. Writes the table to
``bench/results/app.md``.

What is measured (targets: Dashboard under 1.5 s, cold start under 10 s):
- **Dashboard, AppTest**: one script run of ``app.py`` on the Dashboard for a signed-in user with
  the range set to 1Y of 1h candles (8,760 candles, drawn as 1,460 6h buckets), on a temp SQLite
  ledger and a temp DuckDB history over the shipped candles; the market clock is 2023-12-01. The
  first run after opening (cold: history store and caches empty) and the p50 of warm runs.
- **Dashboard, browser**: headless Chromium (Debian's) against ``streamlit run app.py``: the time
  from ``page.goto(/)`` of a signed-in user (cookie) to the Dashboard's chart drawn, and from
  clicking the 1Y range to the chart redrawn with the year.
- **Cold start**: from starting ``streamlit run app.py`` (installed venv) to ``/_stcore/health``
  answering ok.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "app.md"
KEY = "bench-wsIqASx_5UCBrtYuunkQzVpNTziyA1syHqYc0m8XEGsqHl6nmyiSgp_yITLf-AAZ"  # random: passes ui.keys
PASSWORD = "correct horse battery"


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_apptest(runs: int) -> dict[str, float]:
    from datetime import UTC, datetime
    from decimal import Decimal

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from sim.market import Trade

    tmp = Path(tempfile.mkdtemp(prefix="bench_app_"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp}/sim.sqlite3",
        HISTORY_URL=f"duckdb:///{tmp}/history.duckdb",
        AUTH_COOKIE_KEY=KEY,
        EMBEDDED_FEED="0",
    )
    from ui.runtime import get_runtime

    rt = get_runtime()
    when = datetime(2023, 12, 1, tzinfo=UTC)
    prices = {"BTCUSDT": "37700", "ETHUSDT": "2050", "SOLUSDT": "59", "BNBUSDT": "228", "XRPUSDT": "0.61"}
    rt.live.write(
        [Trade(s, 1, Decimal(p), Decimal(1), when, False) for s, p in prices.items()], int(time.time() * 1000)
    )
    user = rt.sim.register("bench", PASSWORD)
    rt.sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.text_input(key="login_username").input("bench")
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="FormSubmitter:login_form-Log in").click()
    at.run()
    assert [t.value for t in at.title] == ["Dashboard"], at.exception
    at.segmented_control(key="dash_range").set_value("1Y")
    first = timed(at.run)
    spec = at.get("iframe")[0].proto.srcdoc
    assert "6h buckets" in spec, "the year should be drawn in 6h buckets"
    warm = [timed(at.run) for _ in range(runs)]
    assert not at.exception
    rt.close()
    st.cache_resource.clear()
    st.cache_data.clear()
    return {"first": first, "p50": p50(warm), "max": max(warm)}


def bench_browser(runs: int) -> dict[str, float]:
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.charts import chart
    from tests.browser.conftest import CHROMIUM_ARGS, start_app, stop_app

    tmp = Path(tempfile.mkdtemp(prefix="bench_app_browser_"))
    proc, url, _ = start_app(tmp, {"AUTH_COOKIE_KEY": KEY})
    loads, years = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(url)
            page.get_by_role("tab", name="Register").click()
            page.get_by_role("textbox", name="New username").fill("bench")
            page.get_by_role("textbox", name="Choose a password").fill(PASSWORD)
            page.get_by_role("textbox", name="Repeat the password").fill(PASSWORD)
            page.get_by_role("button", name="Register", exact=True).click()
            # registering signs in and lands on the Dashboard (issue 18)
            expect(chart(page)).to_be_visible(timeout=60_000)
            page.wait_for_timeout(2000)  # the login cookie is set by the next run's component
            for _ in range(runs):
                t = time.perf_counter()
                page.goto(url)  # a new session, signed in by the cookie
                plot = chart(page)
                expect(plot).to_contain_text("BTCUSDT, 1 hour candles", timeout=60_000)
                loads.append(time.perf_counter() - t)
                t = time.perf_counter()
                page.get_by_test_id("stButtonGroup").filter(has_text="Year").get_by_text("Year").click()
                expect(chart(page)).to_contain_text("6h buckets", timeout=60_000)
                years.append(time.perf_counter() - t)
            browser.close()
    finally:
        stop_app(proc)
    return {"load_p50": p50(loads), "load_max": max(loads), "year_p50": p50(years), "year_max": max(years)}


def bench_cold_start(runs: int) -> dict[str, float]:
    from tests.browser.conftest import start_app, stop_app

    times = []
    for _ in range(runs):
        tmp = Path(tempfile.mkdtemp(prefix="bench_app_cold_"))
        proc, _, seconds = start_app(tmp, {"AUTH_COOKIE_KEY": KEY})
        stop_app(proc)
        times.append(seconds)
    return {"p50": p50(times), "max": max(times)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, load average {load:.1f} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    where = machine()
    app = bench_apptest(args.runs)
    print("apptest", app)
    cold = bench_cold_start(3)
    print("cold start", cold)
    browser = bench_browser(args.runs)
    print("browser", browser)

    def verdict(value: float, target: float) -> str:
        return "met" if value < target else "NOT met"

    rows = [
        ("Dashboard, AppTest, 1Y of 1h, first run", app["first"], 1.5),
        (f"Dashboard, AppTest, 1Y of 1h, warm p50 of {args.runs}", app["p50"], 1.5),
        (f"Dashboard, browser: goto -> chart drawn, p50 of {args.runs}", browser["load_p50"], 1.5),
        (f"Dashboard, browser: click 1Y -> year drawn, p50 of {args.runs}", browser["year_p50"], 1.5),
        ("Cold start to /_stcore/health, p50 of 3", cold["p50"], 10.0),
    ]
    lines = [
        "# App benchmark",
        "",
        f"Machine: {where}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "Command: `.venv/bin/python -m bench.bench_app` (see the docstring of `bench/bench_app.py` for",
        "what each row measures).",
        "",
        "| measure | seconds | target | verdict |",
        "| --- | ---: | ---: | --- |",
        *[
            f"| {name} | {value:.3f} | < {target} | {verdict(value, target)} |"
            for name, value, target in rows
        ],
        "",
        f"Maxima: AppTest warm {app['max']:.3f} s, browser load {browser['load_max']:.3f} s, "
        f"browser 1Y {browser['year_max']:.3f} s, cold start {cold['max']:.3f} s.",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
