"""Benchmark: a moving-average crossover over 1,000,000 one-minute candles, four implementations.

Run from the repo root: ``.venv/bin/python -m bench.bench_backtest`` (options: ``--bars``,
``--pairs 240:960,50:200``, ``--repeat``, ``--no-subprocess``). Benchmark-only libraries are in
``bench/requirements.txt``. Writes the table to ``bench/results/backtest.md``.

Data: 1,000,000 1m BTCUSDT candles built deterministically from the shipped real 1h candles
(2020-09-20 onwards): inside each hour a seeded Brownian bridge (numpy ``default_rng(7)``) runs
from the hour's open to its close with a spread of ``(high - low) / 2``, clipped to the hour's
[low, high] and rounded to the 0.01 tick; each minute's open is the previous minute's close,
wicks are seeded half-normal draws inside the hour's range, the hour's volume is split evenly.
Real outages (hourly gaps) stay gaps.

Strategy, the same everywhere: long (all equity) while ``SMA_fast(close) > SMA_slow(close)``, flat
otherwise; a decision on candle t fills at candle t+1's open; 0.1% fee on every fill; 100,000 USDT
start; quantities in whole steps of 0.00001 BTC (numpy: fractional). Implementations:

- ``engine``: ``sim.analytics.backtest.run`` -- exact Decimal cash, the trading core's fill code
  (slippage set to 0 here to match the others), equity curve per bar;
- ``numpy``: plain vectorized numpy (cumsum SMAs, positions, a cumulative product of per-bar
  growth factors with the fee charged on each change), equity curve per bar;
- ``backtesting.py`` (``FractionalBacktest``, fractional unit 1e-5, ``commission=0.001``);
- ``vectorbt`` (``Portfolio.from_signals`` at the next open, fractional sizes: with
  ``size_granularity=1e-5`` vectorbt 1.2.0 rejected most all-in buys once fees were added, leaving
  6 fills instead of 1,410, so its final equity differs from the others by the step rounding).

Timings: each implementation starts from the same candle DataFrame (``open_time`` in ms and the
OHLCV columns) and ends with its final equity and trade count. "in-process" is the best of
``--repeat`` (default 15) calls after one warm-up call (backtesting.py: one call, it is slow and
has no warm-up; vectorbt's first call, which JIT-compiles with numba, is reported apart); the
repeats are interleaved (one call of each implementation per round) so load from other jobs on a
shared machine hits all of them alike. 15 rounds (formerly 5, about 0.2 s a round) give every
implementation the same better chance of a quiet moment: with 5, numpy's best time moved
between 0.021 and 0.036 s from one run to the next on this machine.
"whole process" is the wall time of a fresh ``python -m bench.bench_backtest --one NAME`` that imports
its libraries, builds the candles and runs the backtest once: the best of ``--process-repeat``
(default 3) such processes per implementation, also interleaved (one process of each per round).
A single process per implementation, as before, let one slow moment of a shared machine decide
the whole-process ratio (the engine's process measured 1.18 s in one run and 0.6 s in the next).
The child processes run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed from
their environment): the libraries' modules were compiled to ``.pyc`` when pip installed them,
so with the cache off only this repository's modules (``sim``, this file) would be compiled from
source in every process, as no installed package ever is.

The candles and the implementations are in :mod:`bench.backtest_impls`; this file times them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from bench.backtest_impls import IMPLEMENTATIONS, ROOT, Outcome, minute_candles

RESULTS = ROOT / "bench" / "results" / "backtest.md"


# --- timing -------------------------------------------------------------------------------------
def timed(fn: Callable[[], Outcome]) -> tuple[float, Outcome]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def in_process(df: pd.DataFrame, fast: int, slow: int, repeat: int) -> dict[str, dict[str, Any]]:
    """First call of each implementation, then ``repeat`` interleaved rounds (each fast one once
    per round, so a change in the machine's load hits all alike); the best round counts.
    backtesting.py is called once (it is slow and has no warm-up)."""
    results: dict[str, dict[str, Any]] = {}
    for name, fn in IMPLEMENTATIONS.items():
        print(f"[{fast}/{slow}] {name} first call ...", flush=True)
        try:
            first, out = timed(lambda fn=fn: fn(df, fast, slow))  # type: ignore[misc]
        except ImportError as exc:
            results[name] = {"name": name, "error": f"not installed ({exc})"}
            continue
        results[name] = {
            "name": name,
            "first": first,
            "runs": [first] if name == "backtesting.py" else [],
            "final_equity": out.final_equity,
            "fills": out.trades,
        }
    for _ in range(repeat):
        for name, fn in IMPLEMENTATIONS.items():
            res = results[name]
            if "error" in res or name == "backtesting.py":
                continue
            res["runs"].append(timed(lambda fn=fn: fn(df, fast, slow))[0])  # type: ignore[misc]
    for res in results.values():
        if "runs" in res:
            res["best"] = min(res.pop("runs"))
    return results


def whole_process(name: str, bars: int, fast: int, slow: int) -> float | None:
    """Wall time of one fresh process running ``name`` once (None if it failed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmd = [
        sys.executable,
        "-m",
        "bench.bench_backtest",
        "--one",
        name,
        "--bars",
        str(bars),
        "--pairs",
        f"{fast}:{slow}",
    ]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed if done.returncode == 0 else None


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f"{kb / 1024**2:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"nproc={os.cpu_count()}, memory={mem}, {cpu}, Python {platform.python_version()}, "
        f"load average at start {load} (a shared machine: other jobs may run)"
    )


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for pkg in ("numpy", "pandas", "backtesting", "vectorbt", "numba"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg} (not installed)")
    return ", ".join(parts)


def _verdict(ratio: float | None, target: str, ok: bool) -> str:
    return f"{ratio:.2f} whole process ({target}: {'met' if ok else 'missed'})" if ratio else "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--pairs", default="240:960,50:200", help="fast:slow[,fast:slow...]")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--one", choices=sorted(IMPLEMENTATIONS), help=argparse.SUPPRESS)
    parser.add_argument("--process-repeat", type=int, default=3, help="whole-process runs (best counts)")
    parser.add_argument("--no-subprocess", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    pairs = [tuple(int(x) for x in p.split(":")) for p in args.pairs.split(",")]

    if args.one:  # child of whole_process: build, run once, report
        df = minute_candles(args.bars)
        fast, slow = pairs[0]
        seconds, out = timed(lambda: IMPLEMENTATIONS[args.one](df, fast, slow))
        print(json.dumps({"seconds": seconds, "final_equity": out.final_equity}))
        return

    start = time.perf_counter()
    df = minute_candles(args.bars)
    build = time.perf_counter() - start
    print(f"built {len(df):,} 1m candles in {build:.2f} s")
    lines = [
        "# Backtest benchmark: MA crossover over 1m candles",
        "",
        f"Command: `.venv/bin/python -m bench.bench_backtest --bars {args.bars} "
        f"--pairs {args.pairs} --repeat {args.repeat} --process-repeat {args.process_repeat}`  ",
        f"Machine: {machine()}  ",
        f"Libraries: {versions()}  ",
        f"Data: {len(df):,} deterministic 1m BTCUSDT candles from the shipped 1h candles "
        f"(see the module docstring), {pd.to_datetime(df.open_time.iloc[0], unit='ms')} to "
        f"{pd.to_datetime(df.open_time.iloc[-1], unit='ms')}.",
        "",
        "Times in seconds. in-process = best of the interleaved repeats after a first call "
        "(shown apart); whole process = fresh interpreter: imports + building the candles + one "
        f"run, best of {args.process_repeat} interleaved processes. The table's ratio column uses the "
        "in-process column; the targets (issue 6) are on the whole process.",
        "",
    ]
    for fast, slow in pairs:
        measured = in_process(df, fast, slow, args.repeat)
        spawned = [
            name
            for name, res in measured.items()
            if "error" not in res and not args.no_subprocess and name != "engine, no fills"
        ]
        for round_ in range(args.process_repeat if spawned else 0):
            for name in spawned:
                print(f"[{fast}/{slow}] {name} whole process {round_ + 1} ...", flush=True)
                seconds = whole_process(name, args.bars, fast, slow)
                if seconds is not None:
                    best = measured[name].get("process")
                    measured[name]["process"] = seconds if best is None else min(best, seconds)
        rows = list(measured.values())
        for res in rows:
            print(f"    {res}", flush=True)
        by = {r["name"]: r for r in rows}
        eng, npy = by["engine"], by["numpy"]
        lines += [
            f"## SMA {fast}/{slow} (fills: engine {eng['fills']:,})",
            "",
            "| implementation | first call | in-process | whole process | final equity | fills "
            "| in-process ratio |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for r in rows:
            if "error" in r:
                lines.append(f"| {r['name']} | - | - | - | - | - | {r['error']} |")
                continue
            if r["name"] == "engine":
                ratio = f"{r['best'] / npy['best']:.2f}x numpy's time"
            elif r["name"] == "numpy":
                ratio = "anchor"
            elif r["name"] == "engine, no fills":
                per_fill = (eng["best"] - r["best"]) / max(eng["fills"], 1) * 1e6
                ratio = f"{r['best'] / npy['best']:.2f}x numpy's time; {per_fill:.0f} us per fill"
            else:
                ratio = f"engine {r['best'] / eng['best']:.1f}x faster"
            proc = r.get("process")
            proc_text = f"{proc:.2f}" if proc is not None else "-"
            lines.append(
                f"| {r['name']} | {r['first']:.3f} | {r['best']:.3f} | {proc_text} | "
                f"{r['final_equity']:,.2f} | {r['fills']:,} | {ratio} |"
            )

        # the targets are on the whole process (fresh interpreter); in-process shown beside
        whole_np = eng["process"] / npy["process"] if eng.get("process") and npy.get("process") else None
        verdicts = [
            f"engine / numpy = {_verdict(whole_np, 'target <= 1.5', bool(whole_np and whole_np <= 1.5))}, "
            f"{eng['best'] / npy['best']:.2f} in-process"
        ]
        for r in rows:
            if "error" not in r and r["name"] not in ("engine", "engine, no fills", "numpy"):
                whole = r["process"] / eng["process"] if r.get("process") and eng.get("process") else None
                verdicts.append(
                    f"{r['name']} / engine = {_verdict(whole, 'target >= 8', bool(whole and whole >= 8))}, "
                    f"{r['best'] / eng['best']:.1f} in-process"
                )
        lines += ["", *(f"- {v}" for v in verdicts), ""]
        print("\n".join(verdicts))
    lines += [
        "## Where the engine's time goes",
        "",
        "The engine is vectorized except for one Python step per fill: each order goes through",
        "the paper-trading rules in Decimal (`slipped_price`, the `Instrument.quantity` bounds,",
        "`check_notional`, `fee_amount`, `Account.apply_fill`; `fill_model.fill_at`, tested equal",
        "to `execute_market` + `apply_fill`), so backtest and paper agree by construction. That is",
        "the per-fill cost in the tables (row `engine, no fills`: the same run with the target",
        "masked to flat, i.e. every vectorized step and no fill); about half of it is those",
        "Decimal functions themselves (about 2.5 us a fill), the rest the loop's own bookkeeping",
        "(target and cash cap in Decimal, trade rows, the account state for the equity curve).",
        "So the engine's distance from plain numpy grows with the number of fills, while its",
        "vectorized part is faster than the numpy version (one cumulative sum for both SMAs).",
        "The interleaved rounds share one interpreter, and after each vectorbt call the others run",
        "slower than in a process of their own (SMA 50/200 on this machine, best of 10 rounds:",
        "engine 0.053 s and numpy 0.021 s without vectorbt in the rounds, 0.062 s and 0.023 s with",
        "it); the engine's per-fill loop, which allocates a few dozen small objects a fill, pays",
        "the most.",
        "backtesting.py runs Python per *bar*;",
        "vectorbt's numba loop is per bar too, but compiled and in float64 (no exchange rules).",
        "",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
