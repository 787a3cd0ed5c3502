"""The assistant's forecast, track-record, analysis and indicator answers (see :mod:`sim.assistant.tools`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.assistant.formatting import fmt_price, pct
from sim.assistant.replies import INDICATOR_TEXTS, label, say
from sim.assistant.types import ToolResult, readable
from sim.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator


def _record_line(
    sim: Simulator, symbol: str | None, horizon: int | None, lang: str = "en"
) -> tuple[str, dict[str, Any]]:
    record = sim.track_record(symbol, horizon)
    if record.model is None:
        return say(lang, "record_none", pending=record.n_pending), record.to_dict()
    base = " · ".join(
        f"{label(lang, name).replace('_', ' ')} {pct(s.hit_rate)} / {s.brier:.3f}"
        for name, s in record.baselines.items()
    )
    text = say(
        lang,
        "record",
        n=record.n_scored,
        hit=pct(record.model.hit_rate),
        brier=record.model.brier,
        baselines=base,
        pending=record.n_pending,
    )
    return text, record.to_dict()


def forecast_note(validation: dict[str, Any], symbol: str, lang: str = "en") -> str:
    """What follows the most likely class: the pooled model's label and the direction disclosure,
    as :func:`sim.analytics.forecast.wording.headline_note` says them, in ``lang``."""
    from sim.analytics.forecast.wording import disclosure

    parts = []
    if validation.get("pooled"):
        names = str(validation.get("model_label", "")).rpartition("trained on ")[2]
        key = "pooled_trained" if validation.get("trained_on_symbol") else "pooled_not_trained"
        parts.append(say(lang, key, names=names, symbol=symbol))
    if disclosure(validation):
        parts.append(say(lang, "direction_disclosure"))
    return "; ".join(parts)


def get_forecast(sim: Simulator, symbol: str, horizon: int = 1, lang: str = "en") -> ToolResult:
    """The served direction forecast of ``symbol`` (stored), with its validation and track record.
    The model card's accuracy and skill are worded in ``lang`` too (:mod:`sim.analytics.forecast.words`)."""
    from sim.analytics.figures_forecast import accuracy_text
    from sim.analytics.forecast.wording import skill_text

    f = sim.forecast(symbol, "1h", int(horizon))
    note = forecast_note(f.validation, f.symbol, lang)
    probs = ", ".join(f"{label(lang, k)} {pct(f.probabilities[k], 0)}" for k in ("up", "flat", "down"))
    sim.score_forecasts()
    record_text, record = _record_line(sim, f.symbol, f.horizon, lang)
    text = say(
        lang,
        "forecast",
        symbol=f.symbol,
        h=f.horizon,
        as_of=f.as_of,
        until=f.valid_until,
        probs=probs,
        label=label(lang, f.label),
        note=f" ({note})" if note else "",
        band=f.band,
        model=f.model_id,
        accuracy=accuracy_text(f.validation, lang),
        skill=skill_text(f.validation, lead="; ", lang=lang),
        record=record_text,
    )
    return ToolResult(text, {"forecast": f.to_dict(), "track_record": record})


def get_track_record(
    sim: Simulator, symbol: str | None = None, horizon: int | None = None, lang: str = "en"
) -> ToolResult:
    """Hit rate and Brier score of the scored forecasts against the baselines (scores due ones first)."""
    sim.score_forecasts()
    text, record = _record_line(sim, symbol, horizon, lang)
    scope = sim.instruments.get_or_raise(symbol).symbol if symbol else say(lang, "all_symbols")
    return ToolResult(say(lang, "record_scope", scope=scope, text=text), {"track_record": record})


def get_analysis(sim: Simulator, symbol: str, lang: str = "en") -> ToolResult:
    """Trend, momentum, volatility regime and support/resistance of ``symbol``, with definitions
    in ``lang``."""
    from sim.forecasting import analysis_definitions

    definitions = analysis_definitions(lang)
    a = sim.analysis(symbol, lang=lang)
    m = a.metrics
    rsi = m["rsi_14"].value
    vol = m["rv_24_annualized"].value
    none = say(lang, "none_found")
    text = say(
        lang,
        "analysis",
        symbol=sim.instruments.get_or_raise(symbol).symbol,
        as_of=a.as_of,
        close=fmt_price(a.close),
        trend=label(lang, a.trend),
        trend_def=definitions["trend"],
        momentum=label(lang, a.momentum),
        rsi="-" if rsi is None else f"{rsi:.1f}",
        zone=label(lang, a.rsi_zone),
        regime=label(lang, a.volatility_regime),
        vol=pct(vol),
        regime_def=definitions["volatility_regime"],
        supports=", ".join(fmt_price(lv.price) for lv in a.supports) or none,
        resistances=", ".join(fmt_price(lv.price) for lv in a.resistances) or none,
    )
    return ToolResult(text, {"analysis": a.to_dict(), "definitions": definitions})


# --- indicators -------------------------------------------------------------------------------------

