"""The assistant's functions: each answers from the simulator and returns a :class:`ToolResult`.

The rule-based chat and the language-model path call the same functions (:data:`TOOL_SPECS` are
their OpenAI ``tools`` descriptions). None of them trades: :func:`propose_order` only builds a
:class:`ProposedOrder` with a preview (:meth:`Simulator.preview_order`: the same validation, fill
and fee functions as placing); :func:`confirm` places a proposal the user confirmed.

Definitions used by :func:`explain_loss` (one symbol, the active account's fills):
- average entry = sum(price x quantity) / sum(quantity) over buys; average exit likewise over
  sells (fill prices, fees excluded);
- realized PnL = the ledger's realized PnL of the sells, net of all fees (average-cost basis that
  includes buy fees); unrealized PnL = market value - cost basis of what is still held;
- price effect ~= (average exit - average entry) x quantity sold (the part of the result due to
  prices, before fees; approximate when buys and sells interleave);
- slippage vs the candle = for each fill, ``(fill price - reference) x quantity`` for a buy and
  ``(reference - fill price) x quantity`` for a sell (positive = it cost you), the reference being
  the close of the candle (finest interval the history has) that contains the fill time; not
  available for fills whose candle has not closed yet. With hourly candles it mixes real slippage
  with the price move inside the hour, which the answer says.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.assistant.types import ProposedOrder, ToolResult, readable
from sim.domain.errors import InvalidInput, NotFound, SimError
from sim.domain.values import floor_to

if TYPE_CHECKING:
    from sim.services import Simulator
    from sim.views import OrderView

CENT = Decimal("0.01")
UNIT = Decimal("0.00000001")

# --- formatting -------------------------------------------------------------------------------------


def fmt(value: Decimal | float | None, places: int = 2) -> str:
    """A number with thousands separators (``-`` for None)."""
    if value is None:
        return "-"
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places)):,}"


def fmt_price(value: Decimal | float | None) -> str:
    if value is None:
        return "-"
    v = abs(float(value))
    return fmt(value, 2 if v >= 100 else 4 if v >= 1 else 6)


def fmt_qty(value: Decimal | None) -> str:
    return "-" if value is None else f"{value.normalize():f}"


def pct(value: float | Decimal | None, places: int = 1) -> str:
    return "-" if value is None else f"{float(value):.{places}%}"


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if hasattr(value, "to_dict"):
        return _json(value.to_dict())
    return value


def as_json(result: ToolResult) -> str:
    """A tool result for the language model: its text and data as JSON (Decimals as strings)."""
    body: dict[str, Any] = {"answer": result.text, "data": _json(result.data)}
    if result.proposal is not None:
        body["proposal"] = _json(result.proposal.to_dict())
        body["note"] = "Proposed only: the user must press Confirm; nothing was traded."
    return json.dumps(body, default=str)


# --- market -----------------------------------------------------------------------------------------


def list_symbols(sim: Simulator) -> ToolResult:
    symbols = sim.symbols()
    return ToolResult(f"I track {', '.join(symbols)}.", {"symbols": symbols})


def get_price(sim: Simulator, symbol: str | None = None) -> ToolResult:
    """The latest price (and 24h change) of one symbol, or of every tracked symbol."""
    symbols = [sim.instruments.get_or_raise(symbol).symbol] if symbol else sim.symbols()
    lines, data = [], {}
    for s in symbols:
        t = sim.ticker(s)
        data[s] = t
        if t is None:
            lines.append(f"{s}: no price yet")
            continue
        change = f" ({float(t['change_pct']):+.2f}% in 24h)" if t["change_pct"] is not None else ""
        lines.append(f"{s}: {fmt_price(t['price'])} USDT{change}, last trade {t['time']:%Y-%m-%d %H:%M} UTC")
    return ToolResult("\n".join(lines), {"prices": data})


def get_portfolio(sim: Simulator, user_id: int) -> ToolResult:
    """Cash, holdings, equity, return and PnL of the user's active account."""
    pv = sim.portfolio(user_id)
    unrealized = sum((p.unrealized_pnl or Decimal(0) for p in pv.positions), Decimal(0))
    realized = sum((p.realized_pnl for p in pv.positions), Decimal(0))
    fees = sum((p.fees_paid for p in pv.positions), Decimal(0))
    lines = [
        f"Equity {fmt(pv.equity)} USDT ({float(pv.total_return):+.2%} since the start of "
        f"{fmt(pv.starting_cash)} USDT): cash {fmt(pv.cash)} USDT ({fmt(pv.cash_free)} free), "
        f"holdings {fmt(pv.holdings_value)} USDT.",
        f"Realized PnL {fmt(realized)} USDT (net of fees), unrealized {fmt(unrealized)} USDT; "
        f"fees paid {fmt(fees)} USDT.",
    ]
    held = [p for p in pv.positions if p.quantity > 0]
    for p in held:
        lines.append(
            f"- {p.symbol}: {fmt_qty(p.quantity)} at an average {fmt_price(p.avg_price)} (fees included), "
            f"now {fmt_price(p.last_price)}: value {fmt(p.market_value)} USDT, "
            f"unrealized {fmt(p.unrealized_pnl)} USDT"
        )
    if not held:
        lines.append("You hold no coins right now.")
    data = {
        "equity": pv.equity,
        "cash": pv.cash,
        "cash_free": pv.cash_free,
        "holdings_value": pv.holdings_value,
        "total_return": pv.total_return,
        "realized_pnl": realized,
        "unrealized_pnl": unrealized,
        "fees_paid": fees,
        "positions": [
            {
                "symbol": p.symbol,
                "quantity": p.quantity,
                "avg_price": p.avg_price,
                "last_price": p.last_price,
                "market_value": p.market_value,
                "unrealized_pnl": p.unrealized_pnl,
                "realized_pnl": p.realized_pnl,
            }
            for p in pv.positions
        ],
    }
    return ToolResult("\n".join(lines), data)


