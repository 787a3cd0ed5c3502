"""The chat: a message in, a :class:`ChatReply` out, answered from the user's data and the market.

Rule-based first (:mod:`sim.assistant.intents`), each intent answered by the functions of
:mod:`sim.assistant.tools`; a message no rule understands goes to the configured
OpenAI-compatible model (:mod:`sim.assistant.llm`) when there is one, else gets the list of what
the assistant can do. The chat never trades: an order request becomes a :class:`ProposedOrder`
that :func:`confirm_proposal` places only after the user confirms it.

A message with Hangul is read as Korean (:mod:`sim.assistant.korean`) and answered in Korean, any
other in English (:func:`sim.assistant.replies.language_of`); every text is in the catalog
:mod:`sim.assistant.replies`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from sim.assistant import llm, tools
from sim.assistant.intents import Intent, classify
from sim.assistant.korean import reading
from sim.assistant.replies import language_of, say
from sim.assistant.text import untracked_assets
from sim.assistant.types import ChatReply, ProposedOrder, ToolResult
from sim.domain.errors import SimError
from sim.domain.values import floor_to

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator
    from sim.views import OrderView

MAX_MESSAGE_CHARS = 2000

CAPABILITIES = tuple(say("en", "capabilities").split("\n"))


#: the universe is named in full up to this many symbols; beyond, the first ones and a count
NAMED_SYMBOLS = 12


def tracked_text(sim: Simulator, lang: str = "en") -> str:
    """``BTCUSDT, ETHUSDT, ...``: the tradable symbols, or the first ones and how many more."""
    symbols = sim.symbols()
    if len(symbols) <= NAMED_SYMBOLS:
        return ", ".join(symbols)
    more = len(symbols) - NAMED_SYMBOLS
    return say(lang, "tracked_more", first=", ".join(symbols[:NAMED_SYMBOLS]), more=more)


def chat_symbols(sim: Simulator, user_id: int, original: str) -> list[str]:
    """The symbols a message may be about: the ones the user follows (``SYMBOLS`` and their
    watchlist), whose names and tickers are all understood, plus any other symbol of the universe
    the message names by ticker (``DOGEUSDT``, ``DOGE``) or well-known name (``dogecoin``). Matching
    the whole universe by name and fuzzily would turn English words into coins (ONE, GAS, SUN)."""
    followed = sim.tracked_symbols(user_id)
    named = untracked_assets(original, reading(original), followed)
    extra = [n if n.endswith("USDT") else f"{n}USDT" for n in named]
    return list(dict.fromkeys([*followed, *(s for s in extra if s in sim.symbols())]))


def help_text(sim: Simulator, lead: str = "", lang: str = "en") -> str:
    lines = [lead or say(lang, "help_lead")]
    lines += [f"- {c}" for c in say(lang, "capabilities").split("\n")]
    lines.append(say(lang, "track", symbols=tracked_text(sim, lang)))
    return "\n".join(lines)


def _why_not(sim: Simulator, names: tuple[str, ...]) -> list[str]:
    """For names the exchange lists (not trading, or no candles here), the refusal that says why."""
    reasons = []
    for name in names:
        symbol = name if name.endswith("USDT") else f"{name}USDT"
        if sim.instruments.listed(symbol):
            try:
                sim.instruments.get_or_raise(symbol)
            except SimError as exc:
                reasons.append(str(exc))
    return reasons


def _unknown_symbol(sim: Simulator, intent: Intent, lang: str) -> ChatReply:
    names = ", ".join(intent.untracked) or say(lang, "that_coin")
    text = say(lang, "not_tracked", names=names, tracked=tracked_text(sim, lang))
    reasons = _why_not(sim, intent.untracked)
    if reasons:
        text = say(lang, "not_tradable", reasons=" ".join(reasons), tracked=tracked_text(sim, lang))
    return ChatReply(
        text, "unknown_symbol", None, {"untracked": list(intent.untracked), "symbols": sim.symbols()}
    )


def _ask_symbol(sim: Simulator, intent: Intent, what: str, lang: str) -> ChatReply:
    text = say(lang, f"ask_symbol_{what}", tracked=tracked_text(sim, lang))
    return ChatReply(text, intent.name, None, {"needs": "symbol", "symbols": sim.symbols()})


def _order(sim: Simulator, user_id: int, intent: Intent, lang: str) -> ChatReply:
    spec = intent.order
    assert spec is not None
    if spec.currency is not None:  # won (KRW): not the quote currency; ask again, propose nothing
        base = sim.instruments[spec.symbol].base_asset if spec.symbol else "BTC"
        data = {"needs": "usdt", "currency": spec.currency, "symbol": spec.symbol, "side": spec.side}
        return ChatReply(say(lang, "not_usdt", base=base), "order", None, data)
    if spec.symbol is None:
        return _ask_symbol(sim, intent, spec.side.lower(), lang)
    if not spec.has_amount:
        tick = sim.price(spec.symbol)
        base = sim.instruments[spec.symbol].base_asset
        hint = ""
        if spec.side == "BUY" and tick is not None:
            cash = sim.portfolio(user_id).cash_free
            step = sim.instruments[spec.symbol].step_size
            qty = tools.fmt_qty(floor_to(cash / tick.price, step))
            hint = say(
                lang, "buy_hint", cash=tools.fmt(cash), qty=qty, base=base, price=tools.fmt_price(tick.price)
            )
        text = say(lang, f"how_much_{spec.side.lower()}", base=base, hint=hint)
        return ChatReply(text, "order", None, {"needs": "amount", "symbol": spec.symbol, "side": spec.side})
    result = tools.propose_order(
        sim,
        user_id,
        spec.symbol,
        spec.side,
        quantity=spec.quantity,
        quote_amount=spec.quote_amount,
        fraction=spec.fraction,
        price=spec.price,
        lang=lang,
    )
    return _reply(result, "order")


def _reply(result: ToolResult, intent: str) -> ChatReply:
    return ChatReply(result.text, intent, result.proposal, dict(result.data))


def _answer(sim: Simulator, user_id: int, intent: Intent, lang: str) -> ChatReply:
    name, symbol = intent.name, intent.symbol
    if name == "unknown_symbol":
        return _unknown_symbol(sim, intent, lang)
    if name == "order":
        return _order(sim, user_id, intent, lang)
    if name == "price":
        return _reply(tools.get_price(sim, symbol, lang=lang), name)
    if name == "portfolio":
        return _reply(tools.get_portfolio(sim, user_id, lang=lang), name)
    if name == "explain_loss":
        return _reply(tools.explain_loss(sim, user_id, symbol, lang=lang), name)
    if name == "indicator":
        return _reply(tools.explain_indicator(sim, intent.indicator or "rsi", symbol, lang=lang), name)
    if name == "track_record":
        return _reply(tools.get_track_record(sim, symbol, intent.horizon, lang=lang), name)
    if name == "forecast":
        if symbol is None:
            return _ask_symbol(sim, intent, "forecast", lang)
        return _reply(tools.get_forecast(sim, symbol, intent.horizon or 1, lang=lang), name)
    if name == "analysis":
        if symbol is None:
            return _ask_symbol(sim, intent, "analysis", lang)
        return _reply(tools.get_analysis(sim, symbol, lang=lang), name)
    if name == "greeting":
        return ChatReply(help_text(sim, say(lang, "greeting_lead"), lang), name)
    if name == "help":
        return ChatReply(help_text(sim, lang=lang), name)
    return ChatReply(help_text(sim, say(lang, "unknown_lead"), lang), "unknown")


def chat(
    sim: Simulator, user_id: int, message: str, history: list[dict[str, Any]] | None = None
) -> ChatReply:
    """Answer ``message`` for ``user_id``; see the module docstring. Never places an order.

    A refusal (unknown symbol, no served model, an order that would be refused) is an answer, not
    an exception. ``history`` (OpenAI-style ``role``/``content`` dicts) is only passed to the
    language model. The reply is in Korean when the message is (it holds Hangul), else in English
    (``reply.lang``).
    """
    text = str(message or "")[:MAX_MESSAGE_CHARS]
    lang = language_of(text)
    sim.me(user_id)  # an unknown user is an error, not an empty answer
    intent = classify(text, chat_symbols(sim, user_id, text), original=text)
    if intent.name == "unknown" and llm.configured(sim):
        try:
            answer = llm.ask(sim, user_id, text, history)
        except llm.LLMError as exc:
            lead = say(lang, "llm_unavailable", error=exc)
            return ChatReply(help_text(sim, lead, lang), "unknown", lang=lang)
        data = {"tool_calls": answer.tool_calls}
        return ChatReply(answer.text or "(no answer)", "llm", answer.proposal, data, lang)
    try:
        reply = _answer(sim, user_id, intent, lang)
    except SimError as exc:
        error = {"error": str(exc), "error_type": type(exc).__name__}
        reply = ChatReply(say(lang, "error", error=exc), intent.name, None, error)
    return dataclasses.replace(reply, lang=lang)


def confirm_proposal(sim: Simulator, user_id: int, proposal: ProposedOrder) -> OrderView:
    """Place a proposal the user confirmed; see :func:`sim.assistant.tools.confirm`."""
    return tools.confirm(sim, user_id, proposal)


__all__ = ["CAPABILITIES", "chat", "confirm_proposal", "help_text"]
