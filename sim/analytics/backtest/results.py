"""What a backtest returns: exact final balances, and frames built on first access.

``equity`` is ``cash + sum(qty * close)`` at each bar's close (float64, for analytics);
``final_equity`` is the same at the last close in exact Decimal. ``benchmark`` holds, per symbol,
the value of the starting cash put into that symbol at the first bar's open and held (no fees,
fractional): ``cash0 * close_t / open_0``, and ``buy_and_hold``, their equal-weight mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.analytics import stats
from sim.analytics.backtest.fill_model import FillModel

TRADE_COLUMNS = [
    "time",
    "symbol",
    "side",
    "qty",
    "price",
    "fee",
    "notional",
    "realized_pnl",
    "cash_after",
    "signal_time",
]
SKIP_COLUMNS = ["time", "symbol", "side", "qty", "reason"]


def equity_from_states(
    close: np.ndarray,
    cash0: float,
    bars: np.ndarray,
    cash_after: np.ndarray,
    qty_after: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Equity and quantities per bar from the account state after each trading bar.

    The state after the last fill on bar ``b`` holds from ``b`` until the next trading bar:
    ``equity_t = cash_t + sum_s qty_{t,s} * close_{t,s}`` (numpy, no Python loop over bars).
    Several states on one bar keep the last. Returns ``(equity (n,), quantities (n, k))``.
    """
    n, k = close.shape
    if len(bars):
        last = np.r_[bars[1:] != bars[:-1], True]
        bars, cash_after, qty_after = bars[last], cash_after[last], qty_after[last]
    starts = np.r_[0, bars].astype(np.int64)
    cash_seg = np.r_[cash0, cash_after]
    qty_seg = np.vstack([np.zeros((1, k)), qty_after.reshape(-1, k)])
    if len(bars) and bars[0] == 0:
        starts, cash_seg, qty_seg = starts[1:], cash_seg[1:], qty_seg[1:]
    lengths = np.diff(np.r_[starts, n])
    qty = np.repeat(qty_seg, lengths, axis=0)
    single = k == 1
    equity = qty[:, 0] * close[:, 0] if single else np.einsum("ij,ij->i", qty, close)
    equity += np.repeat(cash_seg, lengths)
    return equity, qty


@dataclass
class BacktestResult:
    """One backtest run. Frames are built lazily; statistics are computed on first access."""

    index: pd.DatetimeIndex
    symbols: tuple[str, ...]
    equity_values: np.ndarray
    quantity_values: np.ndarray
    weight_values: np.ndarray
    close_values: np.ndarray
    first_open: np.ndarray
    trade_rows: list[list[Any]]  # time and signal_time as bar numbers
    skip_rows: list[list[Any]]  # time as a bar number
    starting_cash: Decimal
    final_cash: Decimal
    final_quantities: dict[str, Decimal]
    final_equity: Decimal
    fill_model: FillModel
    periods_per_year: float
    unfilled_signals: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def equity(self) -> pd.Series:
        """Account value at each bar's close (float64)."""
        return pd.Series(self.equity_values, index=self.index, name="equity")

    @cached_property
    def positions(self) -> pd.DataFrame:
        """Quantity held of each symbol at each bar's close (float64)."""
        return pd.DataFrame(self.quantity_values, index=self.index, columns=list(self.symbols))

    @cached_property
    def weights(self) -> pd.DataFrame:
        """The strategy's target weights as the engine read them (after filling and clipping)."""
        return pd.DataFrame(self.weight_values, index=self.index, columns=list(self.symbols))

    @cached_property
    def trades(self) -> pd.DataFrame:
        """Every fill: time (the fill candle's open), symbol, side, qty, price, fee, notional,
        realized_pnl, cash_after (Decimal) and signal_time (the candle whose decision it was)."""
        frame = pd.DataFrame(self.trade_rows, columns=TRADE_COLUMNS)
        return self._timed(frame, ("time", "signal_time"))

    @cached_property
    def skipped(self) -> pd.DataFrame:
        """Orders the exchange rules refused (min notional, min quantity, funds), with the reason."""
        return self._timed(pd.DataFrame(self.skip_rows, columns=SKIP_COLUMNS), ("time",))

    def _timed(self, frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        """Bar numbers -> the candles' open times (UTC)."""
        for column in columns:
            bars = frame[column].to_numpy(dtype=np.int64)
            frame[column] = self.index[bars] if len(bars) else pd.DatetimeIndex([], tz="UTC")
        return frame

    @property
    def skipped_orders(self) -> int:
        return len(self.skip_rows)

    @cached_property
    def benchmark(self) -> pd.DataFrame:
        """Buy-and-hold per symbol and their equal-weight mean ``buy_and_hold``."""
        values = float(self.starting_cash) * self.close_values / self.first_open
        frame = pd.DataFrame(values, index=self.index, columns=list(self.symbols))
        frame["buy_and_hold"] = values.mean(axis=1)
        return frame

    @cached_property
    def stats(self) -> dict[str, Any]:
        """:func:`sim.analytics.stats.summary` of this run against ``benchmark.buy_and_hold``."""
        out = stats.summary(
            self.equity,
            self.trades,
            benchmark=self.benchmark["buy_and_hold"],
            positions=self.quantity_values,
            periods=self.periods_per_year,
        )
        out["skipped_orders"] = self.skipped_orders
        out["final_equity_exact"] = self.final_equity
        return out

    def summary(self, name: str = "strategy") -> pd.DataFrame:
        """The statistics as a one-column table."""
        return stats.summary_table({name: self.stats})
