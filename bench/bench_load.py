"""Load test: N concurrent signed-in browser sessions against one app process (or two behind nginx).

Run from the repo root: ``.venv/bin/python -m bench.bench_load [--levels 1,2,4,8] [--seconds 40]
[--apps 1|2] [--profile 20] [--label NAME]``. Appends its table to ``bench/results/load.md``.

What it does: starts ``streamlit run app.py`` (``--apps 2``: two of them and Debian's nginx with
``deploy/nginx/default.conf``) on a fresh PostgreSQL ledger, the machine's Redis (live prices a
feed thread here writes every second, dated from 2023-12-01 on so the shipped candles are the
history) and a DuckDB history over the shipped candles. For each level N, N real Chromium contexts
(Playwright, Debian's ``/usr/bin/chromium``, one browser) log in as N different users, then loop
Dashboard (heading and chart drawn) -> Trading (heading) -> a market buy of 50 USDT (the "Order n
is filled" message shown) -> Portfolio (holdings pie drawn) for ``--seconds``. Each step's time is
from the click to its content visible.

Reported per level: steps done, p50/p95 page time, whether p95 < 2 s (the target), the server
processes' CPU (cores per session, and CPU ms per step: the figure the machine's other load
disturbs least), their memory (RSS, psutil) and the 1-minute load average. The anchor is the
one-session level: the ratio column is p95 at N / p95 at 1. ``--profile S`` samples the server
with py-spy for S seconds at the last level (only the thread holding the GIL, so waiting threads do
not count) and lists the functions with the most samples (own, then project frames cumulative):
the first bottleneck.
The browsers run on the same 2 cores as the server, so the figures are a floor for the server.

With two app processes all browsers connect from 127.0.0.1, so hashing ``$remote_addr`` would put
every session on one process; the benchmark hashes a per-context cookie instead (``bench_client``:
Chromium sends a cookie with the websocket's handshake, but not Playwright's extra headers).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.bench_app import machine
from bench.load_stack import PASSWORD, ROOT, Stack

RESULTS = ROOT / "bench" / "results" / "load.md"
TIMEOUT = 60_000
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


async def session(
    browser: Any, url: str, name: str, until: list[float], times: dict[str, list[float]]
) -> None:
    from playwright.async_api import expect

    from tests.browser.charts import chart

    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    # the two-process proxy hashes this cookie (a cookie also rides on the websocket's handshake)
    await context.add_cookies([{"name": "bench_client", "value": name, "url": url}])
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_role("tab", name="Log in").click(timeout=TIMEOUT)
    await page.get_by_role("textbox", name="Username", exact=True).fill(name)
    await page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=TIMEOUT)

    async def go(title: str) -> None:
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        await expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible(timeout=TIMEOUT)

    while time.monotonic() < until[0]:
        t = time.perf_counter()
        await go("Dashboard")
        await expect(chart(page)).to_be_visible(timeout=TIMEOUT)
        times["dashboard"].append(time.perf_counter() - t)
        t = time.perf_counter()
        await go("Trading")
        times["trading"].append(time.perf_counter() - t)
        await page.get_by_text("Quote amount (USDT)", exact=True).click()
        box = page.get_by_role("textbox", name="Quote amount (USDT, fee included)")
        await box.fill("50")
        await box.press("Tab")
        await expect(page.get_by_text("Preview (nothing is placed yet): fills now")).to_be_visible(
            timeout=TIMEOUT
        )
        t = time.perf_counter()
        await page.get_by_role("button", name="Place order").click()
        await expect(page.get_by_text(re.compile(r"Order \d+ is filled")).first).to_be_visible(
            timeout=TIMEOUT
        )
        times["buy"].append(time.perf_counter() - t)
        t = time.perf_counter()
        await go("Portfolio")
        await expect(chart(page)).to_contain_text("BTCUSDT", timeout=TIMEOUT)
        times["portfolio"].append(time.perf_counter() - t)
    await context.close()


def _what(exc: BaseException) -> str:
    """The first line of a failure and, for Playwright's, what it was waiting for."""
    lines = str(exc).splitlines() or [type(exc).__name__]
    waited = next((x.strip(" -") for x in lines if "Expect" in x or "waiting for" in x), "")
    return f"{lines[0][:80]} {waited[:120]}".strip()


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


async def level(
    stack: Stack, browser: Any, names: list[str], seconds: float, url: str | None = None
) -> dict[str, Any]:
    times: dict[str, list[float]] = {k: [] for k in ("dashboard", "trading", "buy", "portfolio")}
    until = [time.monotonic() + 3600.0]  # logins first; the measured window starts when all are in
    tasks = [asyncio.create_task(session(browser, url or stack.url, n, until, times)) for n in names]
    await asyncio.sleep(0)
    # wait for the first loop of every session, then measure a clean window
    while min((len(v) for v in times.values()), default=0) < len(names) and not any(t.done() for t in tasks):
        await asyncio.sleep(0.5)
    for v in times.values():
        v.clear()
    cpu0, _ = stack.usage()
    each0 = stack.cpu_each()
    wall0 = time.monotonic()
    until[0] = wall0 + seconds
    done = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [d for d in done if isinstance(d, BaseException)]
    wall = time.monotonic() - wall0
    cpu1, rss = stack.usage()
    share = [b - a for a, b in zip(each0, stack.cpu_each(), strict=True)]
    every = [x for v in times.values() for x in v]
    return {
        "n": len(names),
        "steps": len(every),
        "p50": pct(every, 0.5),
        "p95": pct(every, 0.95),
        "p95_by_page": {k: pct(v, 0.95) for k, v in times.items()},
        "cpu_cores": (cpu1 - cpu0) / wall,
        "cpu_ms_per_step": 1000 * (cpu1 - cpu0) / max(1, len(every)),
        "cpu_share": [round(x / max(sum(share), 1e-9), 2) for x in share],
        "rss": rss,
        "errors": [_what(e) for e in errors],
        "load": os.getloadavg()[0],
    }


