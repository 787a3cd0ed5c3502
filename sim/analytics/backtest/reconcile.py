"""Paper vs backtest: replay a user's paper fills through the backtester's fill rule.

Each paper fill (time as a datetime or epoch ms, symbol, side, qty, price, fee) becomes a
decision on the candle whose price it traded at, ``t``: the candle with ``open < time <= close``.
A fill stamped exactly at a candle boundary traded at the price standing at that instant, which
the candle that just closed set: a paper market order placed when candle ``t`` closes is stamped
at ``t + 1``'s open time and filled off ``close(t)``, so it belongs to ``t`` -- as the backtest's
decision on ``t`` does. The backtester fills it on candle ``t + delay`` at its open (or worse side)
moved by the slippage, with the taker fee -- the rule of :mod:`sim.analytics.backtest.fill_model`,
through the same ``execute_market``. It fills the paper quantity, or with ``backtest_trades`` (the
trades of a backtest run) the quantity that run traded on that candle, symbol and side.

Differences are cash effects, backtest minus paper, so a positive number means the backtest did
better. With ``s = -1`` for a BUY and ``+1`` for a SELL, quantity ``q``:

- ``fee    = -(fee_bt - fee_paper)``
- ``timing = s * q * (ref_bt - ref_paper)``: the market moved between the paper fill and the
  backtest's reference price (next candle's open);
- ``price  = s * q * ((price_bt - ref_bt) - (price_paper - ref_paper))``: slippage and fill-price
  rule;
- ``quantity = s * (q_bt - q) * price_bt``: the backtest sized the order differently (its own cash
  and price, rounded to the step), 0 when it fills the paper quantity;
- ``total  = fee + timing + price + quantity = s * (q_bt * price_bt - q * price_paper) - (fee_bt -
  fee_paper)`` (an exact identity, in Decimal).

``ref_paper`` is the market price at the paper fill, estimated by removing the paper account's
slippage (``paper_slippage_bps``, default the fill model's): ``price / (1 + bps/10^4)`` for a BUY,
``price / (1 - bps/10^4)`` for a SELL, to 1e-10. Since the quantities are the same, the final
equity difference is the sum of ``total`` over the replayed fills; the totals add to ``quantity``
(and ``total``) the value at the last close of any quantity difference still held, so
``totals["total"] == final_equity_difference`` when every fill is replayed. A fill on the last
candle (no next candle) or one the exchange rules refuse at the backtest price is listed, not
replayed.
Pure: no ledger or network access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sim.analytics.backtest.engine import DEFAULT_CASH
from sim.analytics.backtest.fill_model import FillModel, to_decimal_price
from sim.analytics.backtest.instruments import resolve
from sim.analytics.backtest.market import Candles, load_market
from sim.analytics.backtest.results import equity_from_states
from sim.analytics.stats import as_decimal
from sim.domain.errors import InvalidInput, OrderRejected
from sim.domain.fills import BPS, execute_market
from sim.domain.instruments import Instrument
from sim.domain.orders import Side
from sim.domain.values import ZERO, to_decimal

REF_UNIT = Decimal("1e-10")
DIFF_COLUMNS = ("fee", "timing", "price", "quantity", "total")


@dataclass(frozen=True)
class Reconciliation:
    """``trades``: one row per paper fill; ``totals``: sums and final equities (Decimal);
    ``equity``: the paper and backtest equity curves per candle close (float)."""

    trades: pd.DataFrame
    totals: dict[str, Any]
    equity: pd.DataFrame


def _paper_ref(price: Decimal, side: Side, bps: Decimal) -> Decimal:
    factor = 1 + bps / BPS if side is Side.BUY else 1 - bps / BPS
    return (price / factor).quantize(REF_UNIT)


def reconcile(
    paper_fills: pd.DataFrame,
    candles: Candles,
    *,
    symbol: str | None = None,
    fill_model: FillModel | None = None,
    instruments: Mapping[str, Instrument] | None = None,
    cash: Decimal | str | int = DEFAULT_CASH,
    paper_slippage_bps: Decimal | None = None,
    backtest_trades: pd.DataFrame | None = None,
) -> Reconciliation:
    """Replay ``paper_fills`` on ``candles`` and explain the differences (module docstring)."""
    if isinstance(candles, pd.DataFrame) and symbol is None:
        symbol = candles.attrs.get("symbol")
        if symbol is None and len(paper_fills):
            symbol = str(paper_fills["symbol"].iloc[0])
    market = load_market(candles, symbol)
    model = fill_model or FillModel()
    bps = model.slippage_bps if paper_slippage_bps is None else paper_slippage_bps
    insts = resolve(market.symbols, instruments)
    column = {s: j for j, s in enumerate(market.symbols)}
    n, k = market.bars, len(market.symbols)
    raw_times = paper_fills["time"]
    unit = "ms" if pd.api.types.is_numeric_dtype(raw_times) else None  # epoch ms, like open_time
    times = pd.DatetimeIndex(pd.to_datetime(raw_times, unit=unit, utc=True))
    ns = market.index.as_unit("ns").asi8
    bars = np.searchsorted(ns, times.as_unit("ns").asi8, side="left") - 1  # open < time <= close
    sized = _backtest_sizes(backtest_trades)
    start = to_decimal(cash, "cash")

    rows: list[dict[str, Any]] = []
    paper_cash, bt_cash = start, start
    paper_q = [ZERO] * k
    bt_q = [ZERO] * k
    extra_q = [ZERO] * k  # what the backtest holds more than the paper account, from sizing
    paper_states: list[tuple[int, float, list[float]]] = []
    bt_states: list[tuple[int, float, list[float]]] = []
    for i, rec in enumerate(paper_fills.itertuples(index=False)):
        sym = str(rec.symbol)
        if sym not in column:
            raise InvalidInput.of("backtest.paper_fill_no_candles", index=i, symbol=sym)
        j, inst = column[sym], insts[sym]
        side = Side(str(rec.side).upper())
        s = -1 if side is Side.BUY else 1
        q, p_paper, f_paper = as_decimal(rec.qty), as_decimal(rec.price), as_decimal(rec.fee)
        t = int(bars[i])
        row: dict[str, Any] = {
            "time": times[i],
            "symbol": sym,
            "side": side.value,
            "qty": q,
            "bar_time": market.index[t] if t >= 0 else pd.NaT,
            "paper_price": p_paper,
            "paper_fee": f_paper,
        }
        if t >= 0:
            paper_cash += s * q * p_paper - f_paper
            paper_q[j] -= s * q
            paper_states.append((t, float(paper_cash), [float(x) for x in paper_q]))
        fb = t + model.delay
        status = "replayed"
        if t < 0:
            status = "before the candles"
        elif fb >= n:
            status = "no next candle"
        else:
            worst = model.price == "worst"
            ref_f = (
                market.high[fb, j]
                if worst and side is Side.BUY
                else (market.low[fb, j] if worst else market.open[fb, j])
            )
            ref = to_decimal_price(ref_f)
            q_bt = sized.get((sym, side.value, market.index[fb]), q)
            try:
                exe = execute_market(
                    inst,
                    side,
                    model.rate,
                    quantity=inst.quantity(q_bt),
                    last=ref,
                    slippage_bps=model.slippage_bps,
                )
            except (InvalidInput, OrderRejected) as exc:
                status = f"refused: {exc}"
            else:
                p_bt, f_bt = exe.avg_price, exe.fee
                p_ref = _paper_ref(p_paper, side, bps)
                fee = -(f_bt - f_paper)
                timing = s * q * (ref - p_ref)
                price = s * q * ((p_bt - ref) - (p_paper - p_ref))
                quantity = s * (exe.quantity - q) * p_bt
                row.update(
                    fill_time=market.index[fb],
                    paper_ref=p_ref,
                    backtest_ref=ref,
                    backtest_price=p_bt,
                    backtest_fee=f_bt,
                    fee=fee,
                    timing=timing,
                    price=price,
                    quantity=quantity,
                    backtest_qty=exe.quantity,
                    total=fee + timing + price + quantity,
                )
                bt_cash += s * exe.notional - f_bt
                bt_q[j] -= s * exe.quantity
                extra_q[j] -= s * (exe.quantity - q)
                bt_states.append((fb, float(bt_cash), [float(x) for x in bt_q]))
        row["status"] = status
        rows.append(row)

    columns = [
        "time",
        "symbol",
        "side",
        "qty",
        "bar_time",
        "paper_price",
        "paper_fee",
        "fill_time",
        "paper_ref",
        "backtest_ref",
        "backtest_qty",
        "backtest_price",
        "backtest_fee",
        *DIFF_COLUMNS,
        "status",
    ]
    trades = pd.DataFrame(rows).reindex(columns=columns)
    replayed = trades[trades["status"] == "replayed"]
    last_close = [to_decimal_price(x) for x in market.close[-1].tolist()]
    paper_final = paper_cash + sum((paper_q[j] * last_close[j] for j in range(k)), ZERO)
    bt_final = bt_cash + sum((bt_q[j] * last_close[j] for j in range(k)), ZERO)
    totals: dict[str, Any] = {c: sum(replayed[c].tolist(), ZERO) for c in DIFF_COLUMNS}
    held = sum((extra_q[j] * last_close[j] for j in range(k)), ZERO)  # quantity difference held
    totals["quantity"] += held
    totals["total"] += held
    totals.update(
        fills=len(trades),
        replayed=len(replayed),
        not_replayed=len(trades) - len(replayed),
        paper_final_equity=paper_final,
        backtest_final_equity=bt_final,
        final_equity_difference=bt_final - paper_final,
    )
    equity = pd.DataFrame(
        {
            "paper": _curve(market.close, float(start), paper_states, k),
            "backtest": _curve(market.close, float(start), bt_states, k),
        },
        index=market.index,
    )
    return Reconciliation(trades=trades, totals=totals, equity=equity)


def _backtest_sizes(trades: pd.DataFrame | None) -> dict[tuple[str, str, pd.Timestamp], Decimal]:
    """``(symbol, side, fill candle's open time) -> quantity`` of a backtest run's trades."""
    if trades is None or trades.empty:
        return {}
    times = pd.DatetimeIndex(pd.to_datetime(trades["time"], utc=True))
    return {
        (str(sym), str(side).upper(), times[i]): as_decimal(qty)
        for i, (sym, side, qty) in enumerate(
            zip(trades["symbol"], trades["side"], trades["qty"], strict=True)
        )
    }


def _curve(
    close: np.ndarray, cash0: float, states: list[tuple[int, float, list[float]]], k: int
) -> np.ndarray:
    bars = np.asarray([b for b, _, _ in states], dtype=np.int64)
    cash = np.asarray([c for _, c, _ in states], dtype=np.float64)
    qty = np.asarray([q for _, _, q in states], dtype=np.float64).reshape(-1, k)
    equity, _ = equity_from_states(close, cash0, bars, cash, qty)
    return equity
