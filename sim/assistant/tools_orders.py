"""The assistant's order and loss answers: :func:`explain_loss`, :func:`propose_order`, :func:`confirm`.

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

import uuid
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.assistant.formatting import CENT, UNIT, fmt, fmt_price, fmt_qty
from sim.assistant.replies import say
from sim.assistant.types import ProposedOrder, ToolResult
from sim.domain.errors import InvalidInput, NotFound, SimError
from sim.domain.fills import affordable_quantity
from sim.domain.values import floor_to, to_decimal

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator
    from sim.views import OrderView


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


def explain_loss(sim: Simulator, user_id: int, symbol: str | None = None, lang: str = "en") -> ToolResult:
    """A breakdown of one symbol's fills: fees, entry vs exit, realized PnL, slippage vs the candle.

    Without a symbol, the symbol with the worst realized PnL on the active account is explained.
    """
    fills = sim.trades(user_id)
    if symbol is None:
        if not fills:
            return ToolResult(say(lang, "loss_no_trades"))
        pnl = {
            p.symbol: p.realized_pnl + (p.unrealized_pnl or Decimal(0))
            for p in sim.portfolio(user_id).positions
        }
        if not pnl:
            return ToolResult(say(lang, "loss_no_positions"))
        symbol = min(pnl, key=lambda s: pnl[s])
    symbol = sim.instruments.get_or_raise(symbol).symbol
    mine = [f for f in fills if f.symbol == symbol]
    if not mine:
        return ToolResult(say(lang, "loss_no_symbol", symbol=symbol), {"symbol": symbol, "fills": 0})
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
    lines = [say(lang, "loss_head", symbol=symbol, buys=len(buys), sells=len(sells))]
    if bought:
        lines.append(say(lang, "loss_bought", qty=fmt_qty(bought), base=base, price=fmt_price(avg_entry)))
    if sold:
        lines.append(say(lang, "loss_sold", qty=fmt_qty(sold), base=base, price=fmt_price(avg_exit)))
    if price_effect is not None:
        lines.append(say(lang, "loss_price_effect", value=fmt(price_effect)))
    lines.append(say(lang, "loss_fees", fees=fmt(fees, 8 if fees < CENT else 2), n=len(mine)))
    lines.append(say(lang, "loss_realized", value=fmt(realized)))
    if unrealized is not None and position is not None and position.quantity > 0:
        qty, last = fmt_qty(position.quantity), fmt_price(position.last_price)
        lines.append(say(lang, "loss_held", qty=qty, base=base, value=fmt(unrealized), price=last))
    if slips:
        note = say(lang, "loss_hourly") if interval != "1m" else ""
        outside = sum(not s["within_candle"] for s in slips)
        lines.append(
            say(
                lang,
                "loss_slippage",
                interval=interval,
                value=fmt(slip_total),
                n=len(slips),
                total=len(mine),
                note=note,
                outside=outside,
            )
        )
    else:
        lines.append(say(lang, "loss_no_slippage"))
    drivers = {"driver_price": -(price_effect or Decimal(0)), "driver_fees": fees}
    if slips:
        drivers["driver_slippage"] = slip_total
    worst = max(drivers, key=lambda k: drivers[k])
    total = realized + (unrealized or Decimal(0))
    if total < 0 and drivers[worst] > 0:
        value = fmt(drivers[worst])
        lines.append(say(lang, "loss_overall_worst", total=fmt(total), worst=say(lang, worst), value=value))
    else:
        lines.append(say(lang, "loss_overall", total=fmt(total)))
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
    lang: str = "en",
) -> ToolResult:
    """A :class:`ProposedOrder` with its preview, or why the order would be refused. Never trades.

    ``fraction`` (0..1] sizes a sell from the free position and a buy from the free cash (a market
    buy then spends that quote amount, fee included). A quote amount on a sell or a limit buy
    becomes a quantity at the last (or limit) price by the domain's sizing,
    :func:`sim.domain.fills.affordable_quantity`: the most steps whose notional (plus the maker fee
    on a buy) fits in it. Numbers are read by :func:`sim.domain.values.to_decimal`; one it refuses
    is a refusal like any other.
    """
    instrument = sim.instruments.get_or_raise(symbol)
    side = str(side).upper()
    if side not in ("BUY", "SELL"):
        raise InvalidInput.of("assistant.side")
    kind = "LIMIT" if price is not None else "MARKET"
    limit = qty = quote = None
    note = ""
    base = instrument.base_asset
    try:
        limit = to_decimal(price, "price") if price is not None else None
        qty = to_decimal(quantity, "quantity") if quantity is not None else None
        quote = to_decimal(quote_amount, "quote amount") if quote_amount is not None else None
        if fraction is not None:
            frac = to_decimal(fraction, "share")
            if not Decimal(0) < frac <= 1:
                raise InvalidInput.of("assistant.share_range", share=f"{float(frac):.0%}")
            if side == "SELL":
                free = _free_quantity(sim, user_id, instrument.symbol)
                if free <= 0:
                    raise InvalidInput.of("assistant.nothing_to_sell", asset=base)
                qty = floor_to(free * frac, instrument.step_size)
                share, qty_free = f"{float(frac):.0%}", fmt_qty(free)
                note = say(lang, "note_sell_share", share=share, qty=qty_free, base=base)
            else:
                cash = sim.portfolio(user_id).cash_free
                quote = (cash * frac).quantize(CENT, rounding=ROUND_DOWN)
                note = say(lang, "note_buy_share", share=f"{float(frac):.0%}", cash=fmt(cash))
        if quote is not None and (side == "SELL" or kind == "LIMIT"):
            ref = limit
            if ref is None:
                tick = sim.price(instrument.symbol)
                if tick is None:
                    raise InvalidInput.of("assistant.no_price", symbol=instrument.symbol)
                ref = tick.price
            # the domain's sizing: the most steps whose cost (with the maker fee on a buy) fits
            rate = sim.preferences(user_id)["maker_fee"] if side == "BUY" else Decimal(0)
            qty = affordable_quantity(quote, ref, rate, instrument.step_size)
            sized = say(
                lang, "note_quote", quote=fmt(quote), price=fmt_price(ref), qty=fmt_qty(qty), base=base
            )
            note = (note + "; " if note else "") + sized
            quote = None
        if qty is not None and qty <= 0:
            raise InvalidInput.of("assistant.below_step", asset=base, step=instrument.step_size.normalize())
        preview = sim.preview_order(
            user_id, instrument.symbol, side, kind, quantity=qty, quote_amount=quote, price=limit
        )
    except SimError as exc:
        text = say(
            lang, "refused_proposal", side=say(lang, f"side_{side}"), symbol=instrument.symbol, error=exc
        )
        return ToolResult(text, {"refused": str(exc), "symbol": instrument.symbol, "side": side})
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
    return ToolResult(describe(proposal, lang), {"proposal": proposal.to_dict()}, proposal)


def describe(p: ProposedOrder, lang: str = "en") -> str:
    """One paragraph: what the proposal would do, from its preview (in ``lang``)."""
    v = p.preview
    base, quote = v.get("base_asset", ""), v.get("quote_asset", "USDT")
    size = (
        f"{fmt_qty(p.quantity)} {base}"
        if p.quantity is not None
        else say(lang, "size_quote", amount=fmt(p.quote_amount), quote=quote, base=base)
    )
    text = say(
        lang,
        "proposed",
        side=say(lang, f"order_side_{p.side}"),
        size=size,
        symbol=p.symbol,
        how=say(lang, "how_limit", price=fmt_price(p.price))
        if p.type == "LIMIT"
        else say(lang, "how_market"),
        when=say(lang, "fills_now" if v["fills_now"] else "rests"),
        qty=fmt_qty(v["quantity"]),
        base=base,
        price=fmt_price(v["price"]),
        fee=fmt(v["fee"], 8 if v["fee"] < CENT else 2),
        quote=quote,
        money=say(lang, f"money_{p.side}"),
        total=fmt(v["total"]),
        free=fmt(v["cash_free_after"]),
    )
    if p.note:
        text += say(lang, "proposed_note", note=p.note)
    return text + say(lang, "press_confirm")


def confirm(sim: Simulator, user_id: int, proposal: ProposedOrder) -> OrderView:
    """Place a proposal the user confirmed (at most once: its id is the client order id).

    The order is validated again when placed (prices may have moved since the preview).
    """
    if not isinstance(proposal, ProposedOrder):
        raise InvalidInput.of("assistant.not_a_proposal")
    if proposal.user_id != user_id:
        raise NotFound.of("assistant.not_your_proposal")
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
