"""The ``webhooks`` and ``webhook_deliveries`` tables: the adapter of the service layer's
:class:`~sim.service_layer.ports.WebhookStore` port.

Each method opens its own connection (a read) or transaction (a write) on the ledger's engine.
Queuing reads the ledger's fills (``transactions``), which are the durable record of every fill
event the trading core publishes, whichever process made them (app, matcher, notebook): a fill is
queued once per webhook (the unique ``(webhook_id, event_key)`` and the webhook's ``last_fill_id``
cursor, advanced in the same transaction), so nothing is lost while the sender or the receiver is
down, and nothing is queued twice when two senders run.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from sim.adapters.ledger.tables import (
    accounts,
    competition_entries,
    competition_seasons,
    orders,
    transactions,
    users,
    webhook_deliveries,
    webhooks,
)
from sim.domain.webhooks import WebhookFormat, body, event_key, event_name


def _fill(f: Any) -> dict[str, Any]:
    """A fill row (with its order's type) as :func:`sim.domain.webhooks.body` takes it."""
    return {
        "id": f.id,
        "order_id": f.order_id,
        "order_type": f.order_type,
        "account_id": f.account_id,
        "symbol": f.symbol,
        "side": f.type,
        "quantity": f.quantity,
        "price": f.price,
        "fee": f.fee,
        "time": f.created_at,
    }


class SqlWebhookStore:
    """Webhooks and their delivery log on the ledger database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set_webhook(self, user_id: int, url: str, fmt: str, now: datetime) -> None:
        """Create or replace the user's webhook; only fills after this moment are sent."""
        with self.engine.begin() as conn:
            last = conn.execute(select(func.coalesce(func.max(transactions.c.id), 0))).scalar_one()
            current = conn.execute(select(webhooks.c.id).where(webhooks.c.user_id == user_id)).first()
            if current is None:
                conn.execute(
                    insert(webhooks).values(
                        user_id=user_id, url=url, format=fmt, last_fill_id=last, created_at=now
                    )
                )
            else:
                conn.execute(
                    update(webhooks)
                    .where(webhooks.c.id == current.id)
                    .values(url=url, format=fmt, last_fill_id=last, created_at=now)
                )

    def remove_webhook(self, user_id: int) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(webhooks).where(webhooks.c.user_id == user_id)).rowcount)

    def webhook(self, user_id: int) -> Any | None:
        with self.engine.connect() as conn:
            return conn.execute(select(webhooks).where(webhooks.c.user_id == user_id)).first()

    def deliveries(self, user_id: int, limit: int) -> list[Any]:
        """The user's notifications, newest first."""
        d = webhook_deliveries
        query = (
            select(d)
            .join(webhooks, webhooks.c.id == d.c.webhook_id)
            .where(webhooks.c.user_id == user_id)
            .order_by(d.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())

    def queue_new_fills(self, now: datetime, limit: int = 500) -> int:
        """Queue a notification for each fill after every webhook's cursor; returns how many."""
        queued = 0
        with self.engine.connect() as conn:
            owner = users.c.language  # the Slack/Discord line in the webhook owner's language
            hooks = conn.execute(select(webhooks, owner).join(users, users.c.id == webhooks.c.user_id)).all()
        for hook in hooks:
            # IntegrityError: another sender queued the same fills meanwhile; its rows stand
            with contextlib.suppress(IntegrityError):
                queued += self._queue_for(hook, now, limit)
        return queued

    def _queue_for(self, hook: Any, now: datetime, limit: int) -> int:
        """Queue the fills after the hook's cursor of its user's accounts and of their competition
        entries (traders whose ``users.owner_id`` is the user: a member hears of their entry's
        fills on their own webhook; the body's ``account_id`` tells the accounts apart)."""
        t = transactions
        query = (
            select(t, orders.c.type.label("order_type"))
            .join(accounts, accounts.c.id == t.c.account_id)
            .join(users, users.c.id == accounts.c.user_id)
            .join(orders, orders.c.id == t.c.order_id)
            .where(
                or_(accounts.c.user_id == hook.user_id, users.c.owner_id == hook.user_id),
                t.c.id > hook.last_fill_id,
            )
            .order_by(t.c.id)
            .limit(limit)
        )
        fmt = WebhookFormat(hook.format)
        with self.engine.begin() as conn:
            # the cursor is re-read under a row lock (PostgreSQL) so two senders queue each fill once
            cursor = conn.execute(
                select(webhooks.c.last_fill_id).where(webhooks.c.id == hook.id).with_for_update()
            ).scalar_one_or_none()
            if cursor is None or cursor != hook.last_fill_id:
                return 0  # removed, or another sender moved it meanwhile: next round
            fills = conn.execute(query).all()
            rows = [
                {
                    "webhook_id": hook.id,
                    "event_key": event_key(f.id),
                    "event": event_name(f.order_type),
                    "event_time": f.created_at,
                    "body": body(fmt, _fill(f), hook.language or "en"),
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for f in fills
            ]
            if rows:
                conn.execute(insert(webhook_deliveries), rows)
                conn.execute(
                    update(webhooks).where(webhooks.c.id == hook.id).values(last_fill_id=fills[-1].id)
                )
            return len(rows)

    def due(self, now: datetime, limit: int) -> list[Any]:
        """Pending notifications whose next attempt is due, oldest first, with their URL."""
        d = webhook_deliveries
        query = (
            select(d, webhooks.c.url)
            .join(webhooks, webhooks.c.id == d.c.webhook_id)
            .where(and_(d.c.status == "pending", d.c.next_attempt_at <= now))
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())

    def record_attempt(self, delivery_id: int, values: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            d = webhook_deliveries
            conn.execute(update(d).where(d.c.id == delivery_id).values(**values))

    # --- rank changes (migration 0008) ------------------------------------------------------
    def rank_watch(self) -> list[Any]:
        """Entries (not removed) whose member has a webhook: ``entry_id``, ``season_id``,
        ``competition_id``, ``season_number``, ``notified_rank``, ``webhook_id``, ``format`` and the
        member's ``language`` (NULL: not chosen)."""
        e, s = competition_entries.c, competition_seasons.c
        query = (
            select(
                e.id.label("entry_id"),
                e.season_id,
                s.competition_id,
                s.number.label("season_number"),
                e.notified_rank,
                webhooks.c.id.label("webhook_id"),
                webhooks.c.format,
                users.c.language,
            )
            .join(competition_seasons, s.id == e.season_id)
            .join(webhooks, webhooks.c.user_id == e.member_id)
            .join(users, users.c.id == e.member_id)
            .where(e.removed_at.is_(None))
            .order_by(e.season_id, e.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    def queue_rank_change(
        self, webhook_id: int, entry_id: int, previous: int | None, rank: int | None, delivery: dict[str, Any]
    ) -> bool:
        """Move the entry's ``notified_rank`` from ``previous`` to ``rank`` and queue ``delivery``
        (event_key, event_time, body, created_at) in one transaction; False when another sender
        moved it first (compare-and-set: each change is queued once)."""
        e = competition_entries.c
        was = e.notified_rank.is_(None) if previous is None else e.notified_rank == previous
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(competition_entries).where(e.id == entry_id, was).values(notified_rank=rank)
            ).rowcount
            if not moved:
                return False
            row = {"webhook_id": webhook_id, "event": "rank_change", "status": "pending", "attempts": 0}
            row["next_attempt_at"] = delivery["created_at"]
            conn.execute(insert(webhook_deliveries), [{**row, **delivery}])
            return True
