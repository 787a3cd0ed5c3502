"""The candles and the four implementations that :mod:`bench.bench_backtest` times.

The definitions (how the 1m candles are built from the shipped 1h ones, the strategy, the fill
and fee rules of each implementation) are in :mod:`bench.bench_backtest`'s docstring. Each
implementation takes the candle frame (``open_time`` in ms and OHLCV) and the two SMA windows and
returns the final equity and the number of fills. Benchmark-only libraries (backtesting.py,
vectorbt) are imported when called.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
FEE = 0.001
CASH = 100_000.0
STEP = 1e-5  # BTCUSDT step size
SEED = 7


# --- data ---------------------------------------------------------------------------------------
def minute_candles(bars: int = 1_000_000, seed: int = SEED) -> pd.DataFrame:
    """The deterministic 1m candles of the module docstring (``bars`` rows)."""
    hours = pd.read_csv(ROOT / "data" / "sample" / "BTCUSDT-1h.csv.gz")
    n_hours = -(-bars // 60)
    if n_hours > len(hours):
        raise ValueError(f"at most {len(hours) * 60} minutes can be built from the shipped hours")
    h = hours.iloc[:n_hours]
    o, hi, lo, c = (h[k].to_numpy() for k in ("open", "high", "low", "close"))
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.standard_normal((n_hours, 60)), axis=1) / np.sqrt(60)
    walk = np.hstack([np.zeros((n_hours, 1)), walk])
    frac = np.arange(61) / 60
    bridge = walk - frac * walk[:, -1:]
    path = o[:, None] + (c - o)[:, None] * frac + ((hi - lo) / 2)[:, None] * bridge
    path = np.round(np.clip(path, lo[:, None], hi[:, None]), 2)
    m_open, m_close = path[:, :-1], path[:, 1:]
    wick = np.abs(rng.standard_normal((n_hours, 60))) * ((hi - lo) / 60)[:, None]
    m_high = np.round(np.minimum(np.maximum(m_open, m_close) + wick, hi[:, None]), 2)
    m_low = np.round(np.maximum(np.minimum(m_open, m_close) - wick[:, ::-1], lo[:, None]), 2)
    times = h["open_time"].to_numpy()[:, None] + np.arange(60) * 60_000
    frame = pd.DataFrame(
        {
            "open_time": times.ravel(),
            "open": m_open.ravel(),
            "high": m_high.ravel(),
            "low": m_low.ravel(),
            "close": m_close.ravel(),
            "volume": np.repeat(h["volume"].to_numpy() / 60, 60),
        }
    )
    return frame.iloc[:bars].reset_index(drop=True)


# --- the four implementations --------------------------------------------------------------------
@dataclass
class Outcome:
    final_equity: float
    trades: int  # fills (entries + exits)


def run_engine(df: pd.DataFrame, fast: int, slow: int) -> Outcome:
    from sim.analytics.backtest import FillModel, ma_crossover, run

    result = run(
        ma_crossover(fast, slow),
        df,
        symbol="BTCUSDT",
        fill_model=FillModel(slippage_bps=Decimal(0)),
    )
    return Outcome(float(result.final_equity), len(result.trade_rows))


def run_engine_no_fills(df: pd.DataFrame, fast: int, slow: int) -> Outcome:
    """The engine with the same SMAs computed but the target masked to flat: every vectorized
    step, no fill (isolates the per-fill cost)."""
    from sim.analytics.backtest import FillModel, ma_crossover, run

    strategy = ma_crossover(fast, slow)
    result = run(
        lambda c: strategy(c) * 0.0,
        df,
        symbol="BTCUSDT",
        fill_model=FillModel(slippage_bps=Decimal(0)),
    )
    return Outcome(float(result.final_equity), len(result.trade_rows))


def _sma(x: np.ndarray, w: int) -> np.ndarray:
    out = np.full(len(x), np.nan)
    c = np.cumsum(np.r_[0.0, x])
    out[w - 1 :] = (c[w:] - c[:-w]) / w
    return out


def run_numpy(df: pd.DataFrame, fast: int, slow: int) -> Outcome:
    """Plain numpy: position held during candle t is the target of candle t-1; growth per candle
    ``(open_t / close_{t-1})^{pos_{t-1}} * (close_t / open_t)^{pos_t} * (1 - fee)^{|pos_t -
    pos_{t-1}|}``; equity = cash * cumulative product."""
    o = df["open"].to_numpy()
    c = df["close"].to_numpy()
    target = _sma(c, fast) > _sma(c, slow)
    pos = np.r_[False, target[:-1]]
    prev = np.r_[False, pos[:-1]]
    prev_close = np.r_[o[0], c[:-1]]
    growth = np.where(prev, o / prev_close, 1.0) * np.where(pos, c / o, 1.0)
    changed = pos != prev
    growth *= np.where(changed, 1.0 - FEE, 1.0)
    equity = CASH * np.cumprod(growth)
    return Outcome(float(equity[-1]), int(np.count_nonzero(changed)))


def run_backtesting_py(df: pd.DataFrame, fast: int, slow: int) -> Outcome:
    from backtesting import Strategy
    from backtesting.lib import FractionalBacktest

    data = pd.DataFrame(
        {
            "Open": df["open"].to_numpy(),
            "High": df["high"].to_numpy(),
            "Low": df["low"].to_numpy(),
            "Close": df["close"].to_numpy(),
            "Volume": df["volume"].to_numpy(),
        },
        index=pd.to_datetime(df["open_time"].to_numpy(), unit="ms"),
    )
    close = df["close"].to_numpy()
    f_sma, s_sma = _sma(close, fast), _sma(close, slow)

    class Cross(Strategy):  # type: ignore[misc]
        def init(self) -> None:
            self.f = self.I(lambda: f_sma, overlay=False)
            self.s = self.I(lambda: s_sma, overlay=False)

        def next(self) -> None:
            if self.f[-1] > self.s[-1]:
                if not self.position:
                    self.buy()
            elif self.position:
                self.position.close()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = FractionalBacktest(
            data, Cross, cash=CASH, commission=FEE, fractional_unit=STEP, trade_on_close=False
        )
        stats = bt.run()
    trades = stats["_trades"]
    fills = 2 * len(trades) + (1 if stats["_strategy"].position else 0)
    return Outcome(float(stats["Equity Final [$]"]), fills)


def run_vectorbt(df: pd.DataFrame, fast: int, slow: int) -> Outcome:
    import vectorbt as vbt

    close = df["close"].to_numpy()
    target = _sma(close, fast) > _sma(close, slow)
    pos = np.r_[False, target[:-1]]  # what is held from each candle's open
    prev = np.r_[False, pos[:-1]]
    pf = vbt.Portfolio.from_signals(
        close=df["close"].to_numpy(),
        entries=pos & ~prev,
        exits=~pos & prev,
        price=df["open"].to_numpy(),
        fees=FEE,
        init_cash=CASH,
        size=np.inf,
        freq="1min",
    )
    return Outcome(float(pf.final_value()), int(pf.orders.count()))


IMPLEMENTATIONS: dict[str, Callable[[pd.DataFrame, int, int], Outcome]] = {
    "engine": run_engine,
    "engine, no fills": run_engine_no_fills,
    "numpy": run_numpy,
    "backtesting.py": run_backtesting_py,
    "vectorbt": run_vectorbt,
}
