"""Dashboard: ``SYMBOLS`` and the user's watchlist with price, 24h change and feed freshness; the
candlestick chart of any symbol of the universe (the picker lists the watchlist first) with the
served forecast, and beside it the forecasts' live track record (scored as their horizon passes)."""

import pandas as pd
import streamlit as st

from sim.analytics import figures
from sim.analytics import portfolio as pf
from ui import accounts, charts, data, errors, i18n, widgets
from ui import format as fmt
from ui.auth import require_user, still_signed_in
from ui.i18n import t
from ui.runtime import get_runtime

user = require_user()
runtime = get_runtime()
sim = runtime.sim
symbols = sim.tracked_symbols(user.id)  # SYMBOLS, then the user's watchlist
TILES_PER_ROW = 5  # the width at which a price like 37,723.96 still fits its tile

st.title(t("nav.dashboard"))
accounts.banner(user)
# shown on every run of the Dashboard until the user opens another page (app.py drops it then): a
# rerun right after registering (the cookie being set) must not take it away before it is read
welcome = st.session_state.get("_welcome")
if welcome:
    st.success(welcome.replace("_", "\\_"))  # usernames: letters, digits, '_', '.', '-'


@st.fragment(run_every=2)
@errors.guarded
def ticker_row() -> None:
    still_signed_in()
    statuses = widgets.feed_statuses(runtime, symbols)
    width = min(len(symbols), TILES_PER_ROW)  # rows of at most TILES_PER_ROW tiles: a watchlist wraps
    cells = []
    for row in range(0, len(symbols), width):
        cells += st.columns(width)[: len(symbols[row : row + width])]
    for col, symbol in zip(cells, symbols, strict=True):
        tick = sim.ticker(symbol)
        change = tick["change_pct"] if tick else None
        with col, st.container(border=True):
            st.metric(
                symbol,
                fmt.price(tick["price"], sim.instruments[symbol].tick_size) if tick else "-",
                t("dash.change_24h", pct=widgets.fmt_pct(change)) if change is not None else None,
            )
            widgets.status_badge(statuses.get(symbol, "stale"))
    widgets.toast_fills(sim, user.trader)


ticker_row()


@st.fragment(run_every=5)
@errors.guarded
def account_summary() -> None:
    """Equity, today's PnL (market day, UTC) and the number of open orders."""
    still_signed_in()
    pv = sim.portfolio(user.trader)
    midnight = pd.Timestamp(sim.now()).floor("D")
    first = sim.trades_page(user.trader, limit=1).items  # the account's first fill (oldest first)
    if not first or pd.Timestamp(first[0].time) >= midnight:  # no fill before today: from the start
        today = float(pv.equity - pv.starting_cash)
    else:  # the equity curve (history reads) only when there was a fill before today
        curve = sim.equity_history(user.trader)
        today = pf.change_since(curve["equity"], midnight, float(pv.equity)) if not curve.empty else 0.0
    n_open = len(sim.orders_page(user.trader, "open", limit=50).items)
    a, b, c = st.columns(3)
    a.metric(t("dash.equity"), fmt.num(pv.equity), t("dash.total", pct=fmt.pct(pv.total_return * 100)))
    b.metric(t("dash.today_pnl"), fmt.num(today), help=t("dash.today_help", day=i18n.day(midnight)))
    c.metric(t("dash.open_orders"), f"{n_open}{'+' if n_open == 50 else ''}")


account_summary()

c1, c2, c3, c4 = st.columns([1.1, 2.1, 3.0, 1.5])
symbol = c1.selectbox(t("dash.symbol"), sim.symbol_choices(user.id), key="dash_symbol")  # watchlist first
allowed = [i for i in data.STEPS if i in sim.chart_intervals(symbol)]
interval = c2.segmented_control(
    t("dash.candle_size"),
    allowed,
    default="1h" if "1h" in allowed else allowed[0],
    required=True,
    format_func=data.candle_label,
    key="dash_interval",
)
range_name = c3.segmented_control(
    t("dash.period"),
    list(data.RANGES),
    default="1W",
    required=True,
    format_func=data.range_label,
    key="dash_range",
)
mas = c4.multiselect(t("dash.moving_averages"), [7, 20, 50, 100, 200], default=[20, 50], key="dash_ma")
interval = interval or ("1h" if "1h" in allowed else allowed[0])
range_name = range_name or "1W"
used = data.fitting_interval(interval, range_name, allowed)
if used != interval:
    st.caption(
        t(
            "dash.too_many",
            asked=data.candle_label(interval),
            period=data.range_label(range_name),
            used=data.candle_label(used),
        )
    )
frame = data.candles(symbol, used, range_name)
if frame.empty:
    st.info(t("dash.no_candles", interval=used, symbol=symbol))
else:
    fills = sim.trades_frame(user.trader)
    fig = figures.candlestick(
        frame,
        title=t(
            "dash.chart_title",
            symbol=symbol,
            candle=data.candle_label(used),
            period=data.range_label(range_name).lower(),
        ),
        fills=fills[fills["symbol"] == symbol],
        ma_windows=sorted(mas),
        lang=i18n.lang(),
    )
    chart, record = st.columns([3, 1])
    with chart:
        charts.draw(widgets.with_forecast(sim, fig, symbol, used))
        st.caption(
            t("dash.chart_caption", count=f"{len(frame):,}", time=i18n.when(frame["open_time"].iloc[-1]))
        )
    with record:
        widgets.track_record_panel(sim, symbol, 1, key="dash_record")
