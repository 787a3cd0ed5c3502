"""Settings, read once from the environment (and a ``.env`` file in the working directory).

Every variable is optional; the embedded defaults need no server:
- ``DATABASE_URL``: the ledger; default SQLite at ``data/runtime/sim.sqlite3``. PostgreSQL via
  ``postgresql+psycopg2://...``.
- ``HISTORY_URL``: candle history; default DuckDB at ``data/runtime/history.duckdb``.
- ``REDIS_URL``, ``KAFKA_BOOTSTRAP_SERVERS``: the live store and the bus; unset means in-memory.
  ``REDIS_KEY_PREFIX`` (default ``sim:``) lets several deployments share one Redis.
- ``SYMBOLS``: comma-separated tracked symbols (default the five shipped ones). Each must be listed
  as TRADING in the exchangeInfo snapshot ``data/exchange_info.json`` (refreshed by ``python -m
  pipeline symbols refresh``).
- ``BINANCE_REST_URL``: Binance's spot REST API (default ``https://api.binance.com``), for the
  exchangeInfo refresh and the klines backfill; tests point it at a local server.
- ``BINANCE_WS_URL``: Binance's spot websocket base (default ``wss://stream.binance.com:9443``), for
  the live producer (``python -m pipeline produce --source binance``).
- ``EXCHANGE_INFO_PATH`` (default ``data/exchange_info.json``): the exchangeInfo snapshot.
- ``IMPORT_DIR`` (default ``data/runtime/imported``): where ``python -m pipeline import`` keeps the
  1h candles of imported Binance dumps (``<SYMBOL>-1h.csv.gz``, the shipped sample's format), so
  the offline replay plays those symbols too (see :mod:`sim.universe`).
- ``STARTING_BALANCE`` (USDT, default 100000), ``MAKER_FEE`` / ``TAKER_FEE`` (fractions, default
  0.001), ``SLIPPAGE_BPS`` (default 1), ``MAX_PRICE_AGE_SECONDS`` (default 120): market orders are
  refused when the latest price is older.
- ``KAFKA_TOPIC_TICKS`` / ``KAFKA_TOPIC_CANDLES`` / ``KAFKA_TOPIC_DLQ`` (defaults ``market.ticks``,
  ``market.candles``, ``market.dlq``), ``KAFKA_TOPIC_PARTITIONS`` (3), ``KAFKA_CONSUMER_GROUP``
  (``sim-consumer``), ``KAFKA_MATCHER_GROUP`` (``sim-matcher``), ``KAFKA_FETCH_MAX_WAIT_MS`` (5,
  1 to 60000): how long the broker may hold a consumer's fetch when no data is there. Low keeps the
  feed's latency low on brokers that hold a fetch for the whole wait (Tansu); on Apache Kafka, which
  answers as soon as data arrives, a higher value (e.g. 100) only lowers the idle fetch rate.
  ``KAFKA_MAX_POLL_INTERVAL_MS`` (5000, 1000 to 3600000): the longest a consumer may take between two
  polls before the group evicts it; the consumer keeps each batch well inside it.
- ``MAX_TRADE_AHEAD_SECONDS`` (default 5, 0 to 3600): a message dated more than this ahead of the
  moment the consumer received it goes to the dead-letter topic and moves nothing.
- ``REPLAY_SPEED``: market seconds played per wall second by the replay feed (default 60: one hourly
  candle a minute); ``REPLAY_START``: where the replay starts (ISO time, default 2023-12-01) unless
  the ledger already traded later, in which case it resumes from the last trade.
- ``EMBEDDED_FEED`` (default on): without Kafka, run the replay feed inside the app process.
- ``AUTH_COOKIE_KEY``: the app's login cookie key (at least 32 bytes, random; also read from
  ``.streamlit/secrets.toml``). ``APP_ADDRESS``: the address ``make run`` binds (default
  ``127.0.0.1``, this machine only; ``0.0.0.0`` serves every network interface).
- ``LLM_BASE_URL``, ``LLM_MODEL``, ``LLM_API_KEY``: an OpenAI-compatible endpoint for the chat's
  free-form questions (optional).
- ``REPORTS_DIR`` (default ``data/runtime/reports``), ``MODELS_DIR`` (default ``models``).
- ``METRICS_PORT``: the port on which a long-running process (producer, consumer, matcher, app)
  serves its Prometheus metrics (unset: none); ``LOG_FORMAT``: ``json`` (one object per line, the
  default) or ``text`` (for development); ``PUSHGATEWAY_URL``: where the batch DAGs push their last
  success time (unset: not pushed). See :mod:`sim.observability`.
- ``WEBHOOK_ALLOW_PRIVATE`` (default off): let users' fill webhooks reach this machine or a private
  network (for a class's own receiver on the LAN, and tests); see :mod:`sim.domain.webhooks`.
- ``ADMIN_USERNAME`` (unset: no admin): the username of the first admin, who may manage every
  competition (edit before its start, remove a member, end early, open a season) as its host can;
  any user may host a competition of their own (see :mod:`sim.domain.competition`).
A malformed value stops start-up with :class:`SettingsError` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sim.domain.errors import InvalidInput
from sim.domain.values import to_decimal

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RUNTIME_DIR = DATA_DIR / "runtime"
DEFAULT_SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT")


# Every environment variable the project reads; docker-compose may set no other of its own.
VARIABLES = (
    "DATABASE_URL",
    "HISTORY_URL",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "KAFKA_BOOTSTRAP_SERVERS",
    "SYMBOLS",
    "BINANCE_REST_URL",
    "BINANCE_WS_URL",
    "IMPORT_DIR",
    "EXCHANGE_INFO_PATH",
    "STARTING_BALANCE",
    "MAKER_FEE",
    "TAKER_FEE",
    "SLIPPAGE_BPS",
    "MAX_PRICE_AGE_SECONDS",
    "KAFKA_TOPIC_TICKS",
    "KAFKA_TOPIC_CANDLES",
    "KAFKA_TOPIC_DLQ",
    "KAFKA_TOPIC_PARTITIONS",
    "KAFKA_CONSUMER_GROUP",
    "KAFKA_MATCHER_GROUP",
    "KAFKA_FETCH_MAX_WAIT_MS",
    "KAFKA_MAX_POLL_INTERVAL_MS",
    "MAX_TRADE_AHEAD_SECONDS",
    "REPLAY_SPEED",
    "REPLAY_START",
    "EMBEDDED_FEED",
    "AUTH_COOKIE_KEY",
    "APP_ADDRESS",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "REPORTS_DIR",
    "MODELS_DIR",
    "METRICS_PORT",
    "LOG_FORMAT",
    "PUSHGATEWAY_URL",
    "WEBHOOK_ALLOW_PRIVATE",
    "ADMIN_USERNAME",
)


class SettingsError(RuntimeError):
    """A setting in the environment is malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{RUNTIME_DIR / 'sim.sqlite3'}"
    history_url: str = f"duckdb:///{RUNTIME_DIR / 'history.duckdb'}"
    redis_url: str | None = None
    redis_prefix: str = "sim:"
    kafka_bootstrap_servers: str | None = None
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    binance_rest_url: str = "https://api.binance.com"
    binance_ws_url: str = "wss://stream.binance.com:9443"
    starting_balance: Decimal = Decimal("100000")
    maker_fee: Decimal = Decimal("0.001")
    taker_fee: Decimal = Decimal("0.001")
    slippage_bps: Decimal = Decimal("1")
    max_price_age_seconds: int = 120
    topic_ticks: str = "market.ticks"
    topic_candles: str = "market.candles"
    topic_dlq: str = "market.dlq"
    topic_partitions: int = 3
    consumer_group: str = "sim-consumer"
    matcher_group: str = "sim-matcher"
    fetch_max_wait_ms: int = 5
    max_poll_interval_ms: int = 5000
    max_trade_ahead_seconds: int = 5
    replay_speed: Decimal = Decimal("60")
    replay_start: str = "2023-12-01T00:00:00+00:00"
    embedded_feed: bool = True
    auth_cookie_key: str | None = None
    app_address: str = "127.0.0.1"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    reports_dir: Path = RUNTIME_DIR / "reports"
    models_dir: Path = ROOT / "models"
    exchange_info_path: Path = DATA_DIR / "exchange_info.json"
    sample_dir: Path = DATA_DIR / "sample"
    import_dir: Path = RUNTIME_DIR / "imported"
    metrics_port: int | None = None
    log_format: str = "json"
    pushgateway_url: str | None = None
    webhook_allow_private: bool = False
    admin_username: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


