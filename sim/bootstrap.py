"""The composition root of ``sim``: settings -> a running :class:`~sim.services.Simulator`.

:meth:`Simulator.open` (notebooks), ``pipeline.runtime.open_runtime`` (the app, ``python -m
pipeline``, the Airflow tasks) all assemble the system here, from the same settings
(:func:`sim.settings.load_settings`: the environment and ``./.env``); an explicit argument
overrides its setting, and ``settings=`` replaces the environment altogether.

- ``DATABASE_URL`` (or ``database_url=``): the ledger.
- ``REDIS_URL`` (or ``redis_url=``), unless ``market=`` or ``replay_start=`` is given: prices come
  from the live store in Redis (what the pipeline's consumer writes) and "now" is the
  :class:`~sim.clock.MarketClock` over it, exactly as the app sees them. Nothing is replayed here:
  the feed runs elsewhere (``KAFKA_BOOTSTRAP_SERVERS``: ``python -m pipeline``; else the app's
  embedded feed).
- Otherwise prices come from replaying the shipped real candles (:class:`~sim.replay.ReplayFeed`,
  moved on by :meth:`Simulator.advance`) from ``replay_start`` (default ``REPLAY_START``,
  2023-12-01). The replay never goes back in time: on a ledger whose last event (newest order
  change or fill) is later, it resumes at the first candle boundary at or after that event, and an
  earlier ``replay_start`` is *moved forward* to it (see :func:`sim.clock.resume_start`).
- ``HISTORY_URL`` (or ``history_url=``) when it is set to something else than the embedded
  default: candles come from that history store; else from the shipped candle files.

What is opened here (engines, the Redis client, the history store) is closed by
:meth:`Simulator.close`, also at the end of ``with Simulator.open() as sim:``. A ``market``,
``clock`` or ``history`` passed in belongs to the caller and is not closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from sim.adapters.history.base import HistoryStore
from sim.adapters.ledger import repository as repo
from sim.adapters.ledger.engine import make_engine
from sim.adapters.market import InMemoryMarket
from sim.adapters.sample_candles import read_bars
from sim.clock import Clock, MarketClock, ReplayClock, WallClock, resume_start
from sim.domain.errors import InvalidInput, SymbolNotTrading, UnknownSymbol
from sim.domain.fills import Tick
from sim.domain.instruments import Instruments
from sim.domain.messages import Unstopped
from sim.replay import ReplayFeed
from sim.service_layer.ports import MarketData
from sim.settings import Settings, load_settings
from sim.universe import candle_file, read_snapshot, universe

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sim.adapters.live.base import LiveStore
    from sim.service_layer.context import ServiceContext

log = logging.getLogger(__name__)
REPLAY_INTERVAL = timedelta(hours=1)
S = TypeVar("S", bound="ServiceContext")


def load_instruments(settings: Settings) -> Instruments:
    """The exchange rules of the tracked symbols (``SYMBOLS``) from the exchangeInfo snapshot.

    Refused with a message naming the snapshot: a missing or unreadable file
    (InvalidExchangeRules), a symbol it does not list (UnknownSymbol) or lists as not TRADING
    (SymbolNotTrading, with the status).
    """
    info = read_snapshot(settings.exchange_info_path)
    try:
        return Instruments.from_exchange_info(info, settings.symbols)
    except SymbolNotTrading:
        raise
    except UnknownSymbol as exc:
        path = str(settings.exchange_info_path)
        raise UnknownSymbol.of("setup.symbol_not_in_snapshot", problem=Unstopped(exc), path=path) from None


def load_universe(settings: Settings, offline: bool) -> Instruments:
    """The tradable universe (:mod:`sim.universe`): ``SYMBOLS`` checked as :func:`load_instruments`
    does, then every TRADING symbol of the snapshot with market data (``offline``: candles)."""
    load_instruments(settings)  # the same refusals, worded the same, for SYMBOLS
    return universe(read_snapshot(settings.exchange_info_path), settings, offline)


def is_offline(settings: Settings, market: MarketData | None, replay_start: object) -> bool:
    """True when this process replays candles itself (no feed elsewhere): no Kafka and either no
    Redis or an explicit ``replay_start``."""
    if market is None:
        return not settings.redis_url or replay_start is not None
    return not settings.kafka_bootstrap_servers and not settings.redis_url


def live_store(settings: Settings) -> LiveStore:
    """The live store: Redis with ``REDIS_URL``, else an in-memory one (for the embedded feed)."""
    if settings.redis_url:
        from sim.adapters.live.redis_store import RedisLiveStore

        return RedisLiveStore(settings.redis_url, prefix=settings.redis_prefix)
    from sim.adapters.live.memory import InMemoryLiveStore

    return InMemoryLiveStore()


def close_live_store(live: object) -> None:
    client = getattr(live, "client", None)
    if client is not None:
        client.close()


def ledger_last_event(engine: Engine) -> datetime | None:
    """The newest market time in the ledger (an order's change or a fill), or None when empty."""
    with engine.connect() as conn:
        return repo.last_event_time(conn)


def resume_replay_at(requested: datetime | str | None, settings: Settings, engine: Engine) -> datetime:
    """Where a replay starts: ``requested`` (default ``REPLAY_START``), moved forward past the
    ledger's last event (:func:`sim.clock.resume_start`)."""
    start = pd.Timestamp(requested or settings.replay_start).to_pydatetime()
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    resumed = resume_start(start, ledger_last_event(engine), REPLAY_INTERVAL)
    if resumed != start:
        log.info("the ledger has later events: the replay resumes at %s, not %s", resumed, start)
    return resumed


def open_simulator(
    cls: Callable[..., S],
    database_url: str | None = None,
    *,
    settings: Settings | None = None,
    market: MarketData | None = None,
    clock: Clock | Callable[[], datetime] | None = None,
    replay_start: datetime | str | None = None,
    seed: int = 0,
    history: HistoryStore | None = None,
    redis_url: str | None = None,
    history_url: str | None = None,
) -> S:
    """Assemble a simulator of class ``cls`` as the module docstring says."""
    settings = settings or load_settings()
    given = {"database_url": database_url, "redis_url": redis_url, "history_url": history_url}
    settings = settings.with_(**{k: v for k, v in given.items() if v})
    engine = make_engine(settings.database_url)
    instruments = load_universe(settings, is_offline(settings, market, replay_start))
    closers: list[Callable[[], None]] = []
    if history is None and settings.history_url != Settings().history_url:
        from sim.adapters.history import history_from_settings

        history = history_from_settings(settings)
        closers.append(history.close)
    replay = None
    if market is None and settings.redis_url and replay_start is None:
        live = live_store(settings)
        market, clock = live, clock or MarketClock(live, settings.symbols)
        closers.append(lambda: close_live_store(live))
    elif market is None:
        no_candles = [s for s in settings.symbols if candle_file(settings, s) is None]
        if no_candles:
            raise InvalidInput.of(
                "setup.replay_no_candles", symbols=", ".join(no_candles), folder=str(settings.sample_dir)
            )
        start = resume_replay_at(replay_start, settings, engine)
        files = {s: candle_file(settings, s) for s in instruments}
        bars = {s: read_bars(path) for s, path in files.items() if path is not None}
        replay = ReplayFeed(bars, {s: instruments[s].tick_size for s in instruments}, start, seed=seed)
        mem = InMemoryMarket()
        for tick in replay.prime():
            mem.update(Tick(tick.symbol, tick.price, tick.time))
        market, clock = mem, clock or ReplayClock(replay)
    sim = cls(engine, settings, instruments, market, clock or WallClock(), replay, history)
    sim.closers.extend(closers)
    # metrics for orders, fills, logins and forecasts, in every process that opens the system
    from sim.observability.instrument import instrument_simulator

    return instrument_simulator(sim)
