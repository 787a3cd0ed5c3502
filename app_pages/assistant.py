"""AI Assistant: the forecast on the chart, the market analysis, the live track record, and the chat.

Thin: widgets plus calls into ``sim`` (``forecast``, ``analysis``, ``score_forecasts``,
``track_record``, ``chat``, ``confirm_proposal``) and the pure figure builders. The chat history
lives in this session only, under a key holding the user id; an order the chat proposes is placed
only when the user presses its Confirm button.
"""

import pandas as pd
import streamlit as st

from sim.analytics import figures
from sim.analytics.figures_forecast import accuracy_text, confidence_level, draw_forecast
from sim.analytics.forecast.wording import headline_note, skill_text
from sim.assistant.replies import label, say
from sim.assistant.tools import describe
from sim.assistant.types import readable
from sim.domain.errors import SimError
from sim.forecasting import ANALYSIS_DEFINITIONS, TRACK_RECORD_DEFINITIONS
from ui import accounts, charts, data
from ui import format as fmt
from ui.auth import require_user
from ui.i18n import error_text
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim
CHAT_KEY = f"ai_chat_{user.id}_{user.trader}"

st.title("AI Assistant")
accounts.banner(user)
st.caption(
    "Direction forecasts from XGBoost models validated walk-forward against simple baselines, a plain "
    "reading of the market, and a chat that answers from your account. Forecasts are probabilities, "
    "not advice; the chat never trades without your confirmation."
)

# --- prediction panel ---------------------------------------------------------------------------------
c1, c2 = st.columns([2, 2])
symbol = c1.selectbox("Symbol", sim.symbol_choices(user.id), key="ai_symbol")  # watchlist first
horizon = c2.segmented_control(
    "Horizon", [1, 4], default=1, required=True, format_func=lambda h: f"{h} h", key="ai_horizon"
)
horizon = int(horizon or 1)

st.subheader("Prediction")
try:
    forecast = sim.forecast(symbol, "1h", horizon)
except SimError as exc:
    forecast = None
    st.warning(error_text(exc))
frame = data.candles(symbol, "1h", "1W")
if forecast is not None:
    cols = st.columns(4)
    for col, name in zip(cols, ("up", "flat", "down"), strict=False):
        col.metric(f"P({name})", f"{forecast.probabilities[name]:.0%}")
    p = forecast.probabilities[forecast.label]
    cols[3].metric(
        "Most likely",
        forecast.label,
        f"{confidence_level(p)} confidence",
        delta_color="off",
        delta_arrow="off",
    )
    note = headline_note(forecast.validation)
    if note:
        st.markdown(f"**Most likely: {forecast.label}** — {note}.")
    st.caption(
        f"{forecast.symbol}, the {horizon} h after {forecast.as_of:%Y-%m-%d %H:%M} UTC (until "
        f"{forecast.valid_until:%H:%M}). 'Flat' = a move within ±{forecast.band:.2%}. Model "
        f"{forecast.model_id}: {accuracy_text(forecast.validation)}"
        f"{skill_text(forecast.validation, lead='; ')}."
    )
if frame.empty:
    st.info(f"No closed 1h candles for {symbol} yet.")
else:
    fig = figures.candlestick(frame, title=f"{symbol} 1h", ma_windows=(20, 50), height=480)
    if forecast is not None:
        fig = draw_forecast(fig, forecast, show_accuracy=False)  # the caption above states it
    charts.draw(fig)

# --- market analysis ---------------------------------------------------------------------------------
st.subheader("Market analysis")
try:
    reading = sim.analysis(symbol)
except SimError as exc:
    reading = None
    st.warning(error_text(exc))
if reading is not None:
    rsi = reading.metrics["rsi_14"].value
    vol = reading.metrics["rv_24_annualized"].value
    a1, a2, a3, a4 = st.columns(4)
    a1.metric("Trend", reading.trend, help=ANALYSIS_DEFINITIONS["trend"])
    a2.metric("Momentum", reading.momentum, help=ANALYSIS_DEFINITIONS["momentum"])
    a3.metric(
        "RSI(14)",
        "-" if rsi is None else f"{rsi:.1f}",
        reading.rsi_zone,
        delta_color="off",
        delta_arrow="off",
    )
    a4.metric(
        "Volatility",
        reading.volatility_regime,
        "-" if vol is None else f"{vol:.0%} annualized",
        delta_color="off",
        delta_arrow="off",
        help=ANALYSIS_DEFINITIONS["volatility_regime"],
    )
    levels = [("support", lv) for lv in reading.supports] + [("resistance", lv) for lv in reading.resistances]
    if levels:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Kind": kind.capitalize(),
                        "Price": fmt.price(lv.price, sim.instruments[symbol].tick_size),
                        "Touches": lv.touches,
                        "Definition": lv.definition,
                    }
                    for kind, lv in levels
                ]
            ),
            hide_index=True,
            key="ai_levels",
        )
    with st.expander("Every number and its definition"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Number": k,
                        "Value": None if m.value is None else readable(m.value),
                        "Definition": m.definition,
                    }
                    for k, m in reading.metrics.items()
                ]
                + [
                    {"Number": k, "Value": str(getattr(reading, k, "")), "Definition": d}
                    for k, d in ANALYSIS_DEFINITIONS.items()
                    if hasattr(reading, k)
                ]
            ),
            hide_index=True,
        )

