"""Portfolio: cash, holdings with PnL, allocation, equity curve against holding BTC."""

import streamlit as st

from sim.analytics import figures
from sim.analytics import portfolio as pf
from ui import errors, widgets
from ui.auth import require_user, still_signed_in
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title("Portfolio")


@st.fragment(run_every=2)
@errors.guarded
def live_summary() -> None:
    still_signed_in()
    pv = sim.portfolio(user.id)
    m = st.columns(5)
    m[0].metric(
        "Equity (USDT)", widgets.fmt_num(pv.equity), widgets.fmt_pct(pv.total_return * 100) + " total"
    )
    m[1].metric("Cash free", widgets.fmt_num(pv.cash_free))
    m[2].metric("Cash locked", widgets.fmt_num(pv.cash_locked))
    m[3].metric("Unrealized PnL", widgets.fmt_num(pv.unrealized_pnl))
    m[4].metric("Realized PnL", widgets.fmt_num(pv.realized_pnl))
    holdings = pf.holdings_frame(pv)
    st.subheader("Holdings")
    if holdings.empty:
        st.caption("No holdings yet: buy something on the Trading page.")
    else:
        st.dataframe(
            holdings,
            hide_index=True,
            column_config={
                "quantity": st.column_config.NumberColumn("quantity", format="%.8f"),
                "locked": st.column_config.NumberColumn("locked", format="%.8f"),
                "avg_price": st.column_config.NumberColumn("avg price (incl. fees)", format="%.4f"),
                "last_price": st.column_config.NumberColumn("last price", format="%.4f"),
                "market_value": st.column_config.NumberColumn("market value", format="%.2f"),
                "unrealized_pnl": st.column_config.NumberColumn("unrealized PnL", format="%.2f"),
                "unrealized_pct": st.column_config.NumberColumn("unrealized %", format="%.2f%%"),
                "realized_pnl": st.column_config.NumberColumn("realized PnL", format="%.2f"),
                "fees_paid": st.column_config.NumberColumn("fees paid", format="%.4f"),
            },
        )
    widgets.toast_fills(sim, user.id)


live_summary()

pv = sim.portfolio(user.id)
left, right = st.columns([1, 1.6])
with left:
    st.plotly_chart(figures.allocation_pie(pf.allocation_frame(pv)), key="alloc")
with right:
    curve = sim.equity_history(user.id)
    if curve.empty:
        st.caption("No equity history yet.")
    else:
        st.plotly_chart(figures.equity_chart(curve), key="equity")
        mine, hold = pf.total_return(curve["equity"]), pf.total_return(curve["hold"])
        a, b = st.columns(2)
        a.metric("Your return over the period", widgets.fmt_pct(mine * 100 if mine is not None else None))
        b.metric("Holding BTC instead", widgets.fmt_pct(hold * 100 if hold is not None else None))
        st.caption(
            f"From {curve.index[0]:%Y-%m-%d %H:%M} to {curve.index[-1]:%Y-%m-%d %H:%M} UTC, "
            "rebuilt from your fills and hourly closes."
        )
