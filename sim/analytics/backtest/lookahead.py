"""A look-ahead check: does a strategy's decision on candle ``t`` change when the future is cut off?

For each checkpoint ``t`` the strategy runs on the candles ``0 .. t`` only, and its target on
``t`` (as the engine reads it: NaN forward-filled, clipped) is compared with its target on ``t``
in the run over all candles. A causal strategy gives the same number; one that peeks at later
candles (``shift(-1)``, a full-sample normalization, a centered window, ...) differs at some
checkpoint and is flagged. A strategy reading a precomputed frame (forecasts computed
elsewhere) cannot be checked this way: the frame itself must be built causally.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analytics.backtest.engine import Strategy, target_weights
from sim.analytics.backtest.market import Candles, Market, load_market


@dataclass(frozen=True)
class LookaheadReport:
    """``ok`` is False when a truncated run disagreed; ``mismatches`` lists where and how."""

    checked: int
    mismatches: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def __bool__(self) -> bool:
        return self.ok


def _cut(market: Market, stop: int) -> Market:
    frames = {s: f.iloc[:stop] for s, f in market.frames.items()}
    return Market(
        index=market.index[:stop],
        symbols=market.symbols,
        frames=frames,
        open=market.open[:stop],
        high=market.high[:stop],
        low=market.low[:stop],
        close=market.close[:stop],
        single=market.single,
    )


def check_no_lookahead(
    strategy: Strategy,
    candles: Candles,
    checkpoints: int = 25,
    atol: float = 1e-9,
    symbol: str | None = None,
) -> LookaheadReport:
    """Run ``strategy`` on all candles and on ``checkpoints`` prefixes, compare targets at the cuts.

    The cuts are spread evenly over the second to the next-to-last candle (deterministic).
    """
    market = load_market(candles, symbol)
    n = market.bars
    full = target_weights(strategy(market.strategy_input()), market)
    cuts = np.unique(np.linspace(1, n - 2, num=min(checkpoints, max(n - 2, 0))).astype(int))
    mismatches: list[dict[str, object]] = []
    for t in cuts.tolist():
        part = _cut(market, t + 1)
        got = target_weights(strategy(part.strategy_input()), part)[-1]
        want = full[t]
        if not np.allclose(got, want, atol=atol, rtol=0.0):
            mismatches.append(
                {
                    "bar": t,
                    "time": pd.Timestamp(market.index[t]),
                    "full_data": want.tolist(),
                    "truncated": got.tolist(),
                }
            )
    return LookaheadReport(checked=len(cuts), mismatches=mismatches)
