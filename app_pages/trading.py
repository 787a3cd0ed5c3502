"""Trading: the order ticket with a preview, open orders with cancel, book, recent trades, history."""

import pandas as pd
import streamlit as st

from sim.analytics import figures
from sim.domain.errors import SimError
from ui import accounts, charts, data, errors, widgets
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import error_text, lang, t
from ui.paging import paged
from ui.runtime import get_runtime

user = require_user()
runtime = get_runtime()
sim = runtime.sim

TYPES = fmt.ORDER_TYPES
TICKET_FIELDS = ("t_qty", "t_quote", "t_price", "t_stop", "t_tp", "t_sl", "t_delta", "t_act")
TRAILING = ("TRAILING_STOP", "OCO_TRAILING")
# option words looked up now: AppTest calls format_func outside the run (no session language)
TYPE_WORDS = {kind: fmt.order_type(kind) for kind in TYPES}
SIDE_WORDS = {"BUY": t("trade.BUY"), "SELL": t("trade.SELL")}  # the option values stay BUY / SELL
MODE_WORDS = {"Quantity": t("trade.mode_quantity"), "Quote amount (USDT)": t("trade.mode_quote")}


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
                t("trade.oco_placed", first=legs[0].id, second=legs[1].id),
            )
        else:
            order = sim.place_order(user.trader, symbol, side, kind, **given)
            step = sim.instruments[order.symbol].step_size
            filled = t("trade.order_filled", qty=fmt.qty(order.filled_qty, step)) if order.filled_qty else ""
            state = order.status.lower() if lang() == "en" else fmt.status(order.status)  # "is filled"
            st.session_state["_ticket_done"] = (
                "success",
                t("trade.order_done", id=order.id, status=state, filled=filled),
            )
    except SimError as exc:
        st.session_state["_ticket_done"] = ("error", error_text(exc))
        return
    for key in TICKET_FIELDS:
        if key in st.session_state:
            st.session_state[key] = ""


st.title(t("nav.trading"))
accounts.banner(user)
ticket, market = st.columns([1.1, 1], gap="large")

