"""Figure builders: pure, light (thinned curves, at most ~2,000 candles)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from sim.analytics.backtest import ma_crossover, run, sensitivity
from sim.analytics.figures_backtest import (
    drawdown_chart,
    equity_vs_benchmark,
    sensitivity_bars,
    thin,
    trades_on_candles,
)
from tests.backtest.helpers import shipped


def test_backtest_figures() -> None:
    df = shipped("BTCUSDT")  # 28,732 candles
    result = run(ma_crossover(20, 50), df, symbol="BTCUSDT")

    fig = equity_vs_benchmark(result.equity, result.benchmark[["buy_and_hold"]])
    assert isinstance(fig, go.Figure) and len(fig.data) == 2
    assert all(len(trace.x) <= 5000 for trace in fig.data)
    assert fig.data[0].y[-1] == result.equity.iloc[-1]  # the last point is kept

    dd = drawdown_chart(result.equity)
    assert max(dd.data[0].y) <= 0 and min(dd.data[0].y) < -10

    candles = trades_on_candles(df, result.trades, symbol="BTCUSDT")
    stick = candles.data[0]
    assert isinstance(stick, go.Candlestick) and 0 < len(stick.x) <= 2000
    assert {t.name for t in candles.data[1:]} == {"buy", "sell"}
    assert sum(len(t.x) for t in candles.data[1:]) > 0

    window = trades_on_candles(df, result.trades, symbol="BTCUSDT", start="2021-05-01", end="2021-05-15")
    assert len(window.data[0].x) == 14 * 24  # a window small enough stays at 1h
    assert window.data[0].x[0].isoformat().startswith("2021-05-01")


def test_sensitivity_bars_and_thin() -> None:
    table = sensitivity(ma_crossover(10, 40), shipped("BTCUSDT", 2000), symbol="BTCUSDT")
    fig = sensitivity_bars(table, ["total_return", "sharpe", "max_drawdown"])
    assert len(fig.data) == 3 * 2  # one bar per metric and fill model
    # issue 18: in percent, as the table beside it; fill models and statistics by their names
    assert fig.data[0].y[0] == pytest.approx(table.loc["total_return", "default"] * 100)
    assert fig.data[0].name == "Default fills" and fig.data[1].name == "Pessimistic fills"
    assert fig.layout.annotations[0].text == "Total return (%)"
    assert fig.layout.annotations[1].text == "Sharpe ratio"
    s = shipped("BTCUSDT", 10_001)["close"]
    t = thin(s, 1000)
    assert len(t) <= 1001 and t.iloc[-1] == s.iloc[-1] and t.iloc[0] == s.iloc[0]
    assert np.array_equal(thin(s.iloc[:10], 1000), s.iloc[:10])
