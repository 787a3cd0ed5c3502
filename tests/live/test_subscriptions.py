"""The live producer's subscription (pipeline.subscriptions) against local servers replaying real
Binance payload formats: the union of SYMBOLS and the watchlists, split across connections within
the per-connection stream limit, re-read so a newly watched symbol joins without a restart, and a
first-seen symbol backfilled from REST klines."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from websockets.asyncio.server import ServerConnection

from pipeline.sources.binance_ws import StreamConfig
from pipeline.subscriptions import MAX_STREAMS, MAX_URL_CHARS, LiveFeed, fits, plan, rest_backfill
from sim.market import Candle, Message, Trade
from tests.pipeline.fixtures import WS, load, sample_rows
from tests.pipeline.rest_server import HOUR_MS, FakeBinance, kline_row, serving
from tests.pipeline.test_binance_ws import replay_server, run_async

TEMPLATE = StreamConfig(symbols=("BTCUSDT",))  # four streams per symbol: trade, kline, book, ticker


def names(n: int) -> list[str]:
    return [f"C{i:03d}USDT" for i in range(n)]


def test_binance_limits_are_the_documented_ones() -> None:
    assert MAX_STREAMS == 1024  # spot "WebSocket Streams": a connection listens to at most 1024
    assert len(TEMPLATE.streams()) == 4


def test_the_split_respects_the_stream_limit_and_the_url_length() -> None:
    groups = plan([], names(600), TEMPLATE, max_streams=MAX_STREAMS, max_url=10**9)
    assert [len(g) for g in groups] == [256, 256, 88]  # 1024 streams / 4 per symbol
    capped = plan([], names(600), TEMPLATE)
    assert all(fits(TEMPLATE, g, MAX_STREAMS, MAX_URL_CHARS) for g in capped)
    assert all(len(replace(TEMPLATE, symbols=g).url()) <= MAX_URL_CHARS for g in capped)
    assert sum(len(g) for g in capped) == 600 and len(capped) == 600 // len(capped[0]) + 1
    assert [s for g in capped for s in g] == names(600)  # each symbol once, in order


def test_the_split_is_stable_when_the_watchlists_change() -> None:
    before = plan([], names(10), TEMPLATE, max_streams=16)  # 4 symbols per connection
    assert before == [tuple(names(10)[0:4]), tuple(names(10)[4:8]), tuple(names(10)[8:10])]
    added = plan(before, [*names(10), "DOGEUSDT"], TEMPLATE, max_streams=16)
    assert added[:2] == before[:2] and added[2] == (*before[2], "DOGEUSDT")  # only the last changes
    removed = plan(added, [s for s in names(10) if s != "C005USDT"] + ["DOGEUSDT"], TEMPLATE, max_streams=16)
    assert removed[0] == before[0] and removed[1] == ("C004USDT", "C006USDT", "C007USDT")
    assert removed[2] == added[2]


def _frame(symbol: str, trade_id: int) -> str:
    """The real ``btcusdt@trade`` payload (ws_trade.json) for ``symbol``."""
    frame = load(WS / "ws_trade.json")
    frame["stream"] = f"{symbol.lower()}@trade"
    frame["data"] |= {"s": symbol, "t": trade_id, "E": int(time.time() * 1000), "T": int(time.time() * 1000)}
    return json.dumps(frame)


def _streamed(path: str) -> list[str]:
    """The symbols a connection's URL subscribes to."""
    streams = parse_qs(urlparse(path).query)["streams"][0].split("/")
    return list(dict.fromkeys(s.split("@")[0].upper() for s in streams))


async def _serve(connection: ServerConnection, number: int) -> None:
    assert connection.request is not None
    for i, symbol in enumerate(_streamed(connection.request.path)):
        await connection.send(_frame(symbol, 1000 * number + i))
    await connection.wait_closed()


