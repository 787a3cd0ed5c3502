"""Trading: the order ticket with a preview, open orders with cancel, book, recent trades, history."""

import pandas as pd
import streamlit as st

from sim.analytics import figures
from sim.domain.errors import SimError
from sim.views import fills_frame
from ui import data, errors, widgets
from ui.auth import require_user, still_signed_in
from ui.paging import paged
from ui.runtime import get_runtime

user = require_user()
runtime = get_runtime()
sim = runtime.sim

TYPES = {
    "MARKET": "Market",
    "LIMIT": "Limit",
    "STOP_LOSS": "Stop-loss",
    "TAKE_PROFIT": "Take-profit",
    "OCO": "OCO (take-profit + stop-loss)",
}

st.title("Trading")
ticket, market = st.columns([1.1, 1], gap="large")

with ticket:
    st.subheader("Order ticket")
    a, b = st.columns(2)
    symbol = a.selectbox("Symbol", sim.symbols(), key="t_symbol")
    side = b.segmented_control("Side", ["BUY", "SELL"], default="BUY", required=True, key="t_side") or "BUY"
    kind = st.selectbox("Order type", list(TYPES), format_func=TYPES.__getitem__, key="t_type")
    quote_ok = kind == "MARKET" and side == "BUY"
    mode = "Quantity"
    if quote_ok:
        mode = st.radio("Amount in", ["Quantity", "Quote amount (USDT)"], horizontal=True, key="t_mode")
    fields: dict[str, str | None] = {}
    if mode == "Quantity":
        fields["quantity"] = st.text_input("Quantity", key="t_qty", placeholder="e.g. 0.01")
    else:
        fields["quote_amount"] = st.text_input(
            "Quote amount (USDT, fee included)", key="t_quote", placeholder="e.g. 100"
        )
    if kind == "LIMIT":
        fields["price"] = st.text_input("Limit price", key="t_price")
    elif kind in ("STOP_LOSS", "TAKE_PROFIT"):
        fields["stop_price"] = st.text_input("Stop price", key="t_stop")
    elif kind == "OCO":
        c, d = st.columns(2)
        fields["take_profit"] = c.text_input("Take-profit price", key="t_tp")
        fields["stop_loss"] = d.text_input("Stop-loss price", key="t_sl")
    given = {k: v.strip() for k, v in fields.items() if v and v.strip()}
    complete = len(given) == len(fields)

    preview = None
    if complete:
        with errors.boundary():  # anything unexpected: an apology here, and the rest of the page
            try:
                preview = sim.preview_order(user.id, symbol, side, kind, **given)
            except SimError as exc:
                st.warning(f"This order would be refused: {exc}")
    if preview is not None:
        with st.container(border=True):
            st.caption(
                "Preview (nothing is placed yet)" + (": fills now" if preview["fills_now"] else ": rests")
            )
            base, quote = preview["base_asset"], preview["quote_asset"]
            rows = [
                ("Price", widgets.fmt_price(preview["price"])),
                ("Quantity", f"{preview['quantity'].normalize():f} {base}"),
                ("Fee", f"{widgets.fmt_num(preview['fee'], 4)} {quote}"),
                (
                    "Total" if preview["side"] == "BUY" else "Proceeds",
                    f"{widgets.fmt_num(preview['total'])} {quote}",
                ),
                (f"Free {quote} after", widgets.fmt_num(preview["cash_free_after"])),
                (f"Free {base} after", f"{preview['qty_free_after'].normalize():f}"),
            ]
            for i in range(0, len(rows), 2):
                for col, (label, value) in zip(st.columns(2), rows[i : i + 2], strict=True):
                    col.metric(label, value)
            if preview["locked_cash"] or preview["locked_qty"]:
                locked = preview["locked_cash"] or preview["locked_qty"]
                unit = preview["quote_asset"] if preview["locked_cash"] else preview["base_asset"]
                st.caption(f"While it rests the order locks {locked.normalize():f} {unit}.")
    if st.button("Place order", type="primary", key="t_place", disabled=not complete):
        try:
            if kind == "OCO":
                legs = sim.place_oco(
                    user.id,
                    symbol,
                    side,
                    given["quantity"],
                    take_profit=given["take_profit"],
                    stop_loss=given["stop_loss"],
                )
                st.success(f"OCO placed: orders {legs[0].id} and {legs[1].id} are open.")
            else:
                order = sim.place_order(user.id, symbol, side, kind, **given)
                filled = f", {order.filled_qty.normalize():f} filled" if order.filled_qty else ""
                st.success(f"Order {order.id} is {order.status.lower()}{filled}.")
        except SimError as exc:
            st.error(str(exc))

