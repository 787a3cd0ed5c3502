"""The AI assistant: a chat that answers from the user's own data and the market, and proposes
(never places) orders.

    reply = sim.chat(user_id, "buy 0.01 bitcon")      # ChatReply(text, intent, proposal, data)
    if reply.proposal:                                  # the user pressed Confirm
        sim.confirm_proposal(user_id, reply.proposal)

Modules: :mod:`.text` (digits of any script, decimal commas, symbol names and typos),
:mod:`.vocab` (the words the rules look for), :mod:`.korean` (a Korean message read into those
words: particles, coin names, counters), :mod:`.intents` (rule-based intents and order parsing),
:mod:`.tools` (the functions both the rules and the language model call), :mod:`.replies` (the
reply texts in English and Korean; a message with Hangul is answered in Korean), :mod:`.llm` (an
OpenAI-compatible endpoint with tool calls, used only when configured), :mod:`.engine` (the chat).
Importing the package does no I/O.
"""

from sim.assistant.engine import chat, confirm_proposal, help_text
from sim.assistant.intents import INTENTS, Intent, OrderSpec, classify
from sim.assistant.types import ChatReply, ProposedOrder, ToolResult

__all__ = [
    "INTENTS",
    "ChatReply",
    "Intent",
    "OrderSpec",
    "ProposedOrder",
    "ToolResult",
    "chat",
    "classify",
    "confirm_proposal",
    "help_text",
]
