"""Reading a process's Prometheus endpoint in tests."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable

from prometheus_client.parser import text_string_to_metric_families

Samples = list[tuple[str, dict[str, str], float]]


def scrape(port: int) -> Samples:
    """Every sample on ``http://127.0.0.1:port/metrics``; [] while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return []
    return [
        (s.name, dict(s.labels), s.value) for f in text_string_to_metric_families(text) for s in f.samples
    ]


def value(samples: Samples, name: str, **labels: str) -> float | None:
    """The sum of the samples called ``name`` whose labels include ``labels``; None if there is none."""
    found = [v for n, ls, v in samples if n == name and labels.items() <= ls.items()]
    return sum(found) if found else None


def wait_metric(
    port: int, predicate: Callable[[Samples], bool], timeout: float = 30.0, what: str = "a metric"
) -> Samples:
    """Scrape every 50 ms until ``predicate`` holds; the samples that satisfied it."""
    deadline = time.monotonic() + timeout
    samples: Samples = []
    while time.monotonic() < deadline:
        samples = scrape(port)
        if samples and predicate(samples):
            return samples
        time.sleep(0.05)
    raise AssertionError(
        f"timed out waiting for {what}; last scrape: {[s for s in samples if s[0].startswith('sim_')]}"
    )
