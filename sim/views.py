"""Read models returned by the public API: plain frozen dataclasses, Decimals for money."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sim.domain.trailing import stop_level
from sim.domain.values import ZERO


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    display_name: str
    created_at: datetime
    language: str | None = None  # "en" | "ko" as chosen in Settings; None: not chosen (the browser's)


@dataclass(frozen=True, slots=True)
class FillView:
    time: datetime
    symbol: str
    side: str
    quantity: Decimal
    price: Decimal
    total_amount: Decimal
    fee: Decimal
    liquidity: str
    realized_pnl: Decimal
    order_id: int
    account_id: int
    id: int = 0  # the fill's own id (the ledger's transaction id)


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    symbol: str
    side: str
    type: str
    status: str
    quantity: Decimal | None
    quote_amount: Decimal | None
    price: Decimal | None
    stop_price: Decimal | None
    filled_qty: Decimal
    avg_fill_price: Decimal | None
    fee_total: Decimal
    locked_cash: Decimal
    locked_qty: Decimal
    client_order_id: str | None
    list_id: str | None
    reason: str
    created_at: datetime
    updated_at: datetime
    fills: tuple[FillView, ...] = ()
    trailing_delta: int | None = None  # a TRAILING_STOP's delta in bps (stop_price: its activation)
    trail_extreme: Decimal | None = None  # the best price it tracked so far (None: not started)

    @property
    def stop_level(self) -> Decimal | None:
        """A trailing stop's current stop level (:func:`sim.domain.trailing.stop_level`), or None."""
        if self.trailing_delta is None or self.trail_extreme is None:
            return None
        return stop_level(self.side, self.trail_extreme, self.trailing_delta)

    @classmethod
    def from_row(cls, row: Any, fills: tuple[FillView, ...] = ()) -> OrderView:
        avg = row.filled_notional / row.filled_qty if row.filled_qty else None
        return cls(
            id=row.id,
            symbol=row.symbol,
            side=row.side,
            type=row.type,
            status=row.status,
            quantity=row.quantity,
            quote_amount=row.quote_amount,
            price=row.price,
            stop_price=row.stop_price,
            filled_qty=row.filled_qty,
            avg_fill_price=avg,
            fee_total=row.fee_total,
            locked_cash=row.locked_cash,
            locked_qty=row.locked_qty,
            client_order_id=row.client_order_id,
            list_id=row.list_id,
            reason=row.reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            fills=fills,
            trailing_delta=getattr(row, "trailing_delta", None),
            trail_extreme=getattr(row, "trail_extreme", None),
        )


def fill_from_row(row: Any) -> FillView:
    return FillView(
        time=row.created_at,
        symbol=row.symbol,
        side=row.type,
        quantity=row.quantity,
        price=row.price,
        total_amount=row.total_amount,
        fee=row.fee,
        liquidity=row.liquidity,
        realized_pnl=row.realized_pnl,
        order_id=row.order_id,
        account_id=row.account_id,
        id=row.id,
    )


@dataclass(frozen=True, slots=True)
class PositionView:
    symbol: str
    quantity: Decimal
    qty_free: Decimal
    qty_locked: Decimal
    avg_price: Decimal
    cost_basis: Decimal
    last_price: Decimal | None
    market_value: Decimal | None
    unrealized_pnl: Decimal | None
    realized_pnl: Decimal
    fees_paid: Decimal


@dataclass(frozen=True, slots=True)
class PortfolioView:
    """Cash, holdings and their value at the latest prices.

    ``unrealized_pnl = market value - cost basis`` (cost basis includes buy fees; the fee of a future
    sell is not deducted). ``equity = cash + sum(market values)``; ``total_return = equity /
    starting cash - 1``.
    """

    account_id: int
    label: str
    starting_cash: Decimal
    cash_free: Decimal
    cash_locked: Decimal
    positions: tuple[PositionView, ...] = field(default_factory=tuple)

    @property
    def cash(self) -> Decimal:
        return self.cash_free + self.cash_locked

    @property
    def holdings_value(self) -> Decimal:
        return sum((p.market_value or ZERO for p in self.positions), ZERO)

    @property
    def equity(self) -> Decimal:
        return self.cash + self.holdings_value

    @property
    def total_return(self) -> Decimal:
        return self.equity / self.starting_cash - 1

    @property
    def realized_pnl(self) -> Decimal:
        return sum((p.realized_pnl for p in self.positions), ZERO)

    @property
    def unrealized_pnl(self) -> Decimal:
        return sum((p.unrealized_pnl or ZERO for p in self.positions), ZERO)


FILL_COLUMNS = [
    "time",
    "symbol",
    "side",
    "quantity",
    "price",
    "total_amount",
    "fee",
    "liquidity",
    "realized_pnl",
    "order_id",
]


def fills_frame(fills: Any) -> Any:
    """Fills as a pandas DataFrame of :data:`FILL_COLUMNS` (floats for charts), in the order given."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "time": f.time,
                "symbol": f.symbol,
                "side": f.side,
                "quantity": float(f.quantity),
                "price": float(f.price),
                "total_amount": float(f.total_amount),
                "fee": float(f.fee),
                "liquidity": f.liquidity,
                "realized_pnl": float(f.realized_pnl),
                "order_id": f.order_id,
            }
            for f in fills
        ],
        columns=FILL_COLUMNS,
    )
