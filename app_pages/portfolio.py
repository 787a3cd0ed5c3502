"""Portfolio: cash, holdings with PnL, allocation, equity curve against holding BTC."""

import streamlit as st

from sim.analytics import figures
from sim.analytics import portfolio as pf
from ui import accounts, charts, errors, widgets
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import lang, t, when
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title(t("nav.portfolio"))
accounts.banner(user)


@st.fragment(run_every=2)
@errors.guarded
def live_summary() -> None:
    still_signed_in()
    pv = sim.portfolio(user.trader)
    m = st.columns(5)
    m[0].metric(
        t("dash.equity"),
        widgets.fmt_num(pv.equity),
        t("dash.total", pct=widgets.fmt_pct(pv.total_return * 100)),
    )
    m[1].metric(t("port.cash_free"), widgets.fmt_num(pv.cash_free))
    m[2].metric(t("port.cash_locked"), widgets.fmt_num(pv.cash_locked))
    m[3].metric(t("port.unrealized"), widgets.fmt_num(pv.unrealized_pnl))
    m[4].metric(t("port.realized"), widgets.fmt_num(pv.realized_pnl))
    st.subheader(t("port.holdings"))
    if not pv.positions:
        st.caption(t("port.no_holdings"))
    else:
        st.dataframe(fmt.holdings_table(pv, sim.instruments), hide_index=True, key="holdings")
    st.subheader(t("trade.open_orders"))
    orders = sim.orders_page(user.trader, "open", limit=50).items
    if not orders:
        st.caption(t("trade.no_open"))
    else:
        st.dataframe(fmt.styled_sides(fmt.orders_table(orders, sim.instruments)), hide_index=True)
        st.caption(t("port.cancel_there", zone=fmt.ZONE))
    widgets.toast_fills(sim, user.trader)


live_summary()

pv = sim.portfolio(user.trader)
left, right = st.columns([1, 1.6])
with left:
    charts.draw(figures.allocation_pie(pf.allocation_frame(pv), title=t("port.allocation"), lang=lang()))
with right:
    curve = sim.equity_history(user.trader)
    traded = bool(sim.trades_page(user.trader, limit=1).items)
    if not traded:  # BTC held "instead" of nothing: the comparison starts at the first trade
        curve = curve.drop(columns=["hold"], errors="ignore").assign(hold=float("nan"))
    if curve.empty:
        st.caption(t("port.no_history"))
    else:
        charts.draw(figures.equity_chart(curve, title=t("port.equity_chart"), lang=lang()))
        mine, hold = pf.total_return(curve["equity"]), pf.total_return(curve["hold"])
        a, b = st.columns(2)
        a.metric(t("port.your_return"), widgets.fmt_pct(mine * 100 if mine is not None else None))
        if traded:
            b.metric(t("port.hold_btc"), widgets.fmt_pct(hold * 100 if hold is not None else None))
            st.caption(t("port.since", start=when(curve.index[0]), end=when(curve.index[-1])))
        else:
            b.metric(t("port.hold_btc"), "-")
            st.caption(t("port.no_trades"))