# --- forecasts --------------------------------------------------------------------------------------


def _record_line(sim: Simulator, symbol: str | None, horizon: int | None) -> tuple[str, dict[str, Any]]:
    record = sim.track_record(symbol, horizon)
    if record.model is None:
        return (
            f"Live track record: no scored forecasts yet ({record.n_pending} pending).",
            record.to_dict(),
        )
    base = " · ".join(
        f"{name.replace('_', ' ')} {pct(s.hit_rate)} / {s.brier:.3f}" for name, s in record.baselines.items()
    )
    text = (
        f"Live track record over {record.n_scored} scored forecast(s): "
        f"hit rate {pct(record.model.hit_rate)}, "
        f"Brier {record.model.brier:.3f} (lower is better); baselines (hit rate / Brier): {base}. "
        f"{record.n_pending} pending."
    )
    return text, record.to_dict()


def get_forecast(sim: Simulator, symbol: str, horizon: int = 1) -> ToolResult:
    """The served direction forecast of ``symbol`` (stored), with its validation and track record."""
    from sim.analytics.figures_forecast import accuracy_text

    f = sim.forecast(symbol, "1h", int(horizon))
    probs = ", ".join(f"{k} {pct(f.probabilities[k], 0)}" for k in ("up", "flat", "down"))
    sim.score_forecasts()
    record_text, record = _record_line(sim, f.symbol, f.horizon)
    text = (
        f"{f.symbol}, next {f.horizon} hour(s) (from {f.as_of:%Y-%m-%d %H:%M} to "
        f"{f.valid_until:%H:%M} UTC): {probs}; most likely **{f.label}**. "
        f"'Flat' means a move within ±{f.band:.2%}.\n"
        f"Model {f.model_id}: {accuracy_text(f.validation)}.\n{record_text}\n"
        "A forecast is a probability, not advice."
    )
    return ToolResult(text, {"forecast": f.to_dict(), "track_record": record})


