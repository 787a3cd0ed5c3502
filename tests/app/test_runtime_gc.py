"""The app process's long-lived objects are out of the collector's reach once the runtime is open
(issue 19: the load test's first bottleneck, Streamlit's full ``gc.collect(2)`` after every script
run walking about a million objects, ~125 ms of CPU per run; see bench/RESULTS.md).

Run in a fresh interpreter, as a server process starts: open the runtime the way the app does,
then time the full collection Streamlit runs after each script run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sim.settings import ROOT

SCRIPT = """
import gc, json, sys, time
from ui.runtime import get_runtime
runtime = get_runtime()
gc.collect(2)
started = time.process_time()
for _ in range(5):
    gc.collect(2)
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "collect_ms": (time.process_time() - started) / 5 * 1000,
    "modules": sorted(
        m for m in ("plotly.graph_objects", "xgboost", "sim.analytics.figures") if m in sys.modules
    ),
}))
runtime.close()
"""


def test_opening_the_runtime_freezes_the_long_lived_objects(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path}/sim.sqlite3",
        HISTORY_URL=f"duckdb:///{tmp_path}/history.duckdb",
        EMBEDDED_FEED="0",
        PYTHONPATH=str(ROOT),
    )
    for name in ("REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS", "METRICS_PORT"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["frozen"] > 100_000, result  # the modules, engines and runtime
    assert result["collect_ms"] < 40, result  # was ~125 ms of CPU with nothing frozen
    assert result["modules"] == ["plotly.graph_objects", "sim.analytics.figures", "xgboost"]
