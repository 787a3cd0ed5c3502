"""Plotly figures for backtests: pure functions, DataFrame/Series in, ``go.Figure`` out.

Long curves are thinned to at most ``max_points`` points (every k-th point, the last kept) and a
candlestick is kept under ``max_candles`` candles by resampling to a coarser interval
(open = first, high = max, low = min, close = last), so a page stays light.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.analytics.chart_words import word
from sim.analytics.lab_words import word as lab_word
from sim.analytics.stats import drawdown

MAX_POINTS = 5_000
MAX_CANDLES = 2_000
INTERVALS = ("1min", "5min", "15min", "30min", "1h", "2h", "4h", "6h", "12h", "1D", "3D", "7D")


def thin(series: pd.Series | pd.DataFrame, max_points: int = MAX_POINTS) -> pd.Series | pd.DataFrame:
    """Every k-th row with ``k = ceil(n / max_points)``, always keeping the last row."""
    n = len(series)
    if n <= max_points:
        return series
    step = -(-n // max_points)
    keep = np.r_[np.arange(0, n - 1, step), n - 1]
    return series.iloc[keep]


def equity_vs_benchmark(
    equity: pd.Series,
    benchmark: pd.Series | pd.DataFrame | None = None,
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """The strategy's equity and the buy-and-hold curve(s) on one time axis (title "Equity" in
    ``lang`` unless given)."""
    fig = go.Figure()
    e = thin(equity)
    fig.add_trace(go.Scatter(x=e.index, y=e.to_numpy(), name=str(equity.name or word(lang, "strategy"))))
    if benchmark is not None:
        frame = benchmark.to_frame() if isinstance(benchmark, pd.Series) else benchmark
        frame = thin(frame)
        for column in frame.columns:
            fig.add_trace(
                go.Scatter(
                    x=frame.index,
                    y=frame[column].to_numpy(),
                    name=word(lang, "buy_hold", column=column),
                    line={"dash": "dot"},
                )
            )
    fig.update_layout(
        title=title or lab_word(lang, "chart.equity"),
        yaxis_title=word(lang, "value_usdt"),
        hovermode="x unified",
    )
    return fig


def drawdown_chart(equity: pd.Series, title: str | None = None, lang: str = "en") -> go.Figure:
    """``E_t / max(E_0..E_t) - 1`` as a filled area, in percent (title "Drawdown" in ``lang``
    unless given)."""
    dd = thin(drawdown(equity)) * 100
    fig = go.Figure(
        go.Scatter(
            x=dd.index,
            y=dd.to_numpy(),
            fill="tozeroy",
            name=word(lang, "drawdown"),
            line={"color": "crimson"},
        )
    )
    fig.update_layout(
        title=title or lab_word(lang, "chart.drawdown"),
        yaxis_title=word(lang, "drawdown_pct"),
        hovermode="x unified",
    )
    return fig


def _resample(candles: pd.DataFrame, max_candles: int) -> tuple[pd.DataFrame, str | None]:
    if len(candles) <= max_candles:
        return candles, None
    span = candles.index[-1] - candles.index[0]
    for rule in INTERVALS:
        if span / pd.Timedelta(rule) < max_candles:
            break
    out = (
        candles.resample(rule, label="left", closed="left")
        .agg({"open": "first", "high": "max", "low": "min", "close": "last"})
        .dropna()
    )
    return out.iloc[-max_candles:], rule


def trades_on_candles(
    candles: pd.DataFrame,
    trades: pd.DataFrame | None = None,
    symbol: str | None = None,
    start: object = None,
    end: object = None,
    max_candles: int = MAX_CANDLES,
    title: str | None = None,
    lang: str = "en",
) -> go.Figure:
    """A candlestick of ``candles`` (DatetimeIndex or ``open_time`` column) with BUY/SELL markers.

    The window ``[start, end)`` is cut first; if more than ``max_candles`` remain they are
    resampled to the finest interval that fits. ``trades`` (columns time, side, price, and
    symbol when ``symbol`` is given) are drawn at their fill time and price.
    """
    from sim.analytics.backtest.market import normalize_frame

    frame = normalize_frame(candles)
    if start is not None:
        frame = frame[frame.index >= pd.Timestamp(start, tz="UTC")]  # type: ignore[arg-type]
    if end is not None:
        frame = frame[frame.index < pd.Timestamp(end, tz="UTC")]  # type: ignore[arg-type]
    frame, rule = _resample(frame, max_candles)
    fig = go.Figure(
        go.Candlestick(
            x=frame.index,
            open=frame["open"],
            high=frame["high"],
            low=frame["low"],
            close=frame["close"],
            name=symbol or word(lang, "price"),
        )
    )
    if trades is not None and len(trades) and len(frame):
        t = trades if symbol is None or "symbol" not in trades else trades[trades["symbol"] == symbol]
        times = pd.DatetimeIndex(pd.to_datetime(t["time"], utc=True))
        inside = (times >= frame.index[0]) & (times <= frame.index[-1] + pd.Timedelta(rule or "0s"))
        t = t[np.asarray(inside)]
        for side, marker, color in (("BUY", "triangle-up", "green"), ("SELL", "triangle-down", "red")):
            part = t[t["side"] == side]
            fig.add_trace(
                go.Scatter(
                    x=pd.to_datetime(part["time"], utc=True),
                    y=part["price"].astype(float),
                    mode="markers",
                    name=word(lang, side.lower()),
                    marker={"symbol": marker, "size": 9, "color": color},
                )
            )
    label = lab_word(lang, "chart.drawn_as", rule=rule) if rule else ""
    heading = title or lab_word(lang, "chart.symbol_trades", symbol=symbol or "")
    fig.update_layout(title=heading + label, xaxis_rangeslider_visible=False)
    return fig


DEFAULT_BARS = ("total_return", "cagr", "sharpe", "max_drawdown", "win_rate", "fees_paid")


def sensitivity_bars(
    table: pd.DataFrame, metrics: Sequence[str] = DEFAULT_BARS, lang: str = "en"
) -> go.Figure:
    """One small bar chart per metric, one bar per fill model (the columns of ``sensitivity``),
    three to a row; the fill models are told apart by colour in the legend (the same bars in
    every chart, so no tick labels: six side by side overlapped their titles and cut their labels);
    the legend below them."""
    from sim.analytics.labels import PERCENT, fill_model, stat

    rows = [m for m in metrics if m in table.index]
    titles = [stat(m, lang) + (" (%)" if m in PERCENT else "") for m in rows]
    cols = min(max(len(rows), 1), 3)
    n_rows = -(-max(len(rows), 1) // cols)
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=titles, vertical_spacing=0.16)
    colors = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd")
    for i, metric in enumerate(rows, start=1):
        for j, scenario in enumerate(table.columns):
            fig.add_trace(
                go.Bar(
                    x=[fill_model(str(scenario), lang)],
                    y=[float(table.loc[metric, scenario]) * (100 if metric in PERCENT else 1)],
                    name=fill_model(str(scenario), lang),
                    marker_color=colors[j % len(colors)],
                    showlegend=i == 1,
                ),
                row=(i - 1) // cols + 1,
                col=(i - 1) % cols + 1,
            )
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(
        title=word(lang, "sensitivity"),
        barmode="group",
        height=260 * n_rows + 140,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.04, "yanchor": "top"},
    )
    return fig


def paper_vs_backtest(equity: pd.DataFrame, title: str | None = None, lang: str = "en") -> go.Figure:
    """The paper and backtest equity curves (columns of ``equity``) in two distinct colours, the
    y axis fitted to the curves (not from 0: the difference is what matters); the curves named
    ``paper`` / ``backtest`` and the title ("Paper vs backtest equity" unless given) in ``lang``."""
    colors = {"paper": "#f2a900", "backtest": "#29b6f6"}
    dashes = {"paper": "solid", "backtest": "dot"}
    fig = go.Figure()
    frame = thin(equity)
    for i, column in enumerate(frame.columns):
        name = str(column)
        fig.add_trace(
            go.Scatter(
                x=frame.index,
                y=frame[column].to_numpy(dtype=float),
                name=lab_word(lang, f"chart.{name}") if name in colors else name,
                mode="lines",
                line={
                    "color": colors.get(name, ("#f2a900", "#29b6f6", "#ab47bc")[i % 3]),
                    "dash": dashes.get(name, "solid"),
                    "width": 2,
                },
            )
        )
    fig.update_layout(
        title=title or lab_word(lang, "chart.paper_vs_backtest"),
        yaxis_title=word(lang, "equity_usdt"),
        yaxis={"rangemode": "normal"},
        hovermode="x unified",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return fig