_URL_SCHEMES = {
    "DATABASE_URL": ("sqlite", "postgresql"),
    "HISTORY_URL": ("duckdb", "postgresql"),
    "REDIS_URL": ("redis", "rediss", "unix"),
}


def _url(env: Mapping[str, str], name: str, default: str | None) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return default
    scheme = value.split(":", 1)[0].split("+", 1)[0]
    if "://" not in value or scheme not in _URL_SCHEMES[name]:
        raise SettingsError(
            f"{name} is malformed: {value!r}. Expected a URL starting with one of "
            f"{', '.join(s + '://' for s in _URL_SCHEMES[name])}."
        )
    return value


def _switch(env: Mapping[str, str], name: str) -> str:
    """The variable's on/off word, lower-cased ("" when unset)."""
    value = env.get(name, "").strip().lower()
    if value and value not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise SettingsError(f"{name} must be on or off (1/0, true/false), got {value!r}.")
    return value


def _whole(env: Mapping[str, str], name: str, default: int, lo: int, hi: int, unit: str = "") -> int:
    """A whole number from ``lo`` to ``hi`` (``unit`` names what it counts in the message)."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not lo <= int(value) <= hi:
        of = f" of {unit}" if unit else ""
        raise SettingsError(f"{name} must be a whole number{of} from {lo} to {hi}, got {value!r}.")
    return int(value)


def _decimal(env: Mapping[str, str], name: str, default: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        result = to_decimal(value, name)
    except InvalidInput as exc:
        raise SettingsError(f"{name} is malformed: {exc}") from None
    if not lo <= result <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {value!r}.")
    return result


def load_settings(env: Mapping[str, str] | None = None, dotenv: bool = True) -> Settings:
    """Read settings from ``env`` (default: ``os.environ`` plus ``./.env``, environment winning)."""
    if env is None:
        merged: dict[str, str] = {}
        if dotenv and Path(".env").is_file():
            from dotenv import dotenv_values

            merged.update({k: v for k, v in dotenv_values(".env").items() if v is not None})
        merged.update(os.environ)
        env = merged
    kafka = env.get("KAFKA_BOOTSTRAP_SERVERS", "").strip() or None
    if kafka is not None:
        for part in kafka.split(","):
            host, _, port = part.strip().rpartition(":")
            if not host or not port.isdigit():
                raise SettingsError(
                    f"KAFKA_BOOTSTRAP_SERVERS is malformed: {kafka!r}. Expected host:port[,host:port]."
                )
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    if env.get("SYMBOLS", "").strip():
        symbols = tuple(s.strip().upper() for s in env["SYMBOLS"].split(",") if s.strip())
        bad = [s for s in symbols if not s.isalnum()]
        if bad or not symbols:
            raise SettingsError(f"SYMBOLS is malformed: {env['SYMBOLS']!r}.")
    age_text = env.get("MAX_PRICE_AGE_SECONDS", "").strip()
    if age_text and (not age_text.isdigit() or int(age_text) <= 0):
        raise SettingsError(f"MAX_PRICE_AGE_SECONDS must be a whole number of seconds, got {age_text!r}.")
    base = Settings()
    partitions = _whole(env, "KAFKA_TOPIC_PARTITIONS", base.topic_partitions, 1, 256)
    fetch_wait = _whole(env, "KAFKA_FETCH_MAX_WAIT_MS", base.fetch_max_wait_ms, 1, 60000, "milliseconds")
    poll_interval = _whole(
        env, "KAFKA_MAX_POLL_INTERVAL_MS", base.max_poll_interval_ms, 1000, 3_600_000, "milliseconds"
    )
    ahead = _whole(env, "MAX_TRADE_AHEAD_SECONDS", base.max_trade_ahead_seconds, 0, 3600, "seconds")
    start = env.get("REPLAY_START", "").strip() or base.replay_start
    try:
        datetime.fromisoformat(start)
    except ValueError:
        raise SettingsError(
            f"REPLAY_START must be an ISO date or time such as 2023-12-01, got {start!r}."
        ) from None
    topics = {}
    for name, default in (
        ("KAFKA_TOPIC_TICKS", base.topic_ticks),
        ("KAFKA_TOPIC_CANDLES", base.topic_candles),
        ("KAFKA_TOPIC_DLQ", base.topic_dlq),
        ("KAFKA_CONSUMER_GROUP", base.consumer_group),
        ("KAFKA_MATCHER_GROUP", base.matcher_group),
        ("REDIS_KEY_PREFIX", base.redis_prefix),
    ):
        value = env.get(name, "").strip() or default
        if not all(c.isalnum() or c in "._-:" for c in value) or len(value) > 200:
            raise SettingsError(
                f"{name} may only contain letters, digits, '.', '_', ':' and '-', got {value!r}."
            )
        topics[name] = value
    embedded = _switch(env, "EMBEDDED_FEED")
    private_hooks = _switch(env, "WEBHOOK_ALLOW_PRIVATE")
    address = env.get("APP_ADDRESS", "").strip() or base.app_address
    if not all(c.isalnum() or c in ".:-" for c in address) or len(address) > 253:
        raise SettingsError(f"APP_ADDRESS must be an IP address or host name, got {address!r}.")
    llm_url = env.get("LLM_BASE_URL", "").strip() or None
    if llm_url is not None and not llm_url.startswith(("http://", "https://")):
        raise SettingsError(f"LLM_BASE_URL must start with http:// or https://, got {llm_url!r}.")
    log_format = env.get("LOG_FORMAT", "").strip().lower() or base.log_format
    if log_format not in ("json", "text"):
        raise SettingsError(f"LOG_FORMAT must be json or text, got {log_format!r}.")
    binance_url = env.get("BINANCE_REST_URL", "").strip() or base.binance_rest_url
    if not binance_url.startswith(("http://", "https://")):
        raise SettingsError(f"BINANCE_REST_URL must start with http:// or https://, got {binance_url!r}.")
    ws_url = env.get("BINANCE_WS_URL", "").strip() or base.binance_ws_url
    if not ws_url.startswith(("ws://", "wss://")):
        raise SettingsError(f"BINANCE_WS_URL must start with ws:// or wss://, got {ws_url!r}.")
    pushgateway = env.get("PUSHGATEWAY_URL", "").strip() or None
    if pushgateway is not None and not pushgateway.startswith(("http://", "https://")):
        raise SettingsError(f"PUSHGATEWAY_URL must start with http:// or https://, got {pushgateway!r}.")
    admin = env.get("ADMIN_USERNAME", "").strip().lower() or None
    if admin is not None and not all(c.isalnum() or c in "_.-" for c in admin):
        raise SettingsError(
            f"ADMIN_USERNAME must be a username (letters, digits, '_', '.', '-'), got {admin!r}."
        )
    return Settings(
        admin_username=admin,
        embedded_feed=embedded not in ("0", "false", "no", "off"),
        webhook_allow_private=private_hooks in ("1", "true", "yes", "on"),
        auth_cookie_key=env.get("AUTH_COOKIE_KEY", "").strip() or None,
        app_address=address,
        llm_base_url=llm_url,
        llm_model=env.get("LLM_MODEL", "").strip() or None,
        llm_api_key=env.get("LLM_API_KEY", "").strip() or None,
        reports_dir=Path(env["REPORTS_DIR"]) if env.get("REPORTS_DIR", "").strip() else base.reports_dir,
        models_dir=Path(env["MODELS_DIR"]) if env.get("MODELS_DIR", "").strip() else base.models_dir,
        import_dir=Path(env["IMPORT_DIR"]) if env.get("IMPORT_DIR", "").strip() else base.import_dir,
        exchange_info_path=(
            Path(env["EXCHANGE_INFO_PATH"])
            if env.get("EXCHANGE_INFO_PATH", "").strip()
            else base.exchange_info_path
        ),
        database_url=_url(env, "DATABASE_URL", base.database_url) or base.database_url,
        history_url=_url(env, "HISTORY_URL", base.history_url) or base.history_url,
        redis_url=_url(env, "REDIS_URL", None),
        redis_prefix=topics["REDIS_KEY_PREFIX"],
        kafka_bootstrap_servers=kafka,
        symbols=symbols,
        binance_rest_url=binance_url.rstrip("/"),
        binance_ws_url=ws_url.rstrip("/"),
        starting_balance=_decimal(env, "STARTING_BALANCE", base.starting_balance, Decimal(1), Decimal(10**9)),
        maker_fee=_decimal(env, "MAKER_FEE", base.maker_fee, Decimal(0), Decimal("0.01")),
        taker_fee=_decimal(env, "TAKER_FEE", base.taker_fee, Decimal(0), Decimal("0.01")),
        slippage_bps=_decimal(env, "SLIPPAGE_BPS", base.slippage_bps, Decimal(0), Decimal(100)),
        max_price_age_seconds=int(age_text) if age_text else base.max_price_age_seconds,
        topic_ticks=topics["KAFKA_TOPIC_TICKS"],
        topic_candles=topics["KAFKA_TOPIC_CANDLES"],
        topic_dlq=topics["KAFKA_TOPIC_DLQ"],
        topic_partitions=partitions,
        consumer_group=topics["KAFKA_CONSUMER_GROUP"],
        matcher_group=topics["KAFKA_MATCHER_GROUP"],
        fetch_max_wait_ms=fetch_wait,
        max_poll_interval_ms=poll_interval,
        max_trade_ahead_seconds=ahead,
        replay_speed=_decimal(env, "REPLAY_SPEED", base.replay_speed, Decimal("0.01"), Decimal(10**7)),
        replay_start=start,
        metrics_port=_whole(env, "METRICS_PORT", 0, 1, 65535) or None,
        log_format=log_format,
        pushgateway_url=pushgateway,
    )