with market:

    @st.fragment(run_every=2)
    @errors.guarded
    def market_panel() -> None:
        still_signed_in()
        tick = sim.price(symbol)
        status = widgets.feed_statuses(runtime).get(symbol, "stale")
        st.subheader(f"{symbol} {widgets.fmt_price(tick.price) if tick else '-'}")
        widgets.status_badge(status)
        top = runtime.live.book_top(symbol)
        if top is not None:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"side": "ask", "price": float(top.ask_price), "quantity": float(top.ask_qty)},
                        {"side": "bid", "price": float(top.bid_price), "quantity": float(top.bid_qty)},
                    ]
                ),
                hide_index=True,
            )
        else:
            st.caption("No order book from this feed: market orders fill at the last trade plus slippage.")
        trades = runtime.live.recent_trades(symbol, 15)
        if trades:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "time": t.time.strftime("%H:%M:%S"),
                            "price": float(t.price),
                            "quantity": float(t.quantity),
                            "taker": "sell" if t.is_buyer_maker else "buy",
                        }
                        for t in trades
                    ]
                ),
                hide_index=True,
                height=300,
            )
        else:
            st.caption("No recent trades yet.")

    market_panel()
    frame = data.candles(symbol, "1h", "1W")
    if not frame.empty:
        fills = sim.trades_frame(user.id)
        fig = figures.candlestick(
            frame, title=f"{symbol} 1h, last week", fills=fills[fills["symbol"] == symbol], height=380
        )
        st.plotly_chart(widgets.with_forecast(sim, fig, symbol, "1h"), key="trade_chart")


@st.fragment(run_every=2)
@errors.guarded
def open_orders() -> None:
    still_signed_in()
    st.subheader("Open orders")
    orders = paged(
        "open_orders", lambda c: sim.orders_page(user.id, "open", limit=50, cursor=c), "open orders"
    )
    if not orders:
        st.caption("No open orders.")
    for o in orders:
        cols = st.columns([0.6, 1, 0.7, 1.2, 1, 1, 1.2, 0.8])
        cols[0].text(f"#{o.id}")
        cols[1].text(o.symbol)
        cols[2].text(o.side)
        cols[3].text(o.type + (" (OCO)" if o.list_id else ""))
        cols[4].text(f"{o.quantity.normalize():f}" if o.quantity is not None else "-")
        limit = o.price if o.price is not None else o.stop_price
        cols[5].text(widgets.fmt_price(limit))
        cols[6].text(o.status.lower().replace("_", " "))
        if cols[7].button("Cancel", key=f"cancel_{o.id}"):
            try:
                sim.cancel(user.id, o.id)
                st.session_state["_trading_notice"] = f"Order {o.id} canceled."
            except SimError as exc:
                st.session_state["_trading_notice"] = f"Could not cancel order {o.id}: {exc}"
            st.rerun()
    widgets.toast_fills(sim, user.id)


notice = st.session_state.pop("_trading_notice", None)
if notice:
    st.info(notice)
open_orders()

st.subheader("Your trades")
fills = paged("trades", lambda c: sim.trades_page(user.id, limit=200, cursor=c, newest_first=True), "trades")
if not fills:
    st.caption("No trades yet.")
else:
    st.dataframe(fills_frame(fills).drop(columns=["order_id"]), hide_index=True)
