"""Backtests for the app and notebooks: the history store's candles in, a finished run out.

What this module adds to :mod:`sim.analytics.backtest` (the engine, which it does not change):

- **Candles** come from ``Simulator.history`` (the history store, or the shipped candles), so only
  candles *closed* at the simulator's clock are used. Several symbols are traded together and
  share one cash balance (the engine aligns them on the open times they all have).
- **Warm-up.** A strategy's indicators need history before the first traded candle (the slow
  moving average, RSI's Wilder averages, the forecast features' 300 bars). The strategy is
  evaluated on ``warm-up + range`` candles; its targets (NaN forward-filled, as the engine reads
  them) are then cut to ``[start, end)`` and traded there. A position the strategy holds at
  ``start`` is entered on the first candle of the range (filled on the second, like any decision).
  The strategy still only sees candles up to each decision's close.
- **One evaluation, several fill models.** The targets are computed once and traded under each
  fill model (``default`` and ``pessimistic`` by default, see
  :mod:`sim.analytics.backtest.sensitivity`); ``progress(done, total)`` counts the trading bars of
  all of them, so a page can feed one progress bar.
- **Forecast strategy.** Per-bar class probabilities of the *served* XGBoost model of each symbol
  (``models/served.json``) are computed in one pass: features once over the whole window, one
  ``predict_proba`` call on every row (not one predict per bar). Row ``t`` is the forecast made at
  candle ``t``'s close, identical (to ~1e-9) to what ``sim.analytics.forecast.predict`` serves
  from the 300 candles up to ``t``. **In-sample warning:** the shipped models were trained on the
  shipped candles up to their card's ``training.last_open_time``; a backtest over candles the
  model was trained on is in-sample and flatters the model. :attr:`BacktestRun.in_sample_share`
  says how much of the range is.
- **Paper vs backtest** (:func:`paper_vs_backtest`, now in :mod:`sim.paper_vs_backtest` and
  re-exported here with ``fill_model``, ``explain`` and ``PaperComparison``).

No Streamlit here; figures are built by :mod:`sim.analytics.figures_backtest`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analytics import stats
from sim.analytics.backtest import (
    BacktestResult,
    FillModel,
    default_scenarios,
    forecast_threshold,
    load_market,
    ma_crossover,
    rsi_reversion,
    simulate,
    target_weights,
)
from sim.analytics.backtest.sensitivity import DEFAULT_METRICS
from sim.backtest_display import decimals_to_float, format_table
from sim.domain.errors import InvalidInput
from sim.domain.values import to_decimal
from sim.history import candles as closed_candles
from sim.history import chart_intervals
from sim.market.intervals import CANDLE_INTERVALS as INTERVALS
from sim.paper_vs_backtest import PaperComparison, explain, fill_model, paper_vs_backtest

if TYPE_CHECKING:
    from sim.analytics.forecast import ForecastModel
    from sim.service_layer.context import ServiceContext as Simulator

Progress = Callable[[int, int], None]

#: strategy name -> (label, default parameters)
STRATEGIES: dict[str, tuple[str, dict[str, Any]]] = {
    "ma_crossover": ("MA crossover", {"fast": 20, "slow": 50}),
    "rsi_reversion": ("RSI mean reversion", {"window": 14, "buy_below": 30.0, "sell_above": 70.0}),
    "forecast": ("XGBoost forecast", {"horizon": 1, "enter": 0.4, "exit": 0.4}),
}
#: most candles per symbol a run may use (warm-up included): 2 years of 1h, 70 days of 1m
MAX_BARS = 100_000
#: extra bars before ``start`` for RSI's Wilder averages to forget their seed (0.93^140 < 1e-4)
RSI_WARMUP_FACTOR = 10


@dataclass
class BacktestRun:
    """A finished backtest: the run under each fill model and what it was run on.

    ``result`` is the ``default`` fill model's run; ``runs`` holds every fill model's;
    ``candles`` are the traded candles per symbol (``open_time`` column, the range only).
    """

    symbols: tuple[str, ...]
    interval: str
    strategy: str
    params: dict[str, Any]
    runs: dict[str, BacktestResult]
    candles: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    in_sample_share: float | None = None  # forecast strategy only: share of bars the model trained on

    @property
    def result(self) -> BacktestResult:
        return self.runs["default"] if "default" in self.runs else next(iter(self.runs.values()))

    @property
    def stats_table(self) -> pd.DataFrame:
        """:func:`sim.analytics.stats.summary_table` of the default run."""
        return self.result.summary(self.label)

    @property
    def sensitivity(self) -> pd.DataFrame:
        """Statistics side by side, one column per fill model (as ``sensitivity()`` gives)."""
        table = stats.summary_table({name: r.stats for name, r in self.runs.items()})
        return table.loc[[m for m in DEFAULT_METRICS if m in table.index]]

    @property
    def label(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{STRATEGIES[self.strategy][0]} ({args})"


# --- candles ------------------------------------------------------------------------------------
def _ts(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def intervals(sim: Simulator, symbols: Sequence[str]) -> list[str]:
    """The intervals every one of ``symbols`` can be read in (finest first)."""
    sets = [chart_intervals(sim, s) for s in symbols] or [["1h", "4h", "1d"]]
    return [i for i in INTERVALS if all(i in s for s in sets)]


def available_range(sim: Simulator, symbols: Sequence[str]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last daily candle open that all ``symbols`` have (None when one has none)."""
    firsts, lasts = [], []
    for s in symbols:
        frame = closed_candles(sim, s, "1d", None, None)
        if frame.empty:
            return None
        firsts.append(pd.Timestamp(frame["open_time"].iloc[0]))
        lasts.append(pd.Timestamp(frame["open_time"].iloc[-1]))
    return (max(firsts), min(lasts)) if firsts else None