def _recent_klines(hours: int) -> list[list[object]]:
    """Real BTCUSDT hourly kline rows (the shipped sample) moved to the last ``hours`` closed hours."""
    now_hour = int(time.time() * 1000) // HOUR_MS * HOUR_MS
    rows = sample_rows("BTCUSDT", hours)
    return [kline_row([str(now_hour - (hours - i) * HOUR_MS), *r[1:]]) for i, r in enumerate(rows)]


async def _until(feed_iter, out: list[Message], done: Callable[[], bool], timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not done():
            out.append(await anext(feed_iter))


@run_async
async def test_union_split_refresh_and_first_seen_backfill() -> None:
    fake = FakeBinance(klines=_recent_klines(6))
    wanted = ["BTCUSDT", "ETHUSDT", "SOLUSDT"]  # SYMBOLS plus watchlists, as Simulator.feed_symbols gives
    stored = {"BTCUSDT": None}
    with serving(fake) as rest_url:
        async with replay_server(_serve) as ws:
            feed = LiveFeed(
                replace(TEMPLATE, base_url=ws.url, backoff_base=0.01, idle_timeout=None),
                lambda: list(wanted),
                rest_backfill(rest_url, stored.get),
                refresh_seconds=0.2,
                max_streams=8,  # two symbols per connection, to see the split with few symbols
            )
            out: list[Message] = []
            it = feed.messages().__aiter__()

            def traded() -> set[str]:
                return {m.symbol for m in out if isinstance(m, Trade)}

            def backfilled() -> set[str]:  # every kline the server has (6), per symbol
                counts: dict[str, int] = {}
                for m in out:
                    if isinstance(m, Candle):
                        counts[m.symbol] = counts.get(m.symbol, 0) + 1
                return {s for s, n in counts.items() if n == 6}

            await _until(it, out, lambda: traded() == set(wanted) and backfilled() == set(wanted))
            assert sorted(map(_streamed, ws.paths)) == [["BTCUSDT", "ETHUSDT"], ["SOLUSDT"]]
            assert feed.groups == [("BTCUSDT", "ETHUSDT"), ("SOLUSDT",)]
            klines = [q for p, q in fake.requests if p == "/api/v3/klines"]
            assert sorted(q["symbol"] for q in klines) == ["BTCUSDT", "ETHUSDT", "SOLUSDT"]
            assert all(q["interval"] == "1h" for q in klines)
            sol_candles = [m for m in out if isinstance(m, Candle) and m.symbol == "SOLUSDT"]
            assert len(sol_candles) == 6 and all(c.closed for c in sol_candles)
            assert sol_candles[-1].close == Decimal(str(fake.klines[-1][4]))

            wanted.append("DOGEUSDT")  # a user watches DOGEUSDT: it joins without a restart
            await _until(it, out, lambda: "DOGEUSDT" in traded() and "DOGEUSDT" in backfilled())
            assert feed.groups == [("BTCUSDT", "ETHUSDT"), ("SOLUSDT", "DOGEUSDT")]
            assert _streamed(ws.paths[-1]) == ["SOLUSDT", "DOGEUSDT"]  # only that connection reopened
            assert len(ws.paths) == 3
            assert [q["symbol"] for p, q in fake.requests if p == "/api/v3/klines"][-1] == "DOGEUSDT"
            await it.aclose()
    for path in ws.paths:
        assert len(parse_qs(urlparse(path).query)["streams"][0].split("/")) <= 8


@run_async
async def test_a_backfill_that_fails_is_tried_again_and_the_stream_goes_on() -> None:
    fake = FakeBinance(klines=_recent_klines(3))
    from tests.pipeline.rest_server import Scripted

    fake.script = [Scripted(400, body={"code": -1121, "msg": "Invalid symbol."})]
    with serving(fake) as rest_url:
        async with replay_server(_serve) as ws:
            feed = LiveFeed(
                replace(TEMPLATE, base_url=ws.url, idle_timeout=None),
                lambda: ["BTCUSDT"],
                rest_backfill(rest_url),
                refresh_seconds=0.2,
            )
            out: list[Message] = []
            it = feed.messages().__aiter__()
            await _until(it, out, lambda: any(isinstance(m, Candle) for m in out))
            assert any(isinstance(m, Trade) for m in out)
            assert len([p for p, _ in fake.requests if p == "/api/v3/klines"]) >= 2  # refused, then again
            await it.aclose()


def test_a_symbol_whose_streams_cannot_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="do not fit a connection"):
        plan([], ["BTCUSDT"], TEMPLATE, max_streams=2)