def get_track_record(sim: Simulator, symbol: str | None = None, horizon: int | None = None) -> ToolResult:
    """Hit rate and Brier score of the scored forecasts against the baselines (scores due ones first)."""
    sim.score_forecasts()
    text, record = _record_line(sim, symbol, horizon)
    scope = sim.instruments.get_or_raise(symbol).symbol if symbol else "all symbols"
    return ToolResult(f"Forecasts ({scope}). {text}", {"track_record": record})


def get_analysis(sim: Simulator, symbol: str) -> ToolResult:
    """Trend, momentum, volatility regime and support/resistance of ``symbol``, with definitions."""
    from sim.forecasting import ANALYSIS_DEFINITIONS

    a = sim.analysis(symbol)
    m = a.metrics
    rsi = m["rsi_14"].value
    vol = m["rv_24_annualized"].value
    sup = ", ".join(fmt_price(lv.price) for lv in a.supports) or "none found"
    res = ", ".join(fmt_price(lv.price) for lv in a.resistances) or "none found"
    text = (
        f"{sim.instruments.get_or_raise(symbol).symbol} at {a.as_of:%Y-%m-%d %H:%M} UTC, close "
        f"{fmt_price(a.close)}:\n"
        f"- trend **{a.trend}** ({ANALYSIS_DEFINITIONS['trend']})\n"
        f"- momentum **{a.momentum}**, RSI(14) {'-' if rsi is None else f'{rsi:.1f}'} ({a.rsi_zone})\n"
        f"- volatility **{a.volatility_regime}**: annualized {pct(vol)} "
        f"({ANALYSIS_DEFINITIONS['volatility_regime']})\n"
        f"- supports {sup}; resistances {res}"
    )
    return ToolResult(text, {"analysis": a.to_dict(), "definitions": ANALYSIS_DEFINITIONS})


# --- indicators -------------------------------------------------------------------------------------

INDICATORS: dict[str, dict[str, Any]] = {
    "rsi": {
        "title": "RSI (Relative Strength Index)",
        "plain": "a momentum gauge from 0 to 100 comparing recent gains with recent losses; above 70 "
        "is often called overbought, below 30 oversold",
        "features": ["rsi_14"],
        "metrics": ["rsi_14"],
    },
    "macd": {
        "title": "MACD (Moving Average Convergence Divergence)",
        "plain": "the gap between a fast and a slow exponential average of the price; above its "
        "signal line means upward momentum is building, below means it is fading",
        "features": ["macd", "macd_signal", "macd_hist"],
        "metrics": ["macd", "macd_signal", "macd_hist"],
    },
    "bollinger": {
        "title": "Bollinger bands",
        "plain": "bands two standard deviations above and below the 20-bar average; the position "
        "in the bands says how stretched the price is (+1 at the upper band, -1 at the lower)",
        "features": ["bb_pos"],
        "metrics": [],
    },
    "volatility": {
        "title": "Volatility",
        "plain": "how much the price moves: the standard deviation of hourly log returns, also "
        "shown annualized and as a percentile of the last year",
        "features": ["rv_24", "rv_72"],
        "metrics": ["rv_24", "rv_24_annualized", "rv_24_percentile"],
    },
    "sma": {
        "title": "Moving averages (SMA)",
        "plain": "the mean of the last N closes; the price above a rising average is read as an uptrend",
        "features": [],
        "metrics": ["sma50", "sma200", "close_vs_sma50", "close_vs_sma200", "slope50"],
    },
    "momentum": {
        "title": "Momentum",
        "plain": "",
        "features": ["ret_1", "ret_24"],
        "metrics": [],
        "state": "momentum",
    },
    "trend": {"title": "Trend", "plain": "", "features": [], "metrics": ["slope50"], "state": "trend"},
    "levels": {
        "title": "Support and resistance",
        "plain": "price levels where the market turned before; supports below the price, resistances above",
        "features": [],
        "metrics": [],
        "state": "support",
    },
    "volume": {
        "title": "Volume z-score",
        "plain": "how unusual the current volume is compared with the last day",
        "features": ["volume_z"],
        "metrics": [],
    },
    "brier": {"title": "Brier score", "plain": "", "features": [], "metrics": [], "record": "brier"},
    "baseline": {"title": "Baselines", "plain": "", "features": [], "metrics": [], "record": "last_move"},
    "band": {"title": "The flat band", "plain": "", "features": [], "metrics": [], "record": "outcome"},
}


