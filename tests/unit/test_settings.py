"""Settings: defaults need no server; a malformed value names its variable."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sim.settings import VARIABLES, SettingsError, load_settings


def test_defaults_are_embedded() -> None:
    s = load_settings({}, dotenv=False)
    assert s.database_url.startswith("sqlite:///") and s.history_url.startswith("duckdb:///")
    assert s.redis_url is None and s.kafka_bootstrap_servers is None
    assert (s.starting_balance, s.maker_fee, s.taker_fee) == (
        Decimal(100000),
        Decimal("0.001"),
        Decimal("0.001"),
    )
    assert s.embedded_feed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "not a url"),
        ("HISTORY_URL", "sqlite:///x.db"),
        ("REDIS_URL", "http://localhost"),
        ("KAFKA_BOOTSTRAP_SERVERS", "localhost"),
        ("STARTING_BALANCE", "-1"),
        ("STARTING_BALANCE", "NaN"),
        ("TAKER_FEE", "0.5"),
        ("MAKER_FEE", "1e-3"),
        ("SLIPPAGE_BPS", "abc"),
        ("MAX_PRICE_AGE_SECONDS", "0"),
        ("SYMBOLS", "BTC-USDT"),
        ("KAFKA_TOPIC_PARTITIONS", "0"),
        ("KAFKA_FETCH_MAX_WAIT_MS", "0"),
        ("KAFKA_FETCH_MAX_WAIT_MS", "fast"),
        ("KAFKA_TOPIC_TICKS", "bad topic"),
        ("REPLAY_START", "yesterday"),
        ("EMBEDDED_FEED", "maybe"),
        ("LLM_BASE_URL", "ftp://x"),
    ],
)
def test_malformed_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=False)


def test_dotenv_file_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("SLIPPAGE_BPS=7\nTAKER_FEE=0.002\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAKER_FEE", "0.0005")
    s = load_settings()
    assert s.slippage_bps == Decimal(7) and s.taker_fee == Decimal("0.0005")


def test_every_listed_variable_is_read() -> None:
    source = Path(__file__).resolve().parents[2].joinpath("sim/settings.py").read_text()
    assert all(source.count(f'"{v}"') >= 2 for v in VARIABLES), "each variable is listed and read"


def test_fetch_wait_is_read() -> None:
    assert load_settings({}, dotenv=False).fetch_max_wait_ms == 5
    assert load_settings({"KAFKA_FETCH_MAX_WAIT_MS": "100"}, dotenv=False).fetch_max_wait_ms == 100