def profile(pid: int, seconds: int, out: Path) -> list[str]:
    """py-spy's collapsed stacks of ``seconds`` -> the top frames (own samples, then cumulative)."""
    exe = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if exe is None:
        return ["py-spy is not installed (pip install py-spy)"]
    subprocess.run(
        [exe, "record", "-p", str(pid), "-d", str(seconds), "-f", "raw", "-o", str(out), "-r", "50", "--gil"],
        capture_output=True,
        check=False,
        timeout=seconds + 60,
    )
    own: Counter[str] = Counter()
    cumulative: Counter[str] = Counter()
    total = 0
    for line in out.read_text().splitlines() if out.exists() else []:
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [re.sub(r" \(/.*?/(site-packages|wt-[^/]+|main)/", " (", f) for f in stack.split(";")]
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            cumulative[f] += n
    ours = [
        (f, c) for f, c in cumulative.most_common() if re.search(r"\((sim|ui|app_pages|pipeline)/|app\.py", f)
    ]
    lines = [
        f"{total} samples over {seconds} s (py-spy at 50 Hz of the thread holding the GIL: where CPU goes)."
    ]
    lines += ["", "Most own samples:", *[f"- {100 * c / total:.1f}% {f}" for f, c in own.most_common(8)]]
    lines += ["", "Project frames, cumulative:", *[f"- {100 * c / total:.1f}% {f}" for f, c in ours[:10]]]
    return lines


async def run(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[str], float]:
    from playwright.async_api import async_playwright

    levels = [int(x) for x in args.levels.split(",")]
    stack = Stack(args.apps)
    try:
        names = stack.register(max(levels) + 1)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            for direct in stack.direct:  # warm-up of each process: history store, caches, first run
                await level(stack, browser, names[-1:], 5, url=direct)
            _, idle_rss = stack.usage()
            rows, notes = [], []
            for n in levels:
                if args.profile and n == levels[-1]:
                    out = stack.tmp / "profile.txt"
                    pid = stack.servers[0].pid
                    spy = threading.Thread(
                        target=lambda o=out, i=pid: notes.extend(profile(i, args.profile, o))
                    )
                    spy.start()
                    rows.append(await level(stack, browser, names[:n], args.seconds))
                    spy.join()
                else:
                    rows.append(await level(stack, browser, names[:n], args.seconds))
                print(rows[-1], flush=True)
            await browser.close()
        return rows, notes, idle_rss
    finally:
        stack.close()


def table(rows: list[dict[str, Any]], idle_rss: float, args: argparse.Namespace, where: str) -> list[str]:
    base = rows[0]["p95"]
    out = [
        f"### {args.label}",
        "",
        f"Command: `.venv/bin/python -m bench.bench_load --levels {args.levels} --seconds {args.seconds} "
        f"--apps {args.apps}{f' --profile {args.profile}' if args.profile else ''}` "
        f"(run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). Machine: {where}.",
        f"App processes: {args.apps}; idle RSS {idle_rss / 2**20:.0f} MiB in all after the warm-up session.",
        "",
        "| sessions | steps | p50 s | p95 s | p95 < 2 s | ratio p95 to 1 session "
        "| p95 s dash / trade / buy / portf. | server CPU cores per session | server CPU ms per step "
        "| server RSS MiB | load avg |",
        "|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        by = " / ".join(f"{r['p95_by_page'][k]:.2f}" for k in ("dashboard", "trading", "buy", "portfolio"))
        out.append(
            f"| {r['n']} | {r['steps']} | {r['p50']:.2f} | {r['p95']:.2f} | {'yes' if r['p95'] < 2 else 'no'}"
            " "
            f"| {r['p95'] / base:.2f} | {by} | {r['cpu_cores'] / r['n']:.3f} | {r['cpu_ms_per_step']:.0f} | "
            f"{r['rss'] / 2**20:.0f} | {r['load']:.1f} |"
        )
        if r["errors"]:
            out.append(f"|  | {len(r['errors'])} session(s) failed: {r['errors'][0]} ||||||||||")
    if args.apps > 1:
        shares = ", ".join(f"{r['n']}: {' / '.join(str(x) for x in r['cpu_share'])}" for r in rows)
        out += ["", f"Share of the server CPU per app process, by sessions: {shares}."]
    served = max((r["n"] for r in rows if r["p95"] < 2 and not r["errors"]), default=0)
    above = next((str(r["n"]) for r in rows if r["n"] > served), "none tried")
    out += ["", f"Sessions served with p95 under 2 s: **{served}** (the next level: {above}).", ""]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--apps", type=int, default=1, choices=[1, 2])
    parser.add_argument("--profile", type=int, default=0, help="py-spy seconds at the last level")
    parser.add_argument("--label", default="one app process")
    args = parser.parse_args()
    where = machine()
    rows, notes, idle_rss = asyncio.run(run(args))
    lines = table(rows, idle_rss, args, where)
    if notes:
        lines += ["Profile of the (first) app process at the last level:", "", *notes, ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
