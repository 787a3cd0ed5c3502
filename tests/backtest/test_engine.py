"""The engine: fills through the trading core's rules, exact Decimal money, shared cash."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from sim.analytics.backtest import (
    FillModel,
    forecast_threshold,
    hold,
    instrument,
    ma_crossover,
    rsi,
    rsi_reversion,
    run,
)
from tests.backtest.helpers import candles, shipped

CASH = Decimal("100000")
TICK = Decimal("0.01")
STEP = Decimal("0.00001")  # BTCUSDT in the shipped exchange info
RATE = Decimal("0.001")
CENT8 = Decimal("0.00000001")


def d(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def test_hold_equals_buy_and_hold_minus_fees_exactly() -> None:
    df = shipped("BTCUSDT", 500)
    result = run(hold(), df, symbol="BTCUSDT")  # default: next open, 1 bp slippage, 0.1% taker
    # the decision on candle 0 fills on candle 1 at its open moved up 1 bp, rounded up to the tick
    p = (d(df.open[1]) * Decimal("1.0001") / TICK).to_integral_value(ROUND_UP) * TICK
    # the largest step multiple whose cost plus fee fits in the cash
    q = (CASH / (p * (1 + RATE)) / STEP).to_integral_value(ROUND_DOWN) * STEP
    while q * p + (q * p * RATE).quantize(CENT8, ROUND_UP) > CASH:
        q -= STEP
    fee = (q * p * RATE).quantize(CENT8, ROUND_UP)
    buy_and_hold = CASH - q * p + q * d(df.close.iloc[-1])  # the same quantity, no fees
    assert result.final_equity == buy_and_hold - fee
    assert result.final_cash == CASH - q * p - fee
    assert result.final_quantities == {"BTCUSDT": q}
    trades = result.trades
    assert len(trades) == 1
    assert trades.loc[0, "price"] == p and trades.loc[0, "qty"] == q and trades.loc[0, "fee"] == fee
    # the float curve is the same formula bar by bar
    expected = float(CASH - q * p - fee) + float(q) * df.close.to_numpy()
    assert np.allclose(result.equity.to_numpy()[1:], expected[1:], rtol=1e-12)
    assert result.equity.iloc[0] == float(CASH)


def test_a_decision_on_candle_t_fills_at_the_open_of_t_plus_1() -> None:
    df = candles([100, 101, 102, 103, 104, 105, 106, 107])
    weights = pd.Series([np.nan, np.nan, np.nan, 1, 1, 0, 0, 0])  # enter on 3, exit on 5
    inst = {"X": instrument("X", tick_size="0.01", step_size="0.001", min_notional="1")}
    result = run(
        weights.to_numpy(), df, symbol="X", instruments=inst, fill_model=FillModel(slippage_bps=Decimal(0))
    )
    t = result.trades
    index = result.equity.index
    assert list(t["side"]) == ["BUY", "SELL"]
    assert list(t["time"]) == [index[4], index[6]]
    assert list(t["signal_time"]) == [index[3], index[5]]
    assert list(t["price"]) == [Decimal("104"), Decimal("106")]


def test_slippage_and_worst_side_prices_are_on_the_tick_grid() -> None:
    df = candles([100, 101.37, 102, 103.11, 104])
    w = np.array([1, 1, 0, 0, 0], dtype=float)
    worst = FillModel(slippage_bps=Decimal(10), price="worst")
    result = run(w, df, symbol="BTCUSDT", fill_model=worst)
    buy, sell = result.trades.iloc[0], result.trades.iloc[1]
    high1, low3 = d(df.high[1]), d(df.low[3])
    assert buy["price"] == (high1 * Decimal("1.001") / TICK).to_integral_value(ROUND_UP) * TICK
    assert sell["price"] == (low3 * Decimal("0.999") / TICK).to_integral_value(ROUND_DOWN) * TICK
    assert buy["price"] % TICK == 0 and sell["price"] % TICK == 0


def test_orders_under_the_minimum_notional_are_skipped_and_counted() -> None:
    df = shipped("BTCUSDT", 50)
    # 0.00004 of 100,000 USDT is 4 USDT, under BTCUSDT's 5 USDT minimum notional
    w = np.full(len(df), 0.00004)
    result = run(w, df, symbol="BTCUSDT")
    assert result.trades.empty
    assert result.skipped_orders == 1
    assert "minimum" in result.skipped.loc[0, "reason"]
    assert result.stats["skipped_orders"] == 1
    assert result.final_equity == CASH


def test_quantities_are_floored_to_the_step_size() -> None:
    df = shipped("XRPUSDT", 300)  # XRPUSDT trades whole units (step 1)
    result = run(ma_crossover(5, 20), df, symbol="XRPUSDT")
    assert len(result.trades) > 4
    assert all(q == q.to_integral_value() for q in result.trades["qty"])
    assert all(p % Decimal("0.0001") == 0 for p in result.trades["price"])
    btc = run(ma_crossover(5, 20), shipped("BTCUSDT", 300), symbol="BTCUSDT")
    assert all(q % STEP == 0 for q in btc.trades["qty"])


def test_cash_replays_exactly_from_the_fills() -> None:
    result = run(rsi_reversion(14, 30, 70), shipped("ETHUSDT", 3000), symbol="ETHUSDT")
    t = result.trades
    assert len(t) > 10
    flows = sum(
        (
            -(q * p + f) if side == "BUY" else q * p - f
            for side, q, p, f in zip(t["side"], t["qty"], t["price"], t["fee"], strict=True)
        ),
        Decimal(0),
    )
    assert result.final_cash == CASH + flows
    assert result.stats["fees_paid"] == pytest.approx(float(sum(t["fee"], Decimal(0))))


def test_several_symbols_share_one_cash_balance_that_never_goes_negative() -> None:
    symbols = ("BTCUSDT", "ETHUSDT", "SOLUSDT")
    data = {s: shipped(s, 1500) for s in symbols}
    rng = np.random.default_rng(3)
    weights_by_symbol = {}

    def greedy(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        # random targets that often ask for more than all the equity (rows summing to 3)
        for s, df in frames.items():
            weights_by_symbol[s] = pd.Series(rng.choice([0.0, 0.5, 1.0], size=len(df)), index=df.index).where(
                rng.random(len(df)) < 0.05
            )
        return pd.DataFrame(weights_by_symbol)

    result = run(greedy, data, cash="20000")
    t = result.trades
    assert len(t) > 100 and set(t["symbol"]) == set(symbols)
    assert all(c >= 0 for c in t["cash_after"])
    assert result.final_cash >= 0
    assert (result.positions.to_numpy() >= 0).all()
    assert (result.weights.sum(axis=1) <= 1 + 1e-12).all()  # scaled to the equity
    assert (result.equity > 0).all()
    # on a bar with both, sells come before buys (they free the cash)
    for _, bar in t.groupby("time"):
        sides = list(bar["side"])
        assert sides == sorted(sides, key=lambda s: s == "BUY")


def test_multi_symbol_equal_weights_and_benchmark() -> None:
    data = {s: shipped(s, 400) for s in ("BTCUSDT", "ETHUSDT")}
    result = run(hold(), data)
    assert set(result.final_quantities) == {"BTCUSDT", "ETHUSDT"}
    values = [q * d(data[s].close.iloc[-1]) for s, q in result.final_quantities.items()]
    assert float(values[0] / values[1]) == pytest.approx(
        (data["BTCUSDT"].close.iloc[-1] / data["BTCUSDT"].open[1])
        / (data["ETHUSDT"].close.iloc[-1] / data["ETHUSDT"].open[1]),
        rel=1e-3,
    )
    bench = result.benchmark
    assert list(bench.columns) == ["BTCUSDT", "ETHUSDT", "buy_and_hold"]
    assert bench["buy_and_hold"].iloc[0] == pytest.approx(
        100000
        * (
            data["BTCUSDT"].close[0] / data["BTCUSDT"].open[0]
            + data["ETHUSDT"].close[0] / data["ETHUSDT"].open[0]
        )
        / 2
    )


def test_signal_on_the_last_candle_cannot_fill_and_is_counted() -> None:
    df = candles([100, 101, 102, 103])
    result = run(np.array([0, 0, 0, 1.0]), df, symbol="BTCUSDT")
    assert result.trades.empty and result.unfilled_signals == 1


def test_progress_callback_reports_to_the_end() -> None:
    calls: list[tuple[int, int]] = []
    run(
        ma_crossover(5, 20),
        shipped("BTCUSDT", 2000),
        symbol="BTCUSDT",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls and calls[-1][0] == calls[-1][1] > 0
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_forecast_strategy_enters_and_exits_on_thresholds() -> None:
    df = candles([100 + i for i in range(12)])
    times = pd.to_datetime(df["open_time"], unit="ms", utc=True)
    up = np.full(12, 0.2)
    down = np.full(12, 0.2)
    up[5] = 0.7  # p(up) > 0.6 on candle 5: enter
    down[9] = 0.7  # p(down) > 0.6 on candle 9: exit
    probs = pd.DataFrame({"down": down, "flat": 1 - up - down, "up": up}, index=times)
    strategy = forecast_threshold(probs, enter=0.6, exit=0.6)
    result = run(strategy, df, symbol="BTCUSDT")
    assert list(result.weights["BTCUSDT"]) == [0] * 5 + [1] * 4 + [0] * 3
    assert list(result.trades["time"]) == [times[6], times[10]]
    # the same with an open_time column in ms, and with a callable
    as_column = probs.reset_index(drop=True).assign(open_time=df["open_time"])
    again = run(forecast_threshold(as_column, 0.6, 0.6), df, symbol="BTCUSDT")
    assert again.final_equity == result.final_equity
    call = run(forecast_threshold(lambda c: probs, 0.6, 0.6), df, symbol="BTCUSDT")
    assert call.final_equity == result.final_equity


def test_rsi_by_hand() -> None:
    assert np.allclose(rsi(np.arange(1.0, 40.0), 14)[14:], 100.0)
    assert np.allclose(rsi(np.arange(40.0, 1.0, -1), 14)[14:], 0.0)
    assert np.isnan(rsi(np.arange(1.0, 40.0), 14)[:14]).all()
    # alternating +2, -1: Wilder averages converge to G = 2/2 = 1, L = 1/2 -> RSI = 100 - 100/3
    x = np.cumsum(np.r_[100.0, np.tile([2.0, -1.0], 400)])
    assert rsi(x, 14)[-1] == pytest.approx(100 - 100 / 3, abs=2.0)


def test_bad_input_is_refused_clearly() -> None:
    df = candles([100, 101, 102])
    with pytest.raises(ValueError, match="symbol"):
        run(hold(), df)
    with pytest.raises(ValueError, match="shape"):
        run(np.ones(5), df, symbol="BTCUSDT")
    with pytest.raises(ValueError, match="increasing"):
        run(hold(), df.iloc[::-1], symbol="BTCUSDT")
    from sim.domain.errors import UnknownSymbol

    with pytest.raises(UnknownSymbol):
        run(hold(), df, symbol="NOPEUSDT")


def test_forecast_strategy_reads_a_polars_frame() -> None:
    import polars as pl

    df = candles([100 + i for i in range(12)])
    up = [0.2] * 12
    up[3] = 0.9
    probs = pl.DataFrame({"open_time": df["open_time"], "down": [0.1] * 12, "up": up})
    result = run(forecast_threshold(probs, 0.6, 0.6), df, symbol="BTCUSDT")
    assert list(result.weights["BTCUSDT"]) == [0] * 3 + [1] * 9


def test_precomputed_weights_are_not_changed_in_place() -> None:
    data = {s: shipped(s, 50) for s in ("BTCUSDT", "ETHUSDT")}
    weights = np.ones((50, 2))
    run(weights, data)
    assert (weights == 1).all()
