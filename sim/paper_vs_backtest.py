"""Paper vs backtest: a user's paper fills replayed by the backtester's fill rule.

The user's own paper fills of the active account (``Simulator.trades_frame``) are replayed by
:func:`~sim.analytics.backtest.reconcile` on the candles of the symbols traded, under the user's
own fee and slippage preferences, with the differences (fees, slippage/price rule, timing and,
against a given backtest run, quantity) summed in Decimal. Each paper fill is put in the candle
whose price it traded at (see :mod:`sim.analytics.backtest.reconcile`): a market order placed when
candle ``t`` closes belongs to ``t``, like the backtest's decision on ``t``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analytics.backtest import FillModel, Reconciliation, reconcile
from sim.analytics.lab_words import word
from sim.domain.costs import check_fee, check_slippage
from sim.domain.fills import FeeSchedule
from sim.history import candles as closed_candles
from sim.market.intervals import CANDLE_INTERVALS as INTERVALS
from sim.pagination import trades_frame
from sim.service_layer import accounts

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext as Simulator


def fill_model(taker_fee: object = None, slippage_bps: object = None) -> FillModel:
    """``FillModel()`` with the given taker (and maker) fee rate and slippage (text or Decimal)."""
    base = FillModel()
    fee = check_fee(taker_fee, "taker fee rate") if taker_fee is not None else base.fees.taker
    bps = check_slippage(slippage_bps) if slippage_bps is not None else base.slippage_bps
    return FillModel(fees=FeeSchedule(maker=fee, taker=fee), slippage_bps=bps)


@dataclass(frozen=True)
class PaperComparison:
    """:class:`Reconciliation` of the user's paper fills, the fill model used, and the fills left
    out because their candle has not closed yet (``pending``)."""

    reconciliation: Reconciliation
    model: FillModel
    paper_slippage_bps: Decimal
    interval: str
    pending: int


def paper_vs_backtest(
    sim: Simulator, user_id: int, interval: str = "1h", backtest: Any = None
) -> PaperComparison | None:
    """Replay this user's paper fills (active account) through the backtester's fill rule.

    The backtest model uses the user's own taker fee and slippage (``Simulator.preferences``), so
    what remains is what differs in kind: a maker fee on a resting order against the backtest's
    taker fee, the price rule (a limit's own price, or slippage off the last trade, against the
    next candle's open plus slippage) and the timing (the next candle's open against the moment of
    the paper fill). The paper slippage removed to estimate the market price at each paper fill is
    the user's slippage for every fill (a limit fill had none: its ``timing``/``price`` split is
    off by that many bps, the ``total`` is exact). Fills whose candle has not closed at the
    simulator's clock are counted in ``pending`` and not replayed. None without fills.

    ``backtest`` (a :class:`~sim.backtest_service.BacktestRun` or a backtest result with
    ``trades``): replay with the quantities that run traded, so the totals also attribute the
    quantity sizing and add up to the difference between the paper account and that run.
    """
    fills = trades_frame(sim, user_id)
    if fills.empty:
        return None
    step = pd.Timedelta(INTERVALS[interval])
    times = pd.DatetimeIndex(pd.to_datetime(fills["time"], utc=True))
    first = times.min().floor(step) - step
    candles = {s: closed_candles(sim, s, interval, first, None) for s in sorted(set(fills["symbol"]))}
    if any(f.empty for f in candles.values()):
        return None
    last_close = min(pd.Timestamp(f["open_time"].iloc[-1]) for f in candles.values()) + step
    known = np.asarray(times < last_close)
    paper = fills.loc[known].rename(columns={"quantity": "qty"}).reset_index(drop=True)
    prefs = accounts.preferences(sim, user_id)
    model = fill_model(prefs["taker_fee"], prefs["slippage_bps"])
    start_cash = accounts.portfolio(sim, user_id).starting_cash
    if paper.empty:
        return None
    rec = reconcile(
        paper[["time", "symbol", "side", "qty", "price", "fee"]],
        candles,
        fill_model=model,
        instruments={s: sim.instruments.get_or_raise(s) for s in candles},
        cash=start_cash,
        paper_slippage_bps=prefs["slippage_bps"],
        backtest_trades=_trades_of(backtest),
    )
    return PaperComparison(rec, model, prefs["slippage_bps"], interval, int((~known).sum()))


def explain(comparison: PaperComparison, lang: str = "en") -> list[str]:
    """The differences of a comparison in sentences (numbers from ``reconcile``'s totals), in
    ``lang`` (English by default; the numbers are written the same in every language)."""
    t = comparison.reconciliation.totals
    m = comparison.model

    def usdt(value: Decimal) -> str:
        return f"{value:+,.{2 if abs(value) >= 10 else 4}f} USDT"

    lines = [
        word(
            lang,
            "explain.replayed",
            replayed=t["replayed"],
            fills=t["fills"],
            interval=comparison.interval,
            difference=usdt(t["final_equity_difference"]),
            backtest=f"{t['backtest_final_equity']:,.2f}",
            paper=f"{t['paper_final_equity']:,.2f}",
        ),
        word(lang, "explain.fees", amount=usdt(t["fee"]), rate=f"{(m.fees.taker * 100).normalize():f}"),
        word(lang, "explain.price", amount=usdt(t["price"]), bps=f"{m.slippage_bps.normalize():f}"),
        word(lang, "explain.timing", amount=usdt(t["timing"]), interval=comparison.interval),
    ]
    if t["quantity"]:
        lines.append(word(lang, "explain.quantity", amount=usdt(t["quantity"])))
    if t["not_replayed"]:
        lines.append(word(lang, "explain.not_replayed", n=t["not_replayed"]))
    if comparison.pending:
        lines.append(word(lang, "explain.pending", n=comparison.pending))
    return lines


def _trades_of(backtest: Any) -> pd.DataFrame | None:
    if backtest is None:
        return None
    result = getattr(backtest, "result", backtest)
    return result.trades if isinstance(result.trades, pd.DataFrame) else None
