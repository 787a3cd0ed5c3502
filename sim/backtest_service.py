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
- **Forecast strategy** (:mod:`sim.backtest_forecast`). By default it is walk-forward and out of
  sample: for each symbol a fresh XGBoost model is trained on the ``train_days`` days
  (:data:`~sim.backtest_forecast.DEFAULT_TRAIN_DAYS`) before ``start``, with the last ``horizon``
  bars purged so no training label reads a candle of ``[start, end)``, and only ``[start, end)``
  is traded and reported; :attr:`BacktestRun.train_window` and :attr:`BacktestRun.test_window`
  give both windows. Too little history before ``start`` is refused (InvalidInput, nothing run).
  With ``train_days=None`` it uses the *served* model of each symbol (``models/served.json``), as
  it did before: in-sample on the shipped candles it was trained on;
  :attr:`BacktestRun.in_sample_share` says how much of the range is (0 for walk-forward runs).
- **Paper vs backtest** (:func:`paper_vs_backtest`, now in :mod:`sim.paper_vs_backtest` and
  re-exported here with ``fill_model``, ``explain`` and ``PaperComparison``).

No Streamlit here; figures are built by :mod:`sim.analytics.figures_backtest`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim import backtest_forecast as forecasting
from sim.analytics import stats
from sim.analytics.backtest import (
    BacktestResult,
    FillModel,
    default_scenarios,
    load_market,
    ma_crossover,
    rsi_reversion,
    simulate,
    target_weights,
)
from sim.analytics.backtest.sensitivity import DEFAULT_METRICS
from sim.analytics.lab_words import Phrase, phrase, strategy_label
from sim.backtest_display import decimals_to_float, format_table, localize_cells
from sim.backtest_forecast import (
    DEFAULT_TRAIN_DAYS,
    MIN_TRAIN_DAYS,
    ForecastSetup,
    describe_windows,
    forecast_probabilities,
    served_models,
)
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
    #: English text; each is a :class:`~sim.analytics.lab_words.Phrase` (``note.say("ko")``)
    notes: list[str] = field(default_factory=list)
    in_sample_share: float | None = None  # forecast strategy only: share of bars the model trained on
    #: forecast strategy only: the model of each symbol (trained for this run, or the served one)
    models: dict[str, ForecastModel] = field(default_factory=dict)
    #: walk-forward forecast runs only: ``[from, to)`` of the candles the models were trained on
    train_window: tuple[pd.Timestamp, pd.Timestamp] | None = None

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
    def test_window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """``[from, to)`` of the traded candles: the first open and the last candle's close."""
        first = self.result.index[0]
        return first, self.result.index[-1] + pd.Timedelta(INTERVALS[self.interval])

    @property
    def windows(self) -> Phrase | None:
        """Both windows in words for a walk-forward forecast run (see ``describe_windows``); a
        :class:`~sim.analytics.lab_words.Phrase`, so ``run.windows.say("ko")`` is Korean."""
        train, test = self.train_window, self.test_window
        return Phrase(lambda lang: describe_windows(train, test, lang)) if train else None

    @property
    def label(self) -> Phrase:
        """``MA crossover (fast=20, slow=50)``; ``run.label.say("ko")`` in Korean."""
        return strategy_label(self.strategy, self.params)


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
        raise InvalidInput.of("backtest.no_symbols")
    if interval not in INTERVALS:
        raise InvalidInput.of("interval.unknown", names=", ".join(INTERVALS), value=interval)
    step = pd.Timedelta(INTERVALS[interval])
    lo, hi = _ts(start), _ts(end)
    if lo is not None and hi is not None and hi <= lo:
        raise InvalidInput.of("range.end_before_start")
    if lo is not None and hi is not None and (hi - lo) / step + warmup_bars > MAX_BARS:
        raise InvalidInput.of("backtest.range_too_long", interval=interval, span=hi - lo, most=MAX_BARS)
    first = lo - warmup_bars * step if lo is not None else None
    out: dict[str, pd.DataFrame] = {}
    for symbol in dict.fromkeys(symbols):
        frame = closed_candles(sim, symbol, interval, first, hi)
        if len(frame) > MAX_BARS:
            raise InvalidInput.of(
                "backtest.too_many_candles", symbol=symbol, count=len(frame), interval=interval, most=MAX_BARS
            )
        in_range = frame if lo is None else frame[frame["open_time"] >= lo]
        if len(in_range) < 3:
            raise InvalidInput.of("backtest.too_few_candles", symbol=symbol, interval=interval)
        out[symbol] = frame.reset_index(drop=True)
    return out


def _trim(frame: pd.DataFrame, start: pd.Timestamp, warm: int) -> pd.DataFrame:
    """``frame`` from ``warm`` candles before ``start`` on (open times are increasing)."""
    first = int((frame["open_time"] < start).sum())
    return frame.iloc[max(first - warm, 0) :].reset_index(drop=True)


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
    raise InvalidInput.of("backtest.unknown_strategy", value=strategy, names=", ".join(STRATEGIES))


