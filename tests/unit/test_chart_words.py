"""Chart words (trace names, axis titles) in English and Korean; English stays the default."""

from __future__ import annotations

import pandas as pd

from sim.analytics import figures, figures_backtest
from sim.analytics.chart_words import WORDS, word


def candles(n: int = 60) -> pd.DataFrame:
    close = pd.Series(range(100, 100 + n), dtype=float)
    return pd.DataFrame(
        {
            "open_time": pd.date_range("2023-01-01", periods=n, freq="1h", tz="UTC"),
            "open": close - 0.5,
            "high": close + 1,
            "low": close - 1,
            "close": close,
            "volume": 10.0,
        }
    )


def fills() -> pd.DataFrame:
    times = pd.to_datetime(["2023-01-02 00:00", "2023-01-02 05:00"], utc=True)
    return pd.DataFrame(
        {"time": times, "side": ["BUY", "SELL"], "price": [120.0, 125.0], "quantity": [1.0, 1.0]}
    )


def test_both_languages_have_the_same_words():
    assert WORDS["en"].keys() == WORDS["ko"].keys()
    assert word("xx", "price") == "price"  # an unknown language falls back to English
    assert word("ko", "buy_hold", column="BTCUSDT") == "BTCUSDT (바이 앤 홀드)"


def test_candlestick_names_its_traces_in_korean_and_keeps_english_by_default():
    english = figures.candlestick(candles(), fills=fills(), ma_windows=(20,))
    korean = figures.candlestick(candles(), fills=fills(), ma_windows=(20,), lang="ko")
    assert [t.name for t in english.data] == ["price", "MA 20", "volume", "your buys", "your sells"]
    assert [t.name for t in korean.data] == ["가격", "이동평균 20", "거래량", "내 매수", "내 매도"]
    assert english.layout.yaxis.title.text == "price" and english.layout.yaxis2.title.text == "volume"
    assert korean.layout.yaxis.title.text == "가격" and korean.layout.yaxis2.title.text == "거래량"


def test_backtest_figures_follow_the_language():
    equity = pd.Series(
        [100.0, 90.0, 110.0], index=pd.date_range("2023-01-01", periods=3, freq="1D", tz="UTC")
    )
    assert figures_backtest.drawdown_chart(equity).data[0].name == "drawdown"
    korean = figures_backtest.drawdown_chart(equity, lang="ko")
    assert korean.data[0].name == "낙폭" and korean.layout.yaxis.title.text == "낙폭 (%)"
    bench = figures_backtest.equity_vs_benchmark(equity, equity.rename("BTC").to_frame(), lang="ko")
    assert [t.name for t in bench.data] == ["전략", "BTC (바이 앤 홀드)"]
