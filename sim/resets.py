"""Resetting a user's account: archive the active one and open a fresh one, in one transaction.

Assumptions:
- The active account row is locked first (``repository.lock_active_account``); a concurrent order
  or reset waiting on that lock looks the active account up again once this one commits, so it
  lands in the new account, never in "no active account".
- The archived account is left balanced and at rest: its resting orders are canceled and what they
  locked goes back to free cash and free quantity, so it shows no locked cash or coins forever.
- "Now" is the simulator's clock (market time), for the cancellations and the archive's label.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection

from sim.adapters.ledger import repository as repo
from sim.domain.orders import OrderStatus
from sim.domain.values import ZERO


def reset_account(
    conn: Connection, user_id: int, starting_cash: Decimal, now: datetime, label: str | None = None
) -> None:
    """Archive ``user_id``'s active account (labelled ``label`` or "run N (until ...)") with its
    resting orders canceled and their locks released, and open a new one with ``starting_cash``."""
    acct = repo.lock_active_account(conn, user_id)
    for order in repo.list_orders(conn, acct.id, repo.RESTING_VALUES):
        repo.update_order(
            conn,
            order.id,
            status=OrderStatus.CANCELED.value,
            locked_cash=ZERO,
            locked_qty=ZERO,
            reason="Account reset.",
            updated_at=now,
        )
    account = repo.load_account(conn, acct)
    account.release_cash(account.cash_locked)
    for position in account.positions.values():
        if position.qty_locked:
            account.release_quantity(position.symbol, position.qty_locked)
    repo.save_account(conn, acct.id, account, now)
    repo.archive_account(conn, user_id, acct.id, now, label)
    repo.open_account(conn, user_id, starting_cash, now)
