"""The assistant's values: a chat reply, a proposed order, the result of one tool."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProposedOrder:
    """An order the assistant suggests; nothing is placed until the user confirms it.

    ``id`` is used as the order's ``client_order_id``, so confirming the same proposal twice places
    it once. ``preview`` is :meth:`Simulator.preview_order`'s dict at proposal time (same
    validation, fill and fee functions as placing). Exactly one of ``quantity`` (base asset) and
    ``quote_amount`` (USDT, market buys only, fee included) is set; ``price`` is the limit price of a
    ``LIMIT`` order.
    """

    id: str
    user_id: int
    symbol: str
    side: str
    type: str
    quantity: Decimal | None
    quote_amount: Decimal | None
    price: Decimal | None
    preview: dict[str, Any]
    created_at: datetime
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "side": self.side,
            "type": self.type,
            "quantity": self.quantity,
            "quote_amount": self.quote_amount,
            "price": self.price,
            "preview": dict(self.preview),
            "note": self.note,
        }


@dataclass(frozen=True)
class ToolResult:
    """What one assistant function found: text for people, data for programs, maybe a proposal."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)
    proposal: ProposedOrder | None = None


@dataclass(frozen=True)
class ChatReply:
    """The assistant's answer. ``intent`` names the rule that answered (or ``llm``); ``proposal``
    is an order to confirm with :meth:`Simulator.confirm_proposal`, never one already placed.
    ``lang`` is the language of the text (``en`` or ``ko``: the message's, see
    :func:`sim.assistant.replies.language_of`), for what the page adds to the conversation."""

    text: str
    intent: str
    proposal: ProposedOrder | None = None
    data: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"


__all__ = ["ChatReply", "ProposedOrder", "ToolResult"]


def readable(value: float | Decimal) -> str:
    """A number as people read it: ``38,379,620`` (never ``3.83796e+07`` or ``9E+6``), ``0.0123``,
    ``1,234.57``; six significant digits below one million, whole numbers above."""
    v = float(value)
    if abs(v) >= 1e6:
        return f"{v:,.0f}"
    if v == 0 or abs(v) >= 1e-4:
        return f"{v:,.6g}" if abs(v) < 1000 else f"{v:,.2f}"
    return f"{v:.2e}"
