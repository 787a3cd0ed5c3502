"""Trailing stops in the backtester (:mod:`sim.analytics.backtest.trailing`): each candle's four
trades go through the paper rule (:func:`sim.domain.trailing.step`); expected fills as formulas."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from sim.analytics.backtest import FillModel, run
from sim.analytics.backtest.trailing import candle_trades
from sim.domain.errors import InvalidInput
from sim.domain.fills import slipped_price
from sim.domain.orders import Side
from sim.domain.values import fee_amount

D = Decimal
BPS = D(10_000)
TICK = D("0.01")


def frame(rows: list[tuple[float, float, float, float]]) -> pd.DataFrame:
    index = pd.date_range(pd.Timestamp("2023-01-01", tz="UTC"), periods=len(rows), freq="1h")
    o, h, low, c = (np.asarray(col, dtype=float) for col in zip(*rows, strict=True))
    return pd.DataFrame(
        {"open_time": index.as_unit("ms").asi8, "open": o, "high": h, "low": low, "close": c, "volume": 1.0}
    )


CANDLES = frame(
    [
        (100, 101, 99, 100),  # 0: the signal
        (100, 110, 100, 109),  # 1: entry at the open; rising: trades 100, 100, 110, 109 -> peak 110
        (109, 112, 103, 104),  # 2: falling: 109, 112 (peak), 103 <= 112 x 0.95 = 106.4: stop-out at 103
        (104, 120, 104, 119),  # 3: still "long", but no buy back after a stop-out
        (119, 121, 118, 120),  # 4: the strategy goes flat (no position: nothing to sell)
        (120, 121, 119, 120),  # 5: long again: a new signal
        (120, 122, 119, 121),  # 6: entry at 120
    ]
)


def test_candle_trades_follow_the_replay_path() -> None:
    assert candle_trades(D(1), D(3), D(0), D(2)) == [D(1), D(0), D(3), D(2)]  # rising: low first
    assert candle_trades(D(2), D(3), D(0), D(1)) == [D(2), D(3), D(0), D(1)]  # falling: high first


def test_a_stop_out_fills_at_the_triggering_trade_and_waits_for_a_new_signal() -> None:
    weights = pd.Series([1, 1, 1, 1, 0, 1, 1], dtype=float)
    model = FillModel(slippage_bps=D(1))
    result = run(weights, CANDLES, symbol="BTCUSDT", cash="10000", fill_model=model, trailing_stop_bps=500)
    trades = result.trades
    assert list(trades["side"]) == ["BUY", "SELL", "BUY"]
    buy, stop, again = (trades.iloc[i] for i in range(3))
    entry = slipped_price(D(100), Side.BUY, D(1), TICK)
    assert D(str(buy["price"])) == entry
    assert D("103") <= D(112) * (1 - D(500) / BPS)  # the trade that triggers
    exit_price = slipped_price(D(103), Side.SELL, D(1), TICK)  # floor(103 x 0.9999) = 102.98
    assert exit_price == D("102.98")
    assert D(str(stop["price"])) == exit_price and stop["qty"] == buy["qty"]
    assert stop["time"] == stop["signal_time"] == pd.Timestamp("2023-01-01 02:00", tz="UTC")
    qty = D(str(buy["qty"]))
    assert D(str(stop["fee"])) == fee_amount(exit_price * qty, model.fees.taker)
    assert again["time"] == pd.Timestamp("2023-01-01 06:00", tz="UTC")  # after the new signal on 5
    assert D(str(again["price"])) == slipped_price(D(120), Side.BUY, D(1), TICK)


def test_without_a_trailing_stop_nothing_changes_and_several_symbols_are_refused() -> None:
    weights = pd.Series([1, 1, 1, 1, 0, 1, 1], dtype=float)
    plain = run(weights, CANDLES, symbol="BTCUSDT", cash="10000")
    assert list(plain.trades["side"]) == ["BUY", "SELL", "BUY"]
    assert plain.trades.iloc[1]["time"] == pd.Timestamp("2023-01-01 05:00", tz="UTC")  # the strategy's exit
    with pytest.raises(InvalidInput, match="one symbol at a time"):
        both = {"BTCUSDT": CANDLES, "ETHUSDT": CANDLES}
        run(pd.DataFrame({"BTCUSDT": weights, "ETHUSDT": weights}), both, trailing_stop_bps=500)
