"""Trading: the order ticket with a preview, open orders with cancel, book, recent trades, history."""

import pandas as pd
import streamlit as st

from sim.analytics import figures
from sim.domain.errors import SimError
from ui import accounts, charts, data, errors, widgets
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import error_text
from ui.paging import paged
from ui.runtime import get_runtime

user = require_user()
runtime = get_runtime()
sim = runtime.sim

TYPES = fmt.ORDER_TYPES
TICKET_FIELDS = ("t_qty", "t_quote", "t_price", "t_stop", "t_tp", "t_sl", "t_delta", "t_act")
TRAILING = ("TRAILING_STOP", "OCO_TRAILING")


def _place(symbol: str, side: str, kind: str, given: dict[str, str]) -> None:
    """on_click of "Place order": place, keep the outcome for this run, and empty the ticket (so the
    preview goes and a second click cannot place the same order again)."""
    try:
        if kind in ("OCO", "OCO_TRAILING"):
            legs = sim.place_oco(
                user.trader,
                symbol,
                side,
                given["quantity"],
                take_profit=given["take_profit"],
                stop_loss=given.get("stop_loss"),
                trailing_delta_bps=given.get("trailing_delta_bps"),
                activation_price=given.get("activation_price"),
            )
            st.session_state["_ticket_done"] = (
                "success",
                f"OCO placed: orders {legs[0].id} and {legs[1].id} are open.",
            )
        else:
            order = sim.place_order(user.trader, symbol, side, kind, **given)
            step = sim.instruments[order.symbol].step_size
            filled = f", {fmt.qty(order.filled_qty, step)} filled" if order.filled_qty else ""
            st.session_state["_ticket_done"] = (
                "success",
                f"Order {order.id} is {order.status.lower()}{filled}.",
            )
    except SimError as exc:
        st.session_state["_ticket_done"] = ("error", error_text(exc))
        return
    for key in TICKET_FIELDS:
        if key in st.session_state:
            st.session_state[key] = ""


st.title("Trading")
accounts.banner(user)
ticket, market = st.columns([1.1, 1], gap="large")

with ticket:
    st.subheader("Order ticket")
    a, b = st.columns(2)
    symbol = a.selectbox("Symbol", accounts.symbol_choices(sim, user), key="t_symbol")  # watchlist first
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
    elif kind == "OCO_TRAILING":
        fields["take_profit"] = st.text_input("Take-profit price", key="t_tp")
    optional: dict[str, str | None] = {}
    if kind in TRAILING:
        c, d = st.columns(2)
        fields["trailing_delta_bps"] = c.text_input(
            "Trailing delta (bps)", key="t_delta", placeholder="e.g. 150 = 1.5%"
        )
        optional["activation_price"] = d.text_input(
            "Activation price (optional)",
            key="t_act",
            help="Tracking starts once a trade reaches it (sell: at or above, buy: at or below); "
            "without it the stop trails from the last price.",
        )
    given = {k: v.strip() for k, v in fields.items() if v and v.strip()}
    complete = len(given) == len(fields)
    given |= {k: v.strip() for k, v in optional.items() if v and v.strip()}

    preview = None
    sl_leg = None
    inst = sim.instruments[symbol]
    if complete:
        with errors.boundary():  # anything unexpected: an apology here, and the rest of the page
            try:
                ticket_kind = "OCO" if kind == "OCO_TRAILING" else kind
                preview = sim.preview_order(user.trader, symbol, side, ticket_kind, **given)
                if kind in ("OCO", "OCO_TRAILING"):  # its preview is the take-profit leg; the other alone
                    other = {k: given[k] for k in ("trailing_delta_bps", "activation_price") if k in given}
                    sl_leg = sim.preview_order(
                        user.trader,
                        symbol,
                        side,
                        "TRAILING_STOP" if other else "STOP_LOSS",
                        quantity=given["quantity"],
                        stop_price=given.get("stop_loss"),
                        **other,
                    )
            except SimError as exc:
                preview = None
                st.warning(f"This order would be refused: {exc}")
    if preview is not None:
        base, quote = preview["base_asset"], preview["quote_asset"]
        total_label = "Total" if preview["side"] == "BUY" else "Proceeds"

        def leg_rows(p: dict) -> list[tuple[str, str]]:
            first = ("Price", fmt.price(p["price"], inst.tick_size))
            if p["type"] == "TRAILING_STOP":  # its stop as it starts (it then follows the market)
                level = p["stop_level"]
                first = (
                    ("Stop level now", fmt.price(level, inst.tick_size))
                    if level is not None
                    else (
                        "Activation price",
                        fmt.price(p["price"], inst.tick_size),
                    )
                )
            return [
                first,
                ("Quantity", f"{fmt.qty(p['quantity'], inst.step_size)} {base}"),
                ("Fee", fmt.money(p["fee"], quote, 4)),
                (total_label, fmt.money(p["total"], quote)),
            ]

        with st.container(border=True, key="t_preview"):
            st.caption(
                "Preview (nothing is placed yet)" + (": fills now" if preview["fills_now"] else ": rests")
            )
            legs = (
                [
                    ("Take-profit leg", leg_rows(preview)),
                    ("Trailing-stop leg" if kind == "OCO_TRAILING" else "Stop-loss leg", leg_rows(sl_leg)),
                ]
                if sl_leg
                else [("", leg_rows(preview))]
            )
            for title, rows in legs:
                if title:
                    st.markdown(f"**{title}** (fills at its trigger price; the other leg is then canceled)")
                for i in range(0, len(rows), 2):
                    for col, (label, value) in zip(st.columns(2), rows[i : i + 2], strict=True):
                        col.metric(label, value)
            after = [
                (f"Free {quote} after", fmt.money(preview["cash_free_after"])),
                (f"Free {base} after", fmt.qty(preview["qty_free_after"], inst.step_size)),
            ]
            for col, (label, value) in zip(st.columns(2), after, strict=True):
                col.metric(label, value)
            if preview["locked_cash"] or preview["locked_qty"]:
                locked = (
                    fmt.money(preview["locked_cash"], quote)
                    if preview["locked_cash"]
                    else f"{fmt.qty(preview['locked_qty'], inst.step_size)} {base}"
                )
                st.caption(f"While it rests the order locks {locked}.")
            if kind in TRAILING:
                st.caption(
                    "A trailing stop follows the best price traded after it is placed (a sell the "
                    "highest, a buy the lowest) and fills as a market order once the price moves back "
                    "by the delta."
                )
    st.button(
        "Place order",
        type="primary",
        key="t_place",
        disabled=preview is None,
        help=None
        if preview is not None
        else "Fill in the ticket; an order the preview refuses cannot be placed.",
        on_click=_place,
        args=(symbol, side, kind, given),
    )
    done = st.session_state.pop("_ticket_done", None)
    if done is not None:
        (st.success if done[0] == "success" else st.error)(done[1])

