"""Retries by ``client_order_id``: the same id with the same parameters returns the earlier order;
with other parameters it is refused (:class:`~sim.domain.errors.ClientOrderIdConflict`).

Called under the account lock by :mod:`sim.trading`, so a retry and the first attempt never race.
Assumption: an OCO's stop-loss leg carries ``"<id>:sl"`` (see :func:`sim.domain.orders.make_oco`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sim.adapters.ledger import repository as repo
from sim.domain.orders import OrderRequest, check_same_request


def retried_oco(
    conn: Connection, account_id: int, legs: tuple[OrderRequest, OrderRequest], earlier: Any
) -> list[int]:
    """The ids of the OCO placed earlier with this ``client_order_id`` (its take-profit leg is
    ``earlier``) when ``legs`` repeat it; ClientOrderIdConflict otherwise."""
    ids = [check_same_request(legs[0], earlier)]
    stop_leg = repo.order_by_client_id(conn, account_id, legs[1].client_order_id or "")
    check_same_request(legs[1], stop_leg if stop_leg is not None else earlier)
    return ids + [int(r.id) for r in repo.siblings(conn, earlier.list_id or "", earlier.id)]
