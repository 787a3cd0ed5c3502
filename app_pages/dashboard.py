"""Dashboard: tracked symbols with price, 24h change and feed freshness; the candlestick chart."""

import streamlit as st

from sim.analytics import figures
from ui import data, errors, widgets
from ui.auth import require_user, still_signed_in
from ui.runtime import get_runtime

user = require_user()
runtime = get_runtime()
sim = runtime.sim
symbols = sim.symbols()

st.title("Dashboard")
welcome = st.session_state.pop("_welcome", None)
if welcome:
    st.success(welcome.replace("_", "\\_"))  # usernames: letters, digits, '_', '.', '-'


@st.fragment(run_every=2)
@errors.guarded
def ticker_row() -> None:
    still_signed_in()
    statuses = widgets.feed_statuses(runtime)
    for col, symbol in zip(st.columns(len(symbols)), symbols, strict=True):
        t = sim.ticker(symbol)
        with col, st.container(border=True):
            st.metric(
                symbol,
                widgets.fmt_price(t["price"]) if t else "-",
                widgets.fmt_pct(t["change_pct"]) + " 24h" if t and t["change_pct"] is not None else None,
            )
            widgets.status_badge(statuses.get(symbol, "stale"))
    widgets.toast_fills(sim, user.id)


ticker_row()

c1, c2, c3, c4 = st.columns([1.2, 2.2, 2.6, 1.6])
symbol = c1.selectbox("Symbol", symbols, key="dash_symbol")
allowed = [i for i in data.STEPS if i in sim.chart_intervals(symbol)]
interval = c2.segmented_control(
    "Interval", allowed, default="1h" if "1h" in allowed else allowed[0], required=True, key="dash_interval"
)
range_name = c3.segmented_control("Range", list(data.RANGES), default="1W", required=True, key="dash_range")
mas = c4.multiselect("Moving averages", [7, 20, 50, 100, 200], default=[20, 50], key="dash_ma")
interval = interval or ("1h" if "1h" in allowed else allowed[0])
range_name = range_name or "1W"
used = data.fitting_interval(interval, range_name, allowed)
if used != interval:
    st.caption(f"{interval} candles over {range_name} would be too many to load; showing {used}.")
frame = data.candles(symbol, used, range_name)
if frame.empty:
    st.info(f"No closed {used} candles for {symbol} yet.")
else:
    fills = sim.trades_frame(user.id)
    fig = figures.candlestick(
        frame,
        title=f"{symbol} {used}",
        fills=fills[fills["symbol"] == symbol],
        ma_windows=sorted(mas),
    )
    st.plotly_chart(widgets.with_forecast(sim, fig, symbol, used), key="dash_chart")
    st.caption(
        f"{len(frame):,} closed candles to {frame['open_time'].iloc[-1]:%Y-%m-%d %H:%M} UTC. "
        "Triangles mark your own fills."
    )
