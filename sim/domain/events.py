"""Immutable events the domain emits; services persist or publish them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sim.domain.orders import OrderStatus, OrderType, Side


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """An order moved to ``status`` (accepted, canceled, expired, ...)."""

    order_id: int
    account_id: int
    symbol: str
    status: OrderStatus
    time: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class FillEvent:
    """Part or all of an order traded."""

    order_id: int
    account_id: int
    symbol: str
    side: Side
    order_type: OrderType
    quantity: Decimal
    price: Decimal
    fee: Decimal
    liquidity: str  # "maker" | "taker"
    time: datetime
