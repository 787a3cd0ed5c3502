"""The simulator facade, instrumented from outside: orders, refusals, latency, fills, forecasts,
logins.

:func:`instrument_simulator` wraps a few bound methods of one :class:`~sim.services.Simulator`
instance (the facade's code is unchanged) and adds a fill listener:
- ``place_order`` (``buy``, ``sell`` and the assistant's confirmed proposals go through it, so each
  order is counted once) and ``place_oco``: ``sim_orders_placed_total`` or
  ``sim_orders_refused_total`` by error class, and ``sim_order_duration_seconds``;
- fills (market orders, and resting orders the matcher fills): ``sim_orders_filled_total``, from
  the facade's committed :class:`~sim.domain.events.FillEvent`;
- ``forecast``: ``sim_forecast_duration_seconds``;
- ``authenticate``: ``sim_logins_total`` by outcome;
- ``match_trades`` (what the order matcher calls for each batch of a symbol) and ``match``
  (``on_trade`` on a replay): the resting orders they filled or canceled,
  ``sim_matcher_fills_total``.
The composition root (:func:`sim.bootstrap.open_simulator`) calls it for every simulator it opens
(the app, the pipeline, jobs and notebooks alike); calling it again on the same instance does
nothing. The wrappers re-raise everything they see.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sim.domain.errors import SimError
from sim.domain.events import FillEvent, OrderEvent
from sim.observability import metrics
from sim.observability.classify import error_class, login_outcome

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)
_MARK = "_sim_instrumented"


def _label(value: object) -> str:
    text = str(getattr(value, "value", value) or "").upper()
    return text if text.replace("_", "").isalpha() and len(text) <= 20 else "OTHER"


def _orders(fn: F, order_type: Callable[..., str], side: Callable[..., str]) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            metrics.ORDER_LATENCY.labels("refused").observe(time.perf_counter() - started)
            if isinstance(exc, Exception):
                metrics.ORDERS_REFUSED.labels(error_class(exc), type(exc).__name__).inc()
            raise
        metrics.ORDER_LATENCY.labels("placed").observe(time.perf_counter() - started)
        metrics.ORDERS_PLACED.labels(_label(order_type(*args, **kwargs)), _label(side(*args, **kwargs))).inc()
        return result

    return wrapper  # type: ignore[return-value]


def _place_order_type(
    user_id: object, symbol: object, side: object, order_type: object = "MARKET", **_: Any
) -> str:
    return str(order_type)


def _place_order_side(user_id: object, symbol: object, side: object, *_: Any, **__: Any) -> str:
    return str(side)


def _forecast(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        outcome = "failed"
        try:
            result = fn(*args, **kwargs)
            outcome = "served"
            return result
        except SimError:
            outcome = "refused"
            raise
        finally:
            metrics.FORECAST_LATENCY.labels(outcome).observe(time.perf_counter() - started)

    return wrapper  # type: ignore[return-value]


def _authenticate(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            metrics.LOGINS.labels(login_outcome(exc)).inc()
            raise
        metrics.LOGINS.labels("success").inc()
        return result

    return wrapper  # type: ignore[return-value]


def _match(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        changed = fn(*args, **kwargs)
        if changed:
            metrics.MATCHER_FILLS.inc(changed)
        return changed

    return wrapper  # type: ignore[return-value]


def record_fill(event: OrderEvent | FillEvent) -> None:
    """A facade listener: count each committed fill by order type and liquidity, and log it with
    its order id and symbol (ids belong in log lines, never in metric labels)."""
    if isinstance(event, FillEvent):
        metrics.ORDERS_FILLED.labels(_label(event.order_type), _label(event.liquidity)).inc()
        log.info(
            "order %s filled: %s %s %s at %s (%s)",
            event.order_id,
            event.side,
            event.quantity,
            event.symbol,
            event.price,
            event.liquidity,
            extra={
                "event": "fill",
                "order_id": event.order_id,
                "symbol": event.symbol,
                "order_type": str(event.order_type),
                "liquidity": event.liquidity,
                "market_time": event.time.isoformat(),
            },
        )


def instrument_simulator(sim: Any) -> Any:
    """Wrap ``sim``'s order, forecast and login methods and listen to its fills (once); returns it."""
    if getattr(sim, _MARK, False):
        return sim
    sim.place_order = _orders(sim.place_order, _place_order_type, _place_order_side)
    sim.place_oco = _orders(sim.place_oco, lambda *a, **k: "OCO", _place_order_side)
    sim.forecast = _forecast(sim.forecast)
    sim.authenticate = _authenticate(sim.authenticate)
    sim.match = _match(sim.match)
    sim.match_trades = _match(sim.match_trades)
    sim.listeners.append(record_fill)
    setattr(sim, _MARK, True)
    return sim
