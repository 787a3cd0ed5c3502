"""The load test's stack: a fresh PostgreSQL ledger, a feed thread writing prices to Redis, the
``streamlit run app.py`` process(es) and, for two, Debian's nginx with ``deploy/nginx/default.conf``.

See :mod:`bench.bench_load` for what is measured. The feed writes one trade per symbol each second,
dated from 2023-12-01 on (the shipped candles are the history), so market orders find a fresh price.
With two app processes every browser connects from 127.0.0.1, so the upstream hashes a per-context
cookie (``bench_client``) instead of ``$remote_addr``; everything else is the shipped config.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-load-cookie-key-" + "0123456789abcdef" * 2
PASSWORD = "correct horse battery"
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PRICES = {"BTCUSDT": "37700", "ETHUSDT": "2050", "SOLUSDT": "59", "BNBUSDT": "228", "XRPUSDT": "0.61"}
T0 = datetime(2023, 12, 1, tzinfo=UTC)
STREAMLIT = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
STREAMLIT += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


class Stack:
    """The database, the feed thread, the app process(es) and nginx; closed in reverse."""

    def __init__(self, apps: int) -> None:
        import psycopg2

        self.tmp = Path(tempfile.mkdtemp(prefix="bench_load_"))
        self.db = f"bench_load_{uuid.uuid4().hex[:8]}"
        conn = psycopg2.connect(ADMIN)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{self.db}"')
        conn.close()
        self.prefix = f"bench_load_{uuid.uuid4().hex[:6]}:"
        self.env = {
            **os.environ,
            "DATABASE_URL": ADMIN.replace("postgresql://", "postgresql+psycopg2://").rsplit("/", 1)[0]
            + f"/{self.db}",
            "HISTORY_URL": f"duckdb:///{self.tmp}/history.duckdb",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_KEY_PREFIX": self.prefix,
            "EMBEDDED_FEED": "0",
            "AUTH_COOKIE_KEY": KEY,
            "PYTHONPATH": str(ROOT),
        }
        for name in ("KAFKA_BOOTSTRAP_SERVERS", "METRICS_PORT"):
            self.env.pop(name, None)
        self.stop = threading.Event()
        self.feed = threading.Thread(target=self._feed, daemon=True)
        self.feed.start()
        self.servers: list[subprocess.Popen[bytes]] = []
        ports = []
        for i in range(apps):
            port = free_port()
            log = (self.tmp / f"app{i}.log").open("wb")
            self.servers.append(
                subprocess.Popen(
                    [*STREAMLIT, "--server.port", str(port)],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            ports.append(port)
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        self.nginx: subprocess.Popen[bytes] | None = None
        self.direct = [f"http://127.0.0.1:{p}" for p in ports]  # each app process, not through nginx
        self.url = self.direct[0]
        if apps > 1:
            self.url = self._start_nginx(ports)

    def _start_nginx(self, ports: list[int]) -> str:
        binary = shutil.which("nginx", path="/usr/sbin:/usr/bin")
        if binary is None:
            raise SystemExit("--apps 2 needs nginx (apt-get install -y nginx-light)")
        port = free_port()
        site = (ROOT / "deploy" / "nginx" / "default.conf").read_text()
        site = site.replace("hash $remote_addr consistent;", "hash $cookie_bench_client consistent;")
        site = site.replace("server app:8501;", f"server 127.0.0.1:{ports[0]};")
        site = site.replace("server app2:8501;", f"server 127.0.0.1:{ports[1]};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        (self.tmp / "default.conf").write_text(site)
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            f"pid {self.tmp}/nginx.pid;\nerror_log {self.tmp}/error.log;\ndaemon off;\nworker_processes 1;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{\n  access_log off;\n"
            f"  client_body_temp_path {self.tmp}/body;\n  proxy_temp_path {self.tmp}/proxy;\n"
            f"  include {self.tmp}/default.conf;\n}}\n"
        )
        self.nginx = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(self.tmp), "-e", f"{self.tmp}/error.log"]
        )
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        return f"http://127.0.0.1:{port}"

    def _feed(self) -> None:
        from sim.adapters.live.redis_store import RedisLiveStore
        from sim.market import Trade

        live = RedisLiveStore(self.env["REDIS_URL"], prefix=self.prefix)
        started, n = time.monotonic(), 0
        while not self.stop.is_set():
            n += 1
            when = T0 + timedelta(seconds=time.monotonic() - started)
            live.write(
                [Trade(s, n, Decimal(p), Decimal(1), when, False) for s, p in PRICES.items()],
                int(time.time() * 1000),
            )
            self.stop.wait(1.0)

    def register(self, count: int) -> list[str]:
        from sim.services import Simulator
        from sim.settings import load_settings

        sim = Simulator.open(
            settings=load_settings({k: self.env[k] for k in ("DATABASE_URL",)}, dotenv=False)
        )
        names = [f"load{i}" for i in range(count)]
        try:
            for name in names:
                if sim.user_by_name(name) is None:
                    sim.register(name, PASSWORD)
        finally:
            sim.close()
        return names

    def cpu_each(self) -> list[float]:
        """CPU seconds of each app process (psutil)."""
        import psutil

        return [sum(psutil.Process(s.pid).cpu_times()[:2]) for s in self.servers]

    def usage(self) -> tuple[float, int]:
        """CPU seconds and RSS bytes of the app processes together (psutil)."""
        import psutil

        rss = sum(psutil.Process(s.pid).memory_info().rss for s in self.servers)
        return sum(self.cpu_each()), rss

    def close(self) -> None:
        import psycopg2

        self.stop.set()
        for proc in [*([self.nginx] if self.nginx else []), *self.servers]:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        conn = psycopg2.connect(ADMIN)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
