"""The notebook API's error contract (issue 14, items 7 to 9), on SQLite and real PostgreSQL.

Every bad number, id or reused client_order_id raises a SimError subclass (never
decimal.InvalidOperation, ValueError or TypeError) and changes nothing; ``retryable`` is False for
all of them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim.domain.errors import ClientOrderIdConflict, InvalidInput, NotFound, SimError
from sim.services import Simulator
from tests.integration.conftest import Driver, snapshot

D = Decimal


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"quantity": "１２"}, "digits 0-9"),  # fullwidth digits: filled 12 ETH before
        ({"quote_amount": "١٢٣"}, "digits 0-9"),  # Arabic-Indic digits: filled before
        ({"quantity": "1", "price": "１２"}, "digits 0-9"),  # rested before
        ({"quantity": " 1 "}, "spaces"),
        ({"quantity": "1" * 25}, "too large"),  # decimal.InvalidOperation before
        ({"quantity": "1" * 60}, "too large"),
        ({"quantity": 1e308}, "too large"),
        ({"quantity": D("1E+30")}, "too large"),
        ({"quantity": 10**30}, "too large"),
        ({"quantity": "1e308"}, "exponent"),
        ({"quantity": "1", "price": "9" * 30}, "too large"),
        ({"quote_amount": "0." + "1" * 45}, "too long"),
        ({"quote_amount": "0." + "1" * 30}, "too many decimals"),
    ],
)
def test_bad_numbers_are_refused_with_a_sim_error(
    env: tuple[Simulator, Driver], kwargs: dict[str, object], fragment: str
) -> None:
    sim, _ = env
    u = sim.register("numbers", "correct horse")
    before = snapshot(sim)
    with pytest.raises(InvalidInput, match=fragment) as caught:
        sim.buy(u.id, "ETHUSDT", **kwargs)  # type: ignore[arg-type]
    assert not caught.value.retryable
    assert snapshot(sim) == before


def test_plain_numbers_still_work(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("plain", "correct horse")
    assert sim.buy(u.id, "ETHUSDT", "0.0100").filled_qty == D("0.01")
    assert sim.buy(u.id, "ETHUSDT", D("0.02")).filled_qty == D("0.02")
    assert sim.buy(u.id, "ETHUSDT", 0.03).filled_qty == D("0.03")
    assert sim.buy(u.id, "ETHUSDT", 1).filled_qty == D("1")
    assert sim.buy(u.id, "ETHUSDT", quote_amount="100").status == "FILLED"


@pytest.mark.parametrize("bad", [True, False, 2.7, 1.0, "abc", "1", None, 0, -1, 2**31, D(1), [1]])
def test_ids_must_be_positive_whole_numbers(env: tuple[Simulator, Driver], bad: object) -> None:
    """``cancel(uid, True)`` and ``cancel(uid, 2.7)`` used to cancel orders 1 and 2."""
    sim, _ = env
    u = sim.register("ids", "correct horse")
    one = sim.buy(u.id, "BTCUSDT", "0.01", price="30000")
    two = sim.buy(u.id, "BTCUSDT", "0.01", price="30000")
    assert (one.id, two.id) == (1, 2)
    before = snapshot(sim)
    with pytest.raises(InvalidInput, match="order id must be a whole number"):
        sim.cancel(u.id, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="order id must be a whole number"):
        sim.order(u.id, order_id=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="user id must be a whole number"):
        sim.cancel(bad, one.id)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="user id must be a whole number"):
        sim.buy(bad, "BTCUSDT", "0.01")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="user id must be a whole number"):
        sim.portfolio(user_id=bad)  # type: ignore[arg-type]
    assert snapshot(sim) == before
    assert [o.status for o in sim.orders(u.id)] == ["OPEN", "OPEN"]


def test_numpy_integers_are_ids_and_unknown_ids_are_not_found(env: tuple[Simulator, Driver]) -> None:
    import numpy as np

    sim, _ = env
    u = sim.register("numpyid", "correct horse")
    o = sim.buy(u.id, "BTCUSDT", "0.01", price="30000")
    assert sim.cancel(np.int64(u.id), np.int64(o.id)).status == "CANCELED"  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        sim.cancel(u.id, 2**31 - 1)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ({"side": "BUY", "quantity": "0.01"}, {"side": "SELL", "quantity": "0.01"}),
        ({"side": "BUY", "quantity": "0.01"}, {"side": "BUY", "quantity": "0.02"}),
        ({"side": "BUY", "quantity": "0.01"}, {"side": "BUY", "quantity": "0.01", "symbol": "ETHUSDT"}),
        ({"side": "BUY", "quantity": "0.01", "price": "30000"}, {"side": "BUY", "quantity": "0.01"}),
        (
            {"side": "BUY", "quantity": "0.01", "price": "30000"},
            {"side": "BUY", "quantity": "0.01", "price": "31000"},
        ),
        ({"side": "BUY", "quote_amount": "100"}, {"side": "BUY", "quote_amount": "101"}),
    ],
)
def test_client_order_id_reused_with_other_parameters_is_refused(
    env: tuple[Simulator, Driver], first: dict[str, str], again: dict[str, str]
) -> None:
    """A sell with client_order_id "c1" used to return the earlier BUY."""
    sim, _ = env
    u = sim.register("cid", "correct horse")
    sim.buy(u.id, "ETHUSDT", "1")  # something to sell

    def place(spec: dict[str, str]) -> object:
        spec = dict(spec)
        side, symbol = spec.pop("side"), spec.pop("symbol", "BTCUSDT")
        kind = "LIMIT" if "price" in spec else "MARKET"
        return sim.place_order(u.id, symbol, side, kind, client_order_id="c1", **spec)

    place(first)
    before = snapshot(sim)
    with pytest.raises(ClientOrderIdConflict, match="'c1' is already used by order") as caught:
        place(again)
    assert isinstance(caught.value, SimError) and not caught.value.retryable
    assert snapshot(sim) == before


def test_client_order_id_retried_with_the_same_parameters_returns_the_earlier_order(
    env: tuple[Simulator, Driver],
) -> None:
    sim, _ = env
    u = sim.register("cidsame", "correct horse")
    a = sim.buy(u.id, "BTCUSDT", "0.010", price="30000", client_order_id="again")
    b = sim.place_order(
        u.id, "btcusdt", "buy", "limit", quantity="0.01", price=30000, client_order_id="again"
    )
    assert a.id == b.id and len(sim.orders(u.id)) == 1
    oco = sim.place_oco(
        u.id, "BTCUSDT", "BUY", "0.01", take_profit="35000", stop_loss="45000", client_order_id="o1"
    )
    assert [
        o.id
        for o in sim.place_oco(
            u.id, "BTCUSDT", "BUY", "0.01", take_profit="35000", stop_loss="45000", client_order_id="o1"
        )
    ] == [o.id for o in oco]
    with pytest.raises(ClientOrderIdConflict, match="stop price"):
        sim.place_oco(
            u.id, "BTCUSDT", "BUY", "0.01", take_profit="35000", stop_loss="46000", client_order_id="o1"
        )
