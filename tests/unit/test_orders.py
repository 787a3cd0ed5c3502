"""Order requests and the state transition table."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sim.domain.errors import IllegalTransition, InvalidInput
from sim.domain.instruments import Instruments
from sim.domain.orders import OrderStatus, OrderType, make_oco, make_request, transition

ROOT = Path(__file__).resolve().parents[2]
S = OrderStatus


@pytest.fixture(scope="module")
def btc():  # type: ignore[no-untyped-def]
    info = json.loads((ROOT / "data/exchange_info.json").read_text())
    return Instruments.from_exchange_info(info)["BTCUSDT"]


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        (S.NEW, S.OPEN),
        (S.OPEN, S.PARTIALLY_FILLED),
        (S.PARTIALLY_FILLED, S.FILLED),
        (S.OPEN, S.CANCELED),
        (S.NEW, S.REJECTED),
        (S.OPEN, S.EXPIRED),
    ],
)
def test_legal_transitions(src: OrderStatus, dst: OrderStatus) -> None:
    assert transition(src, dst) is dst


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        (S.FILLED, S.CANCELED),
        (S.CANCELED, S.FILLED),
        (S.NEW, S.CANCELED),
        (S.REJECTED, S.OPEN),
        (S.EXPIRED, S.FILLED),
        (S.OPEN, S.NEW),
    ],
)
def test_illegal_transitions(src: OrderStatus, dst: OrderStatus) -> None:
    with pytest.raises(IllegalTransition):
        transition(src, dst)


def test_request_validation(btc) -> None:  # type: ignore[no-untyped-def]
    r = make_request(btc, "buy", "limit", quantity="0.01", price="30000")
    assert (r.type, r.quantity, r.price) == (OrderType.LIMIT, Decimal("0.01"), Decimal("30000"))
    with pytest.raises(InvalidInput, match="needs a limit price"):
        make_request(btc, "BUY", "LIMIT", quantity="0.01")
    with pytest.raises(InvalidInput, match="only accepted for market buys"):
        make_request(btc, "SELL", "MARKET", quote_amount="100")
    with pytest.raises(InvalidInput, match="side must be one of BUY, SELL"):
        make_request(btc, "HOLD", quantity="1")
    with pytest.raises(InvalidInput, match="order type must be one of"):
        make_request(btc, "BUY", "ICEBERG", quantity="1")
    with pytest.raises(InvalidInput, match="either a quantity or a quote amount"):
        make_request(btc, "BUY", quantity="1", quote_amount="10")
    with pytest.raises(InvalidInput, match="client_order_id"):
        make_request(btc, "BUY", quantity="1", client_order_id="<script>")


def test_oco_price_order(btc) -> None:  # type: ignore[no-untyped-def]
    tp, sl = make_oco(btc, "SELL", quantity="0.01", take_profit="50000", stop_loss="30000")
    assert (tp.type, sl.type) == (OrderType.TAKE_PROFIT, OrderType.STOP_LOSS)
    with pytest.raises(InvalidInput, match="take-profit price must be above"):
        make_oco(btc, "SELL", quantity="0.01", take_profit="30000", stop_loss="50000")
