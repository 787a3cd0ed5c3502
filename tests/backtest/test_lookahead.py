"""The look-ahead harness passes causal strategies and flags ones that peek at later candles."""

from __future__ import annotations

import pandas as pd

from sim.analytics.backtest import (
    check_no_lookahead,
    forecast_threshold,
    hold,
    ma_crossover,
    rsi_reversion,
)
from tests.backtest.helpers import shipped


def test_built_in_strategies_do_not_look_ahead() -> None:
    df = shipped("BTCUSDT", 1500)
    for strategy in (ma_crossover(10, 40), rsi_reversion(14, 30, 70), hold()):
        report = check_no_lookahead(strategy, df, symbol="BTCUSDT")
        assert report.ok, (strategy.__name__, report.mismatches)
        assert report.checked == 25


def test_a_strategy_peeking_at_the_next_candle_is_flagged() -> None:
    df = shipped("BTCUSDT", 1500)

    def peeks(c: pd.DataFrame) -> pd.Series:
        return (c["close"].shift(-1) > c["close"]).astype(float)  # tomorrow's close: cheating

    report = check_no_lookahead(peeks, df, symbol="BTCUSDT")
    assert not report.ok
    assert report.mismatches[0]["truncated"] != report.mismatches[0]["full_data"]


def test_subtler_leaks_are_flagged_too() -> None:
    df = shipped("ETHUSDT", 1500)

    def centered(c: pd.DataFrame) -> pd.Series:  # a centered window uses 10 later candles
        return (c["close"] > c["close"].rolling(21, center=True).mean()).astype(float)

    def full_sample_zscore(c: pd.DataFrame) -> pd.Series:  # normalized with the whole history
        z = (c["close"] - c["close"].mean()) / c["close"].std()
        return (z > 0).astype(float)

    assert not check_no_lookahead(centered, df, symbol="ETHUSDT").ok
    assert not check_no_lookahead(full_sample_zscore, df, symbol="ETHUSDT").ok


def test_multi_symbol_and_forecast_callables_are_checked() -> None:
    data = {s: shipped(s, 800) for s in ("BTCUSDT", "SOLUSDT")}
    assert check_no_lookahead(ma_crossover(5, 30), data).ok

    def causal_probs(c: pd.DataFrame) -> pd.DataFrame:
        r = c["close"].pct_change(3)
        return pd.DataFrame({"down": (r < -0.01) * 0.8, "flat": 0.1, "up": (r > 0.01) * 0.8})

    def leaky_probs(c: pd.DataFrame) -> pd.DataFrame:
        r = c["close"].pct_change(3).shift(-3)  # the future 3-candle return
        return pd.DataFrame({"down": (r < -0.01) * 0.8, "flat": 0.1, "up": (r > 0.01) * 0.8})

    df = data["BTCUSDT"]
    assert check_no_lookahead(forecast_threshold(causal_probs, 0.6, 0.6), df, symbol="BTCUSDT").ok
    assert not check_no_lookahead(forecast_threshold(leaky_probs, 0.6, 0.6), df, symbol="BTCUSDT").ok