def load_candles(
    sim: Simulator,
    symbols: Sequence[str],
    interval: str,
    start: object = None,
    end: object = None,
    warmup_bars: int = 0,
) -> dict[str, pd.DataFrame]:
    """Closed candles ``[start - warmup_bars * interval, end)`` per symbol from ``sim.history``.

    Raises :class:`InvalidInput` for no symbols, an empty range or more than :data:`MAX_BARS`
    candles per symbol (the message suggests a coarser interval or a shorter range).
    """
    if not symbols:
        raise InvalidInput("Pick at least one symbol.")
    if interval not in INTERVALS:
        raise InvalidInput(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}.")
    step = pd.Timedelta(INTERVALS[interval])
    lo, hi = _ts(start), _ts(end)
    if lo is not None and hi is not None and hi <= lo:
        raise InvalidInput("The end of the range must be after its start.")
    if lo is not None and hi is not None and (hi - lo) / step + warmup_bars > MAX_BARS:
        raise InvalidInput(
            f"{interval} candles over {hi - lo} are more than {MAX_BARS:,} per symbol; "
            "choose a coarser interval or a shorter range."
        )
    first = lo - warmup_bars * step if lo is not None else None
    out: dict[str, pd.DataFrame] = {}
    for symbol in dict.fromkeys(symbols):
        frame = closed_candles(sim, symbol, interval, first, hi)
        if len(frame) > MAX_BARS:
            raise InvalidInput(
                f"{symbol} has {len(frame):,} {interval} candles in that range (at most {MAX_BARS:,}); "
                "choose a coarser interval or a shorter range."
            )
        in_range = frame if lo is None else frame[frame["open_time"] >= lo]
        if len(in_range) < 3:
            raise InvalidInput(f"{symbol} has fewer than 3 closed {interval} candles in that range.")
        out[symbol] = frame.reset_index(drop=True)
    return out


# --- strategies ---------------------------------------------------------------------------------
def warmup_bars(strategy: str, params: Mapping[str, Any]) -> int:
    """Bars of history a strategy needs before its first decision is fully informed."""
    if strategy == "ma_crossover":
        return int(params.get("slow", 50))
    if strategy == "rsi_reversion":
        return RSI_WARMUP_FACTOR * int(params.get("window", 14))
    if strategy == "forecast":
        from sim.analytics.forecast.features import MIN_HISTORY_BARS

        return MIN_HISTORY_BARS
    raise InvalidInput(f"Unknown strategy {strategy!r}; one of {', '.join(STRATEGIES)}.")


