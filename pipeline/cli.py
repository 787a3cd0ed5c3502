"""Command line for the market-data pipeline.

    python -m pipeline produce --source replay [--speed 60] [--start 2023-12-01] [--end ...]
    python -m pipeline produce --source binance            # live websocket streams
    python -m pipeline produce --source dump FILE...       # Binance data-dump CSV/ZIP files
    python -m pipeline consume [--no-matcher]              # bus -> Redis + history (+ matcher)
    python -m pipeline match                               # the order matcher alone
    python -m pipeline backfill --symbol BTCUSDT --interval 1m --start 2024-01-01 [--end ...]
    python -m pipeline import FILE...                      # dump files -> history and the replay
    python -m pipeline symbols refresh [--from FILE]       # exchangeInfo -> data/exchange_info.json
    python -m pipeline notify [--once] [--every 2]         # users' fill webhooks (sim.notifications)

Settings come from the environment (see ``sim.settings``); produce/consume/match need
``KAFKA_BOOTSTRAP_SERVERS``. SIGTERM and Ctrl-C stop a loop after the batch in hand is committed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from pipeline import monitoring
from pipeline.symbols import refresh as symbols_refresh
from sim.market import Candle, Message
from sim.settings import Settings, SettingsError, load_settings

log = logging.getLogger("pipeline")


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        log.info("received %s: finishing the batch in hand, then stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def _need_kafka(settings: Settings) -> str:
    if not settings.kafka_bootstrap_servers:
        raise SystemExit("KAFKA_BOOTSTRAP_SERVERS is not set: this command talks to Kafka.")
    return settings.kafka_bootstrap_servers


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    from pipeline.bus import KafkaPublisher, ensure_topics
    from pipeline.producer import MarketProducer
    from pipeline.runtime import topics_of

    bootstrap = _need_kafka(settings)
    topics = topics_of(settings)
    ensure_topics(bootstrap, topics.all, settings.topic_partitions)
    producer = MarketProducer(KafkaPublisher(bootstrap), topics)
    stop = _stop_on_signals()
    messages: Iterator[Message]
    if args.source == "replay":
        from pipeline.sources.replay_source import replay_of_universe

        speed = float(args.speed if args.speed is not None else settings.replay_speed) / 3600.0
        source = replay_of_universe(
            settings,
            args.symbols.split(",") if args.symbols else None,
            start=_time(args.start) or _time(settings.replay_start),
            end=_time(args.end),
            ticks_per_candle=args.ticks_per_candle,
            speed=None if args.fast else speed,
            seed=args.seed,
        )

        def pause(seconds: float) -> None:
            stop.wait(seconds)

        messages = source.play(sleep=pause)
    elif args.source == "dump":
        from pipeline.sources.dump_import import read_dumps

        messages = read_dumps(Path(f) for f in args.files)
    else:
        return _produce_binance(producer, args.symbols.split(",") if args.symbols else None, settings, stop)
    count = 0
    for message in tqdm(messages, desc="produce", unit="msg", disable=not args.progress):
        if stop.is_set():
            break
        producer.publish(message)
        count += 1
        if args.limit and count >= args.limit:
            break
    producer.flush()
    log.info(
        "produced %d messages; stopped because %s",
        count,
        "of a stop request" if stop.is_set() else "the source ended",
    )
    return 0


def _produce_binance(
    producer: object, symbols: list[str] | None, settings: Settings, stop: threading.Event
) -> int:
    """The live feed (:mod:`pipeline.subscriptions`): ``--symbols`` when given, else ``SYMBOLS``
    and every watchlist, re-read every 30 s, split over connections, new symbols backfilled."""
    from pipeline import subscriptions
    from pipeline.producer import MarketProducer
    from pipeline.sources.binance_ws import StreamConfig
    from pipeline.subscriptions import LiveFeed, rest_backfill
    from sim.adapters.history import history_from_settings
    from sim.adapters.market import InMemoryMarket
    from sim.services import Simulator

    assert isinstance(producer, MarketProducer)
    sim = Simulator.open(settings=settings, market=InMemoryMarket())  # the watchlists are all it reads
    history = history_from_settings(settings)
    fixed = list(symbols) if symbols else None

    def last_open(symbol: str) -> object:
        return history.last_open_time(symbol, "1h")

    feed = LiveFeed(
        StreamConfig(symbols=("BTCUSDT",), base_url=settings.binance_ws_url),
        (lambda: list(fixed)) if fixed else sim.feed_symbols,
        rest_backfill(settings.binance_rest_url, last_open),
        refresh_seconds=subscriptions.REFRESH_SECONDS,
    )

    async def run() -> None:
        async with contextlib.aclosing(feed.messages()) as messages:  # closes the connections at once
            async for message in messages:
                producer.publish(message)
                if stop.is_set():
                    break

    try:
        asyncio.run(run())
    finally:
        producer.flush()
        history.close()
        sim.close()
    log.info("binance stream stopped after %d messages", producer.sent)
    return 0


def cmd_consume(args: argparse.Namespace, settings: Settings) -> int:
    from pipeline.bus import KafkaPublisher, KafkaSubscription, ensure_topics
    from pipeline.consumer import MarketConsumer
    from pipeline.runtime import live_store, topics_of
    from sim.adapters.history import history_from_settings
    from sim.bootstrap import load_universe

    bootstrap = _need_kafka(settings)
    topics = topics_of(settings)
    ensure_topics(bootstrap, topics.all, settings.topic_partitions)
    stop = _stop_on_signals()
    history = history_from_settings(settings)
    started = time.monotonic()
    history.prepare()  # the first-use import, before joining the group: never inside the poll loop
    log.info("history store ready in %.1f s", time.monotonic() - started)
    threads = []
    if args.matcher:
        threads.append(threading.Thread(target=_run_matcher, args=(settings, bootstrap, stop), daemon=True))
        threads[-1].start()
    consumer = MarketConsumer(
        KafkaSubscription(
            bootstrap,
            [topics.ticks, topics.candles],
            settings.consumer_group,
            fetch_max_wait_ms=settings.fetch_max_wait_ms,
            max_poll_interval_ms=settings.max_poll_interval_ms,
        ),
        KafkaPublisher(bootstrap),
        topics,
        live_store(settings),
        history,
        list(load_universe(settings, offline=False)),  # any tradable symbol a producer may send
        max_ahead_ms=settings.max_trade_ahead_seconds * 1000,
        max_poll_interval_ms=settings.max_poll_interval_ms,
    )
    stats = consumer.run(stop)
    consumer.sub.close()
    for t in threads:
        t.join(10)
    log.info(
        "consumer exited: %d batches, %d messages, %d dead letters, %d retries",
        stats.batches,
        stats.messages,
        stats.dead_letters,
        stats.retries,
    )
    return 0


def _run_matcher(settings: Settings, bootstrap: str, stop: threading.Event) -> None:
    from pipeline.bus import KafkaSubscription
    from pipeline.matcher import OrderMatcher
    from pipeline.runtime import MarketClock, live_store
    from sim.services import Simulator

    live = live_store(settings)
    sim = Simulator.open(settings=settings, market=live, clock=MarketClock(live, settings.symbols))
    matcher = OrderMatcher(
        sim,
        KafkaSubscription(
            bootstrap,
            [settings.topic_ticks],
            settings.matcher_group,
            fetch_max_wait_ms=settings.fetch_max_wait_ms,
            max_poll_interval_ms=settings.max_poll_interval_ms,
        ),
    )
    matcher.run(stop)
    matcher.sub.close()


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    _run_matcher(settings, _need_kafka(settings), _stop_on_signals())
    return 0


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from pipeline.sources.binance_rest import BinanceRest
    from sim.adapters.history import history_from_settings
    from sim.adapters.history.base import candle_row

    history = history_from_settings(settings)
    history.prepare()  # the shipped candles first, so the backfill continues after them
    rest = BinanceRest(args.base_url or settings.binance_rest_url)
    start = _time(args.start)
    assert start is not None
    end = _time(args.end) or datetime.now(UTC)
    bar = tqdm(desc=f"backfill {args.symbol} {args.interval}", unit="candle", disable=not args.progress)

    def sink(candles: Sequence[Candle]) -> None:
        history.upsert_candles(args.symbol, args.interval, [candle_row(c) for c in candles])
        bar.update(len(candles))

    n = rest.backfill(
        args.symbol,
        args.interval,
        start,
        end,
        sink,
        last_open_time=history.last_open_time(args.symbol, args.interval),
    )
    gaps = history.gaps(args.symbol, args.interval, start, end)
    if gaps:
        n += rest.fill_gaps(args.symbol, args.interval, gaps, sink)
    bar.close()
    log.info(
        "backfilled %d candles of %s %s; %d gaps were asked again", n, args.symbol, args.interval, len(gaps)
    )
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Dump files into the history store and, hourly ones, the offline replay: :mod:`pipeline.imports`."""
    from pipeline.imports import import_dumps
    from sim.adapters.history import history_from_settings

    history = history_from_settings(settings)
    try:
        return import_dumps([Path(f) for f in args.files], settings, history)
    finally:
        history.close()


