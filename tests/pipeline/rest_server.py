"""A local Binance-like REST server (http.server in a thread) for the client tests.

It serves ``/api/v3/klines`` from kline arrays built from the shipped real candles and
``/api/v3/exchangeInfo`` from a real captured response, records every request, reports a used
weight header, and can be told to answer the next requests with scripted errors (429, 418, 5xx),
a raw body that is not JSON (``bytes``), or a delay (to make the client time out).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

HOUR_MS = 3_600_000


def kline_row(sample: list[str]) -> list[Any]:
    """A shipped sample row ``[open_time, o, h, l, c, v]`` as a 12-column Binance kline array.

    The sample has no quote volume, trade count or taker volumes: those columns are "0" / 0.
    """
    open_ms = int(sample[0])
    o, h, low, c, v = sample[1:6]
    return [open_ms, o, h, low, c, v, open_ms + HOUR_MS - 1, "0", 0, "0", "0", "0"]


@dataclass
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # bytes are sent as they are; anything else as JSON
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class FakeBinance:
    klines: list[list[Any]] = field(default_factory=list)
    exchange_info: dict[str, Any] = field(default_factory=dict)
    weight_per_request: int = 2
    used_weight: int = 0
    script: list[Scripted] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.requests.append((path, query))
            self.used_weight += self.weight_per_request
            headers = {"X-MBX-USED-WEIGHT-1M": str(self.used_weight)}
            s = self.script.pop(0) if self.script else None
        if s is not None:
            time.sleep(s.delay)
            return s.status, {**headers, **s.headers}, s.body
        if path == "/api/v3/klines":
            start = int(query.get("startTime", 0))
            end = int(query.get("endTime", 2**62))
            limit = int(query.get("limit", 500))
            rows = [r for r in self.klines if start <= r[0] <= end][:limit]
            return 200, headers, rows
        if path == "/api/v3/exchangeInfo":
            return 200, headers, self.exchange_info
        return 404, headers, {"code": -1, "msg": "no such endpoint"}


def _handler(fake: FakeBinance) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            status, headers, body = fake.answer(url.path, query)
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            try:
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test): nobody to answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving(fake: FakeBinance) -> Iterator[str]:
    """Run the fake on 127.0.0.1 (random port) and yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
