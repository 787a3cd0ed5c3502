"""Two app processes on one PostgreSQL ledger and one Redis live store serve the same users
(issue 19, point 3).

Each process opens the system the way the app does on the full stack (:func:`pipeline.runtime.
open_runtime`, no embedded feed: the feed is the pipeline's own processes) and answers commands
read from its stdin, one JSON line each. What one process does, the other sees: an account, its
orders and fills, a cancel, a password change (the old password stops working everywhere), and a
price the feed writes after both started (no process keeps prices in its own memory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sim.adapters.live.redis_store import RedisLiveStore
from sim.market import Trade
from sim.settings import ROOT

WORKER = """
import dataclasses, json, sys
from pipeline.runtime import open_runtime
from sim.domain.errors import SimError

runtime = open_runtime(start_feed=False)
sim = runtime.sim
sim.bcrypt_rounds = 4
print(json.dumps({"pid": __import__("os").getpid()}), flush=True)
for line in sys.stdin:
    name, args, kwargs = json.loads(line)
    try:
        value = getattr(sim, name)(*args, **kwargs)
        plain = lambda v: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else str(v)
        out = {"ok": json.loads(json.dumps(value, default=plain))}
    except SimError as exc:
        out = {"error": type(exc).__name__, "message": str(exc)}
    print(json.dumps(out, default=str), flush=True)
runtime.close()
"""


class AppProcess:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.pid = self._read()["pid"]

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"the app process {self.proc.pid} exited ({self.proc.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def __call__(self, name: str, *args: object, **kwargs: object) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps([name, args, kwargs]) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise AssertionError(f"{name} refused: {answer}")
        return answer["ok"]

    def refused(self, name: str, *args: object, **kwargs: object) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps([name, args, kwargs]) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        assert "error" in answer, f"{name} was not refused: {answer}"
        return str(answer["error"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)


@pytest.fixture
def two_apps(postgres_url: str, redis_url: tuple[str, str]) -> Any:
    url, prefix = redis_url
    env = {k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "HISTORY_URL")}
    env.update(
        DATABASE_URL=postgres_url,
        HISTORY_URL=postgres_url,
        REDIS_URL=url,
        REDIS_KEY_PREFIX=prefix,
        EMBEDDED_FEED="0",
        SLIPPAGE_BPS="0",
        METRICS_PORT="",
        PYTHONPATH=str(ROOT),
    )
    live = RedisLiveStore(url, prefix=prefix)
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    live.write(
        [
            Trade("BTCUSDT", 1, Decimal("40000.00"), Decimal("0.01"), now, False),
            Trade("ETHUSDT", 1, Decimal("2000.00"), Decimal("0.1"), now, False),
        ],
        int(time.time() * 1000),
    )
    first = AppProcess(env)  # the first one creates the schema; the second finds it
    second = AppProcess(env)
    yield first, second, live
    first.close()
    second.close()


def test_an_order_placed_through_one_app_process_appears_on_the_other(two_apps: Any) -> None:
    a, b, live = two_apps
    assert a.pid != b.pid
    alice = a("register", "alice", "correct horse battery")
    assert b("authenticate", "alice", "correct horse battery")["id"] == alice["id"]

    bought = a("buy", alice["id"], "BTCUSDT", "0.01")
    resting = a("buy", alice["id"], "ETHUSDT", "0.1", price="1900")
    assert (bought["status"], resting["status"]) == ("FILLED", "OPEN")
    seen = {o["id"]: o["status"] for o in b("orders", alice["id"])}
    assert seen == {bought["id"]: "FILLED", resting["id"]: "OPEN"}
    positions = {p["symbol"]: p["quantity"] for p in b("portfolio", alice["id"])["positions"]}
    assert Decimal(positions["BTCUSDT"]) == Decimal("0.01")

    assert b("cancel", alice["id"], resting["id"])["status"] == "CANCELED"
    assert a("order", alice["id"], resting["id"])["status"] == "CANCELED"
    assert Decimal(a("portfolio", alice["id"])["cash_locked"]) == 0

    # a price the feed writes now is what both processes read (nothing cached per process)
    later = datetime.now(UTC).replace(microsecond=0)
    live.write(
        [Trade("BTCUSDT", 2, Decimal("41000.00"), Decimal("0.01"), later, False)], int(time.time() * 1000)
    )
    assert (
        Decimal(a("price", "BTCUSDT")["price"]) == Decimal(b("price", "BTCUSDT")["price"]) == Decimal("41000")
    )

    # a password changed through one process: the old one stops working on the other at once
    b("change_password", alice["id"], "correct horse battery", "another horse battery")
    assert a.refused("authenticate", "alice", "correct horse battery")
    assert a("authenticate", "alice", "another horse battery")["id"] == alice["id"]
