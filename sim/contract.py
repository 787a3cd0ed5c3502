"""The error contract of the public API, enforced once at the facade (:func:`guarded`).

Applied to :class:`sim.services.Simulator` as a class decorator, so it holds for every public
method, inherited ones included, however the facade is later split up:

- **Ids.** An argument named ``user_id``, ``order_id``, ``competition_id``, ``member_id`` or
  ``trader_id`` must be a positive whole number
  (:func:`sim.domain.ids.check_id`): ``True``, ``2.7``, ``"abc"`` or ``None`` raise InvalidInput
  before anything runs.
- **Infrastructure failures** become one :class:`~sim.domain.errors.ServiceUnavailable`
  (``retryable = True``) with the original error as ``__cause__``: the ledger database unreachable,
  a connection dropped mid-transaction, the pool exhausted, SQLite busy; Redis down (the live
  price store); the Kafka broker unreachable; a refused or reset socket. Every other exception
  passes through unchanged: a :class:`~sim.domain.errors.SimError` is already the contract, and
  anything else is a bug that must not be disguised as a retryable outage.

Assumptions: the drivers' error types are looked up in ``sys.modules`` rather than imported, so a
deployment without Redis or Kafka never imports their clients (an error cannot come from a module
that was never loaded). The message names the service but not its address or the driver's text,
which may be shown to users; the cause keeps the details for the logs.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import exc as sa_exc

from sim.domain.errors import ServiceUnavailable, SimError
from sim.domain.ids import MAX_ID, check_id

T = TypeVar("T", bound=type)

ID_ARGUMENTS = {
    "user_id": "user id",
    "order_id": "order id",
    "competition_id": "competition id",
    "member_id": "member id",
    "trader_id": "trader id",
}

_MESSAGES = {
    "database": "The ledger database could not be reached, or the connection to it was lost.",
    "live store": "The live price store (Redis) could not be reached.",
    "broker": "The message broker (Kafka) could not be reached.",
    "network": "A service the simulator needs could not be reached.",
}
_RETRY = (
    " Nothing you asked for is lost by trying again in a moment: an order retried with the same "
    "client_order_id is applied at most once."
)
# kafka-python's "cannot reach a broker" errors (NoBrokersAvailable: before 3.0)
_KAFKA_UNREACHABLE = (
    "NoBrokersAvailable",
    "KafkaConnectionError",
    "KafkaTimeoutError",
    "BrokerNotAvailableError",
)
_SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o")


def guarded(cls: T) -> T:
    """Class decorator: every public method (not starting with ``_``) checks its id arguments and
    maps infrastructure failures to ServiceUnavailable (see the module docstring)."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, classmethod | staticmethod):
            inner = raw.__func__
            if not getattr(inner, "__guarded__", False):
                setattr(cls, name, type(raw)(_guard(inner)))
        elif inspect.isfunction(raw) and not getattr(raw, "__guarded__", False):
            setattr(cls, name, _guard(raw))
    return cls


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    params = list(inspect.signature(func).parameters)
    checks = [(i, p, ID_ARGUMENTS[p]) for i, p in enumerate(params) if p in ID_ARGUMENTS]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for index, param, label in checks:
            if index < len(args):
                value = args[index]
                if type(value) is not int or not 0 < value <= MAX_ID:
                    args = (*args[:index], check_id(value, label), *args[index + 1 :])
            elif param in kwargs:
                kwargs[param] = check_id(kwargs[param], label)
        try:
            return func(*args, **kwargs)
        except SimError:
            raise
        except Exception as exc:
            mapped = service_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    wrapper.__guarded__ = True  # type: ignore[attr-defined]
    return wrapper


def service_error(exc: BaseException) -> ServiceUnavailable | None:
    """The ServiceUnavailable that ``exc`` stands for, or None when it is not an infrastructure
    failure (the caller re-raises it as it is)."""
    service = _service_of(exc)
    if service is None:
        return None
    return ServiceUnavailable(_MESSAGES[service] + _RETRY, service)


def _service_of(exc: BaseException) -> str | None:
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or _database_driver_error(exc.orig):
            return "database"
        return None
    if isinstance(exc, sa_exc.PendingRollbackError | sa_exc.DisconnectionError | sa_exc.TimeoutError):
        return "database"  # a connection invalidated mid-transaction; the pool exhausted
    if _database_driver_error(exc):
        return "database"  # the order path talks to psycopg2 directly (pg_order_path)
    if _is_instance(exc, "redis.exceptions", "ConnectionError", "TimeoutError"):
        return "live store"
    if _is_instance(exc, "kafka.errors", *_KAFKA_UNREACHABLE):
        return "broker"
    if isinstance(exc, ConnectionError):
        return "network"
    return None


def _database_driver_error(exc: BaseException | None) -> bool:
    if exc is None:
        return False
    if _is_instance(exc, "psycopg2", "OperationalError", "InterfaceError"):
        return True  # connection refused or lost, server shutting down, query canceled
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc).lower() for word in _SQLITE_TRANSIENT)
    return False


def _is_instance(exc: BaseException, module: str, *names: str) -> bool:
    loaded = sys.modules.get(module)
    if loaded is None:
        return False
    kinds = tuple(k for k in (getattr(loaded, n, None) for n in names) if isinstance(k, type))
    return bool(kinds) and isinstance(exc, kinds)
