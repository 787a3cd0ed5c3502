"""Trailing stops in the backtester: the paper-trading rule walked over each candle's trades.

With ``trailing_stop_bps`` (one symbol), every position the strategy opens is protected by a
trailing stop-market SELL of the whole position, as a paper trader would place one right after
buying:

- **The trades.** A candle only tells open, high, low and close; its trades are taken to be those
  four waypoints in the replay's order (:mod:`sim.replay`, the default 4 ticks per candle):
  ``open -> low -> high -> close`` for a rising candle (close >= open), ``open -> high -> low ->
  close`` for a falling one. So a backtest sees the very trades a paper session on the replay sees.
- **The rule.** Each trade goes through :func:`sim.domain.trailing.step`, the function paper
  trading and the matcher use. The stop starts tracking at the entry's reference price (the fill
  candle's open, the trade the entry took before slippage; a paper stop starts at the last price
  when it is placed) and walks the trades from the entry candle's open on: trades before the
  entry never move it.
- **The fill.** A triggered stop fills like a paper stop: at the triggering trade's price moved by
  ``slippage_bps`` (:func:`~sim.analytics.backtest.fill_model.taker_price`), taker fee, on the
  candle it triggered in (not the next one), whatever the fill model's price rule. That is a
  waypoint (often the low), not the stop level: a stop fills at the trade that crossed it.
- **After a stop-out** the target stays flat until the strategy's own target next changes (a new
  signal), so a strategy still "long" does not buy back on the next candle. A strategy exit fills
  at the open as usual, before that candle's trades could trigger the stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sim.analytics.backtest.fill_model import to_decimal_price
from sim.analytics.backtest.market import Market
from sim.domain.errors import InvalidInput
from sim.domain.trailing import Trail, step


@dataclass(frozen=True, slots=True)
class StopExit:
    """A stop-out: the candle it triggered in and the triggering trade's price (before slippage)."""

    bar: int
    price: Decimal


def candle_trades(o: Decimal, h: Decimal, low: Decimal, c: Decimal) -> list[Decimal]:
    """The four trades of a candle, in the replay's order (see the module docstring)."""
    return [o, low, h, c] if c >= o else [o, h, low, c]


def stop_exits(
    market: Market, weights: np.ndarray, delta_bps: int, delay: int
) -> tuple[np.ndarray, list[StopExit]]:
    """The targets once stop-outs are taken into account, and the stop-outs (one symbol).

    ``weights`` are the normalized targets (bars, 1). Returns ``(effective weights, exits)``: the
    effective weights are 0 from a stop-out's candle until the strategy's target next changes.
    """
    if weights.shape[1] != 1:
        raise InvalidInput.of("backtest.trailing_one_symbol")
    raw = weights[:, 0].tolist()
    eff = list(raw)
    n = len(raw)
    exits: list[StopExit] = []
    trail: Trail | None = None
    stopped = False

    def price(prices: np.ndarray, bar: int) -> Decimal:
        return to_decimal_price(float(prices[bar, 0]))

    for b in range(n):
        if stopped and b > 0 and raw[b] != raw[b - 1]:
            stopped = False  # a new signal: the strategy's target applies again
        if stopped:
            eff[b] = 0.0
        d = b - delay  # the decision filling at this candle's open
        if d >= 0 and eff[d] != (eff[d - 1] if d > 0 else 0.0):
            if eff[d] > 0 and trail is None:
                trail = Trail("SELL", delta_bps, extreme=price(market.open, b))
            elif eff[d] == 0:
                trail = None
        if trail is None:
            continue
        trades = candle_trades(
            price(market.open, b), price(market.high, b), price(market.low, b), price(market.close, b)
        )
        for p in trades:
            trail, fired = step(trail, p)
            if fired:
                exits.append(StopExit(b, p))
                trail, stopped, eff[b] = None, True, 0.0
                break
    return np.asarray(eff, dtype=np.float64)[:, None], exits


def with_stop_exits(
    decisions: np.ndarray,
    fills: np.ndarray,
    rows: list[list[float]],
    before: list[list[float]],
    exits: list[StopExit],
) -> tuple[np.ndarray, np.ndarray, list[list[float]], list[list[float]], dict[int, Decimal]]:
    """The strategy's changes and the stop-outs (a sell to 0 on the stop-out's candle) in fill
    order, a candle's open fills first; and for each stop-out's change index its trade's price."""
    changes: list[tuple[int, int, int, list[float], list[float], Decimal | None]] = [
        (int(f), 0, int(d), new, old, None)
        for d, f, new, old in zip(decisions.tolist(), fills.tolist(), rows, before, strict=True)
    ]
    changes += [(x.bar, 1, x.bar, [0.0], [1.0], x.price) for x in exits]
    changes.sort(key=lambda c: (c[0], c[1]))
    references = {e: ref for e, (*_, ref) in enumerate(changes) if ref is not None}
    return (
        np.asarray([c[2] for c in changes], dtype=np.int64),
        np.asarray([c[0] for c in changes], dtype=np.int64),
        [c[3] for c in changes],
        [c[4] for c in changes],
        references,
    )