def explain_indicator(sim: Simulator, name: str, symbol: str | None = None) -> ToolResult:
    """What an indicator means and how it is computed here; its current value when a symbol is given."""
    from sim.analytics.forecast.features import FEATURES
    from sim.forecasting import ANALYSIS_DEFINITIONS, TRACK_RECORD_DEFINITIONS

    key = name.strip().lower()
    aliases = {
        "bb": "bollinger",
        "ema": "sma",
        "support": "levels",
        "resistance": "levels",
        "rv": "volatility",
    }
    key = aliases.get(key, key)
    spec = INDICATORS.get(key)
    if spec is None:
        raise InvalidInput(f"I know these indicators: {', '.join(INDICATORS)}.")
    lines = [f"**{spec['title']}**" + (f": {spec['plain']}." if spec["plain"] else "")]
    if "state" in spec:
        lines.append(f"Here: {ANALYSIS_DEFINITIONS[spec['state']]}.")
    if "record" in spec:
        if key == "baseline":
            lines.append(
                f"Here: {TRACK_RECORD_DEFINITIONS['last_move']}; {TRACK_RECORD_DEFINITIONS['majority']}."
            )
        else:
            lines.append(f"Here: {TRACK_RECORD_DEFINITIONS[spec['record']]}.")
    for feature in spec["features"]:
        lines.append(f"- `{feature}` = {FEATURES[feature]}")
    data: dict[str, Any] = {"indicator": key, "definitions": {f: FEATURES[f] for f in spec["features"]}}
    if symbol and (spec["metrics"] or "state" in spec):
        a = sim.analysis(symbol)
        values = {k: a.metrics[k] for k in spec["metrics"]}
        for k, metric in values.items():
            value = "-" if metric.value is None else readable(metric.value)
            lines.append(
                f"- {a.as_of:%Y-%m-%d %H:%M} {sim.instruments.get_or_raise(symbol).symbol} "
                f"`{k}` = {value} ({metric.definition})"
            )
        state = spec.get("state")
        if state in ("trend", "momentum"):
            lines.append(f"- {state} now: **{getattr(a, state)}**")
        if key == "rsi":
            lines.append(f"- RSI zone now: **{a.rsi_zone}**")
        if key == "levels":
            lines.append(
                f"- supports {', '.join(fmt_price(lv.price) for lv in a.supports) or 'none'}; "
                f"resistances {', '.join(fmt_price(lv.price) for lv in a.resistances) or 'none'}"
            )
        data["values"] = {k: m.value for k, m in values.items()}
    return ToolResult("\n".join(lines), data)


