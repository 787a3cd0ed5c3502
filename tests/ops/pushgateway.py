"""A private Prometheus Pushgateway (Debian's ``prometheus-pushgateway``) on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from tests.brokers import free_port, wait_port
from tests.services import unavailable


@contextmanager
def pushgateway() -> Iterator[tuple[str, int]]:
    """Yields ``(url, port)`` of a fresh Pushgateway (in memory: no persistence file)."""
    binary = shutil.which("prometheus-pushgateway") or shutil.which("pushgateway")
    if binary is None:
        unavailable("Pushgateway", "the binary is not on PATH (apt-get install prometheus-pushgateway)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}", port
    finally:
        proc.terminate()
        proc.wait(10)
