"""The small parts of operations: JSON log lines, bounded label values, the batch push."""

from __future__ import annotations

import io
import json
import logging

import pytest

from sim.domain.errors import AuthError, InsufficientFunds, InvalidInput, NotFound, SimError, StalePrice
from sim.market import MalformedMessage, decode
from sim.observability.batch import push_success
from sim.observability.classify import dead_letter_reason, error_class, login_outcome
from sim.observability.logs import configure_logging
from sim.settings import SettingsError, load_settings
from tests.ops.pushgateway import pushgateway
from tests.ops.scrape import scrape, value


@pytest.fixture
def root_logging():  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def test_json_log_lines_carry_time_level_component_event_and_the_ids(root_logging: None) -> None:
    out = io.StringIO()
    configure_logging("consumer", "json", "INFO", stream=out)
    log = logging.getLogger("pipeline.consumer")
    log.info("consumer started on %s", "market.ticks")
    log.warning("dead letter", extra={"event": "dead_letter", "topic": "t", "partition": 2, "offset": 7})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("write failed")
    log.debug("not shown")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 3
    first, dead, failed = lines
    assert (
        first["component"] == "consumer"
        and first["level"] == "info"
        and first["logger"] == "pipeline.consumer"
    )
    assert first["event"] == first["message"] == "consumer started on market.ticks"
    assert first["time"].endswith("+00:00")
    assert dead["event"] == "dead_letter" and (dead["topic"], dead["partition"], dead["offset"]) == (
        "t",
        2,
        7,
    )
    assert failed["level"] == "error" and "ValueError: boom" in failed["exc"]


def test_text_logs_for_development_and_the_settings(root_logging: None) -> None:
    out = io.StringIO()
    configure_logging("producer", "text", "INFO", stream=out)
    logging.getLogger("pipeline").info("hello %d", 1)
    assert out.getvalue().rstrip().endswith("INFO pipeline: hello 1")
    assert load_settings({}, dotenv=False).log_format == "json"
    s = load_settings(
        {"LOG_FORMAT": "TEXT", "METRICS_PORT": "9100", "PUSHGATEWAY_URL": "http://pg:9091"}, dotenv=False
    )
    assert (s.log_format, s.metrics_port, s.pushgateway_url) == ("text", 9100, "http://pg:9091")
    assert load_settings({}, dotenv=False).metrics_port is None
    for bad in ({"LOG_FORMAT": "xml"}, {"METRICS_PORT": "70000"}, {"PUSHGATEWAY_URL": "pg:9091"}):
        with pytest.raises(SettingsError, match=next(iter(bad))):
            load_settings(bad, dotenv=False)


class Unavailable(SimError):
    """What an infrastructure refusal may look like (a retryable error of the facade)."""


class Conflict(InvalidInput):
    pass


def test_error_classes_are_few_and_infrastructure_is_told_apart() -> None:
    assert error_class(InsufficientFunds("x")) == error_class(StalePrice("x")) == "rejected"
    assert error_class(InvalidInput("x")) == "input" and error_class(NotFound("x")) == "not_found"
    assert error_class(Conflict("x")) == "conflict"
    assert error_class(Unavailable("x")) == "infrastructure"
    retryable = SimError("x")
    retryable.retryable = True  # type: ignore[attr-defined]
    assert error_class(retryable) == "infrastructure"
    assert error_class(ConnectionError("db down")) == error_class(KeyError("k")) == "infrastructure"
    assert login_outcome(None) == "success"
    assert login_outcome(AuthError("Wrong username or password.")) == "failure"
    assert (
        login_outcome(AuthError("Too many failed logins: this account is locked for 15 minutes."))
        == "throttled"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "not_json"),
        (b"x" * 70_000, "too_large"),
        (
            b'{"kind":"trade","symbol":"DOGEUSDT","trade_id":1,"price":"1","quantity":"1","time":1,'
            b'"is_buyer_maker":false}',
            "unknown_symbol",
        ),
        (b'{"kind":"weather"}', "unknown_kind"),
        (b'{"kind":"trade","symbol":"BTCUSDT"}', "schema"),
        (
            b'{"kind":"trade","symbol":"BTCUSDT","trade_id":1,"price":"-5","quantity":"1","time":1,'
            b'"is_buyer_maker":false}',
            "bad_value",
        ),
        (
            b'{"kind":"trade","symbol":"BTCUSDT","trade_id":1,"price":"NaN","quantity":"1","time":1,'
            b'"is_buyer_maker":false}',
            "bad_value",
        ),
    ],
)
def test_dead_letter_reasons_fall_into_a_few_classes(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage) as refused:
        decode(raw, symbols=frozenset({"BTCUSDT"}))
    assert dead_letter_reason(refused.value.reason) == reason, refused.value.reason


def test_the_batch_success_is_pushed_to_a_real_pushgateway_and_a_failed_push_does_not_raise() -> None:
    with pushgateway() as (url, port):
        assert push_success("crypto_data", url, now=1_700_000_000.0)
        assert push_success("crypto_batch_processing", url, now=1_700_000_100.0)
        assert push_success("crypto_data", url, now=1_700_000_200.0)  # replaces its own value only
        samples = scrape(port)
    name = "sim_batch_last_success_timestamp_seconds"
    assert value(samples, name, dag="crypto_data", job="sim_batch") == 1_700_000_200.0
    assert value(samples, name, dag="crypto_batch_processing") == 1_700_000_100.0
    assert not push_success("crypto_data", None)
    assert not push_success("crypto_data", url, timeout=1.0)  # the gateway is gone: logged, False