# --- the user's trades ------------------------------------------------------------------------------


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _slippage(sim: Simulator, symbol: str, fills: list[Any]) -> tuple[list[dict[str, Any]], str | None]:
    """Per fill: the reference candle close and the slippage cost (see the module docstring)."""
    intervals = sim.chart_intervals(symbol)
    interval = intervals[0] if intervals else "1h"
    step = pd.Timedelta(interval)
    first = pd.Timestamp(min(f.time for f in fills))
    try:
        candles = sim.history(symbol, interval, first.floor(step) - step, None)
    except SimError:
        return [], None
    if candles.empty:
        return [], interval
    index = pd.DatetimeIndex(pd.to_datetime(candles["open_time"], utc=True))
    rows = []
    for f in fills:
        t = pd.Timestamp(f.time)
        pos = index.searchsorted(t, side="right") - 1
        if pos < 0 or not (index[pos] <= t < index[pos] + step):
            continue
        c = candles.iloc[pos]
        ref = _dec(c["close"])
        sign = 1 if f.side == "BUY" else -1
        cost = ((f.price - ref) * f.quantity * sign).quantize(UNIT)
        rows.append(
            {
                "time": f.time,
                "side": f.side,
                "price": f.price,
                "quantity": f.quantity,
                "reference_close": ref,
                "candle_low": _dec(c["low"]),
                "candle_high": _dec(c["high"]),
                "within_candle": _dec(c["low"]) <= f.price <= _dec(c["high"]),
                "slippage_cost": cost,
                "slippage_bps": float((f.price / ref - 1) * sign * 10_000),
            }
        )
    return rows, interval


def explain_loss(sim: Simulator, user_id: int, symbol: str | None = None) -> ToolResult:
    """A breakdown of one symbol's fills: fees, entry vs exit, realized PnL, slippage vs the candle.

    Without a symbol, the symbol with the worst realized PnL on the active account is explained.
    """
    fills = sim.trades(user_id)
    if symbol is None:
        if not fills:
            return ToolResult("You have no trades on this account yet, so there is no loss to explain.")
        pnl = {
            p.symbol: p.realized_pnl + (p.unrealized_pnl or Decimal(0))
            for p in sim.portfolio(user_id).positions
        }
        if not pnl:
            return ToolResult("You have no positions on this account, so there is no loss to explain.")
        symbol = min(pnl, key=lambda s: pnl[s])
    symbol = sim.instruments.get_or_raise(symbol).symbol
    mine = [f for f in fills if f.symbol == symbol]
    if not mine:
        return ToolResult(f"You have no {symbol} trades on this account.", {"symbol": symbol, "fills": 0})
    buys = [f for f in mine if f.side == "BUY"]
    sells = [f for f in mine if f.side == "SELL"]
    bought = sum((f.quantity for f in buys), Decimal(0))
    sold = sum((f.quantity for f in sells), Decimal(0))
    avg_entry = sum((f.price * f.quantity for f in buys), Decimal(0)) / bought if bought else None
    avg_exit = sum((f.price * f.quantity for f in sells), Decimal(0)) / sold if sold else None
    fees = sum((f.fee for f in mine), Decimal(0))
    realized = sum((f.realized_pnl for f in mine), Decimal(0))
    position = next((p for p in sim.portfolio(user_id).positions if p.symbol == symbol), None)
    unrealized = position.unrealized_pnl if position is not None else None
    price_effect = (avg_exit - avg_entry) * sold if avg_entry is not None and avg_exit is not None else None
    slips, interval = _slippage(sim, symbol, mine)
    slip_total = sum((s["slippage_cost"] for s in slips), Decimal(0))
    base = sim.instruments.get_or_raise(symbol).base_asset
    lines = [f"Your {symbol} trades on this account: {len(buys)} buy(s), {len(sells)} sell(s)."]
    if bought:
        lines.append(
            f"- bought {fmt_qty(bought)} {base} at an average {fmt_price(avg_entry)} (fees excluded)"
        )
    if sold:
        lines.append(f"- sold {fmt_qty(sold)} {base} at an average {fmt_price(avg_exit)}")
    if price_effect is not None:
        lines.append(f"- price effect ≈ (average exit - average entry) × sold = {fmt(price_effect)} USDT")
    lines.append(f"- fees paid: {fmt(fees, 8 if fees < CENT else 2)} USDT on {len(mine)} fill(s)")
    lines.append(f"- realized PnL: {fmt(realized)} USDT (net of fees)")
    if unrealized is not None and position is not None and position.quantity > 0:
        lines.append(
            f"- still held: {fmt_qty(position.quantity)} {base}, unrealized {fmt(unrealized)} USDT at "
            f"{fmt_price(position.last_price)}"
        )
    if slips:
        note = (
            " (hourly candles: this mixes slippage with the move inside the hour)" if interval != "1m" else ""
        )
        lines.append(
            f"- slippage vs the {interval} candle close: {fmt(slip_total)} USDT over {len(slips)} of "
            f"{len(mine)} fill(s){note}; {sum(not s['within_candle'] for s in slips)} fill(s) outside "
            "their candle's low-high range"
        )
    else:
        lines.append("- slippage vs the candle: not available yet (the fills' candles have not closed)")
    drivers = {"the price move": -(price_effect or Decimal(0)), "fees": fees}
    if slips:
        drivers["slippage"] = slip_total
    worst = max(drivers, key=lambda k: drivers[k])
    total = realized + (unrealized or Decimal(0))
    if total < 0 and drivers[worst] > 0:
        lines.append(f"Overall {fmt(total)} USDT; the largest cost was {worst} ({fmt(drivers[worst])} USDT).")
    else:
        lines.append(f"Overall {fmt(total)} USDT (realized + unrealized).")
    data = {
        "symbol": symbol,
        "fills": len(mine),
        "buys": len(buys),
        "sells": len(sells),
        "bought_qty": bought,
        "sold_qty": sold,
        "avg_entry": avg_entry,
        "avg_exit": avg_exit,
        "fees_paid": fees,
        "realized_pnl": realized,
        "unrealized_pnl": unrealized,
        "price_effect": price_effect,
        "slippage_cost": slip_total if slips else None,
        "slippage_interval": interval,
        "slippage": slips,
    }
    return ToolResult("\n".join(lines), data)


