"""The chat: a table of messages and the intent each must reach, and the rule that the chat never
trades: an order request leaves the ledger untouched until the user confirms the proposal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim.assistant import INTENTS, ChatReply, ProposedOrder
from sim.domain.errors import NotFound
from tests.integration.conftest import snapshot

TRACKED = "BTCUSDT, ETHUSDT, SOLUSDT, BNBUSDT, XRPUSDT"  # SYMBOLS in their order (sim.symbols)

# (message, intent, what the reply must hold: proposal fields, "refused", or text fragments)
TABLE: list[tuple[str, str, dict]] = [
    # greetings and help
    ("hi", "greeting", {"text": "buy 0.01 BTC"}),
    ("Hello there!", "greeting", {}),
    ("bonjour", "greeting", {}),
    ("what can you do?", "help", {"text": "buy 0.01 BTC"}),
    ("", "help", {}),
    # prices, by name, ticker, typo
    ("price of bitcoin", "price", {"text": "BTCUSDT: 27,000.00 USDT"}),
    ("how much is ETHUSDT", "price", {"text": "ETHUSDT: 1,870.00"}),
    ("bitcon?", "price", {"text": "BTCUSDT"}),
    ("prices", "price", {"text": "XRPUSDT: 0.510000"}),
    # unknown symbols
    ("price of dogecoin", "unknown_symbol", {"text": f"I track {TRACKED}"}),
    ("buy 5 DOGE", "unknown_symbol", {"text": "I don't track DOGE"}),
    ("sell 1 FOOUSDT", "unknown_symbol", {"text": "FOOUSDT"}),
    # forecasts, track record, analysis
    ("forecast btc 4h", "forecast", {"text": "BTCUSDT, next 4 hour(s)"}),
    ("will etherium go up?", "forecast", {"text": "out-of-sample accuracy"}),
    ("forcast for sol 4h", "forecast", {"text": "pooled model, trained on BTCUSDT"}),
    ("how accurate are your forecasts?", "track_record", {"text": "Live track record"}),
    ("analysis of xrp", "analysis", {"text": "trend **"}),
    ("trend of BNB", "analysis", {}),
    # the user's account and trades
    ("how is my portfolio doing", "portfolio", {"text": "Equity"}),
    ("how am I doing?", "portfolio", {}),
    ("why did I lose money on ETH", "explain_loss", {"text": "fees paid"}),
    ("why am i loosing on solana", "explain_loss", {"text": "SOLUSDT"}),
    # indicators
    ("what is RSI", "indicator", {"text": "Wilder RSI(14)"}),
    ("what does MACD mean?", "indicator", {"text": "EMA12"}),
    ("explain bollinger bands", "indicator", {"text": "bb_pos"}),
    ("what is the volatility of btc", "indicator", {"text": "rv_24_annualized"}),
    ("is BTC overbought?", "indicator", {"text": "RSI zone now"}),
    ("what is a brier score", "indicator", {"text": "0 best, 2 worst"}),
    # order requests: typos, other languages' digits, decimal commas, fractions, quote amounts
    ("buy 0.01 BTC", "order", {"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.01"}),
    ("by 0.01 bitcon", "order", {"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.01"}),
    ("please bye 0,02 btc", "order", {"symbol": "BTCUSDT", "quantity": "0.02"}),
    ("buy ٠٫٥ ETH", "order", {"symbol": "ETHUSDT", "quantity": "0.5"}),
    ("buy ０.５ eth", "order", {"symbol": "ETHUSDT", "quantity": "0.5"}),
    ("खरीदें ०.५ sol", "order", {"symbol": "SOLUSDT", "quantity": "0.5"}),
    ("kaufe 1,5 SOL", "order", {"symbol": "SOLUSDT", "quantity": "1.5"}),
    ("sell half my SOL", "order", {"symbol": "SOLUSDT", "side": "SELL", "quantity": "5"}),
    ("sel 25% of my solana", "order", {"symbol": "SOLUSDT", "side": "SELL", "quantity": "2.5"}),
    ("sell all my eth", "order", {"symbol": "ETHUSDT", "side": "SELL", "quantity": "0.5"}),
    ("buy 100 USDT of ETH", "order", {"symbol": "ETHUSDT", "quote_amount": "100"}),
    ("buy $50 of solana", "order", {"symbol": "SOLUSDT", "quote_amount": "50"}),
    ("sell 0.1 eth at 2000", "order", {"symbol": "ETHUSDT", "type": "LIMIT", "price": "2000"}),
    ("sell 0.1 eth @ 1800", "order", {"type": "LIMIT", "price": "1800"}),
    ("buy bitcoin", "order", {"text": "How much BTC"}),
    # amounts beyond the balance or the holdings: refused, explained, nothing traded
    ("buy 5 BTC", "order", {"refused": "Not enough free USDT"}),
    ("buy 200000 usdt of eth", "order", {"refused": "Not enough free USDT"}),
    ("sell 3 eth", "order", {"refused": "Not enough free ETH"}),
    ("sell half my xrp", "order", {"refused": "You hold no free XRP"}),
    ("buy 0.000001 btc", "order", {"refused": "too many decimals"}),
    # nothing understood
    ("what's the weather in Paris", "unknown", {"text": "I did not understand"}),
]


def check(reply: ChatReply, intent: str, expect: dict) -> None:
    assert reply.intent == intent, reply.text
    assert reply.intent in INTENTS
    for fragment in [expect["text"]] if "text" in expect else []:
        assert fragment in reply.text, reply.text
    if "refused" in expect:
        assert reply.proposal is None
        assert expect["refused"] in reply.data["refused"] and "would be refused" in reply.text
        assert "Nothing was traded" in reply.text
    fields = {k: v for k, v in expect.items() if k not in ("text", "refused")}
    if fields:
        assert isinstance(reply.proposal, ProposedOrder), reply.text
        for name, value in fields.items():
            got = getattr(reply.proposal, name)
            assert (Decimal(value) == got) if isinstance(got, Decimal) else got == value, (name, got)
        assert "Press Confirm" in reply.text
    elif "refused" not in expect:
        assert reply.proposal is None


def test_the_table_has_at_least_thirty_messages_covering_every_intent():
    assert len(TABLE) >= 30
    assert {intent for _, intent, _ in TABLE} == set(INTENTS) - {"llm"}


def test_each_message_reaches_its_intent_and_no_message_changes_the_ledger(sim_env):
    sim, _, user = sim_env
    before = snapshot(sim)
    failures = []
    for message, intent, expect in TABLE:
        reply = sim.chat(user.id, message)
        try:
            check(reply, intent, expect)
        except AssertionError as exc:
            failures.append(f"{message!r}: {exc}")
    assert not failures, "\n".join(failures)
    assert snapshot(sim) == before  # the chat never trades


def test_confirmation_places_exactly_the_proposed_order_once(sim_env):
    sim, _, user = sim_env
    reply = sim.chat(user.id, "buy 0.01 BTC")
    proposal = reply.proposal
    before = snapshot(sim)
    cash_before = sim.portfolio(user.id).cash_free
    order = sim.confirm_proposal(user.id, proposal)
    after = snapshot(sim)
    assert len(after["orders"]) == len(before["orders"]) + 1
    assert len(after["transactions"]) == len(before["transactions"]) + 1
    assert (order.symbol, order.side, order.type, order.status) == ("BTCUSDT", "BUY", "MARKET", "FILLED")
    assert order.filled_qty == proposal.quantity == proposal.preview["quantity"] == Decimal("0.01")
    assert order.avg_fill_price == proposal.preview["price"]
    assert order.fee_total == proposal.preview["fee"]
    assert order.client_order_id == proposal.id
    assert cash_before - sim.portfolio(user.id).cash_free == proposal.preview["total"]
    assert sim.portfolio(user.id).cash_free == proposal.preview["cash_free_after"]
    # a second press of Confirm places nothing more
    again = sim.confirm_proposal(user.id, proposal)
    assert again.id == order.id and snapshot(sim) == after


def test_a_quote_amount_and_a_fraction_proposal_are_placed_as_proposed(sim_env):
    sim, _, user = sim_env
    quote = sim.chat(user.id, "buy 100 USDT of ETH").proposal
    order = sim.confirm_proposal(user.id, quote)
    assert order.quote_amount == Decimal(100) and order.filled_qty == quote.preview["quantity"]
    half = sim.chat(user.id, "sell half my SOL").proposal
    order = sim.confirm_proposal(user.id, half)
    assert (order.side, order.filled_qty) == ("SELL", Decimal(5))
    limit = sim.chat(user.id, "sell 0.1 eth at 2000").proposal
    order = sim.confirm_proposal(user.id, limit)
    assert (order.type, order.status, order.price, order.quantity) == (
        "LIMIT",
        "OPEN",
        Decimal(2000),
        Decimal("0.1"),
    )


def test_another_user_cannot_confirm_a_proposal(sim_env):
    sim, _, user = sim_env
    bob = sim.register("bob", "correct horse battery")
    proposal = sim.chat(user.id, "buy 0.01 BTC").proposal
    before = snapshot(sim)
    with pytest.raises(NotFound):
        sim.confirm_proposal(bob.id, proposal)
    assert snapshot(sim) == before


def test_a_proposal_that_no_longer_fits_is_refused_at_confirmation(sim_env):
    sim, _, user = sim_env
    proposal = sim.chat(user.id, "sell all my eth").proposal
    sim.sell(user.id, "ETHUSDT", "0.5")  # sold meanwhile on the trading page
    before = snapshot(sim)
    with pytest.raises(Exception, match="Not enough free ETH"):
        sim.confirm_proposal(user.id, proposal)
    assert snapshot(sim) == before


def test_unknown_user_is_an_error(sim_env):
    sim, _, _ = sim_env
    with pytest.raises(NotFound):
        sim.chat(999, "hi")
