"""Backtest lab: a strategy on the history store's candles, its statistics and charts, the fill-model
sensitivity, and the user's own paper trades replayed by the backtester.

Thin: widgets, calls into ``sim.backtest_service`` (through ``Simulator``) and the figure builders.
The finished run is kept in this session only (``st.session_state``), never in a shared cache.
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from sim import backtest_service as bs
from sim.analytics import figures_backtest as fb
from sim.analytics.chart_words import word
from sim.analytics.lab_words import in_language
from sim.domain.errors import SimError
from ui import charts, widgets
from ui import format as fmt
from ui.auth import require_user
from ui.i18n import error_text, lang, t
from ui.runtime import get_runtime, runtime_key

user = require_user()
sim = get_runtime().sim
LANG = lang()

# option words looked up now: AppTest calls format_func outside the run (no session language)
STRATEGY_WORDS = {
    "ma_crossover": t("lab.strategy.ma_crossover"),
    "rsi_reversion": t("lab.strategy.rsi_reversion"),
    "forecast": t("lab.strategy.forecast"),
}


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """A lab table (trades, refused orders, reconciliation) for people, in the session's language."""
    return fmt.humanize(bs.decimals_to_float(bs.localize_cells(frame, LANG)), LANG)


st.title(t("nav.backtest"))
st.caption(t("lab.intro"))


@st.cache_data(ttl=600, show_spinner=False)
def _range(key: str, symbols: tuple[str, ...], day: date) -> tuple[date, date] | None:
    del key, day  # cache keys: the runtime and the market day
    found = bs.available_range(get_runtime().sim, symbols)
    return (found[0].date(), found[1].date()) if found else None


# --- inputs -------------------------------------------------------------------------------------
choices = sim.symbol_choices(user.id)  # the user's watchlist first, then the universe
symbols = st.multiselect(t("lab.symbols"), choices, default=choices[:1], key="bt_symbols")
today = pd.Timestamp(sim.now()).date()
span = _range(runtime_key(), tuple(symbols), today) if symbols else None
first_day, last_day = span if span else (today - timedelta(days=365), today)
c1, c2, c3, c4 = st.columns(4)
start = c1.date_input(
    t("lab.from"), max(first_day, last_day - timedelta(days=90)), first_day, last_day, key="bt_start"
)
end = c2.date_input(
    t("lab.to"), last_day + timedelta(days=1), first_day, last_day + timedelta(days=1), key="bt_end"
)
choices = bs.intervals(sim, symbols) if symbols else ["1h"]
interval = c3.selectbox(
    t("lab.interval"), choices, index=choices.index("1h") if "1h" in choices else 0, key="bt_interval"
)
strategy = c4.selectbox(
    t("lab.strategy"),
    list(bs.STRATEGIES),
    format_func=lambda s: STRATEGY_WORDS.get(s) or bs.STRATEGIES[s][0],
    key="bt_strategy",
)

defaults = bs.STRATEGIES[strategy][1]
p1, p2, p3 = st.columns(3)
params: dict[str, object] = {}
options: dict[str, int] = {}  # run options beyond the strategy's parameters
if strategy == "ma_crossover":
    params["fast"] = p1.number_input(t("lab.fast"), 2, 500, defaults["fast"], key="bt_fast")
    params["slow"] = p2.number_input(t("lab.slow"), 3, 1000, defaults["slow"], key="bt_slow")
elif strategy == "rsi_reversion":
    params["window"] = p1.number_input(t("lab.rsi_window"), 2, 200, defaults["window"], key="bt_rsi_window")
    params["buy_below"] = p2.number_input(
        t("lab.buy_below"), 1.0, 99.0, defaults["buy_below"], key="bt_buy_below"
    )
    params["sell_above"] = p3.number_input(
        t("lab.sell_above"), 1.0, 99.0, defaults["sell_above"], key="bt_sell_above"
    )
else:
    params["horizon"] = p1.selectbox(t("lab.horizon"), [1, 4], key="bt_horizon")
    params["enter"] = p2.slider(t("lab.enter"), 0.0, 1.0, defaults["enter"], 0.01, key="bt_enter")
    params["exit"] = p3.slider(t("lab.exit"), 0.0, 1.0, defaults["exit"], 0.01, key="bt_exit")
    options["train_days"] = train_days = p1.number_input(
        t("lab.train_days"),
        bs.MIN_TRAIN_DAYS,
        1000,
        bs.DEFAULT_TRAIN_DAYS,
        key="bt_train_days",
        help=t("lab.train_days_help"),
    )
    gap = t("lab.wf_gap_one") if params["horizon"] == 1 else t("lab.wf_gap_many", n=params["horizon"])
    st.caption(t("lab.wf_caption", days=train_days, gap=gap))

with st.expander(t("lab.fill_box")):
    f1, f2, f3 = st.columns(3)
    fee = f1.text_input(t("lab.fee"), "0.001", key="bt_fee")
    slippage = f2.text_input(t("lab.slippage"), "1", key="bt_slippage")
    cash = f3.text_input(t("lab.cash"), str(sim.settings.starting_balance), key="bt_cash")
    trail = f1.text_input(
        t("lab.trail"),
        "",
        key="bt_trail",
        placeholder=t("lab.trail_placeholder"),
        help=t("lab.trail_help"),
    )
    st.caption(t("lab.pessimistic_note"))

