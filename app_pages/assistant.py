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
from sim.forecast_record import track_record_definitions
from sim.forecasting import analysis_definitions
from ui import accounts, charts, data
from ui import format as fmt
from ui.auth import require_user
from ui.i18n import error_text, lang, t, when
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim
CHAT_KEY = f"ai_chat_{user.id}_{user.trader}"
LANG = lang()
# option words looked up now: AppTest calls format_func outside the run (no session language)
HOUR_WORDS = {h: t("ai.hours", hours=h) for h in (1, 4)}

st.title(t("nav.assistant"))
accounts.banner(user)
st.caption(t("ai.intro"))


def _baseline(name: str) -> str:
    """A baseline's name for people: ``last_move`` -> ``last move`` (in Korean its word, when known)."""
    word = label(LANG, name)
    return word if word != name else name.replace("_", " ")


# --- prediction panel ---------------------------------------------------------------------------------
c1, c2 = st.columns([2, 2])
symbol = c1.selectbox(t("ai.symbol"), sim.symbol_choices(user.id), key="ai_symbol")  # watchlist first
horizon = c2.segmented_control(
    t("ai.horizon"), [1, 4], default=1, required=True, format_func=HOUR_WORDS.__getitem__, key="ai_horizon"
)
horizon = int(horizon or 1)

st.subheader(t("ai.prediction"))
try:
    forecast = sim.forecast(symbol, "1h", horizon)
except SimError as exc:
    forecast = None
    st.warning(error_text(exc))
frame = data.candles(symbol, "1h", "1W")
if forecast is not None:
    cols = st.columns(4)
    for col, name in zip(cols, ("up", "flat", "down"), strict=False):
        col.metric(t("ai.probability", name=label(LANG, name)), f"{forecast.probabilities[name]:.0%}")
    p = forecast.probabilities[forecast.label]
    likely = label(LANG, forecast.label)
    cols[3].metric(
        t("ai.most_likely"),
        likely,
        t("ai.confidence", level=t(f"ai.level.{confidence_level(p)}")),
        delta_color="off",
        delta_arrow="off",
    )
    note = headline_note(forecast.validation, LANG)
    if note:
        st.markdown(t("ai.most_likely_note", label=likely, note=note))
    st.caption(
        t(
            "ai.forecast_caption",
            symbol=forecast.symbol,
            hours=horizon,
            as_of=when(forecast.as_of),
            until=f"{forecast.valid_until:%H:%M}",
            band=f"{forecast.band:.2%}",
            model=forecast.model_id,
            accuracy=accuracy_text(forecast.validation, LANG),
            skill=skill_text(forecast.validation, lead="; ", lang=LANG),
        )
    )
if frame.empty:
    st.info(t("ai.no_candles", symbol=symbol))
else:
    fig = figures.candlestick(frame, title=f"{symbol} 1h", ma_windows=(20, 50), height=480, lang=lang())
    if forecast is not None:
        fig = draw_forecast(fig, forecast, show_accuracy=False, lang=LANG)  # the caption above states it
    charts.draw(fig)

# --- market analysis ---------------------------------------------------------------------------------
st.subheader(t("ai.analysis"))
try:
    reading = sim.analysis(symbol, lang=LANG)
except SimError as exc:
    reading = None
    st.warning(error_text(exc))
if reading is not None:
    definitions = analysis_definitions(LANG)
    rsi = reading.metrics["rsi_14"].value
    vol = reading.metrics["rv_24_annualized"].value
    a1, a2, a3, a4 = st.columns(4)
    a1.metric(t("ai.trend"), label(LANG, reading.trend), help=definitions["trend"])
    a2.metric(t("ai.momentum"), label(LANG, reading.momentum), help=definitions["momentum"])
    a3.metric(
        t("ai.rsi"),
        "-" if rsi is None else f"{rsi:.1f}",
        label(LANG, reading.rsi_zone),
        delta_color="off",
        delta_arrow="off",
    )
    a4.metric(
        t("ai.volatility"),
        label(LANG, reading.volatility_regime),
        "-" if vol is None else t("ai.annualized", pct=f"{vol:.0%}"),
        delta_color="off",
        delta_arrow="off",
        help=definitions["volatility_regime"],
    )
    levels = [("support", lv) for lv in reading.supports] + [("resistance", lv) for lv in reading.resistances]
    if levels:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ai.col_kind"): t(f"ai.{kind}"),
                        t("ai.col_price"): fmt.price(lv.price, sim.instruments[symbol].tick_size),
                        t("ai.col_touches"): lv.touches,
                        t("ai.col_definition"): lv.definition,
                    }
                    for kind, lv in levels
                ]
            ),
            hide_index=True,
            key="ai_levels",
        )
    with st.expander(t("ai.every_number")):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("ai.col_number"): k,
                        t("ai.col_value"): None if m.value is None else readable(m.value),
                        t("ai.col_definition"): m.definition,
                    }
                    for k, m in reading.metrics.items()
                ]
                + [
                    {
                        t("ai.col_number"): k,
                        t("ai.col_value"): label(LANG, getattr(reading, k, "")),
                        t("ai.col_definition"): d,
                    }
                    for k, d in definitions.items()
                    if hasattr(reading, k)
                ]
            ),
            hide_index=True,
        )

# --- live track record ---------------------------------------------------------------------------------
st.subheader(t("ai.track_record"))
try:
    sim.score_forecasts()
    record = sim.track_record(symbol, horizon)
except SimError as exc:
    record = None
    st.warning(error_text(exc))
if record is not None:
    if record.model is None:
        st.info(t("ai.not_scored", symbol=symbol, hours=horizon, pending=record.n_pending))
    else:
        who, hits, brier = t("ai.col_predictor"), t("ai.col_hit_rate"), t("ai.col_brier")
        rows = [{who: t("ai.model"), hits: record.model.hit_rate, brier: record.model.brier}]
        rows += [
            {who: t("ai.baseline", name=_baseline(name)), hits: s.hit_rate, brier: s.brier}
            for name, s in record.baselines.items()
        ]
        st.dataframe(
            pd.DataFrame(rows).style.format({hits: "{:.1%}", brier: "{:.3f}"}),
            hide_index=True,
            key="ai_record",
        )
        words = track_record_definitions(LANG)
        st.caption(
            t(
                "ai.record_caption",
                scored=record.n_scored,
                pending=record.n_pending,
                void=record.n_void,
                hit_rate=words["hit_rate"],
                brier=words["brier"],
            )
        )

# --- chat ----------------------------------------------------------------------------------------------
st.subheader(t("ai.chat"))
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
            st.button(t("ai.confirm"), key=f"ai_confirm_{i}", on_click=_confirm, args=(i,), type="primary")

prompt = st.chat_input(
    t("ai.ask"),
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