def test_the_producer_follows_the_watchlists_in_the_ledger(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``produce --source binance`` as wired by the CLI (pipeline.cli._produce_binance): the ledger's
    watchlists and SYMBOLS on local websocket and REST servers; a symbol watched while it runs joins
    the feed and its backfilled candles reach the candles topic."""
    import contextlib
    import threading

    from websockets.exceptions import ConnectionClosed

    from pipeline import cli, subscriptions
    from pipeline.bus import InMemoryBus
    from pipeline.producer import MarketProducer, Topics
    from sim.adapters.market import InMemoryMarket
    from sim.market import decode
    from sim.services import Simulator
    from sim.settings import load_settings
    from tests.pipeline.doge import doge_env

    async def ticking(connection: ServerConnection, number: int) -> None:
        assert connection.request is not None
        symbols = _streamed(connection.request.path)
        with contextlib.suppress(ConnectionClosed):  # the client moved to a new URL, or stopped
            for i in range(10_000):  # a trade per symbol every 50 ms, as a live feed keeps coming
                for symbol in symbols:
                    await connection.send(_frame(symbol, 100_000 * number + i))
                await asyncio.sleep(0.05)

    monkeypatch.setattr(subscriptions, "REFRESH_SECONDS", 0.3)
    fake = FakeBinance(klines=_recent_klines(4))
    bus = InMemoryBus()
    stop = threading.Event()
    with serving(fake) as rest_url:

        async def scenario() -> None:
            async with replay_server(ticking) as ws:
                env = doge_env(tmp_path, import_dumps=False) | {
                    "SYMBOLS": "BTCUSDT",
                    "BINANCE_WS_URL": ws.url,
                    "BINANCE_REST_URL": rest_url,
                    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",  # live: the universe is every TRADING symbol
                }
                settings = load_settings(env, dotenv=False)
                sim = Simulator.open(
                    settings=settings,
                    market=InMemoryMarket(),
                )
                sim.bcrypt_rounds = 4
                user = sim.register("walt", "correct horse")
                producer = MarketProducer(bus, Topics())
                thread = threading.Thread(target=cli._produce_binance, args=(producer, None, settings, stop))
                thread.start()
                try:

                    def symbols(topic: str, kind: type) -> set[str]:
                        return {
                            m.symbol for r in bus.records(topic) if isinstance(m := decode(r.value), kind)
                        }

                    async with asyncio.timeout(20):
                        while "BTCUSDT" not in symbols("market.ticks", Trade):
                            await asyncio.sleep(0.05)
                        sim.watch(user.id, "ADAUSDT")  # live: no candles needed, it joins the feed
                        while "ADAUSDT" not in symbols("market.ticks", Trade) or "ADAUSDT" not in symbols(
                            "market.candles", Candle
                        ):
                            await asyncio.sleep(0.05)
                    assert sorted(_streamed(p)[0] for p in ws.paths) == ["BTCUSDT", "BTCUSDT"]
                    assert _streamed(ws.paths[-1]) == ["BTCUSDT", "ADAUSDT"]
                    assert {q["symbol"] for p, q in fake.requests if p == "/api/v3/klines"} == {
                        "BTCUSDT",
                        "ADAUSDT",
                    }
                finally:
                    stop.set()
                    await asyncio.to_thread(thread.join, 10)
                    sim.close()
                assert not thread.is_alive()

        asyncio.run(scenario())
