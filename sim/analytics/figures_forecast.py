"""Draw a served forecast inline on a candlestick figure (pure: a new figure is returned).

:func:`draw_forecast` takes a plotly figure holding a ``go.Candlestick`` trace (for example from
:func:`sim.analytics.figures.candlestick`) and a :class:`~sim.analytics.forecast.Forecast`, and
adds, on the candlestick's own axes, at the right edge:

- a dotted path from the last close at ``as_of`` to a marker at ``valid_until``; the marker sits
  at ``last_close * exp(+band)`` for "up", ``last_close * exp(-band)`` for "down" and the last close
  for "flat" (``band`` is the forecast's flat band: the smallest log move that counts as up or down)
  with an error bar of +-band around the last close, so the band is visible;
- the marker's shape says the direction (triangle up / triangle down / diamond) and its colour the
  confidence, the probability of the predicted class (:func:`confidence_level`);
- the label ``▲ up 41%`` with the other two probabilities and the horizon (and, for the pooled
  model, the lines "pooled model, not trained on DOGEUSDT" and "leave-one-symbol-out skill: ..."),
  boxed in the price
  panel's top-right corner (anchored to the axes' domain, so it never runs past the chart's right
  edge), the x axis widened past ``valid_until`` so the marker stands clear of the candles and the
  y axis raised so the label's band at the top is above every candle;
- optionally, an annotation with the model's out-of-sample (walk-forward) accuracy beside its best
  baseline's, from the model card, in the panel's bottom-left corner without a background box.

Times are drawn as naive UTC, as plotly stores tz-aware pandas times. Assumption: the first
candlestick trace is the price panel (``xaxis``/``yaxis`` of that trace are used, so subplot
figures work). Nothing is drawn when the figure has no candlestick.

The words (labels, trace names, the accuracy line) are in ``lang`` (:data:`.forecast.words.WORDS`;
``"en"`` by default, the English unchanged); the trace named :data:`LABEL_NAME` and the
confidence levels' keys (``high`` / ``medium`` / ``low``) are names for code, never translated.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sim.analytics.figures import DOWN, UP
from sim.analytics.forecast import words as fw

FLAT = "#78909c"
ARROWS = {"up": "▲", "down": "▼", "flat": "◆"}
MARKERS = {"up": "triangle-up", "down": "triangle-down", "flat": "diamond"}
#: the confidence levels: the probability of the predicted class from which each level starts
CONFIDENCE_LEVELS = (("high", 0.5), ("medium", 0.4), ("low", 0.0))
#: opacity of the marker per confidence level (the hue is the direction)
LEVEL_OPACITY = {"high": 1.0, "medium": 0.75, "low": 0.45}


def confidence_level(probability: float) -> str:
    """``high`` from 50% on, ``medium`` from 40%, else ``low`` (three classes: 33% is no signal)."""
    for name, start in CONFIDENCE_LEVELS:
        if probability >= start:
            return name
    return "low"


def confidence_color(label: str, probability: float) -> str:
    """An ``rgba`` colour: the direction's hue with the confidence level's opacity."""
    hue = {"up": UP, "down": DOWN}.get(label, FLAT)
    r, g, b = (int(hue[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{LEVEL_OPACITY[confidence_level(probability)]})"


def best_baseline(validation: dict[str, Any]) -> tuple[str, float] | None:
    """The baseline with the highest out-of-sample accuracy on the card, or None."""
    acc = {k: float(v) for k, v in validation.get("accuracy", {}).items() if k != "xgboost"}
    if not acc:
        return None
    name = max(acc, key=lambda k: acc[k])
    return name, acc[name]


def accuracy_text(validation: dict[str, Any], lang: str = "en") -> str:
    """ "Out-of-sample accuracy 44.2% vs best baseline (majority) 41.4%, 6 walk-forward folds"."""
    model = validation.get("accuracy", {}).get("xgboost")
    if model is None:
        return fw.word(lang, "no_validation")
    text = fw.word(lang, "accuracy", model=f"{float(model):.1%}")
    best = best_baseline(validation)
    if best is not None:
        text += fw.word(
            lang, "vs_baseline", name=fw.name(lang, "baseline", best[0]), accuracy=f"{best[1]:.1%}"
        )
    folds = validation.get("n_folds")
    return text + (fw.word(lang, "folds", folds=folds) if folds else "")


def _x(value: Any) -> pd.Timestamp:
    """A time as plotly stores pandas' tz-aware times: naive UTC (plotly.js has no time zones)."""
    ts = pd.Timestamp(value)
    return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts


def _price_axes(fig: go.Figure) -> tuple[str, str] | None:
    for trace in fig.data:
        if trace.type == "candlestick":
            return trace.xaxis or "x", trace.yaxis or "y"
    return None


LABEL_NAME = "forecast label"


def _candle_x(fig: go.Figure) -> list[Any]:
    for trace in fig.data:
        if trace.type == "candlestick":
            return list(trace.x)
    return []


def _candle_y(fig: go.Figure) -> tuple[list[float], list[float]]:
    for trace in fig.data:
        if trace.type == "candlestick" and trace.low is not None and trace.high is not None:
            lows = [float(v) for v in trace.low if v is not None and math.isfinite(float(v))]
            highs = [float(v) for v in trace.high if v is not None and math.isfinite(float(v))]
            return lows, highs
    return [], []


