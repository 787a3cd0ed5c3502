"""Fill notifications: queue each new fill for its user's webhook, then deliver what is due.

The rules (formats, idempotency key, back-off, give-up) are :mod:`sim.domain.webhooks`; storage is
the :class:`~sim.service_layer.ports.WebhookStore` port and sending a ``post`` callable (the HTTP
adapter :func:`sim.adapters.webhook_http.post`, or a test's), so these use cases name no adapter.
``now`` is the wall clock: it schedules retries, while every notification carries its fill's market
time. Delivery is at least once: a notification whose answer was lost is sent again with the same
``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sim.domain.webhooks import next_wait
from sim.service_layer.ports import WebhookStore

Post = Callable[[str, str, str], tuple[int | None, str]]  # (url, body, key) -> (status, error)


@dataclass(frozen=True)
class Round:
    """What one round of the sender did."""

    queued: int
    delivered: int
    retrying: int
    given_up: int


def run_round(store: WebhookStore, post: Post, now: datetime, limit: int = 100) -> Round:
    """Queue the fills made since the last round, then try every due notification once."""
    queued = store.queue_new_fills(now)
    delivered = retrying = given_up = 0
    for d in store.due(now, limit):
        status, error = post(d.url, d.body, d.event_key)
        attempts = int(d.attempts) + 1
        values: dict[str, object] = {"attempts": attempts, "http_status": status}
        if status is not None and 200 <= status < 300:
            values |= {"status": "delivered", "delivered_at": now, "last_error": ""}
            delivered += 1
        else:
            wait = next_wait(attempts)
            values["last_error"] = error or f"HTTP {status}"
            if wait is None:
                values["status"] = "failed"
                given_up += 1
            else:
                values["next_attempt_at"] = now + wait
                retrying += 1
        store.record_attempt(int(d.id), values)
    return Round(queued, delivered, retrying, given_up)