def make_strategy(
    strategy: str,
    params: Mapping[str, Any],
    candles: Mapping[str, pd.DataFrame] | None = None,
    interval: str = "1h",
) -> tuple[Callable[[Any], Any], list[str], float | None]:
    """The engine strategy for ``strategy`` and ``params``, with notes and the in-sample share.

    The forecast strategy here is the served models' (``candles``, warm-up included, give its
    probabilities); :func:`run_backtest` trains walk-forward models instead by default.
    """
    if strategy == "ma_crossover":
        return ma_crossover(int(params["fast"]), int(params["slow"])), [], None
    if strategy == "rsi_reversion":
        fn = rsi_reversion(int(params["window"]), float(params["buy_below"]), float(params["sell_above"]))
        return fn, [], None
    if strategy != "forecast":
        raise InvalidInput.of("backtest.unknown_strategy", value=strategy, names=", ".join(STRATEGIES))
    if candles is None:
        raise ValueError("the forecast strategy needs the candles to compute its probabilities")
    setup = forecasting.served(candles, params, interval, None)
    return setup.strategy, setup.notes, setup.in_sample_share


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
    train_days: int | None = DEFAULT_TRAIN_DAYS,
    seed: int = 42,
    trailing_stop_bps: object = None,
) -> BacktestRun:
    """Backtest ``strategy`` on ``symbols`` (one shared cash balance) over ``[start, end)``.

    ``params`` override the strategy's defaults (:data:`STRATEGIES`). ``cash`` defaults to the
    settings' starting balance. ``model`` is the default fill model (``FillModel()``: next open,
    1 bp slippage, 0.1% taker fee); ``scenarios`` default to it and its ``pessimistic`` twin.
    The forecast strategy trains its models on the ``train_days`` days before ``start`` (365 by
    default; when ``start`` is None the test starts at the first midnight with that much history)
    with XGBoost seed ``seed``, or uses the served models when ``train_days`` is None; the other
    strategies ignore both. See the module docstring for the warm-up and the forecast strategy.
    ``trailing_stop_bps`` protects each position with a trailing stop (one symbol,
    :mod:`sim.analytics.backtest.trailing`).
    """
    if strategy not in STRATEGIES:
        raise InvalidInput.of("backtest.unknown_strategy", value=strategy, names=", ".join(STRATEGIES))
    full = {**STRATEGIES[strategy][1], **(params or {})}
    if strategy == "forecast" and interval != "1h":
        raise InvalidInput.of("backtest.forecast_hourly")
    start_cash = to_decimal(cash if cash is not None else sim.settings.starting_balance, "cash")
    if start_cash <= 0:
        raise InvalidInput.of("backtest.cash_not_positive")
    warm = warmup_bars(strategy, full)
    lo = _ts(start)
    if strategy == "forecast" and train_days is not None:
        days = forecasting.check_train_days(train_days)
        if lo is None:
            everything = load_candles(sim, symbols, interval, None, end, 0)
            firsts = [pd.Timestamp(f["open_time"].iloc[0]) for f in everything.values()]
            lo = forecasting.earliest_test_start(firsts, interval, days)
            hi = _ts(end) if end is not None else max(f["open_time"].iloc[-1] for f in everything.values())
            if lo >= hi:
                raise InvalidInput.of("backtest.history_short", days=days, day=f"{lo:%Y-%m-%d}")
        extended = load_candles(sim, symbols, interval, lo, end, forecasting.history_bars(interval, days))
        forecasting.check_history(extended, lo, interval, days)
        setup = forecasting.walk_forward(extended, full, interval, lo, days, seed)
        extended = {s: _trim(f, lo, warm) for s, f in extended.items()}  # the train window is done
    elif strategy == "forecast":
        extended = load_candles(sim, symbols, interval, start, end, warm)
        setup = forecasting.served(extended, full, interval, lo)
    else:
        extended = load_candles(sim, symbols, interval, start, end, warm)
        fn, strategy_notes, _ = make_strategy(strategy, full, extended, interval)
        setup = ForecastSetup(fn, {}, strategy_notes)
    notes: list[str] = list(setup.notes)
    wide = load_market(extended)
    targets = pd.DataFrame(
        target_weights(setup.strategy(wide.strategy_input()), wide),
        index=wide.index,
        columns=list(wide.symbols),
    )
    candles = {
        s: (f[f["open_time"] >= lo] if lo is not None else f).reset_index(drop=True)
        for s, f in extended.items()
    }
    market = load_market(candles)
    weights = target_weights(targets, market)
    instruments = {s: sim.instruments.get_or_raise(s) for s in market.symbols}
    models = dict(scenarios) if scenarios is not None else default_scenarios(model)
    runs: dict[str, BacktestResult] = {}
    for k, (name, fm) in enumerate(models.items()):
        report = None
        if progress is not None:
            n = len(models)

            def report(done: int, total: int, k: int = k, n: int = n) -> None:
                progress(k * 1000 + int(1000 * done / max(total, 1)), n * 1000)

        runs[name] = simulate(market, weights, instruments, fm, start_cash, None, report, trailing_stop_bps)
    if len(market.index) < min(len(f) for f in candles.values()):
        notes.append(phrase("note.dropped", n=min(len(f) for f in candles.values()) - len(market.index)))
    before = min(len(f) - len(candles[s]) for s, f in extended.items())
    if before < warm:
        notes.append(phrase("note.warmup", before=before, warm=warm))
    if trailing_stop_bps is not None:
        notes.append(phrase("note.trailing", bps=trailing_stop_bps))
    return BacktestRun(
        symbols=market.symbols,
        interval=interval,
        strategy=strategy,
        params=full,
        runs=runs,
        candles={s: f for s, f in candles.items()},
        notes=notes,
        in_sample_share=setup.in_sample_share,
        models=setup.models,
        train_window=setup.train_window,
    )


__all__ = [
    "DEFAULT_TRAIN_DAYS",
    "MIN_TRAIN_DAYS",
    "STRATEGIES",
    "BacktestRun",
    "PaperComparison",
    "available_range",
    "decimals_to_float",
    "describe_windows",
    "explain",
    "fill_model",
    "forecast_probabilities",
    "format_table",
    "intervals",
    "load_candles",
    "localize_cells",
    "make_strategy",
    "paper_vs_backtest",
    "run_backtest",
    "served_models",
    "warmup_bars",
]