def _layout_key(axis: str) -> str:
    """``x`` -> ``xaxis``, ``x2`` -> ``xaxis2`` (the layout's key of a trace's axis)."""
    return axis[0] + "axis" + axis[1:]


def draw_forecast(fig: go.Figure, forecast: Any, show_accuracy: bool = True, lang: str = "en") -> go.Figure:
    """A copy of ``fig`` with ``forecast`` drawn at the right edge; see the module docstring.

    ``show_accuracy=False`` leaves out the accuracy annotation (for narrow charts whose page states
    it in a caption); ``lang`` is the language of the words drawn."""
    out = go.Figure(fig)
    axes = _price_axes(out)
    if axes is None:
        return out
    xaxis, yaxis = axes
    label = str(forecast.label)
    p = float(forecast.probabilities[label])
    color = confidence_color(label, p)
    solid = {"up": UP, "down": DOWN}.get(label, FLAT)  # the label's text: the hue at full strength
    last = float(forecast.last_close)
    band = float(forecast.band) if math.isfinite(float(forecast.band)) else 0.0
    target = last * math.exp(band) if label == "up" else last * math.exp(-band) if label == "down" else last
    others = " · ".join(
        f"{fw.name(lang, 'class', c)} {forecast.probabilities[c]:.0%}"
        for c in ("down", "flat", "up")
        if c != label
    )
    text = f"{ARROWS.get(label, '')} {fw.name(lang, 'class', label)} {p:.0%} ({others})"
    horizon = fw.word(lang, "horizon", n=forecast.horizon, interval=forecast.interval)
    from sim.analytics.forecast.wording import model_label, short_record

    validation = getattr(forecast, "validation", {}) or {}
    pooled = "<br>".join(x for x in (model_label(validation, lang), short_record(validation, lang)) if x)
    end = _x(forecast.valid_until)
    out.add_trace(
        go.Scatter(
            x=[_x(forecast.as_of), end],
            y=[last, target],
            mode="lines",
            line={"dash": "dot", "color": color, "width": 2},
            name=fw.word(lang, "path", horizon=horizon),
            hoverinfo="skip",
            showlegend=False,
            xaxis=xaxis,
            yaxis=yaxis,
        )
    )
    out.add_trace(
        go.Scatter(
            x=[end],
            y=[target],
            mode="markers",
            marker={
                "symbol": MARKERS.get(label, "circle"),
                "size": 16,
                "color": color,
                "line": {"width": 1, "color": "#ffffff"},
            },
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [max(last * math.exp(band) - target, 0.0)],
                "arrayminus": [max(target - last * math.exp(-band), 0.0)],
                "color": FLAT,
                "thickness": 1,
                "width": 6,
            },
            text=[text],
            name=fw.word(
                lang,
                "trace",
                label=fw.name(lang, "class", label),
                p=f"{p:.0%}",
                confidence=fw.word(lang, "confidence", level=fw.name(lang, "level", confidence_level(p))),
            ),
            hovertemplate=fw.word(
                lang,
                "hover",
                symbol=forecast.symbol,
                horizon=horizon,
                until=f"{forecast.valid_until:%Y-%m-%d %H:%M}",
                text=text,
                model=forecast.model_id,
            )
            + "<extra></extra>",
            xaxis=xaxis,
            yaxis=yaxis,
        )
    )
    xs = [_x(x) for x in _candle_x(out)]
    if xs:  # room right of the marker: the candles' span x 6%, at least the forecast's horizon
        first = min(xs)
        pad = max((end - first) * 0.06, end - _x(forecast.as_of))
        out.update_layout({_layout_key(xaxis): {"range": [first, end + pad]}})
    lows, highs = _candle_y(out)
    if lows and highs:  # a free band at the top of the panel for the label, above every candle
        lo = min(min(lows), last * math.exp(-band))
        hi = max(max(highs), last * math.exp(band))
        span = (hi - lo) or abs(hi) * 0.01 or 1.0
        lines = 1 + (pooled.count("<br>") + 1 if pooled else 0)  # the label's lines of text
        top = 0.18 + 0.14 * (lines - 1)  # room for each line above the highest candle
        out.update_layout({_layout_key(yaxis): {"range": [lo - 0.03 * span, hi + top * span]}})
    out.add_annotation(
        name=LABEL_NAME,
        text=f"{text} · {horizon}" + (f"<br>{pooled}" if pooled else ""),
        xref=f"{xaxis} domain",
        yref=f"{yaxis} domain",
        x=0.995,
        y=0.98,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        align="right",
        font={"size": 12, "color": solid},
        bordercolor=solid,
        borderwidth=1,
        borderpad=3,
    )
    if not show_accuracy:
        return out
    out.add_annotation(
        xref=f"{xaxis} domain",
        yref=f"{yaxis} domain",
        x=0.005,
        y=0.02,
        text=accuracy_text(validation, lang),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 11, "color": FLAT},
    )
    return out


__all__ = [
    "accuracy_text",
    "best_baseline",
    "confidence_color",
    "confidence_level",
    "draw_forecast",
]
