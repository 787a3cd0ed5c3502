"""Plotly figure builders: pure ``DataFrame -> go.Figure`` functions shared by the app and notebooks.

- :func:`candlestick`: candles with volume, moving averages, the user's fills as markers and an
  optional forecast overlay. Never draws more than ``max_points`` candles (default 1,500): a longer
  frame is resampled to the smallest coarser bucket that fits, so a year of 1h candles stays fast.
- :func:`allocation_pie`: holdings and cash by market value.
- :func:`equity_chart`: the account's equity against holding BTC over the same period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.analytics.chart_words import word

MAX_POINTS = 1_500
UP, DOWN = "#26a69a", "#ef5350"
MA_COLORS = ("#f2a900", "#7e57c2", "#29b6f6", "#8d6e63")
# buckets tried, in order, when a frame has too many candles to draw
COARSER = ("5min", "15min", "1h", "2h", "4h", "6h", "12h", "1D", "3D", "7D", "30D")


def downsample(candles: pd.DataFrame, max_points: int = MAX_POINTS) -> tuple[pd.DataFrame, str | None]:
    """``candles`` with at most ``max_points`` rows, and the bucket used (None when untouched).

    Resamples to the first bucket of :data:`COARSER` that is coarser than the data and fits
    (open = first, high = max, low = min, close = last, volume = sum); if none fits, keeps the
    latest ``max_points`` buckets of the coarsest.
    """
    if len(candles) <= max_points:
        return candles, None
    frame = candles.set_index(pd.DatetimeIndex(candles["open_time"]))
    step = frame.index.to_series().diff().median()
    agg = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}
    out = frame
    rule = COARSER[-1]
    for rule in COARSER:
        if pd.Timedelta(rule) <= step:
            continue
        out = frame.resample(rule, label="left", closed="left").agg(agg).dropna(subset=["close"])
        if len(out) <= max_points:
            break
    out = out.tail(max_points).reset_index(names="open_time")
    return out[["open_time", "open", "high", "low", "close", "volume"]], rule


def moving_average(close: pd.Series, window: int) -> pd.Series:
    """Simple moving average of ``window`` candles (NaN until the window is full)."""
    return close.rolling(window, min_periods=window).mean()


def candlestick(
    candles: pd.DataFrame,
    *,
    title: str = "",
    fills: pd.DataFrame | None = None,
    ma_windows: Sequence[int] = (20, 50),
    max_points: int = MAX_POINTS,
    height: int = 560,
    lang: str = "en",
) -> go.Figure:
    """Candles (``open_time, open, high, low, close, volume``) with volume below.

    ``fills`` (``time, side, price, quantity`` as from ``Simulator.trades_frame``) are drawn as
    triangles at their prices. A served forecast is drawn on top by
    :func:`sim.analytics.figures_forecast.draw_forecast`. Moving averages are computed on the candles
    as drawn.
    """
    data, bucket = downsample(candles, max_points)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.02)
    x = data["open_time"]
    fig.add_trace(
        go.Candlestick(
            x=x,
            open=data["open"],
            high=data["high"],
            low=data["low"],
            close=data["close"],
            name=word(lang, "price"),
            increasing_line_color=UP,
            decreasing_line_color=DOWN,
        ),
        row=1,
        col=1,
    )
    for i, window in enumerate(ma_windows):
        ma = moving_average(data["close"], int(window))
        if ma.notna().any():
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=ma,
                    mode="lines",
                    name=word(lang, "ma", n=window),
                    line={"width": 1.3, "color": MA_COLORS[i % len(MA_COLORS)]},
                ),
                row=1,
                col=1,
            )
    colors = np.where(data["close"].to_numpy() >= data["open"].to_numpy(), UP, DOWN)
    fig.add_trace(
        go.Bar(
            x=x,
            y=data["volume"],
            name=word(lang, "volume"),
            marker_color=colors,
            opacity=0.6,
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    if fills is not None and not fills.empty and not data.empty:
        first = data["open_time"].iloc[0]
        shown = fills[pd.to_datetime(fills["time"], utc=True) >= first]
        for side, symbol, color in (("BUY", "triangle-up", UP), ("SELL", "triangle-down", DOWN)):
            part = shown[shown["side"].astype(str).str.upper() == side]
            if part.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(part["time"], utc=True),
                    y=part["price"],
                    mode="markers",
                    name=word(lang, f"your_{side.lower()}s"),
                    marker={
                        "symbol": symbol,
                        "size": 12,
                        "color": color,
                        "line": {"width": 1, "color": "#fff"},
                    },
                    customdata=np.stack([part["quantity"].to_numpy()], axis=-1),
                    hovertemplate=f"{side} %{{customdata[0]}} @ %{{y}}<extra></extra>",
                ),
                row=1,
                col=1,
            )
    label = f"{title} ({bucket} buckets to stay under {max_points} candles)" if bucket else title
    fig.update_layout(
        # the title on the first line, the legend on its own line under it: on a narrow chart the
        # two no longer overlap
        title={"text": label, "x": 0.01, "y": 0.99, "yanchor": "top"},
        height=height,
        margin={"l": 10, "r": 10, "t": 64, "b": 10},
        xaxis_rangeslider_visible=False,
        legend={"orientation": "h", "y": 1.0, "x": 0, "xanchor": "left", "yanchor": "bottom"},
        hovermode="x unified",
        uirevision=title,
    )
    fig.update_yaxes(title_text=word(lang, "price"), row=1, col=1)
    fig.update_yaxes(title_text=word(lang, "volume"), row=2, col=1)
    return fig


def allocation_pie(allocation: pd.DataFrame, title: str = "Allocation", lang: str = "en") -> go.Figure:
    """A donut of ``asset`` by ``value`` (market value in USDT; cash is one of the assets)."""
    data = allocation[allocation["value"] > 0]
    fig = go.Figure(
        go.Pie(labels=data["asset"], values=data["value"], hole=0.45, sort=False, textinfo="label+percent")
    )
    fig.update_layout(
        title={"text": title, "x": 0.01}, height=360, margin={"l": 10, "r": 10, "t": 40, "b": 10}
    )
    return fig


def equity_chart(curve: pd.DataFrame, title: str = "Equity vs holding BTC", lang: str = "en") -> go.Figure:
    """Lines of ``equity`` and ``hold`` (BTC buy-and-hold of the starting cash) over the index."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=curve.index, y=curve["equity"], mode="lines", name=word(lang, "your_equity")))
    if "hold" in curve and curve["hold"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=curve.index,
                y=curve["hold"],
                mode="lines",
                name=word(lang, "hold_btc"),
                line={"dash": "dash", "color": "#f2a900"},
            )
        )
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=380,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis_title=word(lang, "usdt"),
        hovermode="x unified",
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
    )
    return fig
