"""The websocket client against a local server replaying real Binance frames on 127.0.0.1."""

from __future__ import annotations

import asyncio
import functools
import json
import random
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from pipeline.sources.binance_parse import parse_ws
from pipeline.sources.binance_ws import BinanceStream, StreamConfig, StreamRefused, backoff_delay
from sim.market import BookTop, Candle, Gap, MalformedMessage, Message, Trade
from tests.pipeline.fixtures import WS, lines, load

Handler = Callable[[ServerConnection, int], Coroutine[Any, Any, None]]


def run_async(fn: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async test body in a fresh event loop (no pytest asyncio plugin needed)."""

    @functools.wraps(fn)
    def wrapper() -> None:
        asyncio.run(fn())

    return wrapper


def real_frames() -> list[str]:
    """Real payloads in the combined-stream envelope, as Binance sends them on /stream."""
    frames = [json.dumps(load(WS / name)) for name in ("ws_trade.json", "ws_miniTicker.json")]
    frames += lines(WS / "ws_btcusdt_bookTicker_depth_mixed.jsonl")
    frames += [
        json.dumps({"stream": "btcusdt@kline_5m", "data": json.loads(line)})
        for line in lines(WS / "btcusdt_kline_5m_ws_capture.jsonl")[:5]
    ]
    frames += [json.dumps(load(WS / "ws_spot_trade.json"))]
    return frames


def parsed(frames: list[str]) -> list[Message]:
    return [m for m in (parse_ws(f) for f in frames) if m is not None]


class ReplayServer:
    """Records each connection's request path and runs ``handler(connection, number)``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.paths: list[str] = []
        self.server: Server | None = None

    async def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        self.paths.append(connection.request.path)
        await self.handler(connection, len(self.paths))

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"ws://127.0.0.1:{port}"


@asynccontextmanager
async def replay_server(handler: Handler, **kwargs: Any) -> AsyncIterator[ReplayServer]:
    rs = ReplayServer(handler)
    async with serve(rs._handle, "127.0.0.1", 0, **kwargs) as server:
        rs.server = server
        yield rs


def config(url: str, **changes: Any) -> StreamConfig:
    base: dict[str, Any] = {
        "symbols": ("BTCUSDT", "ETHUSDT"),
        "base_url": url,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "idle_timeout": 2.0,
    }
    base.update(changes)
    return StreamConfig(**base)


async def collect(stream: BinanceStream, count: int, timeout: float = 5.0) -> list[Message]:
    out: list[Message] = []
    async with asyncio.timeout(timeout):
        async for msg in stream.messages():
            out.append(msg)
            if len(out) == count:
                break
    return out


EXPECTED_PATH = (
    "/stream?streams=btcusdt@trade/btcusdt@kline_1m/btcusdt@bookTicker/btcusdt@miniTicker/"
    "ethusdt@trade/ethusdt@kline_1m/ethusdt@bookTicker/ethusdt@miniTicker"
)


def test_the_subscription_is_in_the_url() -> None:
    cfg = StreamConfig(["BTCUSDT", "ETHUSDT"])
    assert cfg.url() == "wss://stream.binance.com:9443" + EXPECTED_PATH
    agg = StreamConfig(["SOLUSDT"], trade_stream="aggTrade", kline_interval="5m", mini_ticker=False)
    assert agg.streams() == ["solusdt@aggTrade", "solusdt@kline_5m", "solusdt@bookTicker"]
    with pytest.raises(ValueError, match="unknown kline interval"):
        StreamConfig(["BTCUSDT"], kline_interval="7m")


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    rng = random.Random(7)
    for attempt in range(12):
        ceiling = min(1.0, 0.01 * 2**attempt)
        delays = [backoff_delay(attempt, 0.01, 1.0, rng) for _ in range(200)]
        assert all(0.005 <= d <= max(ceiling, 0.005) for d in delays)
        if attempt >= 3:
            assert max(delays) > ceiling / 2  # really spread out, not a fixed delay
    assert backoff_delay(3, 0.01, 1.0, random.Random(1)) == backoff_delay(3, 0.01, 1.0, random.Random(1))


@run_async
async def test_drop_reconnect_resubscribe_and_gap() -> None:
    frames = real_frames()
    first, second = frames[:6], frames[6:]

    async def handler(connection: ServerConnection, number: int) -> None:
        if number == 1:
            for frame in first:
                await connection.send(frame)
            await asyncio.sleep(0.05)
            connection.transport.abort()  # a dropped TCP connection, no close frame
            return
        for frame in second:
            await connection.send(frame)
        await connection.wait_closed()

    async with replay_server(handler) as server:
        stream = BinanceStream(config(server.url))
        want = len(parsed(first)) + 1 + len(parsed(second))
        got = await collect(stream, want)

    assert server.paths == [EXPECTED_PATH, EXPECTED_PATH]  # re-subscribed on the new connection
    assert stream.connections == 2
    n1 = len(parsed(first))
    assert got[:n1] == parsed(first)
    gap = got[n1]
    assert isinstance(gap, Gap)
    assert gap.symbol is None and gap.start <= gap.end
    assert gap.reason.startswith("connection lost")
    assert got[n1 + 1 :] == parsed(second)
    kinds = {type(m) for m in got}
    assert {Trade, Candle, BookTop, Gap} <= kinds


@run_async
async def test_session_is_rotated_before_the_max_age() -> None:
    frame = json.dumps(load(WS / "ws_trade.json"))

    async def handler(connection: ServerConnection, number: int) -> None:
        await connection.send(frame)
        await connection.wait_closed()

    async with replay_server(handler) as server:
        stream = BinanceStream(config(server.url, max_session_age=timedelta(milliseconds=150)))
        got = await collect(stream, 3)

    assert [type(m) for m in got] == [Trade, Gap, Trade]
    gap = got[1]
    assert isinstance(gap, Gap) and gap.reason.startswith("session rotated")
    assert len(server.paths) == 2


@run_async
async def test_a_silent_connection_is_replaced() -> None:
    frame = json.dumps(load(WS / "ws_miniTicker.json"))

    async def handler(connection: ServerConnection, number: int) -> None:
        if number > 1:
            await connection.send(frame)
        await connection.wait_closed()

    async with replay_server(handler) as server:
        stream = BinanceStream(config(server.url, idle_timeout=0.1))
        got = await collect(stream, 2)

    assert isinstance(got[0], Gap) and "no frame for 0.1 s" in got[0].reason
    assert got[1] == parse_ws(frame)


@run_async
async def test_malformed_frames_are_reported_and_the_stream_goes_on() -> None:
    good = load(WS / "ws_trade.json")
    bad = json.loads(json.dumps(good))
    bad["data"]["p"] = "NaN"
    reported: list[MalformedMessage] = []

    async def handler(connection: ServerConnection, number: int) -> None:
        for frame in (json.dumps(bad), '{"result": null, "id": 1}', json.dumps(good)):
            await connection.send(frame)
        await connection.wait_closed()

    async with replay_server(handler) as server:
        stream = BinanceStream(config(server.url), on_malformed=lambda raw, err: reported.append(err))
        got = await collect(stream, 1)

    assert got == [parse_ws(good)]
    assert len(reported) == 1 and "plain decimal number" in reported[0].reason


@run_async
async def test_server_pings_are_answered() -> None:
    frame = json.dumps(load(WS / "ws_trade.json"))

    async def handler(connection: ServerConnection, number: int) -> None:
        await asyncio.sleep(0.4)  # several server pings must be answered meanwhile
        await connection.send(frame)
        await connection.wait_closed()

    async with replay_server(handler, ping_interval=0.05, ping_timeout=0.1) as server:
        stream = BinanceStream(config(server.url, ping_interval=0.05, ping_timeout=0.1))
        got = await collect(stream, 1)

    assert got == [parse_ws(frame)]
    assert len(server.paths) == 1  # the server never dropped us for a missing pong


@run_async
async def test_a_restricted_location_refusal_stops_with_a_clear_error() -> None:
    def refuse(connection: ServerConnection, request: Request) -> Response:
        return connection.respond(451, "Service unavailable from a restricted location\n")

    async def handler(connection: ServerConnection, number: int) -> None:  # pragma: no cover
        await connection.wait_closed()

    async with replay_server(handler, process_request=refuse) as server:
        stream = BinanceStream(config(server.url))
        with pytest.raises(StreamRefused, match="HTTP 451"):
            await collect(stream, 1)


@run_async
async def test_gives_up_after_max_attempts_when_nothing_listens() -> None:
    async with replay_server(lambda c, n: asyncio.sleep(0)) as server:
        url = server.url
    stream = BinanceStream(config(url, max_attempts=3))
    with pytest.raises(StreamRefused, match="gave up after 3 failed connection attempts"):
        await collect(stream, 1)
    assert stream.connections == 0


@run_async
async def test_callback_form_receives_the_same_messages() -> None:
    frames = real_frames()[:4]

    async def handler(connection: ServerConnection, number: int) -> None:
        for frame in frames:
            await connection.send(frame)
        await connection.wait_closed()

    received: list[Message] = []

    async def on_message(msg: Message) -> None:
        received.append(msg)
        if len(received) == len(parsed(frames)):
            raise asyncio.CancelledError

    async with replay_server(handler) as server:
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(BinanceStream(config(server.url)).run(on_message), 5)
    assert received == parsed(frames)