# --- orders -----------------------------------------------------------------------------------------


def _free_quantity(sim: Simulator, user_id: int, symbol: str) -> Decimal:
    for p in sim.portfolio(user_id).positions:
        if p.symbol == symbol:
            return p.qty_free
    return Decimal(0)


def propose_order(
    sim: Simulator,
    user_id: int,
    symbol: str,
    side: str,
    quantity: object = None,
    quote_amount: object = None,
    fraction: object = None,
    price: object = None,
) -> ToolResult:
    """A :class:`ProposedOrder` with its preview, or why the order would be refused. Never trades.

    ``fraction`` (0..1] sizes a sell from the free position and a buy from the free cash (a market
    buy then spends that quote amount, fee included; a limit buy buys ``floor(cash x fraction /
    (price x (1 + maker fee)))``). A quote amount on a sell or a limit buy becomes the quantity
    ``floor(quote / price)`` at the last (or limit) price. Quantities are floored to the step size.
    """
    instrument = sim.instruments.get_or_raise(symbol)
    side = str(side).upper()
    if side not in ("BUY", "SELL"):
        raise InvalidInput("side must be BUY or SELL.")
    kind = "LIMIT" if price is not None else "MARKET"
    limit = Decimal(str(price)) if price is not None else None
    qty = Decimal(str(quantity)) if quantity is not None else None
    quote = Decimal(str(quote_amount)) if quote_amount is not None else None
    note = ""
    base = instrument.base_asset
    try:
        if fraction is not None:
            frac = Decimal(str(fraction))
            if not Decimal(0) < frac <= 1:
                raise InvalidInput(f"The share must be between 0% and 100%, got {float(frac):.0%}.")
            if side == "SELL":
                free = _free_quantity(sim, user_id, instrument.symbol)
                if free <= 0:
                    raise InvalidInput(f"You hold no free {base} to sell.")
                qty = floor_to(free * frac, instrument.step_size)
                note = f"{float(frac):.0%} of your free {fmt_qty(free)} {base}, rounded down to the step size"
            else:
                cash = sim.portfolio(user_id).cash_free
                quote = (cash * frac).quantize(CENT, rounding=ROUND_DOWN)
                note = f"{float(frac):.0%} of your free {fmt(cash)} USDT"
        if quote is not None and (side == "SELL" or kind == "LIMIT"):
            ref = limit
            if ref is None:
                tick = sim.price(instrument.symbol)
                if tick is None:
                    raise InvalidInput(f"There is no {instrument.symbol} price yet.")
                ref = tick.price
            divisor = ref * (1 + sim.preferences(user_id)["maker_fee"]) if side == "BUY" else ref
            qty = floor_to(quote / divisor, instrument.step_size)
            note = (
                note + "; " if note else ""
            ) + f"{fmt(quote)} USDT at {fmt_price(ref)} is {fmt_qty(qty)} {base}"
            quote = None
        if qty is not None and qty <= 0:
            raise InvalidInput(
                f"That is less than the smallest {base} step ({instrument.step_size.normalize()})."
            )
        preview = sim.preview_order(
            user_id, instrument.symbol, side, kind, quantity=qty, quote_amount=quote, price=limit
        )
    except SimError as exc:
        what = f"{side.lower()} {instrument.symbol}"
        return ToolResult(
            f"I did not propose this order ({what}) because it would be refused: {exc} Nothing was traded.",
            {"refused": str(exc), "symbol": instrument.symbol, "side": side},
        )
    proposal = ProposedOrder(
        id=f"chat-{uuid.uuid4().hex[:24]}",
        user_id=user_id,
        symbol=instrument.symbol,
        side=side,
        type=kind,
        quantity=qty,
        quote_amount=quote,
        price=limit,
        preview=preview,
        created_at=sim.now(),
        note=note,
    )
    return ToolResult(describe(proposal), {"proposal": proposal.to_dict()}, proposal)


