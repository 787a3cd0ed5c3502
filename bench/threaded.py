"""Calling workers in threads for a time box, with per-call latency (the ledger benchmark's harness).

:func:`run_case` calls each worker in its own thread as fast as it returns, for ``warmup`` seconds
not counted and then ``seconds`` measured; :class:`Rounds` holds several runs of one case and gives
the medians of their figures.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    backend: str
    threads: int
    orders: int
    seconds: float
    latencies_ms: list[float]
    cpu_seconds: float  # this process's CPU (all threads) during the measured window
    statements: float | None = None  # SQL statements + commits/rollbacks per buy (API cases)

    @property
    def rate(self) -> float:
        return self.orders / self.seconds

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]


@dataclass
class Rounds:
    """One case over its rounds: medians of the rounds' figures, CPU and statements over all calls."""

    runs: list[Result]

    @property
    def backend(self) -> str:
        return self.runs[0].backend

    @property
    def threads(self) -> int:
        return self.runs[0].threads

    @property
    def rate(self) -> float:
        return statistics.median(r.rate for r in self.runs)

    def pct(self, q: float) -> float:
        return statistics.median(r.pct(q) for r in self.runs)

    @property
    def orders(self) -> int:
        return sum(r.orders for r in self.runs)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)

    @property
    def cpu_ms_per_buy(self) -> float:
        return 1000 * sum(r.cpu_seconds for r in self.runs) / self.orders

    @property
    def statements(self) -> float | None:
        counted = [r.statements for r in self.runs if r.statements is not None]
        return statistics.mean(counted) if counted else None


def run_case(
    backend: str,
    workers: list[Callable[[], object]],
    warmup: float,
    seconds: float,
    profile: str | None = None,
    statements: Callable[[], int] | None = None,
) -> Result:
    """Call each worker in its own thread as fast as it returns; time the calls after ``warmup``.

    With ``profile``, the first thread runs under cProfile and its stats are written there.
    """
    barrier = threading.Barrier(len(workers) + 1)
    window: dict[str, float] = {}
    samples: list[list[tuple[float, float]]] = [[] for _ in workers]
    errors: list[BaseException] = []
    done = [0] * len(workers)  # every call, warm-up included (to divide statement counts)

    def loop(i: int, call: Callable[[], object]) -> None:
        out = samples[i]
        prof = None
        if profile and i == 0:
            import cProfile

            prof = cProfile.Profile()
        barrier.wait()
        start, end = window["start"], window["end"]
        if prof is not None:
            prof.enable()
        try:
            while True:
                t0 = time.perf_counter()
                if t0 >= end:
                    break
                call()
                t1 = time.perf_counter()
                done[i] += 1
                if t0 >= start:
                    out.append((t0, t1))
        except BaseException as exc:  # report, do not hang the other threads
            errors.append(exc)
        if prof is not None and profile:
            prof.disable()
            prof.dump_stats(profile)

    threads = [threading.Thread(target=loop, args=(i, w), daemon=True) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    now = time.perf_counter()
    window["start"] = now + warmup
    window["end"] = now + warmup + seconds
    barrier.wait()
    time.sleep(max(0.0, window["start"] - time.perf_counter()))
    cpu0 = time.process_time()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu0
    if errors:
        raise errors[0]
    calls = [s for per in samples for s in per]
    finished = max(t1 for _, t1 in calls)
    return Result(
        backend,
        len(workers),
        len(calls),
        finished - window["start"],
        [(t1 - t0) * 1000 for t0, t1 in calls],
        cpu,
        None if statements is None else statements() / sum(done),
    )