with ticket:
    st.subheader(t("trade.ticket"))
    a, b = st.columns(2)
    # the watchlist first
    symbol = a.selectbox(t("trade.symbol"), accounts.symbol_choices(sim, user), key="t_symbol")
    side = (
        b.segmented_control(
            t("trade.side"),
            ["BUY", "SELL"],
            format_func=SIDE_WORDS.__getitem__,
            default="BUY",
            required=True,
            key="t_side",
        )
        or "BUY"
    )
    kind = st.selectbox(t("trade.order_type"), list(TYPES), format_func=TYPE_WORDS.__getitem__, key="t_type")
    quote_ok = kind == "MARKET" and side == "BUY"
    mode = "Quantity"
    if quote_ok:
        mode = st.radio(
            t("trade.amount_in"),
            ["Quantity", "Quote amount (USDT)"],
            format_func=MODE_WORDS.__getitem__,
            horizontal=True,
            key="t_mode",
        )
    fields: dict[str, str | None] = {}
    if mode == "Quantity":
        fields["quantity"] = st.text_input(
            t("trade.quantity"), key="t_qty", placeholder=t("trade.qty_placeholder")
        )
    else:
        fields["quote_amount"] = st.text_input(
            t("trade.quote_amount"), key="t_quote", placeholder=t("trade.quote_placeholder")
        )
    if kind == "LIMIT":
        fields["price"] = st.text_input(t("trade.limit_price"), key="t_price")
    elif kind in ("STOP_LOSS", "TAKE_PROFIT"):
        fields["stop_price"] = st.text_input(t("trade.stop_price"), key="t_stop")
    elif kind == "OCO":
        c, d = st.columns(2)
        fields["take_profit"] = c.text_input(t("trade.tp_price"), key="t_tp")
        fields["stop_loss"] = d.text_input(t("trade.sl_price"), key="t_sl")
    elif kind == "OCO_TRAILING":
        fields["take_profit"] = st.text_input(t("trade.tp_price"), key="t_tp")
    optional: dict[str, str | None] = {}
    if kind in TRAILING:
        c, d = st.columns(2)
        fields["trailing_delta_bps"] = c.text_input(
            t("trade.delta"), key="t_delta", placeholder=t("trade.delta_placeholder")
        )
        optional["activation_price"] = d.text_input(
            t("trade.activation"),
            key="t_act",
            help=t("trade.activation_help"),
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
                st.warning(t("trade.refused", error=error_text(exc)))
    if preview is not None:
        base, quote = preview["base_asset"], preview["quote_asset"]
        total_label = t("trade.total") if preview["side"] == "BUY" else t("trade.proceeds")

        def leg_rows(p: dict) -> list[tuple[str, str]]:
            first = (t("trade.price"), fmt.price(p["price"], inst.tick_size))
            if p["type"] == "TRAILING_STOP":  # its stop as it starts (it then follows the market)
                level = p["stop_level"]
                first = (
                    (t("trade.stop_now"), fmt.price(level, inst.tick_size))
                    if level is not None
                    else (
                        t("trade.activation_price"),
                        fmt.price(p["price"], inst.tick_size),
                    )
                )
            return [
                first,
                (t("trade.quantity"), f"{fmt.qty(p['quantity'], inst.step_size)} {base}"),
                (t("trade.fee"), fmt.money(p["fee"], quote, 4)),
                (total_label, fmt.money(p["total"], quote)),
            ]

        with st.container(border=True, key="t_preview"):
            st.caption(t("trade.preview_now") if preview["fills_now"] else t("trade.preview_rests"))
            legs = (
                [
                    (t("trade.tp_leg"), leg_rows(preview)),
                    (
                        t("trade.trailing_leg") if kind == "OCO_TRAILING" else t("trade.sl_leg"),
                        leg_rows(sl_leg),
                    ),
                ]
                if sl_leg
                else [("", leg_rows(preview))]
            )
            for title, rows in legs:
                if title:
                    st.markdown(t("trade.leg_note", title=title))
                for i in range(0, len(rows), 2):
                    for col, (label, value) in zip(st.columns(2), rows[i : i + 2], strict=True):
                        col.metric(label, value)
            after = [
                (t("trade.free_after", asset=quote), fmt.money(preview["cash_free_after"])),
                (t("trade.free_after", asset=base), fmt.qty(preview["qty_free_after"], inst.step_size)),
            ]
            for col, (label, value) in zip(st.columns(2), after, strict=True):
                col.metric(label, value)
            if preview["locked_cash"] or preview["locked_qty"]:
                locked = (
                    fmt.money(preview["locked_cash"], quote)
                    if preview["locked_cash"]
                    else f"{fmt.qty(preview['locked_qty'], inst.step_size)} {base}"
                )
                st.caption(t("trade.locks", locked=locked))
            if kind in TRAILING:
                st.caption(t("trade.trailing_note"))
    st.button(
        t("trade.place"),
        type="primary",
        key="t_place",
        disabled=preview is None,
        help=None if preview is not None else t("trade.place_help"),
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
                            t("col.side"): t("book.ask"),
                            t("col.price"): fmt.price(top.ask_price, inst.tick_size),
                            t("col.quantity"): fmt.qty(top.ask_qty, inst.step_size),
                        },
                        {
                            t("col.side"): t("book.bid"),
                            t("col.price"): fmt.price(top.bid_price, inst.tick_size),
                            t("col.quantity"): fmt.qty(top.bid_qty, inst.step_size),
                        },
                    ]
                ),
                hide_index=True,
            )
        else:
            st.caption(t("trade.no_book"))
        trades = runtime.live.recent_trades(symbol, 15)
        if trades:
            recent = pd.DataFrame(
                [
                    {
                        t("col.time", zone=fmt.ZONE): tr.time.strftime("%H:%M:%S"),
                        t("col.price"): fmt.price(tr.price, inst.tick_size),
                        t("col.quantity"): fmt.qty(tr.quantity, inst.step_size),
                        t("col.taker"): fmt.side("SELL" if tr.is_buyer_maker else "BUY"),
                    }
                    for tr in trades
                ]
            )
            st.caption(widgets.recent_trades_caption(runtime))
            st.dataframe(fmt.styled_sides(recent, t("col.taker")), hide_index=True, height=300)
        else:
            st.caption(t("trade.no_recent"))

    market_panel()
    frame = data.candles(symbol, "1h", "1W")
    if not frame.empty:
        fills = sim.trades_frame(user.trader)
        fig = figures.candlestick(
            frame,
            title=t("trade.chart_title", symbol=symbol),
            fills=fills[fills["symbol"] == symbol],
            height=380,
            lang=lang(),
        )
        charts.draw(widgets.with_forecast(sim, fig, symbol, "1h"))


@st.fragment(run_every=2)
@errors.guarded
def open_orders() -> None:
    still_signed_in()
    st.subheader(t("trade.open_orders"))
    orders = paged(
        "open_orders",
        lambda c: sim.orders_page(user.trader, "open", limit=50, cursor=c),
        t("trade.what_open"),
    )
    if not orders:
        st.caption(t("trade.no_open"))
    widths = [0.6, 1, 0.6, 1.4, 1, 1.1, 0.9, 0.8]
    if orders:
        for col, head in zip(st.columns(widths), fmt.open_order_headers(), strict=True):
            col.markdown(f"**{head}**" if head else "")
    for o in orders:
        cols = st.columns(widths)
        for col, cell in zip(cols, fmt.open_order_cells(o, sim.instruments), strict=False):
            col.markdown(cell)
        if cols[7].button(t("trade.cancel"), key=f"cancel_{o.id}"):
            try:
                sim.cancel(user.trader, o.id)
                st.session_state["_trading_notice"] = t("trade.canceled", id=o.id)
            except SimError as exc:
                st.session_state["_trading_notice"] = t("trade.cancel_failed", id=o.id, error=error_text(exc))
            st.rerun()
    widgets.toast_fills(sim, user.trader)


notice = st.session_state.pop("_trading_notice", None)
if notice:
    st.info(notice)
open_orders()

st.subheader(t("trade.your_trades"))
fills = paged(
    "trades",
    lambda c: sim.trades_page(user.trader, limit=200, cursor=c, newest_first=True),
    t("trade.what_trades"),
)
if not fills:
    st.caption(t("trade.no_trades"))
else:
    st.dataframe(fmt.styled_sides(fmt.trades_table(fills, sim.instruments)), hide_index=True)
    st.caption(t("trade.times", zone=fmt.ZONE))
