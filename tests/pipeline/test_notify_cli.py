"""``python -m pipeline notify --once`` as an operator runs it: a fill in the ledger reaches a local
receiver with its idempotency key, and a second run sends nothing more."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import open_sim
from tests.integration.test_webhooks import Receiver

ROOT = Path(__file__).resolve().parents[2]


def run_notify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "notify", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_round_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    sim, _ = open_sim(url, webhook_allow_private=True)
    receiver = Receiver()
    try:
        alice = sim.register("alice", "correct horse")
        sim.set_webhook(alice.id, receiver.url)
        order = sim.buy(alice.id, "XRPUSDT", quantity="100")
        env = {**os.environ, "DATABASE_URL": url, "WEBHOOK_ALLOW_PRIVATE": "1", "LOG_FORMAT": "json"}
        env["PYTHONPATH"] = str(ROOT)
        first = run_notify(env)
        assert first.returncode == 0, first.stderr
        (request,) = receiver.requests
        assert request["body"]["order_id"] == order.id and request["key"].startswith("fill-")
        events = [json.loads(line).get("event") for line in first.stderr.splitlines() if line.startswith("{")]
        assert "notify_round" in events
        again = run_notify(env)
        assert again.returncode == 0 and len(receiver.requests) == 1
    finally:
        receiver.close()
        sim.close()


def test_a_round_counts_its_outcomes_in_the_metrics(tmp_path: Path, monkeypatch) -> None:
    from prometheus_client import REGISTRY

    from pipeline.cli import main

    def count(outcome: str) -> float:
        return REGISTRY.get_sample_value("sim_notifications_total", {"outcome": outcome}) or 0.0

    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    sim, _ = open_sim(url, webhook_allow_private=True)
    receiver = Receiver()
    receiver.answers = [500]  # the first of the two fills fails once
    try:
        alice = sim.register("alice", "correct horse")
        sim.set_webhook(alice.id, receiver.url)
        sim.buy(alice.id, "XRPUSDT", quantity="100")
        sim.buy(alice.id, "XRPUSDT", quantity="50")
        for var, value in (("DATABASE_URL", url), ("WEBHOOK_ALLOW_PRIVATE", "1"), ("LOG_FORMAT", "text")):
            monkeypatch.setenv(var, value)
        before = {o: count(o) for o in ("queued", "delivered", "retry", "given_up")}
        assert main(["notify", "--once"]) == 0
        after = {o: count(o) - before[o] for o in before}
        assert after == {"queued": 2, "delivered": 1, "retry": 1, "given_up": 0}
    finally:
        receiver.close()
        sim.close()
