"""The forecast drawn inline on a candlestick figure built from a small DataFrame."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go
import pytest

from sim.analytics import figures
from sim.analytics.figures_forecast import (
    ARROWS,
    accuracy_text,
    best_baseline,
    confidence_color,
    confidence_level,
    draw_forecast,
)
from sim.analytics.forecast import Forecast

T0 = datetime(2023, 6, 1, tzinfo=UTC)
VALIDATION = {
    "n_folds": 6,
    "accuracy": {"xgboost": 0.44, "majority": 0.41, "last_move": 0.35, "logistic": 0.43},
}


def candles(n: int = 30) -> pd.DataFrame:
    times = pd.date_range(T0, periods=n, freq="1h", tz="UTC")
    close = [100.0 + i for i in range(n)]
    return pd.DataFrame(
        {
            "open_time": times,
            "open": [c - 0.5 for c in close],
            "high": [c + 1 for c in close],
            "low": [c - 1 for c in close],
            "close": close,
            "volume": [10.0] * n,
        }
    )


def forecast(label: str, probs: tuple[float, float, float], band: float = 0.01) -> Forecast:
    frame = candles()
    as_of = frame["open_time"].iloc[-1].to_pydatetime() + timedelta(hours=1)
    return Forecast(
        symbol="BTCUSDT",
        interval="1h",
        horizon=4,
        probabilities=dict(zip(("down", "flat", "up"), probs, strict=True)),
        label=label,
        model_id="BTCUSDT-1h-h4-abc",
        as_of=as_of,
        valid_until=as_of + timedelta(hours=4),
        last_close=float(frame["close"].iloc[-1]),
        band=band,
        flat_k=0.4,
        validation=VALIDATION,
    )


def test_an_up_forecast_is_drawn_at_the_right_edge_with_probabilities_and_validation():
    base = figures.candlestick(candles(), title="BTCUSDT 1h")
    n_traces, n_notes = len(base.data), len(base.layout.annotations)
    f = forecast("up", (0.2, 0.25, 0.55))
    fig = draw_forecast(base, f)
    assert len(base.data) == n_traces and len(base.layout.annotations) == n_notes  # pure
    path, marker = fig.data[-2], fig.data[-1]
    last = 129.0
    as_of, end = (pd.Timestamp(t).tz_localize(None) for t in (f.as_of, f.valid_until))  # naive UTC, as plotly
    assert list(path.x) == [as_of, end] and path.y[0] == last
    assert marker.x[0] == end and max(pd.Timestamp(x) for x in fig.data[0].x) == as_of - pd.Timedelta("1h")
    assert marker.y[0] == pytest.approx(last * math.exp(0.01))
    assert marker.marker.symbol == "triangle-up" and marker.xaxis == "x" and marker.yaxis == "y"
    assert marker.text[0] == "▲ up 55% (down 20% · flat 25%)"
    assert marker.marker.color == confidence_color("up", 0.55) == "rgba(38,166,154,1.0)"
    # the flat band drawn as an error bar around the last close
    assert marker.error_y.array[0] == pytest.approx(0.0)
    assert marker.error_y.arrayminus[0] == pytest.approx(last * math.exp(0.01) - last * math.exp(-0.01))
    note = fig.layout.annotations[-1]
    assert note.text == "out-of-sample accuracy 44.0% vs best baseline (logistic) 43.0%, 6 walk-forward folds"
    assert note.xref == "x domain"  # issue 18: a corner of the panel, not a box at the marker


@pytest.mark.parametrize(
    ("label", "probs", "symbol", "factor", "level"),
    [
        ("down", (0.45, 0.3, 0.25), "triangle-down", math.exp(-0.02), "medium"),
        ("flat", (0.3, 0.36, 0.34), "diamond", 1.0, "low"),
    ],
)
def test_down_and_flat_forecasts_and_their_confidence(label, probs, symbol, factor, level):
    fig = draw_forecast(figures.candlestick(candles()), forecast(label, probs, band=0.02))
    marker = fig.data[-1]
    assert marker.marker.symbol == symbol
    assert marker.y[0] == pytest.approx(129.0 * factor)
    p = max(probs)
    assert confidence_level(p) == level and marker.marker.color == confidence_color(label, p)
    assert f"({level} confidence)" in marker.name


def test_a_plain_candlestick_figure_and_a_figure_without_candles():
    plain = go.Figure(
        go.Candlestick(x=candles()["open_time"], open=[1] * 30, high=[2] * 30, low=[0] * 30, close=[1] * 30)
    )
    assert len(draw_forecast(plain, forecast("up", (0.3, 0.3, 0.4))).data) == 3
    empty = go.Figure(go.Scatter(x=[1], y=[1]))
    assert len(draw_forecast(empty, forecast("up", (0.3, 0.3, 0.4))).data) == 1


def test_helpers():
    assert best_baseline(VALIDATION) == ("logistic", 0.43)
    assert best_baseline({}) is None
    assert accuracy_text({}) == "no out-of-sample validation on the model card"
    assert [confidence_level(p) for p in (0.34, 0.4, 0.5, 0.9)] == ["low", "medium", "high", "high"]


@pytest.mark.parametrize("label", ["up", "down", "flat"])
def test_the_forecast_label_box_lies_inside_the_plot_area(label):
    """Issue 18: the label was marker text to the right of the last point, cut off at the edge."""
    f = forecast(
        label, (0.4, 0.3, 0.3) if label == "down" else (0.2, 0.3, 0.5) if label == "up" else (0.3, 0.4, 0.3)
    )
    fig = draw_forecast(figures.candlestick(candles()), f, show_accuracy=False)
    assert "text" not in fig.data[-1].mode  # no free text past the marker
    (note,) = [a for a in fig.layout.annotations if a.name == "forecast label"]
    assert note.text.startswith(f"{ARROWS[label]} {label}")
    # anchored to the price panel's own domain, its right edge at 99.5% and top at 98% of it: the
    # box grows left and down from there, so it stays inside the panel whatever its text's width
    assert (note.xref, note.yref) == ("x domain", "y domain")
    assert (note.xanchor, note.yanchor) == ("right", "top")
    assert 0 < note.x <= 1 and 0 < note.y <= 1
    # the axis leaves room right of the marker
    hi = pd.Timestamp(fig.layout.xaxis.range[1])
    assert hi > pd.Timestamp(f.valid_until).tz_localize(None)


def test_the_accuracy_note_has_no_box_over_the_candles():
    fig = draw_forecast(figures.candlestick(candles()), forecast("up", (0.2, 0.25, 0.55)))
    note = fig.layout.annotations[-1]
    assert note.text.startswith("out-of-sample accuracy") and note.bgcolor is None
    assert (note.xref, note.xanchor, note.x) == ("x domain", "left", 0.005)


def test_the_label_band_is_above_every_candle():
    fig = draw_forecast(figures.candlestick(candles()), forecast("up", (0.2, 0.25, 0.55)))
    lo, hi = fig.layout.yaxis.range
    top = max(fig.data[0].high)
    assert top < hi and (hi - top) / (hi - lo) > 0.1  # the top tenth of the panel is free for the label
