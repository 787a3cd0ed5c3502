"""Fill notifications end to end: the ledger (SQLite and PostgreSQL), the store, real HTTP to a local
receiver that fails, goes away and comes back; the sender's rounds are run with a moved wall clock.

The receiver is a real ``ThreadingHTTPServer`` on loopback (so the settings allow private
addresses); what it answers is set per test. Expected bodies are built from the ledger's fills.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sim.adapters import webhook_http
from sim.adapters.ledger.webhooks_store import SqlWebhookStore
from sim.domain.errors import InvalidInput
from sim.notifications import run_round
from sim.services import Simulator
from tests.integration.conftest import Driver, open_sim

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # the sender's wall clock, moved by hand


class Receiver:
    """A local HTTP server recording every POST; ``answers`` is consumed first (then 200)."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                data = json.loads(self.rfile.read(length))
                outer.requests.append({"key": self.headers["Idempotency-Key"], "body": data})
                self.send_response(outer.answers.pop(0) if outer.answers else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def world(ledger_url: str) -> Iterator[tuple[Simulator, Driver]]:
    sim, driver = open_sim(ledger_url, webhook_allow_private=True)
    yield sim, driver
    sim.close()


def round_at(sim: Simulator, now: datetime) -> Any:
    def post(url: str, body: str, key: str) -> tuple[int | None, str]:
        return webhook_http.post(url, body, key, allow_private=True)

    return run_round(SqlWebhookStore(sim.engine), post, now)


def test_fills_after_the_webhook_are_sent_once_with_market_time_and_exact_numbers(world, receiver) -> None:
    sim, driver = world
    alice = sim.register("alice", "correct horse")
    bob = sim.register("bob", "correct horse")
    sim.buy(alice.id, "BTCUSDT", quantity="0.01")  # before the webhook: never sent
    sim.set_webhook(alice.id, receiver.url)
    driver.trade("BTCUSDT", "40100.00", seconds=30)
    order = sim.buy(alice.id, "BTCUSDT", quantity="0.02")
    sim.buy(bob.id, "BTCUSDT", quantity="0.03")  # bob has no webhook
    done = round_at(sim, NOW)
    assert (done.queued, done.delivered, done.retrying) == (1, 1, 0)
    (fill,) = [f for f in sim.trades(alice.id) if f.order_id == order.id]
    (request,) = receiver.requests
    assert request["key"] == f"fill-{fill.id}"
    assert request["body"] == {
        "event": "fill",
        "idempotency_key": f"fill-{fill.id}",
        "fill_id": fill.id,
        "order_id": order.id,
        "order_type": "MARKET",
        "account_id": request["body"]["account_id"],
        "symbol": "BTCUSDT",
        "side": "BUY",
        "quantity": "0.02",
        "price": format(fill.price.normalize(), "f"),
        "fee": format(fill.fee.normalize(), "f"),
        "time": driver.clock[0].isoformat(),  # market time, not the wall clock
    }
    assert Decimal(request["body"]["price"]) == fill.price
    assert round_at(sim, NOW + timedelta(minutes=1)) == type(done)(0, 0, 0, 0)  # nothing twice
    (log,) = sim.webhook_deliveries(alice.id)
    assert (log["status"], log["attempts"], log["http_status"]) == ("delivered", 1, 200)
    assert log["event_time"] == driver.clock[0]
    assert sim.webhook_deliveries(bob.id) == []


def test_a_failing_receiver_is_retried_with_back_off_and_the_same_key(world, receiver) -> None:
    sim, _ = world
    alice = sim.register("alice", "correct horse")
    sim.set_webhook(alice.id, receiver.url, "slack")
    sim.buy(alice.id, "ETHUSDT", quantity="1")
    receiver.answers = [500, 503]
    first = round_at(sim, NOW)
    assert (first.queued, first.delivered, first.retrying) == (1, 0, 1)
    (log,) = sim.webhook_deliveries(alice.id)
    assert (log["status"], log["attempts"], log["http_status"]) == ("pending", 1, 500)
    assert log["next_attempt_at"] == NOW + timedelta(seconds=5)
    assert round_at(sim, NOW + timedelta(seconds=4)).retrying == 0  # not due yet: not sent
    assert round_at(sim, NOW + timedelta(seconds=5)).retrying == 1  # 503
    assert sim.webhook_deliveries(alice.id)[0]["next_attempt_at"] == NOW + timedelta(seconds=15)
    assert round_at(sim, NOW + timedelta(seconds=15)).delivered == 1
    assert [r["key"] for r in receiver.requests] == [log["event_key"]] * 3
    assert receiver.requests[-1]["body"]["text"].startswith("Filled: BUY 1 ETHUSDT at ")


def test_a_korean_users_slack_line_is_korean(world, receiver) -> None:
    """The line is written when the fill is queued, in the webhook owner's stored language."""
    sim, _ = world
    minji = sim.register("minji", "correct horse")
    sim.set_preferences(minji.id, language="ko")
    sim.set_webhook(minji.id, receiver.url, "slack")
    sim.buy(minji.id, "ETHUSDT", quantity="1")
    assert round_at(sim, NOW).delivered == 1
    assert receiver.requests[-1]["body"]["text"].startswith("체결: ETHUSDT 1 매수, 가격 ")


def test_nothing_is_lost_while_the_receiver_is_down(world) -> None:
    sim, driver = world
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here until the receiver starts
    alice = sim.register("alice", "correct horse")
    sim.set_webhook(alice.id, f"http://127.0.0.1:{port}/hook", "discord")
    sim.buy(alice.id, "SOLUSDT", quantity="2")
    now = NOW
    for _ in range(4):
        assert round_at(sim, now).retrying == 1
        now += timedelta(hours=1)
    log = sim.webhook_deliveries(alice.id)[0]
    assert log["attempts"] == 4 and log["http_status"] is None and "refused" in log["last_error"]
    driver.trade("SOLUSDT", "101.00")
    sim.sell(alice.id, "SOLUSDT", quantity="1")  # a second fill while it is down
    up = Receiver(port)
    try:
        assert round_at(sim, now).delivered == 2
        assert [r["body"]["content"].split(":")[0] for r in up.requests] == ["Filled", "Filled"]
    finally:
        up.close()


def test_a_triggered_stop_is_its_own_event(world, receiver) -> None:
    sim, driver = world
    alice = sim.register("alice", "correct horse")
    sim.buy(alice.id, "BTCUSDT", quantity="0.05")
    sim.set_webhook(alice.id, receiver.url)
    sim.place_order(alice.id, "BTCUSDT", "SELL", "STOP_LOSS", quantity="0.05", stop_price="39000")
    driver.trade("BTCUSDT", "38900.00")
    assert round_at(sim, NOW).delivered == 1
    assert receiver.requests[0]["body"]["event"] == "stop_triggered"


def test_bad_webhooks_are_refused_and_change_nothing(tmp_path) -> None:
    sim, _ = open_sim(f"sqlite:///{tmp_path / 'l.sqlite3'}")  # private addresses not allowed
    try:
        alice = sim.register("alice", "correct horse")
        with pytest.raises(InvalidInput, match="private network"):
            sim.set_webhook(alice.id, "http://127.0.0.1:9/hook")
        with pytest.raises(InvalidInput, match="Unknown webhook format"):
            sim.set_webhook(alice.id, "https://example.com/hook", "xml")
        with pytest.raises(InvalidInput, match="user id"):
            sim.set_webhook(True, "https://example.com/hook")  # type: ignore[arg-type]
        assert sim.webhook(alice.id) is None
        sim.set_webhook(alice.id, "https://example.com/hook", "SLACK")
        assert sim.webhook(alice.id)["format"] == "slack"  # type: ignore[index]
        assert sim.remove_webhook(alice.id) and sim.webhook(alice.id) is None
    finally:
        sim.close()


def test_a_members_webhook_hears_of_their_competition_entrys_fills(world, receiver) -> None:
    """Issue 16: a competition entry is a trader of its own, owned by the member; its fills go to
    the member's webhook (never to another member's), told apart by ``account_id``."""
    sim, driver = world
    host = sim.register("host", "correct horse")
    ann = sim.register("ann", "correct horse")
    ben = sim.register("ben", "correct horse")
    cup = sim.create_competition(host.id, "Club cup", end=driver.clock[0] + timedelta(days=7))
    code = sim.competition(host.id, cup)["invite_code"]
    ann_entry = sim.join_competition(ann.id, code)
    ben_entry = sim.join_competition(ben.id, code)
    sim.set_webhook(ann.id, receiver.url)
    driver.trade("BTCUSDT", "40100.00", seconds=30)
    mine = sim.buy(sim.trader_for(ann.id, ann_entry), "BTCUSDT", quantity="0.02")
    sim.buy(sim.trader_for(ben.id, ben_entry), "BTCUSDT", quantity="0.03")  # ben's: not ann's
    own = sim.buy(ann.id, "BTCUSDT", quantity="0.01")
    done = round_at(sim, NOW)
    assert (done.queued, done.delivered) == (2, 2)
    bodies = {r["body"]["order_id"]: r["body"] for r in receiver.requests}
    assert set(bodies) == {mine.id, own.id}
    assert bodies[mine.id]["quantity"] == "0.02" and bodies[own.id]["quantity"] == "0.01"
    assert bodies[mine.id]["account_id"] != bodies[own.id]["account_id"]
