"""The assistant sizes orders with the domain's rules (issue 13, point 4: each money rule once).

Before: a price or amount the number parser refuses ("abc", "1e3") escaped ``propose_order`` as a
``decimal.InvalidOperation`` (or was read in exponent notation), and a limit buy by quote amount
was sized by its own formula. Now numbers go through ``to_decimal`` and the quantity through
``sim.domain.fills.affordable_quantity``, the rule market orders by quote amount use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sim.assistant import tools
from sim.domain.values import fee_amount


@pytest.mark.parametrize("field", ["price", "quantity", "quote_amount"])
@pytest.mark.parametrize("text", ["abc", "1e3"])
def test_a_number_the_parser_refuses_is_a_refusal_not_a_crash(sim_env: Any, field: str, text: str) -> None:
    sim, _, user = sim_env
    args: dict[str, Any] = {"quantity": "0.001"}
    args[field] = text
    result = tools.propose_order(sim, user.id, "BTCUSDT", "BUY", **args)
    assert result.proposal is None
    assert "would be refused" in result.text and "Nothing was traded" in result.text
    assert "must be" in result.data["refused"]


def test_a_limit_buy_by_quote_amount_never_costs_more_than_the_amount(sim_env: Any) -> None:
    sim, _, user = sim_env
    quote, limit = Decimal("100.00"), Decimal("26999.99")
    result = tools.propose_order(sim, user.id, "BTCUSDT", "BUY", quote_amount=str(quote), price=str(limit))
    assert result.proposal is not None
    qty = result.proposal.quantity
    step = sim.instruments["BTCUSDT"].step_size
    maker = sim.preferences(user.id)["maker_fee"]
    assert qty * limit + fee_amount(qty * limit, maker) <= quote
    bigger = qty + step
    assert bigger * limit + fee_amount(bigger * limit, maker) > quote