def served_models(symbols: Sequence[str], interval: str, horizon: int) -> dict[str, ForecastModel]:
    """The served forecast model of each symbol; InvalidInput naming those without one."""
    from sim.analytics.forecast import load_served

    models = {s: load_served(s, interval, horizon) for s in symbols}
    missing = [s for s, m in models.items() if m is None]
    if missing:
        raise InvalidInput(
            f"No forecast model is served for {', '.join(missing)} on {interval} candles, "
            f"horizon {horizon} (models/served.json; the shipped models are 1h, horizons 1 and 4). "
            "Drop those symbols or pick another strategy."
        )
    return {s: m for s, m in models.items() if m is not None}


def forecast_probabilities(model: ForecastModel, candles: pd.DataFrame) -> pd.DataFrame:
    """Per-bar class probabilities (``down, flat, up``) of ``model`` over ``candles``.

    Features are computed once over the whole frame and the booster is called once on every row
    whose features are defined and that has ``min_history_bars`` of history (as in training).
    Indexed by candle open time (UTC); row ``t`` uses candles ``<= t`` only.
    """
    from sim.analytics.forecast import compute_features
    from sim.analytics.forecast.model import predict_proba

    feats = compute_features(candles)
    x = feats.select(model.feature_names).to_numpy().astype(np.float64)
    ok = np.isfinite(x).all(axis=1)
    ok[: max(model.min_history_bars - 1, 0)] = False
    times = feats["open_time"].to_numpy()[ok]
    labels = model.label_map
    columns = [labels[i] for i in sorted(labels)]
    proba = predict_proba(model.booster, x[ok]) if ok.any() else np.empty((0, len(columns)))
    index = pd.DatetimeIndex(pd.to_datetime(times, unit="ms", utc=True), name="open_time")
    return pd.DataFrame(proba, index=index, columns=columns)


def make_strategy(
    strategy: str,
    params: Mapping[str, Any],
    candles: Mapping[str, pd.DataFrame] | None = None,
    interval: str = "1h",
) -> tuple[Callable[[Any], Any], list[str], float | None]:
    """The engine strategy for ``strategy`` and ``params``, with notes and the in-sample share.

    The forecast strategy needs ``candles`` (warm-up included) to compute its probabilities.
    """
    if strategy == "ma_crossover":
        return ma_crossover(int(params["fast"]), int(params["slow"])), [], None
    if strategy == "rsi_reversion":
        fn = rsi_reversion(int(params["window"]), float(params["buy_below"]), float(params["sell_above"]))
        return fn, [], None
    if strategy != "forecast":
        raise InvalidInput(f"Unknown strategy {strategy!r}; one of {', '.join(STRATEGIES)}.")
    if candles is None:
        raise ValueError("the forecast strategy needs the candles to compute its probabilities")
    models = served_models(list(candles), interval, int(params["horizon"]))
    probs = {s: forecast_probabilities(models[s], frame) for s, frame in candles.items()}
    notes, trained_bars, total_bars = [], 0, 0
    for s, m in models.items():
        last = pd.Timestamp(m.card["training"]["last_open_time"])
        times = pd.DatetimeIndex(probs[s].index)
        trained_bars += int((times <= last).sum())
        total_bars += len(times)
        notes.append(f"{s}: model {m.model_id}, trained on candles up to {last:%Y-%m-%d %H:%M} UTC.")
    fn = forecast_threshold(probs, float(params["enter"]), float(params["exit"]))
    return fn, notes, (trained_bars / total_bars if total_bars else None)


