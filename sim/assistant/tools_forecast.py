"""The assistant's forecast, track-record, analysis and indicator answers (see :mod:`sim.assistant.tools`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.assistant.formatting import fmt_price, pct
from sim.assistant.types import ToolResult, readable
from sim.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator


def _record_line(sim: Simulator, symbol: str | None, horizon: int | None) -> tuple[str, dict[str, Any]]:
    record = sim.track_record(symbol, horizon)
    if record.model is None:
        return (
            f"Live track record: no scored forecasts yet ({record.n_pending} pending).",
            record.to_dict(),
        )
    base = " · ".join(
        f"{name.replace('_', ' ')} {pct(s.hit_rate)} / {s.brier:.3f}" for name, s in record.baselines.items()
    )
    text = (
        f"Live track record over {record.n_scored} scored forecast(s): "
        f"hit rate {pct(record.model.hit_rate)}, "
        f"Brier {record.model.brier:.3f} (lower is better); baselines (hit rate / Brier): {base}. "
        f"{record.n_pending} pending."
    )
    return text, record.to_dict()


def get_forecast(sim: Simulator, symbol: str, horizon: int = 1) -> ToolResult:
    """The served direction forecast of ``symbol`` (stored), with its validation and track record."""
    from sim.analytics.figures_forecast import accuracy_text
    from sim.analytics.forecast.wording import headline_note, skill_text

    f = sim.forecast(symbol, "1h", int(horizon))
    note = headline_note(f.validation)
    probs = ", ".join(f"{k} {pct(f.probabilities[k], 0)}" for k in ("up", "flat", "down"))
    sim.score_forecasts()
    record_text, record = _record_line(sim, f.symbol, f.horizon)
    text = (
        f"{f.symbol}, next {f.horizon} hour(s) (from {f.as_of:%Y-%m-%d %H:%M} to "
        f"{f.valid_until:%H:%M} UTC): {probs}; most likely **{f.label}**"
        + (f" ({note})" if note else "")
        + f". 'Flat' means a move within ±{f.band:.2%}.\n"
        f"Model {f.model_id}: {accuracy_text(f.validation)}"
        f"{skill_text(f.validation, lead='; ')}.\n{record_text}\n"
        "A forecast is a probability, not advice."
    )
    return ToolResult(text, {"forecast": f.to_dict(), "track_record": record})


def get_track_record(sim: Simulator, symbol: str | None = None, horizon: int | None = None) -> ToolResult:
    """Hit rate and Brier score of the scored forecasts against the baselines (scores due ones first)."""
    sim.score_forecasts()
    text, record = _record_line(sim, symbol, horizon)
    scope = sim.instruments.get_or_raise(symbol).symbol if symbol else "all symbols"
    return ToolResult(f"Forecasts ({scope}). {text}", {"track_record": record})


def get_analysis(sim: Simulator, symbol: str) -> ToolResult:
    """Trend, momentum, volatility regime and support/resistance of ``symbol``, with definitions."""
    from sim.forecasting import ANALYSIS_DEFINITIONS

    a = sim.analysis(symbol)
    m = a.metrics
    rsi = m["rsi_14"].value
    vol = m["rv_24_annualized"].value
    sup = ", ".join(fmt_price(lv.price) for lv in a.supports) or "none found"
    res = ", ".join(fmt_price(lv.price) for lv in a.resistances) or "none found"
    text = (
        f"{sim.instruments.get_or_raise(symbol).symbol} at {a.as_of:%Y-%m-%d %H:%M} UTC, close "
        f"{fmt_price(a.close)}:\n"
        f"- trend **{a.trend}** ({ANALYSIS_DEFINITIONS['trend']})\n"
        f"- momentum **{a.momentum}**, RSI(14) {'-' if rsi is None else f'{rsi:.1f}'} ({a.rsi_zone})\n"
        f"- volatility **{a.volatility_regime}**: annualized {pct(vol)} "
        f"({ANALYSIS_DEFINITIONS['volatility_regime']})\n"
        f"- supports {sup}; resistances {res}"
    )
    return ToolResult(text, {"analysis": a.to_dict(), "definitions": ANALYSIS_DEFINITIONS})


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


def explain_indicator(sim: Simulator, name: str, symbol: str | None = None) -> ToolResult:
    """What an indicator means and how it is computed here; its current value when a symbol is given."""
    from sim.analytics.forecast.features import FEATURES
    from sim.forecasting import ANALYSIS_DEFINITIONS, TRACK_RECORD_DEFINITIONS

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
        raise InvalidInput(f"I know these indicators: {', '.join(INDICATORS)}.")
    lines = [f"**{spec['title']}**" + (f": {spec['plain']}." if spec["plain"] else "")]
    if "state" in spec:
        lines.append(f"Here: {ANALYSIS_DEFINITIONS[spec['state']]}.")
    if "record" in spec:
        if key == "baseline":
            lines.append(
                f"Here: {TRACK_RECORD_DEFINITIONS['last_move']}; {TRACK_RECORD_DEFINITIONS['majority']}."
            )
        else:
            lines.append(f"Here: {TRACK_RECORD_DEFINITIONS[spec['record']]}.")
    for feature in spec["features"]:
        lines.append(f"- `{feature}` = {FEATURES[feature]}")
    data: dict[str, Any] = {"indicator": key, "definitions": {f: FEATURES[f] for f in spec["features"]}}
    if symbol and (spec["metrics"] or "state" in spec):
        a = sim.analysis(symbol)
        values = {k: a.metrics[k] for k in spec["metrics"]}
        for k, metric in values.items():
            value = "-" if metric.value is None else readable(metric.value)
            lines.append(
                f"- {a.as_of:%Y-%m-%d %H:%M} {sim.instruments.get_or_raise(symbol).symbol} "
                f"`{k}` = {value} ({metric.definition})"
            )
        state = spec.get("state")
        if state in ("trend", "momentum"):
            lines.append(f"- {state} now: **{getattr(a, state)}**")
        if key == "rsi":
            lines.append(f"- RSI zone now: **{a.rsi_zone}**")
        if key == "levels":
            lines.append(
                f"- supports {', '.join(fmt_price(lv.price) for lv in a.supports) or 'none'}; "
                f"resistances {', '.join(fmt_price(lv.price) for lv in a.resistances) or 'none'}"
            )
        data["values"] = {k: m.value for k, m in values.items()}
    return ToolResult("\n".join(lines), data)


# --- the user's trades ------------------------------------------------------------------------------
