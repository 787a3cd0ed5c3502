"""Figure builders and the equity curve: pure functions, expected values written as formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analytics import figures
from sim.analytics import portfolio as pf

T0 = pd.Timestamp("2023-01-01", tz="UTC")


def hourly(n: int, start: float = 100.0) -> pd.DataFrame:
    close = start + np.arange(n, dtype=float)
    return pd.DataFrame(
        {
            "open_time": pd.date_range(T0, periods=n, freq="1h"),
            "open": close - 0.5,
            "high": close + 1,
            "low": close - 1,
            "close": close,
            "volume": np.ones(n),
        }
    )


def test_downsample_keeps_small_frames_and_buckets_large_ones():
    small = hourly(100)
    same, bucket = figures.downsample(small)
    assert bucket is None and same is small
    year = hourly(365 * 24)
    out, bucket = figures.downsample(year, 1500)
    assert bucket == "6h" and len(out) == 365 * 4
    first = year.iloc[:6]
    assert out.iloc[0][["open", "high", "low", "close", "volume"]].tolist() == [
        first["open"].iloc[0],
        first["high"].max(),
        first["low"].min(),
        first["close"].iloc[-1],
        first["volume"].sum(),
    ]


def test_candlestick_never_draws_more_than_the_cap():
    fig = figures.candlestick(hourly(365 * 24 * 3), title="BTCUSDT 1h")
    candles = fig.data[0]
    assert len(candles.x) <= figures.MAX_POINTS
    assert "buckets" in fig.layout.title.text


def test_candlestick_moving_averages_volume_and_fills():
    frame = hourly(60)
    fills = pd.DataFrame(
        {
            "time": [T0 + pd.Timedelta(hours=30), T0 + pd.Timedelta(hours=40)],
            "side": ["BUY", "SELL"],
            "price": [130.0, 140.0],
            "quantity": [0.5, 0.5],
        }
    )
    fig = figures.candlestick(frame, fills=fills, ma_windows=(20, 50))
    names = [t.name for t in fig.data]
    assert names == ["price", "MA 20", "MA 50", "volume", "your buys", "your sells"]
    ma20 = np.asarray(fig.data[1].y, dtype=float)
    assert np.isnan(ma20[:19]).all()
    assert ma20[19] == pytest.approx(frame["close"].iloc[:20].mean())
    assert list(fig.data[4].y) == [130.0]


def test_equity_curve_from_fills_and_closes():
    closes = pf.closes_frame({"BTCUSDT": hourly(5, 100.0)})  # closes 100..104, stamped at close time
    assert closes.index[0] == T0 + pd.Timedelta(hours=1)
    fills = pd.DataFrame(
        {
            "time": [T0 + pd.Timedelta(hours=1, minutes=30), T0 + pd.Timedelta(hours=3, minutes=10)],
            "symbol": ["BTCUSDT", "BTCUSDT"],
            "side": ["BUY", "SELL"],
            "quantity": [2.0, 1.0],
            "total_amount": [2 * 100.5, 1 * 102.5],
            "fee": [0.2, 0.1],
        }
    )
    curve = pf.equity_curve(fills, closes, 1000.0)
    cash_after_buy = 1000 - (201.0 + 0.2)
    cash_after_sell = cash_after_buy + (102.5 - 0.1)
    assert curve["cash"].tolist() == pytest.approx(
        [1000, cash_after_buy, cash_after_buy, cash_after_sell, cash_after_sell]
    )
    assert curve["holdings"].tolist() == pytest.approx([0, 2 * 101, 2 * 102, 1 * 103, 1 * 104])
    assert curve["equity"].tolist() == pytest.approx((curve["cash"] + curve["holdings"]).tolist())


def test_buy_and_hold_and_returns():
    s = pd.Series([100.0, 110.0, 99.0])
    assert pf.buy_and_hold(s, 1000).tolist() == pytest.approx([1000, 1100, 990])
    assert pf.total_return(pd.Series([1000.0, 1050.0])) == pytest.approx(0.05)
    assert pf.total_return(pd.Series([1000.0])) is None


def test_equity_history_ends_at_the_portfolio_equity(env):
    sim = env.runtime.sim
    user = env.user()
    sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    curve = sim.equity_history(user.id)
    pv = sim.portfolio(user.id)
    assert curve["equity"].iloc[0] == pytest.approx(100000)
    assert curve["equity"].iloc[-1] == pytest.approx(float(pv.equity))
    assert curve["hold"].iloc[0] == pytest.approx(100000)


def test_preview_matches_the_order_it_previews(env):
    sim = env.runtime.sim
    user = env.user()
    preview = sim.preview_order(user.id, "ETHUSDT", "BUY", "MARKET", quantity="0.5")
    order = sim.place_order(user.id, "ETHUSDT", "BUY", "MARKET", quantity="0.5")
    assert preview["price"] == order.avg_fill_price
    assert preview["fee"] == order.fee_total
    assert preview["cash_free_after"] == sim.portfolio(user.id).cash_free