def describe(p: ProposedOrder) -> str:
    """One paragraph: what the proposal would do, from its preview."""
    v = p.preview
    base, quote = v.get("base_asset", ""), v.get("quote_asset", "USDT")
    size = (
        f"{fmt_qty(p.quantity)} {base}"
        if p.quantity is not None
        else f"{fmt(p.quote_amount)} {quote} of {base}"
    )
    how = f"limit {fmt_price(p.price)}" if p.type == "LIMIT" else "market"
    when = "fills now" if v["fills_now"] else "rests until the price crosses the limit"
    money = "cost" if p.side == "BUY" else "proceeds"
    text = (
        f"Proposed: **{p.side} {size}** ({p.symbol}, {how}) — {when}: "
        f"about {fmt_qty(v['quantity'])} {base} at "
        f"{fmt_price(v['price'])}, fee {fmt(v['fee'], 8 if v['fee'] < CENT else 2)} {quote}, {money} "
        f"{fmt(v['total'])} {quote}; free {quote} after: {fmt(v['cash_free_after'])}."
    )
    if p.note:
        text += f" ({p.note}.)"
    return text + " Press Confirm to place it; nothing is traded until you do."


def confirm(sim: Simulator, user_id: int, proposal: ProposedOrder) -> OrderView:
    """Place a proposal the user confirmed (at most once: its id is the client order id).

    The order is validated again when placed (prices may have moved since the preview).
    """
    if not isinstance(proposal, ProposedOrder):
        raise InvalidInput("Only an order proposed by the assistant can be confirmed.")
    if proposal.user_id != user_id:
        raise NotFound("This proposal belongs to another user.")
    return sim.place_order(
        user_id,
        proposal.symbol,
        proposal.side,
        proposal.type,
        quantity=proposal.quantity,
        quote_amount=proposal.quote_amount,
        price=proposal.price,
        client_order_id=proposal.id,
    )


# --- the language model's view ----------------------------------------------------------------------

