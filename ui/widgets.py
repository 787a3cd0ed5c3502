"""Small shared widgets and formatters (no business rules: numbers come from ``sim``)."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import streamlit as st

from ui import format as fmt
from ui.i18n import error_text, lang, t

STATUS_COLORS = {"live": "green", "delayed": "orange", "stale": "red"}
STATUS_ICONS = {"live": ":material/wifi:", "delayed": ":material/schedule:", "stale": ":material/wifi_off:"}


def fmt_num(value: Decimal | float | None, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{float(value):,.{places}f}"


def fmt_price(value: Decimal | float | None) -> str:
    """Prices with the decimals they need: 2 above 100, up to 6 below 1."""
    if value is None:
        return "-"
    v = float(value)
    places = 2 if abs(v) >= 100 else 4 if abs(v) >= 1 else 6
    return f"{v:,.{places}f}"


def fmt_pct(value: Decimal | float | None, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{float(value):+.{places}f}%"


def feed_statuses(runtime: Any, symbols: list[str] | None = None) -> dict[str, str]:
    """``symbol -> live|delayed|stale`` from the live store's health (of ``SYMBOLS`` by default)."""
    symbols = list(runtime.settings.symbols) if symbols is None else symbols
    health = runtime.live.health(symbols, int(time.time() * 1000))
    return {h.symbol: str(h.status) for h in health.symbols}


def status_word(status: str) -> str:
    """``live`` / ``delayed`` / ``stale`` in the session's language."""
    return {"live": t("feed.live"), "delayed": t("feed.delayed"), "stale": t("feed.stale")}.get(
        status, status
    )


def status_badge(status: str, label: str | None = None) -> None:
    st.badge(
        label or status_word(status), color=STATUS_COLORS.get(status, "gray"), icon=STATUS_ICONS.get(status)
    )


def overall_status(statuses: dict[str, str]) -> str:
    for worst in ("stale", "delayed"):
        if worst in statuses.values():
            return worst
    return "live" if statuses else "stale"


def toast_fills(sim: Any, user_id: int) -> None:
    """Toast every resting order the matcher filled or expired since the user last looked."""
    for order in sim.unseen_fills(user_id):
        verb = {"FILLED": t("toast.filled"), "EXPIRED": t("toast.expired"), "CANCELED": t("toast.canceled")}
        filled = order.avg_fill_price
        price = t("toast.at", price=fmt_price(filled)) if filled is not None else ""
        if lang() == "en":  # today's English: "Your stop loss sell of ..."
            side, kind = order.side.lower(), order.type.replace("_", " ").lower()
        else:
            side, kind = fmt.side(order.side), fmt.order_type(order.type)
        qty = f"{order.quantity.normalize():f}" if order.quantity is not None else ""
        text = t(
            "toast.fill",
            kind=kind,
            side=side,
            qty=qty,
            symbol=order.symbol,
            verb=verb.get(order.status) or order.status.lower(),
            price=price,
        )
        st.toast(text, icon="🔔")


def with_forecast(sim: Any, fig: Any, symbol: str, interval: str, horizon: int = 1) -> Any:
    """``fig`` with the served forecast drawn at its right edge (1h charts only: the models are
    hourly); a caption says why when there is none. Words in the session's language."""
    from sim.analytics.figures_forecast import accuracy_text, draw_forecast
    from sim.analytics.forecast.wording import headline_note, skill_text
    from sim.analytics.forecast.words import name
    from sim.domain.errors import SimError

    if interval != "1h":
        st.caption(t("fc.hourly_only"))
        return fig
    try:
        forecast = sim.forecast(symbol, "1h", horizon)
    except SimError as exc:
        st.caption(t("fc.none", error=error_text(exc)))
        return fig
    language = lang()
    p = forecast.probabilities[forecast.label]
    note = headline_note(forecast.validation, language)
    st.caption(
        t(
            "fc.caption",
            hours=forecast.horizon,
            label=name(language, "class", forecast.label),
            p=f"{p:.0%}",
            note=t("fc.note", note=note) if note else "",
            accuracy=accuracy_text(forecast.validation, language),
            skill=skill_text(forecast.validation, lead="; ", lang=language),
        )
    )
    return draw_forecast(fig, forecast, show_accuracy=False, lang=language)


def recent_trades_caption(runtime: Any) -> str:
    """What the recent-trades list is: real trades from the exchange, or ticks replayed from candles."""
    if getattr(runtime, "feed", None) is not None:
        return t("recent.replayed")
    return t("recent.exchange")


COMPACT_CSS = """<style>
/* Streamlit leaves ~6rem above the first element for its header: 2.5rem is enough */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>"""


def compact_layout() -> None:
    """Less empty space above each page's title (a style element: it takes no room itself)."""
    st.html(COMPACT_CSS)


def track_record_panel(sim: Any, symbol: str, horizon: int = 1, key: str = "record") -> None:
    """The live track record of ``symbol``'s served forecasts (scored as their horizon passes):
    hit rate and Brier score of the model beside its baselines, or how many are pending."""
    import pandas as pd

    from sim.analytics.forecast.words import name
    from sim.domain.errors import SimError
    from sim.forecast_record import track_record_definitions

    st.markdown(t("fc.record_title", symbol=symbol, hours=horizon))
    try:
        sim.score_forecasts()
        record = sim.track_record(symbol, horizon)
    except SimError as exc:
        st.caption(error_text(exc))
        return
    if record.model is None:
        st.caption(t("fc.not_scored", pending=record.n_pending))
        return
    language = lang()
    who, hits, brier = t("ai.col_predictor"), t("ai.col_hit_rate"), t("ai.col_brier")
    rows = [{who: t("ai.model"), hits: record.model.hit_rate, brier: record.model.brier}]
    rows += [
        {who: name(language, "baseline", baseline), hits: s.hit_rate, brier: s.brier}
        for baseline, s in record.baselines.items()
    ]
    st.dataframe(
        pd.DataFrame(rows).style.format({hits: "{:.1%}", brier: "{:.3f}"}),
        hide_index=True,
        key=key,
    )
    definitions = track_record_definitions(language)
    st.caption(
        t(
            "fc.record_caption",
            scored=record.n_scored,
            pending=record.n_pending,
            hit_rate=definitions["hit_rate"],
            brier=definitions["brier"],
        )
    )
