"""What an order decision writes to the ledger: typed, immutable records of a new order and its fills.

:class:`OrderRecord` and :class:`FillRecord` carry the columns of the ``orders`` and
``transactions`` tables (a fill's ``type`` is its side, the seed's column name); :meth:`row` gives
the column dict a ledger adapter writes. Standard library and Decimal only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class FillRecord:
    """One fill of a new order, before the ledger gave it (and its order) an id."""

    account_id: int
    client_order_id: str | None
    symbol: str
    type: str  # BUY | SELL
    quantity: Decimal
    price: Decimal
    total_amount: Decimal  # quantity x price, before the fee
    fee: Decimal
    liquidity: str  # maker | taker
    realized_pnl: Decimal
    created_at: datetime

    def row(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "client_order_id": self.client_order_id,
            "symbol": self.symbol,
            "type": self.type,
            "quantity": self.quantity,
            "price": self.price,
            "total_amount": self.total_amount,
            "fee": self.fee,
            "liquidity": self.liquidity,
            "realized_pnl": self.realized_pnl,
            "created_at": self.created_at,
        }


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """A new order as decided: the request, its status, what it locks and what already filled."""

    account_id: int
    client_order_id: str | None
    list_id: str | None
    symbol: str
    side: str
    type: str
    status: str
    quantity: Decimal | None
    quote_amount: Decimal | None
    price: Decimal | None
    stop_price: Decimal | None
    locked_cash: Decimal
    locked_qty: Decimal
    filled_qty: Decimal
    filled_notional: Decimal
    fee_total: Decimal
    reason: str
    created_at: datetime
    updated_at: datetime
    trailing_delta: int | None = None  # a TRAILING_STOP's delta in bps
    trail_extreme: Decimal | None = None  # the best price it tracked so far (None: not started)

    def row(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "client_order_id": self.client_order_id,
            "list_id": self.list_id,
            "symbol": self.symbol,
            "side": self.side,
            "type": self.type,
            "status": self.status,
            "quantity": self.quantity,
            "quote_amount": self.quote_amount,
            "price": self.price,
            "stop_price": self.stop_price,
            "locked_cash": self.locked_cash,
            "locked_qty": self.locked_qty,
            "filled_qty": self.filled_qty,
            "filled_notional": self.filled_notional,
            "fee_total": self.fee_total,
            "reason": self.reason,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "trailing_delta": self.trailing_delta,
            "trail_extreme": self.trail_extreme,
        }