def cmd_notify(args: argparse.Namespace, settings: Settings) -> int:
    """The webhook sender (:mod:`pipeline.notifier`): a round every ``--every`` seconds, or one with
    ``--once``. Several senders may run; each fill is queued once (see
    :mod:`sim.adapters.ledger.webhooks_store`)."""
    from pipeline.notifier import run_notifier
    from sim.adapters.market import InMemoryMarket
    from sim.services import Simulator

    stop = threading.Event() if args.once else _stop_on_signals()
    sim = Simulator.open(settings=settings, market=InMemoryMarket())  # the ledger is all it reads
    try:
        run_notifier(sim, stop, args.every, args.once)
    finally:
        sim.close()
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Market-data pipeline.")
    p.add_argument("--log-level", default="INFO")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="hide progress bars")
    sub = p.add_subparsers(dest="command", required=True)
    prod = sub.add_parser("produce", help="publish a source to Kafka")
    prod.add_argument("--source", choices=["replay", "binance", "dump"], default="replay")
    prod.add_argument("files", nargs="*", help="dump files for --source dump")
    prod.add_argument("--symbols", help="comma-separated (default: SYMBOLS)")
    prod.add_argument("--speed", type=float, help="market seconds per wall second (default REPLAY_SPEED)")
    prod.add_argument("--fast", action="store_true", help="replay as fast as possible")
    prod.add_argument("--start")
    prod.add_argument("--end")
    prod.add_argument("--limit", type=int, default=0, help="stop after this many messages")
    prod.add_argument("--ticks-per-candle", type=int, default=120)
    prod.add_argument("--seed", type=int, default=0)
    prod.set_defaults(func=cmd_produce)
    cons = sub.add_parser("consume", help="Kafka -> live store and history, with the matcher")
    cons.add_argument("--no-matcher", dest="matcher", action="store_false")
    cons.set_defaults(func=cmd_consume)
    sub.add_parser("match", help="the order matcher alone").set_defaults(func=cmd_match)
    back = sub.add_parser("backfill", help="Binance REST klines -> history")
    back.add_argument("--symbol", required=True)
    back.add_argument("--interval", default="1m")
    back.add_argument("--start", required=True)
    back.add_argument("--end")
    back.add_argument("--base-url", help="Binance REST base URL (default BINANCE_REST_URL)")
    back.set_defaults(func=cmd_backfill)
    imp = sub.add_parser("import", help="Binance data-dump files -> history")
    imp.add_argument("files", nargs="+")
    imp.set_defaults(func=cmd_import)
    symbols_refresh.add_parser(sub)
    notify = sub.add_parser("notify", help="send users' fill notifications to their webhooks")
    notify.add_argument("--once", action="store_true", help="one round, then exit")
    notify.add_argument("--every", type=float, default=2.0, help="seconds between rounds")
    notify.set_defaults(func=cmd_notify)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as exc:
        log.error("%s", exc)
        return 2
    monitoring.start(args.command, settings, args.log_level)  # LOG_FORMAT, METRICS_PORT
    started = time.monotonic()
    code = int(args.func(args, settings))
    log.info("%s finished in %.1f s", args.command, time.monotonic() - started)
    return code
