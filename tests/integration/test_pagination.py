"""Paged orders and fills (issue 14, item 12): ``orders()`` used to stop silently at 500."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim.domain.errors import InvalidInput
from sim.services import Simulator
from tests.integration.conftest import Driver

D = Decimal


def test_orders_lists_more_than_500(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("many", "correct horse")
    placed = [sim.buy(u.id, "XRPUSDT", "20", price="0.4000").id for _ in range(520)]
    listed = sim.orders(u.id)
    assert len(listed) == 520 and [o.id for o in listed] == sorted(placed, reverse=True)
    assert len(sim.orders(u.id, "open")) == 520
    assert [o.id for o in sim.orders(u.id, limit=3)] == sorted(placed, reverse=True)[:3]

    pages, cursor = [], None
    while True:
        page = sim.orders_page(u.id, "open", limit=200, cursor=cursor)
        pages.append([o.id for o in page])
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert [len(p) for p in pages] == [200, 200, 120]
    assert [i for p in pages for i in p] == [o.id for o in listed]


def test_order_pages_neither_repeat_nor_skip_when_orders_arrive_between_calls(
    env: tuple[Simulator, Driver],
) -> None:
    sim, _ = env
    u = sim.register("between", "correct horse")
    first = [sim.buy(u.id, "XRPUSDT", "20", price="0.4000").id for _ in range(5)]
    page = sim.orders_page(u.id, limit=2)
    assert [o.id for o in page] == first[::-1][:2] and page.has_more
    sim.buy(u.id, "XRPUSDT", "20", price="0.4000")  # newer: belongs before page 1, not in page 2
    rest = sim.orders_page(u.id, limit=10, cursor=page.next_cursor)
    assert [o.id for o in rest] == first[::-1][2:] and not rest.has_more and rest.next_cursor is None


def test_trades_page_in_both_directions_with_equal_times(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    u = sim.register("fills", "correct horse")
    for _ in range(7):  # the clock does not move: equal times, ordered by id
        sim.buy(u.id, "ETHUSDT", "0.01")
    everything = sim.trades(u.id)
    assert len(everything) == 7
    for newest_first in (False, True):
        seen, cursor = [], None
        while True:
            page = sim.trades_page(u.id, limit=3, cursor=cursor, newest_first=newest_first)
            seen.extend(page.items)
            if not page.has_more:
                break
            cursor = page.next_cursor
        assert seen == (everything[::-1] if newest_first else everything)


@pytest.mark.parametrize("limit", [0, -1, 1001, True, "5", 2.5, None])
def test_bad_limits_are_refused(env: tuple[Simulator, Driver], limit: object) -> None:
    sim, _ = env
    u = sim.register("limits", "correct horse")
    with pytest.raises(InvalidInput, match="limit must be a whole number"):
        sim.orders_page(u.id, limit=limit)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="limit must be a whole number"):
        sim.trades_page(u.id, limit=limit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cursor", ["", "abc", "o_x", "o_1'; DROP TABLE orders", 5, "f_a_nope_1", "o_" + "9" * 11]
)
def test_bad_cursors_and_statuses_are_refused(env: tuple[Simulator, Driver], cursor: object) -> None:
    sim, _ = env
    u = sim.register("cursors", "correct horse")
    sim.buy(u.id, "ETHUSDT", "0.01")
    with pytest.raises(InvalidInput, match="cursor"):
        sim.orders_page(u.id, cursor=cursor)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cursor"):
        sim.trades_page(u.id, cursor=cursor)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cursor"):  # a cursor of the other direction
        sim.trades_page(u.id, cursor="f_a_2024-01-01T00:00:00+00:00_1", newest_first=True)
    with pytest.raises(InvalidInput, match="status must be one of"):
        sim.orders(u.id, "nonsense")
