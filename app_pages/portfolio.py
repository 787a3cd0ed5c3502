"""Portfolio: cash, holdings with PnL, allocation, equity curve against holding BTC."""

import streamlit as st

from sim.analytics import figures
from sim.analytics import portfolio as pf
from ui import accounts, charts, errors, widgets
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title("Portfolio")
accounts.banner(user)


@st.fragment(run_every=2)
@errors.guarded
def live_summary() -> None:
    still_signed_in()
    pv = sim.portfolio(user.trader)
    m = st.columns(5)
    m[0].metric(
        "Equity (USDT)", widgets.fmt_num(pv.equity), widgets.fmt_pct(pv.total_return * 100) + " total"
    )
    m[1].metric("Cash free", widgets.fmt_num(pv.cash_free))
    m[2].metric("Cash locked", widgets.fmt_num(pv.cash_locked))
    m[3].metric("Unrealized PnL", widgets.fmt_num(pv.unrealized_pnl))
    m[4].metric("Realized PnL", widgets.fmt_num(pv.realized_pnl))
    st.subheader("Holdings")
    if not pv.positions:
        st.caption("No holdings yet: buy something on the Trading page.")
    else:
        st.dataframe(fmt.holdings_table(pv, sim.instruments), hide_index=True, key="holdings")
    st.subheader("Open orders")
    orders = sim.orders_page(user.trader, "open", limit=50).items
    if not orders:
        st.caption("No open orders.")
    else:
        st.dataframe(fmt.styled_sides(fmt.orders_table(orders, sim.instruments)), hide_index=True)
        st.caption(f"Cancel them on the Trading page. Times in {fmt.ZONE}.")
    widgets.toast_fills(sim, user.trader)


live_summary()

pv = sim.portfolio(user.trader)
left, right = st.columns([1, 1.6])
with left:
    charts.draw(figures.allocation_pie(pf.allocation_frame(pv)))
with right:
    curve = sim.equity_history(user.trader)
    traded = bool(sim.trades_page(user.trader, limit=1).items)
    if not traded:  # BTC held "instead" of nothing: the comparison starts at the first trade
        curve = curve.drop(columns=["hold"], errors="ignore").assign(hold=float("nan"))
    if curve.empty:
        st.caption("No equity history yet.")
    else:
        charts.draw(figures.equity_chart(curve))
        mine, hold = pf.total_return(curve["equity"]), pf.total_return(curve["hold"])
        a, b = st.columns(2)
        a.metric("Your return over the period", widgets.fmt_pct(mine * 100 if mine is not None else None))
        if traded:
            b.metric("Holding BTC instead", widgets.fmt_pct(hold * 100 if hold is not None else None))
            st.caption(
                f"From your first trade ({curve.index[0]:%Y-%m-%d %H:%M} UTC, the hour before it) to "
                f"{curve.index[-1]:%Y-%m-%d %H:%M} UTC, rebuilt from your fills and hourly closes."
            )
        else:
            b.metric("Holding BTC instead", "-")
            st.caption("No trades yet: the comparison with holding BTC starts at your first trade.")
