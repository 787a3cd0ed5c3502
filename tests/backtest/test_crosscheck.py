"""The MA crossover agrees with backtesting.py on the shipped BTCUSDT candles.

Same assumptions on both sides: a decision on candle t fills at candle t+1's open, no slippage,
0.1% commission on each fill, all equity in (backtesting.py's ``FractionalBacktest`` trading
whole units of 0.00001 BTC = BTCUSDT's step size), held until the fast SMA is no longer above the
slow one, the open position valued at the last close.

Tolerance: the quantities and the number of trades must be identical. The final equity may differ
by at most 1e-8 USDT per fill plus 1e-9 of the equity: our fees are rounded *up* to 1e-8 USDT
(``fee_amount``, as the ledger does) while backtesting.py keeps unrounded float fees, and its
cash is float64 (about 1e-16 relative error per operation over ~700 fills).
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
from backtesting import Strategy
from backtesting.lib import FractionalBacktest

from sim.analytics.backtest import FillModel, ma_crossover, run, sma
from tests.backtest.helpers import shipped

FAST, SLOW = 20, 50


def backtesting_py(df: pd.DataFrame) -> pd.Series:
    close = df["close"].to_numpy()
    fast, slow = sma(close, FAST), sma(close, SLOW)

    class Cross(Strategy):  # type: ignore[misc]
        def init(self) -> None:
            self.f = self.I(lambda: fast, overlay=False)
            self.s = self.I(lambda: slow, overlay=False)

        def next(self) -> None:
            if self.f[-1] > self.s[-1]:
                if not self.position:
                    self.buy()
            elif self.position:
                self.position.close()

    data = pd.DataFrame(
        {
            "Open": df["open"].to_numpy(),
            "High": df["high"].to_numpy(),
            "Low": df["low"].to_numpy(),
            "Close": close,
            "Volume": df["volume"].to_numpy(),
        },
        index=pd.to_datetime(df["open_time"].to_numpy(), unit="ms"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = FractionalBacktest(
            data,
            Cross,
            cash=100_000,
            commission=0.001,
            fractional_unit=1e-5,
            trade_on_close=False,
        )
        return bt.run()


def test_ma_crossover_matches_backtesting_py() -> None:
    df = shipped("BTCUSDT")  # all 28,732 real 1h candles
    ours = run(
        ma_crossover(FAST, SLOW),
        df,
        symbol="BTCUSDT",
        fill_model=FillModel(slippage_bps=Decimal(0)),
    )
    theirs = backtesting_py(df)

    closed = theirs["_trades"]
    assert ours.stats["trades"] == theirs["# Trades"] == len(closed)
    buys = ours.trades[ours.trades["side"] == "BUY"].reset_index(drop=True)
    # the same whole number of 0.00001 BTC steps in every entry
    ours_units = [int(q / Decimal("0.00001")) for q in buys["qty"][: len(closed)]]
    assert ours_units == np.rint(closed["Size"].to_numpy() / 1e-5).astype(int).tolist()
    assert np.allclose([float(p) for p in buys["price"][: len(closed)]], closed["EntryPrice"], rtol=1e-12)
    fills = len(ours.trades)
    tolerance = 1e-8 * fills + 1e-9 * float(ours.final_equity)
    assert abs(float(ours.final_equity) - theirs["Equity Final [$]"]) <= tolerance
    assert ours.final_equity != Decimal(100_000)  # it traded
