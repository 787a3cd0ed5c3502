"""The account: cash and positions, and how a fill changes them.

Rules:
- ``cash_free + cash_locked`` is the cash; both parts are never negative. Resting BUY orders lock
  cash, resting SELL orders lock quantity; a cancel releases exactly what the order locked.
- A position's **cost basis includes the buy fees**, so ``avg_price = cost_basis / quantity`` is the
  break-even price before the sell fee (Binance's "average price" excludes fees; ours is the honest
  number for PnL).
- A BUY that would bring a holding above :data:`~sim.domain.values.MAX_AMOUNT` (92233720368.54775807,
  reachable with coins priced near 1e-8) is refused with OrderRejected before anything changes.
- A SELL removes cost basis in proportion to the quantity sold (rounded half-even to 1e-8 USDT);
  selling the whole position removes all that is left, so a closed position's realized PnL is exact:
  ``realized_pnl = sum(sell proceeds - sell fees) - sum(buy cost + buy fees)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sim.domain.errors import InsufficientFunds, OrderRejected
from sim.domain.orders import Side
from sim.domain.values import MAX_AMOUNT, ZERO, money, plain


@dataclass(slots=True)
class Position:
    symbol: str
    qty_free: Decimal = ZERO
    qty_locked: Decimal = ZERO
    cost_basis: Decimal = ZERO
    realized_pnl: Decimal = ZERO
    fees_paid: Decimal = ZERO

    def __post_init__(self) -> None:
        if self.qty_free < 0 or self.qty_locked < 0 or self.cost_basis < 0:
            raise ValueError(f"Position {self.symbol} would be negative: {self!r}")

    @property
    def quantity(self) -> Decimal:
        return self.qty_free + self.qty_locked

    @property
    def avg_price(self) -> Decimal:
        """Break-even price (cost basis incl. buy fees / quantity); 0 for a flat position."""
        return self.cost_basis / self.quantity if self.quantity else ZERO


@dataclass(slots=True)
class Account:
    cash_free: Decimal
    cash_locked: Decimal = ZERO
    positions: dict[str, Position] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cash_free < 0 or self.cash_locked < 0:
            raise ValueError(f"Cash would be negative: {self.cash_free} free, {self.cash_locked} locked")

    @property
    def cash(self) -> Decimal:
        return self.cash_free + self.cash_locked

    def position(self, symbol: str) -> Position:
        if symbol not in self.positions:
            self.positions[symbol] = Position(symbol)
        return self.positions[symbol]

    # --- locks -------------------------------------------------------------------------------
    def lock_cash(self, amount: Decimal, quote: str = "USDT") -> None:
        if amount > self.cash_free:
            raise InsufficientFunds.of(
                "funds.needs",
                asset=quote,
                need=f"{amount.normalize():f}",
                free=f"{self.cash_free.normalize():f}",
            )
        self.cash_free -= amount
        self.cash_locked += amount

    def release_cash(self, amount: Decimal) -> None:
        assert amount <= self.cash_locked, "releasing more cash than is locked"
        self.cash_locked -= amount
        self.cash_free += amount

    def lock_quantity(self, symbol: str, quantity: Decimal, base: str = "") -> None:
        pos = self.position(symbol)
        if quantity > pos.qty_free:
            raise InsufficientFunds.of(
                "funds.needs",
                asset=base or symbol,
                need=f"{quantity.normalize():f}",
                free=f"{pos.qty_free.normalize():f}",
            )
        pos.qty_free -= quantity
        pos.qty_locked += quantity

    def release_quantity(self, symbol: str, quantity: Decimal) -> None:
        pos = self.position(symbol)
        assert quantity <= pos.qty_locked, "releasing more quantity than is locked"
        pos.qty_locked -= quantity
        pos.qty_free += quantity

    # --- fills -------------------------------------------------------------------------------
    def apply_fill(
        self,
        symbol: str,
        side: Side,
        quantity: Decimal,
        notional: Decimal,
        fee: Decimal,
        base: str = "",
        quote: str = "USDT",
    ) -> Decimal:
        """Apply one fill paid from / delivered to the free balances; return the realized PnL.

        BUY: cash_free -= notional + fee; quantity and cost basis grow (fee included).
        SELL: cash_free += notional - fee; cost basis shrinks pro rata; PnL = proceeds - basis removed.
        """
        pos = self.position(symbol)
        if side is Side.BUY:
            cost = notional + fee
            if cost > self.cash_free:
                raise InsufficientFunds.of(
                    "funds.costs",
                    asset=quote,
                    cost=f"{cost.normalize():f}",
                    free=f"{self.cash_free.normalize():f}",
                )
            if pos.quantity + quantity > MAX_AMOUNT:
                raise OrderRejected.of(
                    "funds.holding_too_large",
                    asset=base or symbol,
                    holding=plain(pos.quantity + quantity),
                    most=plain(MAX_AMOUNT),
                )
            self.cash_free -= cost
            pos.qty_free += quantity
            pos.cost_basis += cost
            pos.fees_paid += fee
            return ZERO
        if quantity > pos.qty_free:
            raise InsufficientFunds.of(
                "funds.sell",
                asset=base or symbol,
                want=f"{quantity.normalize():f}",
                free=f"{pos.qty_free.normalize():f}",
            )
        total_before = pos.quantity
        removed = (
            pos.cost_basis if quantity == total_before else money(pos.cost_basis * quantity / total_before)
        )
        proceeds = notional - fee
        pos.qty_free -= quantity
        pos.cost_basis -= removed
        pnl = proceeds - removed
        pos.realized_pnl += pnl
        pos.fees_paid += fee
        self.cash_free += proceeds
        return pnl
