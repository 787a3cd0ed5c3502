"""The language-model path against a small local server speaking OpenAI's chat-completions protocol:
it answers with a tool call first, then with a final message built from the tool's result."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.integration.conftest import snapshot


class FakeLLM:
    """Records every request; ``script`` maps the request number to the tool call to return."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def respond(self, body: dict[str, Any]) -> dict[str, Any]:
        tool_messages = [m for m in body["messages"] if m["role"] == "tool"]
        n = len(tool_messages)
        if n < len(self.calls):
            name, args = self.calls[n]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{n}",
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(args)},
                    }
                ],
            }
        else:
            result = json.loads(tool_messages[-1]["content"]) if tool_messages else {}
            message = {"role": "assistant", "content": f"From the tools: {result.get('answer', '')}"}
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }


@pytest.fixture
def fake_llm() -> Iterator[tuple[FakeLLM, str]]:
    fake = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append({"path": self.path, **body})
            fake.headers.append(dict(self.headers))
            data = json.dumps(fake.respond(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def configure(sim, url: str) -> None:
    sim.settings = sim.settings.with_(llm_base_url=url, llm_model="test-model", llm_api_key="sk-test")


def test_a_free_form_question_goes_to_the_model_which_calls_a_local_tool(sim_env, fake_llm):
    sim, _, user = sim_env
    fake, url = fake_llm
    configure(sim, url)
    fake.calls = [("get_price", {"symbol": "bitcoin"})]
    reply = sim.chat(user.id, "tell me something interesting about the king of crypto")
    assert reply.intent == "llm" and reply.proposal is None
    assert reply.text.startswith("From the tools: BTCUSDT: 27,000.00 USDT")
    assert reply.data["tool_calls"] == [{"name": "get_price", "arguments": '{"symbol": "bitcoin"}'}]
    first, second = fake.requests
    assert first["path"] == "/v1/chat/completions" and first["model"] == "test-model"
    names = {t["function"]["name"] for t in first["tools"]}
    assert {"get_price", "get_portfolio", "get_forecast", "explain_loss", "propose_order"} <= names
    assert first["messages"][0]["role"] == "system" and first["messages"][-1]["role"] == "user"
    assert second["messages"][-2]["tool_calls"][0]["function"]["name"] == "get_price"
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_0"
    assert json.loads(tool_message["content"])["data"]["prices"]["BTCUSDT"]["price"] == "27000.00"
    assert fake.headers[0]["Authorization"] == "Bearer sk-test"


def test_the_model_can_only_propose_an_order_and_the_user_confirms_it(sim_env, fake_llm):
    sim, _, user = sim_env
    fake, url = fake_llm
    configure(sim, url)
    fake.calls = [
        ("get_portfolio", {}),
        ("propose_order", {"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.002"}),
    ]
    before = snapshot(sim)
    reply = sim.chat(user.id, "put a little of my spare cash into the biggest coin for me")
    assert reply.intent == "llm" and len(fake.requests) == 3
    assert reply.proposal is not None and reply.proposal.quantity == Decimal("0.002")
    assert "Press Confirm" in reply.text
    proposal_json = json.loads(fake.requests[-1]["messages"][-1]["content"])
    assert proposal_json["note"].startswith("Proposed only")
    assert snapshot(sim) == before  # nothing traded by the model
    order = sim.confirm_proposal(user.id, reply.proposal)
    assert (order.symbol, order.side, str(order.filled_qty.normalize())) == ("BTCUSDT", "BUY", "0.002")


def test_a_tool_error_goes_back_to_the_model(sim_env, fake_llm):
    sim, _, user = sim_env
    fake, url = fake_llm
    configure(sim, url)
    fake.calls = [("get_price", {"symbol": "DOGEUSDT"})]
    reply = sim.chat(user.id, "tell me about doggies on the blockchain")
    error = json.loads(fake.requests[-1]["messages"][-1]["content"])
    assert "Unknown symbol 'DOGEUSDT'" in error["error"] and reply.intent == "llm"


def test_rule_intents_stay_local_and_an_unreachable_model_falls_back_to_help(sim_env, fake_llm):
    sim, _, user = sim_env
    fake, url = fake_llm
    configure(sim, url)
    assert sim.chat(user.id, "price of eth").intent == "price"
    assert sim.chat(user.id, "buy 0.01 btc").intent == "order"
    assert fake.requests == []
    configure(sim, "http://127.0.0.1:9/v1")  # nothing listens on the discard port
    reply = sim.chat(user.id, "tell me a story")
    assert reply.intent == "unknown" and "not available" in reply.text and "buy 0.01 BTC" in reply.text


def test_without_an_endpoint_free_form_questions_get_the_list_of_what_it_can_do(sim_env):
    sim, _, user = sim_env
    assert sim.settings.llm_base_url is None
    reply = sim.chat(user.id, "tell me a story")
    assert reply.intent == "unknown" and "Here is what I can do" in reply.text
