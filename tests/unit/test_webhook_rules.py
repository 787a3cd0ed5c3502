"""The webhook rules of :mod:`sim.domain.webhooks`: accepted URLs, the bodies, the back-off."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sim.domain.errors import InvalidInput
from sim.domain.webhooks import (
    MAX_ATTEMPTS,
    WebhookFormat,
    body,
    check_format,
    check_url,
    event_key,
    next_wait,
)

FILL = {
    "id": 42,
    "order_id": 7,
    "order_type": "MARKET",
    "account_id": 3,
    "symbol": "BTCUSDT",
    "side": "BUY",
    "quantity": Decimal("0.01000000"),
    "price": Decimal("40004.00"),
    "fee": Decimal("0.40004000"),
    "time": datetime(2023, 12, 1, 10, 30, tzinfo=UTC),
}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/x",
        "https://192.168.0.10/x",
        "http://[::1]:9000/x",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
    ],
)
def test_private_addresses_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(InvalidInput, match="private network"):
        check_url(url)
    assert check_url(url, allow_private=True) == url


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("", "Enter the webhook"),
        ("ftp://example.com/x", "starts with https://"),
        ("example.com/hook", "starts with https://"),
        ("https://user:secret@example.com/x", "no user name or password"),
        ("https://example.com/" + "a" * 500, "too long"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url: str, text: str) -> None:
    with pytest.raises(InvalidInput, match=text):
        check_url(url, allow_private=True)


def test_public_urls_and_formats() -> None:
    assert check_url("  https://hooks.slack.com/services/T/B/X ") == "https://hooks.slack.com/services/T/B/X"
    assert check_format(" Discord ") is WebhookFormat.DISCORD
    with pytest.raises(InvalidInput, match="json, slack, discord"):
        check_format("xml")


def test_the_generic_body_carries_exact_decimals_market_time_and_the_key() -> None:
    sent = json.loads(body(WebhookFormat.JSON, FILL))
    assert sent == {
        "event": "fill",
        "idempotency_key": "fill-42",
        "fill_id": 42,
        "order_id": 7,
        "order_type": "MARKET",
        "account_id": 3,
        "symbol": "BTCUSDT",
        "side": "BUY",
        "quantity": "0.01",
        "price": "40004",
        "fee": "0.40004",
        "time": "2023-12-01T10:30:00+00:00",
    }
    assert event_key(42) == "fill-42"


def test_slack_and_discord_bodies_and_a_stop() -> None:
    stop = FILL | {"order_type": "STOP_LOSS", "side": "SELL"}
    slack = json.loads(body(WebhookFormat.SLACK, stop))
    assert slack == {
        "text": "Stop triggered: SELL 0.01 BTCUSDT at 40004 (fee 0.40004), order 7, 2023-12-01T10:30:00+00:00"
    }
    assert json.loads(body(WebhookFormat.DISCORD, FILL))["content"].startswith("Filled: BUY 0.01 BTCUSDT")
    take_profit = FILL | {"order_type": "TAKE_PROFIT"}
    assert json.loads(body(WebhookFormat.JSON, take_profit))["event"] == "stop_triggered"


def test_back_off_doubles_from_5_s_to_15_min_then_gives_up() -> None:
    for n in range(1, MAX_ATTEMPTS):
        assert next_wait(n) == timedelta(seconds=min(5 * 2 ** (n - 1), 900))
    assert next_wait(MAX_ATTEMPTS) is None
    total = sum((next_wait(n) or timedelta()).total_seconds() for n in range(1, MAX_ATTEMPTS))
    assert 20 * 3600 < total < 26 * 3600  # about a day of retries before giving up


def test_the_slack_and_discord_line_is_in_the_users_language() -> None:
    stop = FILL | {"order_type": "STOP_LOSS", "side": "SELL"}
    assert json.loads(body(WebhookFormat.SLACK, stop, "ko")) == {
        "text": "스톱 발동: BTCUSDT 0.01 매도, 가격 40004 (수수료 0.40004), 주문 7, 2023-12-01T10:30:00+00:00"
    }
    assert json.loads(body(WebhookFormat.DISCORD, FILL, "ko"))["content"].startswith(
        "체결: BTCUSDT 0.01 매수"
    )
    assert body(WebhookFormat.JSON, FILL, "ko") == body(WebhookFormat.JSON, FILL)  # data, not words
