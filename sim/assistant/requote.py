"""Confirming an order the chat proposed: placed at the quoted price, or re-quoted first
(:meth:`Simulator.requote_proposal`).

The rule (stated to the user under every proposal): a proposal is placed on Confirm only while
its price has not moved by more than :data:`TOLERANCE` (0.1%) from the quote and it is younger
than :data:`MAX_AGE` of market time (the simulator's clock). Otherwise Confirm places nothing and
shows a new quote at the current price, which needs its own Confirm. Assumption: a limit order's
preview price is its limit, so only market orders are re-quoted for price.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sim.assistant.replies import say

TOLERANCE = Decimal("0.001")
MAX_AGE = timedelta(minutes=15)
RULE = say("en", "requote_rule")  # in Korean: say("ko", "requote_rule")


def requote(sim: Any, user_id: int, proposal: Any) -> Any | None:
    """A fresh proposal at the current price when ``proposal`` is stale or the price moved past
    :data:`TOLERANCE`; None when it can be placed as quoted. Raises the preview's SimError when the
    order would now be refused."""
    fresh = sim.preview_order(
        user_id,
        proposal.symbol,
        proposal.side,
        proposal.type,
        quantity=proposal.quantity,
        quote_amount=proposal.quote_amount,
        price=proposal.price,
    )
    old, new = proposal.preview.get("price"), fresh.get("price")
    moved = old is not None and new is not None and abs(new - old) > old * TOLERANCE
    stale = sim.now() - proposal.created_at > MAX_AGE
    if not moved and not stale:
        return None
    return dataclasses.replace(proposal, preview=fresh, created_at=sim.now())