busy = t("lab.busy")
if st.button(t("lab.run"), type="primary", key="bt_run", disabled=not symbols):
    bar = st.progress(0.0, text=busy)
    try:
        run = sim.backtest(
            list(symbols),
            strategy,
            params=params,
            interval=interval,
            start=pd.Timestamp(start, tz="UTC"),
            end=pd.Timestamp(end, tz="UTC"),
            cash=cash.strip(),
            model=bs.fill_model(fee.strip(), slippage.strip()),
            trailing_stop_bps=trail.strip() or None,
            progress=lambda done, total: bar.progress(min(done / max(total, 1), 1.0), text=busy),
            **options,
        )
    except SimError as exc:
        st.session_state.pop("bt_result", None)
        st.error(error_text(exc))
    else:
        st.session_state["bt_result"] = run
    finally:  # also when something unexpected escapes to the page's error boundary
        bar.empty()

# --- results ------------------------------------------------------------------------------------
run = st.session_state.get("bt_result")
results, sensitivity, paper = st.tabs([t("lab.tab_results"), t("lab.tab_sensitivity"), t("lab.tab_paper")])

with results:
    if run is None:
        st.caption(t("lab.no_run"))
    else:
        result = run.result
        st.subheader(in_language(run.label, LANG))
        st.caption(t("lab.on_candles", symbols=", ".join(run.symbols), interval=run.interval))
        if run.windows:
            st.info(in_language(run.windows, LANG), icon=":material/model_training:")
        if run.in_sample_share is not None and run.in_sample_share > 0:
            st.warning(t("lab.in_sample", share=f"{run.in_sample_share:.0%}"))
        for note in run.notes:
            st.caption(in_language(note, LANG))
        s = result.stats
        m = st.columns(4)
        m[0].metric(t("lab.final_equity"), widgets.fmt_num(s["final_equity_exact"]))
        m[1].metric(t("lab.total_return"), widgets.fmt_pct(s["total_return"] * 100))
        m[2].metric(t("lab.buy_and_hold"), widgets.fmt_pct(s["benchmark_return"] * 100))
        m[3].metric(t("lab.max_drawdown"), widgets.fmt_pct(s["max_drawdown"] * 100))
        left, right = st.columns([1.25, 2])
        with left:
            stats_table = fmt.stats_table(bs.format_table(run.stats_table, LANG))
            value = t("lab.value")
            stats_table.columns = [value]  # the strategy and its parameters are the heading above
            st.dataframe(
                stats_table,
                key="bt_stats",
                height=560,
                column_config={
                    t("lab.statistic"): st.column_config.TextColumn(width="medium"),
                    value: st.column_config.TextColumn(width="medium"),
                },
            )
        with right:
            charts.draw(
                fb.equity_vs_benchmark(
                    result.equity.rename(word(lang(), "strategy")),
                    result.benchmark[["buy_and_hold"]].rename(
                        columns={"buy_and_hold": word(lang(), "the_symbols")}
                    ),
                    lang=lang(),
                )
            )
            charts.draw(fb.drawdown_chart(result.equity, lang=lang()))
        shown = st.selectbox(t("lab.trades_of"), list(run.symbols), key="bt_chart_symbol")
        candles = run.candles[shown]
        charts.draw(
            fb.trades_on_candles(
                candles,
                result.trades,
                symbol=shown,
                title=t("lab.candles_title", symbol=shown, interval=run.interval),
                lang=lang(),
            )
        )
        with st.expander(t("lab.fills", n=len(result.trades))):
            st.dataframe(_table(result.trades), hide_index=True, key="bt_trades")
        if result.skipped_orders:
            with st.expander(t("lab.refused", n=result.skipped_orders)):
                st.dataframe(_table(result.skipped), hide_index=True, key="bt_skipped")

with sensitivity:
    if run is None:
        st.caption(t("lab.no_run_sensitivity"))
    else:
        st.caption(t("lab.sensitivity_note"))
        table = run.sensitivity
        st.dataframe(fmt.stats_table(bs.format_table(table, LANG)), key="bt_sensitivity")
        charts.draw(fb.sensitivity_bars(table, lang=lang()))

with paper:
    st.caption(t("lab.paper_note"))
    rec_choices = bs.intervals(sim, sorted(sim.tracked_symbols(user.id)))  # not the whole universe
    rec_interval = st.selectbox(
        t("lab.candles"),
        rec_choices,
        index=rec_choices.index("1h") if "1h" in rec_choices else 0,
        key="bt_rec_interval",
    )
    try:
        comparison = sim.paper_vs_backtest(user.trader, rec_interval)
    except SimError as exc:
        comparison = None
        st.error(error_text(exc))
    if comparison is None:
        st.caption(t("lab.no_paper"))
    else:
        totals = comparison.reconciliation.totals
        m = st.columns(4)
        m[0].metric(t("lab.minus_paper"), widgets.fmt_num(totals["final_equity_difference"], 4))
        m[1].metric(t("lab.fees"), widgets.fmt_num(totals["fee"], 4))
        m[2].metric(t("lab.slippage_price"), widgets.fmt_num(totals["price"], 4))
        m[3].metric(t("lab.timing"), widgets.fmt_num(totals["timing"], 4))
        for line in bs.explain(comparison, LANG):
            st.markdown(f"- {line}")
        charts.draw(fb.paper_vs_backtest(comparison.reconciliation.equity, lang=lang()))
        st.dataframe(_table(comparison.reconciliation.trades), hide_index=True, key="bt_rec")
