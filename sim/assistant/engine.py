"""The chat: a message in, a :class:`ChatReply` out, answered from the user's data and the market.

Rule-based first (:mod:`sim.assistant.intents`), each intent answered by the functions of
:mod:`sim.assistant.tools`; a message no rule understands goes to the configured
OpenAI-compatible model (:mod:`sim.assistant.llm`) when there is one, else gets the list of what
the assistant can do. The chat never trades: an order request becomes a :class:`ProposedOrder`
that :func:`confirm_proposal` places only after the user confirms it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.assistant import llm, tools
from sim.assistant.intents import Intent, classify
from sim.assistant.text import normalize, untracked_assets
from sim.assistant.types import ChatReply, ProposedOrder, ToolResult
from sim.domain.errors import SimError
from sim.domain.values import floor_to

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator
    from sim.views import OrderView

MAX_MESSAGE_CHARS = 2000

CAPABILITIES = (
    "prices: “price of bitcoin”, “ETH?”",
    "forecasts with their track record: “forecast BTC 4h”, “will SOL go up?”, "
    "“how accurate are the forecasts?”",
    "market analysis: “analysis of ETH” (trend, momentum, volatility, support/resistance)",
    "your account: “how is my portfolio doing?”",
    "your trades: “why did I lose money on ETH?” (fees, entry vs exit, realized PnL, slippage)",
    "indicators: “what is RSI?”, “explain MACD”, “Bollinger bands”, “volatility of BTC”",
    "orders, which you confirm before anything is traded: “buy 0.01 BTC”, “sell half my SOL”, "
    "“buy 100 USDT of ETH”, “sell 1 ETH at 2500”",
)


#: the universe is named in full up to this many symbols; beyond, the first ones and a count
NAMED_SYMBOLS = 12


def tracked_text(sim: Simulator) -> str:
    """``BTCUSDT, ETHUSDT, ...``: the tradable symbols, or the first ones and how many more."""
    symbols = sim.symbols()
    if len(symbols) <= NAMED_SYMBOLS:
        return ", ".join(symbols)
    more = len(symbols) - NAMED_SYMBOLS
    return f"{', '.join(symbols[:NAMED_SYMBOLS])} and {more} more (any of them by its ticker, e.g. DOGEUSDT)"


def chat_symbols(sim: Simulator, user_id: int, original: str) -> list[str]:
    """The symbols a message may be about: the ones the user follows (``SYMBOLS`` and their
    watchlist), whose names and tickers are all understood, plus any other symbol of the universe
    the message names by ticker (``DOGEUSDT``, ``DOGE``) or well-known name (``dogecoin``). Matching
    the whole universe by name and fuzzily would turn English words into coins (ONE, GAS, SUN)."""
    followed = sim.tracked_symbols(user_id)
    named = untracked_assets(original, normalize(original), followed)
    extra = [n if n.endswith("USDT") else f"{n}USDT" for n in named]
    return list(dict.fromkeys([*followed, *(s for s in extra if s in sim.symbols())]))


def help_text(sim: Simulator, lead: str = "") -> str:
    lines = [lead or "Here is what I can do:"]
    lines += [f"- {c}" for c in CAPABILITIES]
    lines.append(f"I track {tracked_text(sim)}.")
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


def _unknown_symbol(sim: Simulator, intent: Intent) -> ChatReply:
    names = ", ".join(intent.untracked) or "that coin"
    text = (
        f"I don't track {names}. I track {tracked_text(sim)} — ask about one of those "
        "(ticker or name, e.g. BTC, bitcoin, BTCUSDT)."
    )
    reasons = _why_not(sim, intent.untracked)
    if reasons:
        text = " ".join(reasons) + f" I can answer about {tracked_text(sim)}."
    return ChatReply(
        text, "unknown_symbol", None, {"untracked": list(intent.untracked), "symbols": sim.symbols()}
    )


def _ask_symbol(sim: Simulator, intent: Intent, what: str) -> ChatReply:
    text = f"Which symbol {what}? I track {tracked_text(sim)}."
    return ChatReply(text, intent.name, None, {"needs": "symbol", "symbols": sim.symbols()})


def _order(sim: Simulator, user_id: int, intent: Intent) -> ChatReply:
    spec = intent.order
    assert spec is not None
    if spec.symbol is None:
        return _ask_symbol(sim, intent, f"do you want to {spec.side.lower()}")
    if not spec.has_amount:
        tick = sim.price(spec.symbol)
        base = sim.instruments[spec.symbol].base_asset
        hint = ""
        if spec.side == "BUY" and tick is not None:
            cash = sim.portfolio(user_id).cash_free
            step = sim.instruments[spec.symbol].step_size
            hint = (
                f" With {tools.fmt(cash)} free USDT you could buy about "
                f"{tools.fmt_qty(floor_to(cash / tick.price, step))} {base} at "
                f"{tools.fmt_price(tick.price)} (before fees)."
            )
        text = f"How much {base} do you want to {spec.side.lower()}?{hint} Say e.g. " + (
            f"“buy 0.01 {base}”, “buy 100 USDT of {base}” or “buy {base} with half my cash”."
            if spec.side == "BUY"
            else f"“sell 0.01 {base}” or “sell half my {base}”."
        )
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
    )
    return _reply(result, "order")


def _reply(result: ToolResult, intent: str) -> ChatReply:
    return ChatReply(result.text, intent, result.proposal, dict(result.data))


def _answer(sim: Simulator, user_id: int, intent: Intent) -> ChatReply:
    name, symbol = intent.name, intent.symbol
    if name == "unknown_symbol":
        return _unknown_symbol(sim, intent)
    if name == "order":
        return _order(sim, user_id, intent)
    if name == "price":
        return _reply(tools.get_price(sim, symbol), name)
    if name == "portfolio":
        return _reply(tools.get_portfolio(sim, user_id), name)
    if name == "explain_loss":
        return _reply(tools.explain_loss(sim, user_id, symbol), name)
    if name == "indicator":
        return _reply(tools.explain_indicator(sim, intent.indicator or "rsi", symbol), name)
    if name == "track_record":
        return _reply(tools.get_track_record(sim, symbol, intent.horizon), name)
    if name == "forecast":
        if symbol is None:
            return _ask_symbol(sim, intent, "should I forecast")
        return _reply(tools.get_forecast(sim, symbol, intent.horizon or 1), name)
    if name == "analysis":
        if symbol is None:
            return _ask_symbol(sim, intent, "should I analyse")
        return _reply(tools.get_analysis(sim, symbol), name)
    if name == "greeting":
        return ChatReply(help_text(sim, "Hello! I answer from your account and the market."), name)
    if name == "help":
        return ChatReply(help_text(sim), name)
    return ChatReply(help_text(sim, "I did not understand that. Here is what I can do:"), "unknown")


def chat(
    sim: Simulator, user_id: int, message: str, history: list[dict[str, Any]] | None = None
) -> ChatReply:
    """Answer ``message`` for ``user_id``; see the module docstring. Never places an order.

    A refusal (unknown symbol, no served model, an order that would be refused) is an answer, not
    an exception. ``history`` (OpenAI-style ``role``/``content`` dicts) is only passed to the
    language model.
    """
    text = str(message or "")[:MAX_MESSAGE_CHARS]
    sim.me(user_id)  # an unknown user is an error, not an empty answer
    intent = classify(text, chat_symbols(sim, user_id, text), original=text)
    if intent.name == "unknown" and llm.configured(sim):
        try:
            answer = llm.ask(sim, user_id, text, history)
        except llm.LLMError as exc:
            return ChatReply(help_text(sim, f"The language model is not available ({exc})."), "unknown")
        return ChatReply(
            answer.text or "(no answer)", "llm", answer.proposal, {"tool_calls": answer.tool_calls}
        )
    try:
        return _answer(sim, user_id, intent)
    except SimError as exc:
        return ChatReply(str(exc), intent.name, None, {"error": str(exc), "error_type": type(exc).__name__})


def confirm_proposal(sim: Simulator, user_id: int, proposal: ProposedOrder) -> OrderView:
    """Place a proposal the user confirmed; see :func:`sim.assistant.tools.confirm`."""
    return tools.confirm(sim, user_id, proposal)


__all__ = ["CAPABILITIES", "chat", "confirm_proposal", "help_text"]
