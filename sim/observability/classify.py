"""Bounded label values: an exception's error class, a dead letter's reason class, a login outcome.

A label must take few values (each value is a time series), so the free text of a refusal never
becomes one. Assumptions:
- **Error classes** follow :mod:`sim.domain.errors`: ``input`` (:class:`InvalidInput`: a malformed
  value or an unknown symbol), ``rejected`` (:class:`OrderRejected`: funds, stale price, ...),
  ``not_found``, ``transition`` (:class:`IllegalTransition`), ``auth``, and ``conflict`` for a
  refusal whose class name says so (a reused ``client_order_id``). ``infrastructure`` is a refusal
  that says the system, not the request, failed: a :class:`SimError` marked ``retryable`` or whose
  class name says unavailable/infrastructure/retry, and any exception that is not a
  :class:`SimError` at all (a database or Redis error escaping the facade). Anything else is
  ``other``.
- **Dead-letter reasons** are classified from the consumer's reason text (see
  :mod:`sim.market.messages`) by the first matching pattern below; the text itself stays in the
  dead letter's ``reason`` header and in the log.
"""

from __future__ import annotations

import re
from typing import Final

from sim.domain.errors import AuthError, IllegalTransition, InvalidInput, NotFound, OrderRejected, SimError

INFRASTRUCTURE: Final = "infrastructure"
_INFRA_NAME = re.compile(r"unavailable|infrastructure|retry|retryable|timeout|connection", re.I)


def error_class(exc: BaseException) -> str:
    """The coarse class of a refusal or failure (see the module doc)."""
    if not isinstance(exc, SimError):
        return INFRASTRUCTURE
    names = " ".join(c.__name__ for c in type(exc).__mro__)
    if getattr(exc, "retryable", False) or _INFRA_NAME.search(names):
        return INFRASTRUCTURE
    if "conflict" in names.lower():
        return "conflict"
    for cls, label in (
        (InvalidInput, "input"),
        (OrderRejected, "rejected"),
        (NotFound, "not_found"),
        (IllegalTransition, "transition"),
        (AuthError, "auth"),
    ):
        if isinstance(exc, cls):
            return label
    return "other"


def login_outcome(exc: BaseException | None) -> str:
    """``success`` (no exception), ``throttled`` (too many attempts: a lock or a rate limit), or
    ``failure`` (wrong name or password, or anything else)."""
    if exc is None:
        return "success"
    text = f"{' '.join(c.__name__ for c in type(exc).__mro__)} {exc}".lower()
    if any(w in text for w in ("throttl", "too many", "locked", "ratelimit", "rate limit")):
        return "throttled"
    return "failure"


_REASONS: Final = (
    ("too_large", re.compile(r"bytes, over the|over the .*-byte limit")),
    ("no_value", re.compile(r"has no value|tombstone")),
    ("not_json", re.compile(r"not valid JSON|nested too deeply|must be a JSON object")),
    ("unknown_symbol", re.compile(r"not one of the tracked symbols|symbol without spaces")),
    ("unknown_kind", re.compile(r"unknown message kind|unknown kline interval")),
    ("schema", re.compile(r"is missing|unexpected field|not allowed in a message")),
    ("ahead_of_time", re.compile(r"ahead|in the future")),
    ("bad_value", re.compile(r"must be|is out of range|outside \[low, high\]|is below low|before its start")),
)


def dead_letter_reason(reason: str) -> str:
    """The class of a dead letter's reason text: one of the names above, or ``other``."""
    for label, pattern in _REASONS:
        if pattern.search(reason):
            return label
    return "other"
