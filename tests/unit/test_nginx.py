"""deploy/nginx/default.conf on Debian's nginx: ``nginx -t`` accepts it, and run for real in front of
two stand-in app processes it keeps a client on one of them (issue 19, the proxy profile).

The compose service names ``app`` and ``app2`` are replaced by two loopback ports (they only resolve
inside compose); everything else is the shipped file, included in a minimal ``nginx.conf`` as the
official image does with ``conf.d/``. Skipped with a reason without nginx (failed under CI=true:
``.ci/run`` installs ``nginx-light``).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.brokers import free_port, wait_port
from tests.services import unavailable

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "default.conf"


def nginx() -> str:
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if binary is None:
        unavailable("nginx", "the binary is not installed (apt-get install -y nginx-light)")
    assert binary is not None
    return binary


def config(tmp: Path, backends: tuple[int, int], port: int) -> Path:
    site = CONF.read_text()
    assert "server app:8501;" in site and "server app2:8501;" in site
    site = site.replace("server app:8501;", f"server 127.0.0.1:{backends[0]};")
    site = site.replace("server app2:8501;", f"server 127.0.0.1:{backends[1]};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (tmp / "default.conf").write_text(site)
    main = tmp / "nginx.conf"
    main.write_text(
        f"pid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'};\n"
        "daemon off;\n"
        "worker_processes 1;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  access_log {tmp / 'access.log'};\n"
        f"  client_body_temp_path {tmp / 'body'};\n"
        f"  proxy_temp_path {tmp / 'proxy'};\n"
        f"  include {tmp / 'default.conf'};\n"
        "}\n"
    )
    return main


def named_server(name: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def backends() -> Iterator[tuple[ThreadingHTTPServer, ThreadingHTTPServer]]:
    a, b = named_server("app"), named_server("app2")
    yield a, b
    a.shutdown()
    b.shutdown()


def test_nginx_accepts_the_proxy_config(tmp_path: Path) -> None:
    binary = nginx()
    main = config(tmp_path, (free_port(), free_port()), free_port())
    done = subprocess.run(
        [binary, "-t", "-c", str(main), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr, done.stderr


def test_a_client_stays_on_one_app_process(
    tmp_path: Path, backends: tuple[ThreadingHTTPServer, ThreadingHTTPServer]
) -> None:
    binary = nginx()
    port = free_port()
    main = config(tmp_path, (backends[0].server_port, backends[1].server_port), port)
    proc = subprocess.Popen(
        [binary, "-c", str(main), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_port(port)
        seen = set()
        for path in ("/", "/_stcore/health", "/media/x.png", "/", "/portfolio") * 4:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                seen.add(response.read().decode())
        assert len(seen) == 1 and seen <= {"app", "app2"}, seen
        gone = backends[0] if seen == {"app"} else backends[1]
        gone.shutdown()
        gone.server_close()
        # its process gone, the client is served by the other one (nginx retries the next server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.read().decode() == ({"app", "app2"} - seen).pop()
    finally:
        proc.terminate()
        proc.wait(10)
