"""The notifications part of the public facade: :class:`NotificationMethods`, mixed into
``sim.services.Simulator``.

A user sets one webhook (URL and format, checked by :mod:`sim.domain.webhooks`), removes it, and
reads its delivery log; the sender (``python -m pipeline notify``) calls :meth:`send_notifications`.
Webhook and delivery times are the wall clock (infrastructure); each notification's ``event_time``
is its fill's market time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from sim.adapters import webhook_http
from sim.adapters.ledger.competitions_store import SqlCompetitionStore
from sim.adapters.ledger.webhooks_store import SqlWebhookStore
from sim.domain.webhooks import check_format, check_url
from sim.notifications import Post, Round, run_round
from sim.rank_notifications import queue_rank_changes

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext
    from sim.settings import Settings

DELIVERY_COLUMNS: tuple[str, ...] = ("event_key", "event", "event_time", "status", "attempts", "http_status")
DELIVERY_COLUMNS += ("last_error", "next_attempt_at", "delivered_at")


class NotificationMethods:
    """Webhooks and their deliveries; the host class provides the engine and settings."""

    engine: Engine
    settings: Settings

    def _webhooks(self) -> SqlWebhookStore:
        return SqlWebhookStore(self.engine)

    def set_webhook(self, user_id: int, url: str, format: str = "json") -> dict[str, Any]:
        """Send this user's fills (and triggered stops) to ``url`` from now on, in ``format``
        (``json``, ``slack`` or ``discord``); replaces a previous webhook. Returns :meth:`webhook`."""
        checked = check_url(url, self.settings.webhook_allow_private)
        fmt = check_format(format)
        self._webhooks().set_webhook(user_id, checked, fmt.value, datetime.now(UTC))
        return self.webhook(user_id) or {}

    def remove_webhook(self, user_id: int) -> bool:
        """Stop notifications for this user (their delivery log goes too); True if one was set."""
        return self._webhooks().remove_webhook(user_id)

    def webhook(self, user_id: int) -> dict[str, Any] | None:
        """This user's webhook (``url``, ``format``, ``created_at``), or None."""
        row = self._webhooks().webhook(user_id)
        return None if row is None else {"url": row.url, "format": row.format, "created_at": row.created_at}

    def webhook_deliveries(self, user_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """This user's notifications, newest first: key, event, market time, status, attempts,
        last HTTP status and error, next attempt, delivery time."""
        rows = self._webhooks().deliveries(user_id, max(1, min(int(limit), 1000)))
        return [{c: getattr(r, c) for c in DELIVERY_COLUMNS} for r in rows]

    def send_notifications(self, post: Post | None = None) -> Round:
        """One round of the sender: queue new fills for every webhook, deliver what is due."""

        def http(url: str, body: str, key: str) -> tuple[int | None, str]:
            return webhook_http.post(url, body, key, self.settings.webhook_allow_private)

        return run_round(self._webhooks(), post or http, datetime.now(UTC))

    def queue_rank_changes(self, now: datetime | None = None) -> int:
        """Queue a notification for each competition member (with a webhook) whose entry's rank by
        score changed in a running season (:mod:`sim.rank_notifications`); how many. The next
        :meth:`send_notifications` round delivers them. ``now`` is the sender's wall clock (None:
        the real one), which schedules the first attempt; the standings are read at market time."""
        ctx: ServiceContext = self  # type: ignore[assignment]  # the facade is a ServiceContext
        sender_now = now or datetime.now(UTC)
        return queue_rank_changes(ctx, SqlCompetitionStore(self.engine), self._webhooks(), sender_now)