INDICATORS: dict[str, dict[str, Any]] = {
    "rsi": {
        "title": "RSI (Relative Strength Index)",
        "plain": "a momentum gauge from 0 to 100 comparing recent gains with recent losses; above 70 "
        "is often called overbought, below 30 oversold",
        "features": ["rsi_14"],
        "metrics": ["rsi_14"],
    },
    "macd": {
        "title": "MACD (Moving Average Convergence Divergence)",
        "plain": "the gap between a fast and a slow exponential average of the price; above its "
        "signal line means upward momentum is building, below means it is fading",
        "features": ["macd", "macd_signal", "macd_hist"],
        "metrics": ["macd", "macd_signal", "macd_hist"],
    },
    "bollinger": {
        "title": "Bollinger bands",
        "plain": "bands two standard deviations above and below the 20-bar average; the position "
        "in the bands says how stretched the price is (+1 at the upper band, -1 at the lower)",
        "features": ["bb_pos"],
        "metrics": [],
    },
    "volatility": {
        "title": "Volatility",
        "plain": "how much the price moves: the standard deviation of hourly log returns, also "
        "shown annualized and as a percentile of the last year",
        "features": ["rv_24", "rv_72"],
        "metrics": ["rv_24", "rv_24_annualized", "rv_24_percentile"],
    },
    "sma": {
        "title": "Moving averages (SMA)",
        "plain": "the mean of the last N closes; the price above a rising average is read as an uptrend",
        "features": [],
        "metrics": ["sma50", "sma200", "close_vs_sma50", "close_vs_sma200", "slope50"],
    },
    "momentum": {
        "title": "Momentum",
        "plain": "",
        "features": ["ret_1", "ret_24"],
        "metrics": [],
        "state": "momentum",
    },
    "trend": {"title": "Trend", "plain": "", "features": [], "metrics": ["slope50"], "state": "trend"},
    "levels": {
        "title": "Support and resistance",
        "plain": "price levels where the market turned before; supports below the price, resistances above",
        "features": [],
        "metrics": [],
        "state": "support",
    },
    "volume": {
        "title": "Volume z-score",
        "plain": "how unusual the current volume is compared with the last day",
        "features": ["volume_z"],
        "metrics": [],
    },
    "brier": {"title": "Brier score", "plain": "", "features": [], "metrics": [], "record": "brier"},
    "baseline": {"title": "Baselines", "plain": "", "features": [], "metrics": [], "record": "last_move"},
    "band": {"title": "The flat band", "plain": "", "features": [], "metrics": [], "record": "outcome"},
}


def explain_indicator(sim: Simulator, name: str, symbol: str | None = None, lang: str = "en") -> ToolResult:
    """What an indicator means and how it is computed here; its current value when a symbol is given."""
    from sim.analytics.forecast.feature_words import feature_definition
    from sim.forecast_record import track_record_definitions
    from sim.forecasting import analysis_definitions

    states, records = analysis_definitions(lang), track_record_definitions(lang)

    key = name.strip().lower()
    aliases = {
        "bb": "bollinger",
        "ema": "sma",
        "support": "levels",
        "resistance": "levels",
        "rv": "volatility",
    }
    key = aliases.get(key, key)
    spec = INDICATORS.get(key)
    if spec is None:
        raise InvalidInput.of("assistant.indicator_unknown", names=", ".join(INDICATORS))
    title, plain = INDICATOR_TEXTS.get(lang, {}).get(key, (spec["title"], spec["plain"]))
    lines = [f"**{title}**" + (f": {plain}." if plain else "")]
    if "state" in spec:
        lines.append(say(lang, "here", definition=states[spec["state"]]))
    if "record" in spec:
        if key == "baseline":
            both = f"{records['last_move']}; {records['majority']}"
            lines.append(say(lang, "here", definition=both))
        else:
            lines.append(say(lang, "here", definition=records[spec["record"]]))
    features = {f: feature_definition(lang, f) for f in spec["features"]}
    for feature, meaning in features.items():
        lines.append(f"- `{feature}` = {meaning}")
    data: dict[str, Any] = {"indicator": key, "definitions": features}
    if symbol and (spec["metrics"] or "state" in spec):
        a = sim.analysis(symbol, lang=lang)
        values = {k: a.metrics[k] for k in spec["metrics"]}
        for k, metric in values.items():
            value = "-" if metric.value is None else readable(metric.value)
            lines.append(
                f"- {a.as_of:%Y-%m-%d %H:%M} {sim.instruments.get_or_raise(symbol).symbol} "
                f"`{k}` = {value} ({metric.definition})"
            )
        state = spec.get("state")
        if state in ("trend", "momentum"):
            value = label(lang, getattr(a, state))
            lines.append(say(lang, "indicator_state", state=label(lang, state), value=value))
        if key == "rsi":
            lines.append(say(lang, "rsi_zone_now", zone=label(lang, a.rsi_zone)))
        if key == "levels":
            none = say(lang, "none")
            supports = ", ".join(fmt_price(lv.price) for lv in a.supports) or none
            resistances = ", ".join(fmt_price(lv.price) for lv in a.resistances) or none
            lines.append(say(lang, "levels_now", supports=supports, resistances=resistances))
        data["values"] = {k: m.value for k, m in values.items()}
    return ToolResult("\n".join(lines), data)


# --- the user's trades ------------------------------------------------------------------------------