with market:

    @st.fragment(run_every=2)
    @errors.guarded
    def market_panel() -> None:
        still_signed_in()
        tick = sim.price(symbol)
        status = widgets.feed_statuses(runtime, [symbol]).get(symbol, "stale")
        st.subheader(f"{symbol} {fmt.price(tick.price, inst.tick_size) if tick else '-'}")
        widgets.status_badge(status)
        top = runtime.live.book_top(symbol)
        if top is not None:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Side": "Ask",
                            "Price": fmt.price(top.ask_price, inst.tick_size),
                            "Quantity": fmt.qty(top.ask_qty, inst.step_size),
                        },
                        {
                            "Side": "Bid",
                            "Price": fmt.price(top.bid_price, inst.tick_size),
                            "Quantity": fmt.qty(top.bid_qty, inst.step_size),
                        },
                    ]
                ),
                hide_index=True,
            )
        else:
            st.caption("No order book from this feed: market orders fill at the last trade plus slippage.")
        trades = runtime.live.recent_trades(symbol, 15)
        if trades:
            recent = pd.DataFrame(
                [
                    {
                        f"Time ({fmt.ZONE})": t.time.strftime("%H:%M:%S"),
                        "Price": fmt.price(t.price, inst.tick_size),
                        "Quantity": fmt.qty(t.quantity, inst.step_size),
                        "Taker": "Sell" if t.is_buyer_maker else "Buy",
                    }
                    for t in trades
                ]
            )
            st.caption(widgets.recent_trades_caption(runtime))
            st.dataframe(fmt.styled_sides(recent, "Taker"), hide_index=True, height=300)
        else:
            st.caption("No recent trades yet.")

    market_panel()
    frame = data.candles(symbol, "1h", "1W")
    if not frame.empty:
        fills = sim.trades_frame(user.trader)
        fig = figures.candlestick(
            frame, title=f"{symbol} 1h, last week", fills=fills[fills["symbol"] == symbol], height=380
        )
        charts.draw(widgets.with_forecast(sim, fig, symbol, "1h"))


@st.fragment(run_every=2)
@errors.guarded
def open_orders() -> None:
    still_signed_in()
    st.subheader("Open orders")
    orders = paged(
        "open_orders", lambda c: sim.orders_page(user.trader, "open", limit=50, cursor=c), "open orders"
    )
    if not orders:
        st.caption("No open orders.")
    widths = [0.6, 1, 0.6, 1.4, 1, 1.1, 0.9, 0.8]
    if orders:
        for col, head in zip(st.columns(widths), fmt.OPEN_ORDER_HEADERS, strict=True):
            col.markdown(f"**{head}**" if head else "")
    for o in orders:
        cols = st.columns(widths)
        for col, cell in zip(cols, fmt.open_order_cells(o, sim.instruments), strict=False):
            col.markdown(cell)
        if cols[7].button("Cancel", key=f"cancel_{o.id}"):
            try:
                sim.cancel(user.trader, o.id)
                st.session_state["_trading_notice"] = f"Order {o.id} canceled."
            except SimError as exc:
                st.session_state["_trading_notice"] = f"Could not cancel order {o.id}: {exc}"
            st.rerun()
    widgets.toast_fills(sim, user.trader)


notice = st.session_state.pop("_trading_notice", None)
if notice:
    st.info(notice)
open_orders()

st.subheader("Your trades")
fills = paged(
    "trades", lambda c: sim.trades_page(user.trader, limit=200, cursor=c, newest_first=True), "trades"
)
if not fills:
    st.caption("No trades yet.")
else:
    st.dataframe(fmt.styled_sides(fmt.trades_table(fills, sim.instruments)), hide_index=True)
    st.caption(f"Times are market time in {fmt.ZONE}.")