# --- live track record ---------------------------------------------------------------------------------
st.subheader("Live track record")
try:
    sim.score_forecasts()
    record = sim.track_record(symbol, horizon)
except SimError as exc:
    record = None
    st.warning(error_text(exc))
if record is not None:
    if record.model is None:
        st.info(
            f"No {symbol} {horizon} h forecast has been scored yet ({record.n_pending} pending): a forecast "
            "is scored once its horizon has passed and its candles are in the history."
        )
    else:
        rows = [{"predictor": "model", "hit rate": record.model.hit_rate, "Brier": record.model.brier}]
        rows += [
            {"predictor": name.replace("_", " ") + " (baseline)", "hit rate": s.hit_rate, "Brier": s.brier}
            for name, s in record.baselines.items()
        ]
        st.dataframe(
            pd.DataFrame(rows).style.format({"hit rate": "{:.1%}", "Brier": "{:.3f}"}),
            hide_index=True,
            key="ai_record",
        )
        st.caption(
            f"{record.n_scored} scored, {record.n_pending} pending, {record.n_void} void (data gap). "
            f"Hit rate: {TRACK_RECORD_DEFINITIONS['hit_rate']}. Brier: {TRACK_RECORD_DEFINITIONS['brier']}."
        )

# --- chat ----------------------------------------------------------------------------------------------
st.subheader("Chat")
history: list[dict] = st.session_state.setdefault(CHAT_KEY, [])


def _confirm(index: int) -> None:
    """Place the proposal, or re-quote it first when its price moved or it aged (requote_proposal)."""
    chat = st.session_state[CHAT_KEY]
    entry = chat[index]
    quoted = entry["proposal"]
    lang = entry.get("lang", "en")  # the language the proposal was asked in
    sim_ = get_runtime().sim
    entry["done"] = True
    try:
        fresh = sim_.requote_proposal(user.trader, quoted)
        if fresh is not None:
            was, now = fmt.price(quoted.preview["price"]), fmt.price(fresh.preview["price"])
            text = say(lang, "requoted", was=was, now=now, quote=describe(fresh, lang))
            chat.append({"role": "assistant", "content": text, "proposal": fresh, "lang": lang})
            return
        order = sim_.confirm_proposal(user.trader, quoted)
    except SimError as exc:
        text = say(lang, "order_refused", error=exc)
    else:
        filled = order.avg_fill_price
        price = say(lang, "order_at", price=fmt.price(filled)) if filled is not None else ""
        text = say(
            lang,
            "order_placed",
            id=order.id,
            side=say(lang, f"order_side_{order.side}"),
            symbol=order.symbol,
            status=label(lang, order.status.lower()),
            price=price,
            quoted=fmt.price(quoted.preview["price"]),
        )
    chat.append({"role": "assistant", "content": text, "lang": lang})


for i, entry in enumerate(history):
    with st.chat_message(entry["role"]):
        st.markdown(entry["content"])
        if entry.get("proposal") is not None and not entry.get("done"):
            st.caption(say(entry.get("lang", "en"), "requote_rule"))
            st.button("Confirm", key=f"ai_confirm_{i}", on_click=_confirm, args=(i,), type="primary")

prompt = st.chat_input(
    "Ask: price of bitcoin, forecast ETH 4h, why did I lose money on SOL, buy 0.01 BTC, 비트코인 0.01개 사줘",
    key="ai_input",
)
if prompt:
    reply = sim.chat(user.trader, prompt)
    history.append({"role": "user", "content": prompt})
    history.append(
        {
            "role": "assistant",
            "content": reply.text,
            "proposal": reply.proposal,
            "intent": reply.intent,
            "lang": reply.lang,
        }
    )
    st.rerun()