# --- running ------------------------------------------------------------------------------------
def run_backtest(
    sim: Simulator,
    symbols: Sequence[str],
    strategy: str = "ma_crossover",
    params: Mapping[str, Any] | None = None,
    *,
    interval: str = "1h",
    start: object = None,
    end: object = None,
    cash: object = None,
    model: FillModel | None = None,
    scenarios: Mapping[str, FillModel] | None = None,
    progress: Progress | None = None,
    trailing_stop_bps: object = None,
) -> BacktestRun:
    """Backtest ``strategy`` on ``symbols`` (one shared cash balance) over ``[start, end)``.

    ``params`` override the strategy's defaults (:data:`STRATEGIES`). ``cash`` defaults to the
    settings' starting balance. ``model`` is the default fill model (``FillModel()``: next open,
    1 bp slippage, 0.1% taker fee); ``scenarios`` default to it and its ``pessimistic`` twin.
    See the module docstring for the warm-up and the forecast strategy. ``trailing_stop_bps``
    protects each position with a trailing stop (one symbol, :mod:`sim.analytics.backtest.trailing`).
    """
    if strategy not in STRATEGIES:
        raise InvalidInput(f"Unknown strategy {strategy!r}; one of {', '.join(STRATEGIES)}.")
    full = {**STRATEGIES[strategy][1], **(params or {})}
    if strategy == "forecast" and interval != "1h":
        raise InvalidInput("The served forecast models are trained on 1h candles: pick the 1h interval.")
    warm = warmup_bars(strategy, full)
    extended = load_candles(sim, symbols, interval, start, end, warm)
    fn, notes, in_sample = make_strategy(strategy, full, extended, interval)
    wide = load_market(extended)
    targets = pd.DataFrame(
        target_weights(fn(wide.strategy_input()), wide), index=wide.index, columns=list(wide.symbols)
    )
    lo = _ts(start)
    candles = {
        s: (f[f["open_time"] >= lo] if lo is not None else f).reset_index(drop=True)
        for s, f in extended.items()
    }
    market = load_market(candles)
    weights = target_weights(targets, market)
    instruments = {s: sim.instruments.get_or_raise(s) for s in market.symbols}
    models = dict(scenarios) if scenarios is not None else default_scenarios(model)
    start_cash = to_decimal(cash if cash is not None else sim.settings.starting_balance, "cash")
    if start_cash <= 0:
        raise InvalidInput("cash must be greater than zero")
    runs: dict[str, BacktestResult] = {}
    for k, (name, fm) in enumerate(models.items()):
        report = None
        if progress is not None:
            n = len(models)

            def report(done: int, total: int, k: int = k, n: int = n) -> None:
                progress(k * 1000 + int(1000 * done / max(total, 1)), n * 1000)

        runs[name] = simulate(market, weights, instruments, fm, start_cash, None, report, trailing_stop_bps)
    if len(market.index) < min(len(f) for f in candles.values()):
        notes.append(
            f"{min(len(f) for f in candles.values()) - len(market.index)} bars were dropped because "
            "not every symbol has a candle there (an exchange outage)."
        )
    before = min(len(f) - len(candles[s]) for s, f in extended.items())
    if before < warm:
        notes.append(
            f"Only {before} of the {warm} warm-up candles exist before the start: "
            "the first decisions see less history."
        )
    if trailing_stop_bps is not None:
        notes.append(
            f"Each position is protected by a trailing stop of {trailing_stop_bps} bps: it follows the "
            "highest trade since the entry (each candle's open, low/high, high/low, close) and sells "
            "at the trade that falls through it; no buy-back before the strategy's next signal."
        )
    return BacktestRun(
        symbols=market.symbols,
        interval=interval,
        strategy=strategy,
        params=full,
        runs=runs,
        candles={s: f for s, f in candles.items()},
        notes=notes,
        in_sample_share=in_sample,
    )


__all__ = [
    "STRATEGIES",
    "BacktestRun",
    "PaperComparison",
    "available_range",
    "decimals_to_float",
    "explain",
    "fill_model",
    "forecast_probabilities",
    "format_table",
    "intervals",
    "load_candles",
    "make_strategy",
    "paper_vs_backtest",
    "run_backtest",
    "served_models",
    "warmup_bars",
]
