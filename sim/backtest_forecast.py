"""The Backtest lab's XGBoost forecast strategy: a model trained before the test window, traded in it.

Two ways to get the per-bar class probabilities the strategy trades on
(:func:`sim.analytics.backtest.forecast_threshold`: enter when ``P(up) > enter``, exit when
``P(down) > exit``):

- **Walk-forward (the default, out of sample).** For each symbol a fresh model is trained by
  :func:`sim.analytics.forecast.window.train_window` (the project's features, labels and XGBoost
  parameters) on the ``train_days`` days before the test window ``[start, end)``, with
  :data:`~sim.analytics.forecast.features.MIN_HISTORY_BARS` candles of feature warm-up before
  them. The last ``horizon`` bars before ``start`` carry no training label (their label would end
  after ``start``: purged), so no training row, feature or label reads a candle at or after
  ``start``; the model then forecasts every bar of the test window and only the test window is
  traded and reported. ``in_sample_share`` is therefore 0. A run is refused
  (:class:`InvalidInput`, nothing trained) when a symbol's candles do not reach back to
  ``start - train_days - warm-up``. Deterministic: the same candles, window and ``seed`` give the
  same models and trades.
- **Served models** (``train_days=None``, kept for notebooks that reproduce older runs): the model
  served for each symbol (``models/served.json``), trained on the shipped candles up to its card's
  ``training.last_open_time``; a backtest over candles it was trained on is in-sample and the run's
  ``in_sample_share`` says how much of the range is.

In both, features are computed once per symbol and the booster is called once on every row
(:func:`forecast_probabilities`): row ``t`` is the forecast made at candle ``t``'s close, the same
(to ~1e-9) as :func:`sim.analytics.forecast.predict` from the 300 candles up to ``t``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analytics.backtest import forecast_threshold
from sim.analytics.lab_words import Phrase, word
from sim.domain import dates
from sim.domain.errors import InvalidInput
from sim.market.intervals import CANDLE_INTERVALS as INTERVALS

if TYPE_CHECKING:
    from sim.analytics.forecast import ForecastModel

#: days of candles the walk-forward model trains on by default: a year of 1h candles (~8,700
#: rows) sees every hour and weekday ~52 times and more than one market regime, and fits in ~0.3 s
DEFAULT_TRAIN_DAYS = 365
#: shortest train window accepted: a month of 1h candles (~700 rows)
MIN_TRAIN_DAYS = 30


@dataclass
class ForecastSetup:
    """The engine strategy and what the page and notebook show about its models."""

    strategy: Callable[[Any], Any]
    models: dict[str, ForecastModel]
    notes: list[str] = field(default_factory=list)
    in_sample_share: float | None = None
    train_window: tuple[pd.Timestamp, pd.Timestamp] | None = None  # walk-forward only


def served_models(symbols: Sequence[str], interval: str, horizon: int) -> dict[str, ForecastModel]:
    """The served forecast model of each symbol; InvalidInput naming those without one."""
    from sim.analytics.forecast import load_served

    models = {s: load_served(s, interval, horizon) for s in symbols}
    missing = [s for s, m in models.items() if m is None]
    if missing:
        raise InvalidInput.of(
            "forecast.not_served", symbols=", ".join(missing), interval=interval, horizon=horizon
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


# --- walk-forward windows -----------------------------------------------------------------------
def check_train_days(train_days: object) -> int:
    """``train_days`` as an int of at least :data:`MIN_TRAIN_DAYS`, else InvalidInput."""
    try:
        days = int(train_days)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InvalidInput.of("forecast.train_days_type", value=train_days) from None
    if days != train_days or days < MIN_TRAIN_DAYS:
        raise InvalidInput.of("forecast.train_days_range", least=MIN_TRAIN_DAYS)
    return days


def history_bars(interval: str, train_days: int) -> int:
    """Candles a walk-forward run reads before its test window: the train window and the warm-up."""
    from sim.analytics.forecast.features import MIN_HISTORY_BARS

    step = pd.Timedelta(INTERVALS[interval])
    return MIN_HISTORY_BARS + math.ceil(pd.Timedelta(days=train_days) / step)


def earliest_test_start(firsts: Sequence[pd.Timestamp], interval: str, train_days: int) -> pd.Timestamp:
    """The first midnight (UTC) from which every symbol has its train window and warm-up."""
    need = pd.Timedelta(INTERVALS[interval]) * history_bars(interval, train_days)
    return (max(firsts) + need).ceil("D")


def check_history(
    candles: Mapping[str, pd.DataFrame], start: pd.Timestamp, interval: str, train_days: int
) -> None:
    """InvalidInput (nothing trained) when a symbol's candles start after ``start`` minus the train
    window and the feature warm-up; the message says from when a test can start."""
    step = pd.Timedelta(INTERVALS[interval])
    need = step * history_bars(interval, train_days)
    firsts = {s: pd.Timestamp(f["open_time"].iloc[0]) for s, f in candles.items() if len(f)}
    short = {s: t for s, t in firsts.items() if t > start - need}
    if not short:
        return
    warm = history_bars(interval, train_days) - math.ceil(pd.Timedelta(days=train_days) / step)
    symbol, first = max(short.items(), key=lambda item: item[1])
    earliest = earliest_test_start(list(firsts.values()), interval, train_days)
    raise InvalidInput.of(
        "forecast.history_short",
        start=f"{start:%Y-%m-%d}",
        days=train_days,
        warm=warm,
        interval=interval,
        needed=f"{start - need:%Y-%m-%d %H:%M}",
        symbol=symbol,
        first=f"{first:%Y-%m-%d %H:%M}",
        earliest=f"{earliest:%Y-%m-%d}",
    )


def walk_forward(
    candles: Mapping[str, pd.DataFrame],
    params: Mapping[str, Any],
    interval: str,
    start: pd.Timestamp,
    train_days: int,
    seed: int,
) -> ForecastSetup:
    """Train one model per symbol on ``[start - train_days, start)`` and forecast from ``start``.

    ``candles`` hold the train window and the warm-up before ``start`` (see :func:`check_history`).
    """
    from sim.analytics.forecast.features import MIN_HISTORY_BARS
    from sim.analytics.forecast.window import NotEnoughTrainingRows, train_window

    horizon = int(params["horizon"])
    train_start = start - pd.Timedelta(days=train_days)
    models: dict[str, ForecastModel] = {}
    probs: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    for s, frame in candles.items():
        try:
            model = train_window(frame, horizon, start, train_start, symbol=s, interval=interval, seed=seed)
        except NotEnoughTrainingRows as exc:
            raise InvalidInput.of("forecast.train_rows", problem=exc) from None
        first_test = int((frame["open_time"] < start).sum())  # open times are increasing
        recent = frame.iloc[max(first_test - (MIN_HISTORY_BARS - 1), 0) :]
        probs[s], models[s] = forecast_probabilities(model, recent), model
        t = model.card["training"]
        notes.append(
            _trained_note(s, t["n_rows"], interval, t["first_open_time"], t["last_open_time"], horizon)
        )
    fn = forecast_threshold(probs, float(params["enter"]), float(params["exit"]))
    share = _in_sample_share(models, probs, start)
    return ForecastSetup(fn, models, notes, share, (train_start, start))


def served(
    candles: Mapping[str, pd.DataFrame], params: Mapping[str, Any], interval: str, start: pd.Timestamp | None
) -> ForecastSetup:
    """The served models' probabilities over ``candles`` (in-sample on the shipped candles)."""
    models = served_models(list(candles), interval, int(params["horizon"]))
    probs = {s: forecast_probabilities(models[s], frame) for s, frame in candles.items()}
    notes: list[str] = [
        _served_note(s, m.model_id, pd.Timestamp(m.card["training"]["last_open_time"]))
        for s, m in models.items()
    ]
    fn = forecast_threshold(probs, float(params["enter"]), float(params["exit"]))
    return ForecastSetup(fn, models, notes, _in_sample_share(models, probs, start))