_SYMBOL = {"type": "string", "description": "ticker such as BTCUSDT, or a name such as bitcoin"}
TOOL_SPECS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }
    for name, description, props, required in (
        ("list_symbols", "The symbols the simulator tracks.", {}, []),
        ("get_price", "Latest price and 24h change of a symbol (or all).", {"symbol": _SYMBOL}, []),
        ("get_portfolio", "The user's cash, holdings, equity and PnL.", {}, []),
        (
            "get_forecast",
            "Direction forecast (down/flat/up probabilities) with validation and live track record.",
            {"symbol": _SYMBOL, "horizon": {"type": "integer", "description": "hours ahead (1 or 4)"}},
            ["symbol"],
        ),
        (
            "get_track_record",
            "Hit rate and Brier score of past forecasts vs baselines.",
            {"symbol": _SYMBOL, "horizon": {"type": "integer"}},
            [],
        ),
        (
            "get_analysis",
            "Trend, momentum, volatility regime, support and resistance.",
            {"symbol": _SYMBOL},
            ["symbol"],
        ),
        (
            "explain_loss",
            "Breakdown of the user's fills of one symbol: fees, entry vs exit, realized PnL, slippage.",
            {"symbol": _SYMBOL},
            [],
        ),
        (
            "explain_indicator",
            "What an indicator means (rsi, macd, bollinger, volatility, sma, momentum, trend, levels, "
            "volume, brier, baseline, band), with its value for a symbol.",
            {"name": {"type": "string"}, "symbol": _SYMBOL},
            ["name"],
        ),
        (
            "propose_order",
            "Propose (never place) an order; the user confirms it in the app.",
            {
                "symbol": _SYMBOL,
                "side": {"type": "string", "enum": ["BUY", "SELL"]},
                "quantity": {"type": "string", "description": "base-asset quantity, e.g. '0.01'"},
                "quote_amount": {"type": "string", "description": "USDT to spend (market buys)"},
                "fraction": {"type": "string", "description": "share of free position/cash, '0.5' = half"},
                "price": {"type": "string", "description": "limit price; omit for a market order"},
            },
            ["symbol", "side"],
        ),
    )
]


def registry(sim: Simulator, user_id: int) -> dict[str, Callable[..., ToolResult]]:
    """The tools bound to one user (the language model never chooses the user)."""
    from sim.assistant.text import normalize, resolve_symbols

    def sym(value: object) -> str:
        text = str(value or "")
        found = resolve_symbols(normalize(text), sim.symbols())
        return found[0] if found else sim.instruments.get_or_raise(text).symbol

    def opt_sym(value: object) -> str | None:
        return sym(value) if value else None

    return {
        "list_symbols": lambda: list_symbols(sim),
        "get_price": lambda symbol=None: get_price(sim, opt_sym(symbol)),
        "get_portfolio": lambda: get_portfolio(sim, user_id),
        "get_forecast": lambda symbol, horizon=1: get_forecast(sim, sym(symbol), int(horizon)),
        "get_track_record": lambda symbol=None, horizon=None: get_track_record(
            sim, opt_sym(symbol), int(horizon) if horizon else None
        ),
        "get_analysis": lambda symbol: get_analysis(sim, sym(symbol)),
        "explain_loss": lambda symbol=None: explain_loss(sim, user_id, opt_sym(symbol)),
        "explain_indicator": lambda name, symbol=None: explain_indicator(sim, str(name), opt_sym(symbol)),
        "propose_order": lambda symbol, side, quantity=None, quote_amount=None, fraction=None, price=None: (
            propose_order(sim, user_id, sym(symbol), str(side), quantity, quote_amount, fraction, price)
        ),
    }


__all__ = [
    "INDICATORS",
    "TOOL_SPECS",
    "as_json",
    "confirm",
    "describe",
    "explain_indicator",
    "explain_loss",
    "get_analysis",
    "get_forecast",
    "get_portfolio",
    "get_price",
    "get_track_record",
    "list_symbols",
    "propose_order",
    "registry",
]
