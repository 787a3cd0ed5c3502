"""Free-form questions to an OpenAI-compatible chat-completions endpoint, with local tools.

Protocol (the OpenAI chat-completions API, which vLLM, llama.cpp's server, Ollama, LM Studio and
others speak): ``POST {llm_base_url}/chat/completions`` with ``model``, ``messages`` and
``tools`` (:data:`sim.assistant.tools.TOOL_SPECS`); ``Authorization: Bearer {llm_api_key}`` when a
key is set. When the reply's message has ``tool_calls``, each call is executed *here* with the
user's id bound (the model never picks the user; ``propose_order`` only proposes), the results are
sent back as ``role: tool`` messages, and the model is asked again, at most :data:`MAX_ROUNDS`
times. Standard library HTTP only (``urllib``); nothing is sent anywhere when no endpoint is
configured.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.assistant.tools import TOOL_SPECS, as_json, registry
from sim.assistant.types import ProposedOrder
from sim.domain.errors import SimError

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator

MAX_ROUNDS = 5
TIMEOUT_SECONDS = 30.0
SYSTEM_PROMPT = (
    "You are the assistant of a crypto paper-trading simulator (virtual money, Binance spot "
    "symbols). Answer from the tools' results only; never invent prices, balances or forecasts. "
    "Forecasts are probabilities with a measured track record, not advice. You cannot place orders: "
    "propose_order only prepares one that the user must confirm in the app. Be brief."
)


class LLMError(RuntimeError):
    """The endpoint could not be reached or answered something that is not a chat completion."""


@dataclass
class LLMAnswer:
    text: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    proposal: ProposedOrder | None = None


def configured(sim: Simulator) -> bool:
    s = sim.settings
    return bool(s.llm_base_url and s.llm_model)


def _post(url: str, body: dict[str, Any], api_key: str | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            payload = json.loads(response.read().decode())
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise LLMError(f"the language model at {url} did not answer: {exc}") from exc
    if not isinstance(payload, dict) or not payload.get("choices"):
        raise LLMError(f"the language model at {url} sent no choices")
    return payload


def ask(sim: Simulator, user_id: int, message: str, history: list[dict[str, Any]] | None = None) -> LLMAnswer:
    """Answer ``message`` with the configured model and the local tools; raises :class:`LLMError`."""
    s = sim.settings
    assert s.llm_base_url and s.llm_model
    url = s.llm_base_url.rstrip("/") + "/chat/completions"
    tools = registry(sim, user_id)
    messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM_PROMPT}, *(history or [])]
    messages.append({"role": "user", "content": message})
    answer = LLMAnswer("")
    for _ in range(MAX_ROUNDS):
        payload = _post(url, {"model": s.llm_model, "messages": messages, "tools": TOOL_SPECS}, s.llm_api_key)
        reply = payload["choices"][0].get("message") or {}
        calls = reply.get("tool_calls") or []
        if not calls:
            answer.text = str(reply.get("content") or "").strip()
            return answer
        messages.append({"role": "assistant", "content": reply.get("content"), "tool_calls": calls})
        for call in calls:
            fn = call.get("function") or {}
            name = str(fn.get("name", ""))
            try:
                args = json.loads(fn.get("arguments") or "{}")
                if not isinstance(args, dict):
                    raise ValueError("arguments must be a JSON object")
                if name not in tools:
                    raise ValueError(f"unknown tool {name!r}")
                result = tools[name](**args)
                content = as_json(result)
                if result.proposal is not None:
                    answer.proposal = result.proposal
            except (SimError, ValueError, TypeError) as exc:
                content = json.dumps({"error": str(exc)})
            answer.tool_calls.append({"name": name, "arguments": fn.get("arguments")})
            messages.append({"role": "tool", "tool_call_id": call.get("id", ""), "content": content})
    answer.text = "I could not finish that answer (too many tool calls)."
    return answer


__all__ = ["LLMAnswer", "LLMError", "ask", "configured"]