def _trained_note(symbol: str, rows: int, interval: str, first: str, last: str, horizon: int) -> Phrase:
    """``BTCUSDT: model trained on 8,760 1h rows 2022-03-03 00:00 – ... (purged), ...`` (a Phrase)."""

    def render(lang: str) -> str:
        purged = word(lang, "note.last_one") if horizon == 1 else word(lang, "note.last_many", n=horizon)
        return word(
            lang,
            "note.trained",
            symbol=symbol,
            rows=f"{rows:,}",
            interval=interval,
            first=dates.when(pd.Timestamp(first), lang),
            last=dates.when(pd.Timestamp(last), lang),
            purged=purged,
        )

    return Phrase(render)


def _served_note(symbol: str, model_id: str, last: pd.Timestamp) -> Phrase:
    """``BTCUSDT: served model <id>, trained on candles up to 2023-12-31 23:00 UTC.`` (a Phrase)."""
    return Phrase(
        lambda lang: word(lang, "note.served", symbol=symbol, model=model_id, last=dates.when(last, lang))
    )


def _in_sample_share(
    models: Mapping[str, ForecastModel], probs: Mapping[str, pd.DataFrame], start: pd.Timestamp | None
) -> float | None:
    """Share of the forecasts from ``start`` on that are for candles a model was trained on."""
    trained = total = 0
    for s, m in models.items():
        last = pd.Timestamp(m.card["training"]["last_open_time"])
        times = pd.DatetimeIndex(probs[s].index)
        if start is not None:
            times = times[times >= start]
        trained += int((times <= last).sum())
        total += len(times)
    return trained / total if total else None


def describe_windows(
    train: tuple[pd.Timestamp, pd.Timestamp], test: tuple[pd.Timestamp, pd.Timestamp], lang: str = "en"
) -> str:
    """``Trained on 2022-03-03 – 2023-03-03, tested on 2023-03-03 – 2023-06-02, out of sample.``
    (each window ``[from, to)``, UTC; a time of day is shown when it is not midnight), in ``lang``."""

    def day(ts: pd.Timestamp) -> str:
        return dates.day(ts, lang) if ts == ts.normalize() else dates.when(ts, lang)

    return word(
        lang,
        "windows",
        train_from=day(train[0]),
        train_to=day(train[1]),
        test_from=day(test[0]),
        test_to=day(test[1]),
    )
