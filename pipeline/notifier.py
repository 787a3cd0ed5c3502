"""The webhook sender's loop: a round of :meth:`sim.services.Simulator.send_notifications` every few
seconds until told to stop, with each round's outcome counted and logged.

Run by ``python -m pipeline notify`` (its own process, as in the compose file) and by the embedded
feed (a thread of the app process when there is no Kafka, as under ``make run``). A failed round
(the ledger unreachable: a retryable SimError) is logged and the loop goes on.
"""

from __future__ import annotations

import logging
import threading
import time

from sim.domain.errors import SimError
from sim.observability.metrics import NOTIFICATIONS
from sim.services import Simulator

log = logging.getLogger("pipeline.notifier")


def run_notifier(
    sim: Simulator, stop: threading.Event, every: float = 2.0, once: bool = False, ranks_every: float = 60.0
) -> None:
    """Rounds until ``stop`` is set (one round with ``once``). Competition rank changes are looked
    for first, then about every ``ranks_every`` wall seconds (see :mod:`sim.rank_notifications`)."""
    ranks_due = 0.0
    while True:
        try:
            if time.monotonic() >= ranks_due:
                ranks_due = time.monotonic() + ranks_every
                sim.queue_rank_changes()
            done = sim.send_notifications()
        except SimError as exc:
            log.warning("notifications round failed: %s", exc, extra={"event": "notify_failed"})
        else:
            for outcome, n in (("queued", done.queued), ("delivered", done.delivered)):
                NOTIFICATIONS.labels(outcome).inc(n)
            NOTIFICATIONS.labels("retry").inc(done.retrying)
            NOTIFICATIONS.labels("given_up").inc(done.given_up)
            if done.queued or done.delivered or done.retrying or done.given_up:
                log.info(
                    "notifications: %d queued, %d delivered, %d to retry, %d given up",
                    done.queued,
                    done.delivered,
                    done.retrying,
                    done.given_up,
                    extra={"event": "notify_round"},
                )
        if once or stop.wait(every):
            return
