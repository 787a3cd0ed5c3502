"""Forecasts served on a :class:`~sim.services.Simulator`: serve, store, score, track record, analysis.

The model part (features, labels, training, :func:`~sim.analytics.forecast.predict`,
:func:`~sim.analytics.forecast.score`) lives in :mod:`sim.analytics.forecast`; this module puts it
on the simulator's history and clock and keeps every served forecast in the ledger's
``forecasts`` table.

Definitions and assumptions:
- **Serving.** :func:`forecast` loads the model served for ``(symbol, interval, horizon)`` (see
  ``models/served.json``), or, for a symbol without a served model of its own, the pooled model
  (:mod:`sim.forecast_models`), whose forecast says so (``validation["model_label"]``: "pooled
  model, not trained on DOGEUSDT"); loaded models are cached in this process, keyed by their
  directory and
  model id, so a retrained model is picked up as soon as ``served.json`` points at it), and
  predicts from the candles *closed* at the simulator's clock (``sim.history``; no peeking into a
  replay's future). ``as_of`` is the last closed candle's close time, ``valid_until = as_of +
  horizon * interval``. A forecast whose ``valid_until`` is already at or before the clock is
  refused: the history is behind the market and the forecast would be about the past.
- **Storing.** Every served forecast is inserted into ``forecasts`` with its class probabilities
  quantized to 8 decimals (ROUND_HALF_EVEN; the ledger's exact type), idempotently on
  ``(model_id, as_of)``: serving the same model on the same candle twice keeps one row.
- **Scoring.** :func:`score_forecasts` gives an ``outcome`` (``down``/``flat``/``up``) and a
  ``scored_at`` to stored forecasts whose ``valid_until`` has passed, with the training label
  definition (:mod:`sim.analytics.forecast.labels`): the class of ``ln(close[t+h] / close[t])``
  against the flat band ``k * rv_24[t] * sqrt(h)``, ``t`` the ``as_of`` candle and ``k`` the
  model card's (:data:`~sim.analytics.forecast.labels.FLAT_K` when the card is gone). The band is
  recomputed from the candles, exactly as at serving time. A forecast whose ``h`` bars span a gap in
  the history (as in training, where such rows have no label) gets the outcome ``void`` once
  candles after its ``valid_until`` exist; one whose candles are not in the history yet stays
  pending.
- **Track record.** :func:`sim.forecast_record.track_record` scores the stored forecasts that
  have an outcome with :func:`sim.analytics.forecast.score`: hit rate (share whose most probable
  class happened) and
  multiclass Brier score (0 best, 2 worst), beside the ``last_move`` ("same as the last completed
  move") and ``majority`` (smoothed past label frequencies) baselines computed only from candles
  known at each forecast's ``as_of``. Several symbols are pooled by weighting each symbol's
  numbers by its count of scored forecasts. The baselines are computed over the whole history
  the simulator has (their frequencies count every label known at ``as_of``), as
  :func:`~sim.analytics.forecast.score` does when given all the candles.
- **Analysis.** :func:`analysis` is :func:`sim.analytics.forecast.analysis` on the last
  ``bars per year + 400`` closed candles; :data:`ANALYSIS_DEFINITIONS` defines its states.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.analytics.analysis_words import state_definitions
from sim.domain.errors import InvalidInput
from sim.history import candles as closed_candles

if TYPE_CHECKING:
    from sim.analytics.forecast import Forecast, MarketAnalysis
    from sim.service_layer.context import ServiceContext as Simulator

PROBABILITY_UNIT = Decimal("0.00000001")
VOID = "void"
OUTCOMES = ("down", "flat", "up")
#: candles fetched before the earliest forecast when scoring: rv_24 needs 25 closes; a margin
SCORING_MARGIN_BARS = 40

#: what each state of :func:`analysis` means, in English (:func:`analysis_definitions` in another
#: language)
ANALYSIS_DEFINITIONS: dict[str, str] = state_definitions("en")


def analysis_definitions(lang: str = "en") -> dict[str, str]:
    """:data:`ANALYSIS_DEFINITIONS` in ``lang`` (English by default)."""
    return state_definitions(lang)


TRACK_RECORD_DEFINITIONS: dict[str, str] = {
    "hit_rate": "share of scored forecasts whose most probable class was the outcome",
    "brier": "multiclass Brier score: mean of sum over classes of (p - outcome)^2; 0 best, 2 worst",
    "last_move": (
        "baseline: the class of the last completed h-bar move gets the probability q (the smoothed "
        "share of past moves that repeated the one before), the others (1 - q) / 2"
    ),
    "majority": "baseline: the smoothed frequencies of the labels known at the forecast's as_of",
    "outcome": (
        "class of ln(close[t+h] / close[t]) against the flat band k * rv_24[t] * sqrt(h): down below "
        "-band, up above +band, otherwise flat (the training label)"
    ),
}


from sim.forecast_models import (  # noqa: E402  (re-exported: the public names stay here)
    ForecastUnavailable,
    _card_k,
    clear_model_cache,
    served_keys,
    served_model,
)


def _models_dir(sim: Simulator) -> Path:
    return Path(sim.settings.models_dir)


# --- serving --------------------------------------------------------------------------------------
def _check_request(sim: Simulator, symbol: str, interval: str, horizon: object) -> tuple[str, int]:
    from sim.analytics.forecast.data import interval_ms

    instrument = sim.instruments.get_or_raise(symbol)
    try:
        interval_ms(interval)
    except ValueError as exc:
        raise InvalidInput.of("forecast.interval_unknown", value=interval) from exc
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise InvalidInput.of("forecast.horizon", value=horizon)
    return instrument.symbol, horizon


def _recent_candles(sim: Simulator, symbol: str, interval: str, bars: int) -> pd.DataFrame:
    """At least ``bars`` closed candles when the history has them (a window, widened once)."""
    step = pd.Timedelta(interval)
    now = pd.Timestamp(sim.now())
    frame = closed_candles(sim, symbol, interval, now - step * int(bars * 1.5 + 48), None)
    if len(frame) < bars:
        frame = closed_candles(sim, symbol, interval, None, None)
    return frame


def forecast(sim: Simulator, symbol: str, interval: str = "1h", horizon: int = 1) -> Forecast:
    """Serve (and store) the forecast of ``symbol`` for the ``horizon`` bars after the last closed
    candle; see the module docstring. Raises :class:`ForecastUnavailable` or UnknownSymbol."""
    from sim.analytics.forecast import NotEnoughHistory, predict

    symbol, horizon = _check_request(sim, symbol, interval, horizon)
    model = served_model(_models_dir(sim), symbol, interval, horizon)
    candles = _recent_candles(sim, symbol, interval, model.min_history_bars)
    if len(candles) < model.min_history_bars:
        raise ForecastUnavailable.of(
            "forecast.history_bars",
            symbol=symbol,
            needs=model.min_history_bars,
            interval=interval,
            count=len(candles),
            now=f"{sim.now():%Y-%m-%d %H:%M}",
        )
    try:
        result = predict(model, candles, symbol)
    except NotEnoughHistory as exc:
        raise ForecastUnavailable.of("forecast.history_problem", symbol=symbol, problem=exc) from exc
    now = sim.now()
    if result.valid_until <= now:
        raise ForecastUnavailable.of(
            "forecast.history_behind",
            symbol=symbol,
            interval=interval,
            closes=f"{result.as_of:%Y-%m-%d %H:%M}",
            horizon=horizon,
            expired=f"{result.valid_until:%Y-%m-%d %H:%M}",
            now=f"{now:%Y-%m-%d %H:%M}",
        )
    key = (result.model_id, result.as_of)
    if key not in sim.stored_forecasts:  # pages ask every few seconds: write each forecast once
        store(sim, result)
        sim.stored_forecasts.add(key)
    return result


def probability(value: float) -> Decimal:
    """A probability as the ledger stores it: an exact decimal with 8 places (half-even)."""
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise InvalidInput.of("forecast.probability", value=value)
    return Decimal(repr(float(value))).quantize(PROBABILITY_UNIT, rounding=ROUND_HALF_EVEN)


def store(sim: Simulator, result: Forecast) -> bool:
    """Insert ``result`` into ``forecasts`` unless ``(model_id, as_of)`` is there; True if inserted."""
    values = {
        "model_id": result.model_id,
        "symbol": result.symbol,
        "interval": result.interval,
        "horizon": result.horizon,
        "as_of": result.as_of,
        "valid_until": result.valid_until,
        "label": result.label,
        "p_down": probability(result.probabilities["down"]),
        "p_flat": probability(result.probabilities["flat"]),
        "p_up": probability(result.probabilities["up"]),
    }
    return sim.forecast_log.insert_once(values)


def stored_forecasts(
    sim: Simulator, symbol: str | None = None, horizon: int | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """Stored forecasts, newest first, as dicts of the table's columns (probabilities Decimal)."""
    named = sim.instruments.get_or_raise(symbol).symbol if symbol is not None else None
    return sim.forecast_log.newest(named, horizon, limit)


# --- scoring ---------------------------------------------------------------------------------------
def _bands(candles: pd.DataFrame, rows: Sequence[Any], models_dir: Path) -> dict[int, float]:
    """Row id -> the flat band at the row's ``as_of`` candle, from the training label definition."""
    from sim.analytics.forecast.labels import label_frame

    out: dict[int, float] = {}
    groups: dict[tuple[int, float, str], list[Any]] = defaultdict(list)
    for r in rows:
        groups[(int(r.horizon), _card_k(models_dir, r.model_id), r.interval)].append(r)
    for (h, k, interval), members in groups.items():
        lf = label_frame(candles, h, k=k, interval=interval)
        band = dict(zip(lf["open_time"].to_list(), lf["band"].to_list(), strict=True))
        step_ms = int(pd.Timedelta(interval).total_seconds() * 1000)
        for r in members:
            value = band.get(int(r.as_of.timestamp() * 1000) - step_ms)
            out[int(r.id)] = float("nan") if value is None else float(value)
    return out


def _to_forecast(row: Any, band: float, models_dir: Path) -> Forecast:
    """A stored row as the Forecast :func:`~sim.analytics.forecast.score` takes (with the band and
    the card's ``k``, which the baselines' labels use)."""
    from sim.analytics.forecast import Forecast

    return Forecast(
        symbol=row.symbol,
        interval=row.interval,
        horizon=int(row.horizon),
        probabilities={"down": float(row.p_down), "flat": float(row.p_flat), "up": float(row.p_up)},
        label=row.label,
        model_id=row.model_id,
        as_of=row.as_of,
        valid_until=row.valid_until,
        last_close=float("nan"),
        band=band,
        flat_k=_card_k(models_dir, row.model_id),
    )


def _candles_for(
    sim: Simulator, symbol: str, interval: str, rows: Iterable[Any], full: bool = False
) -> pd.DataFrame:
    """The candles needed to score ``rows``: from a margin before the first ``as_of`` for the
    outcomes, or the whole history for the baselines (they use every label known at ``as_of``)."""
    if full:
        return closed_candles(sim, symbol, interval, None, None)
    step = pd.Timedelta(interval)
    first = min(r.as_of for r in rows)
    return closed_candles(sim, symbol, interval, pd.Timestamp(first) - step * SCORING_MARGIN_BARS, None)


def score_forecasts(sim: Simulator) -> int:
    """Fill ``outcome`` and ``scored_at`` of stored forecasts whose horizon has passed.

    Returns how many rows got an outcome (``void`` included). Safe to run again and concurrently:
    a row is only updated while its outcome is still empty.
    """
    from sim.analytics.forecast import score

    now = sim.now()
    due = sim.forecast_log.due(now)
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in due:
        groups[(r.symbol, r.interval)].append(r)
    updates: list[tuple[int, str]] = []
    for (symbol, interval), rows in groups.items():
        if symbol not in sim.instruments:
            continue
        candles = _candles_for(sim, symbol, interval, rows)
        if candles.empty:
            continue
        bands = _bands(candles, rows, _models_dir(sim))
        record = score([_to_forecast(r, bands[int(r.id)], _models_dir(sim)) for r in rows], candles)
        last_close = pd.Timestamp(candles["open_time"].iloc[-1]) + pd.Timedelta(interval)
        for r, outcome in zip(rows, record.outcomes, strict=True):
            band = bands[int(r.id)]
            if outcome is not None and math.isfinite(band):
                updates.append((int(r.id), outcome))
            elif pd.Timestamp(r.valid_until) < last_close:
                updates.append((int(r.id), VOID))  # a gap in the data: no label, as in training
    if not updates:
        return 0
    return sim.forecast_log.set_outcomes(updates, now)


# --- analysis -------------------------------------------------------------------------------------
def analysis(sim: Simulator, symbol: str, interval: str = "1h", lang: str = "en") -> MarketAnalysis:
    """The market analysis of ``symbol`` at the last closed candle (see :data:`ANALYSIS_DEFINITIONS`
    and :mod:`sim.analytics.forecast.analysis` for every number's definition), its definitions in
    ``lang`` (English by default)."""
    from sim.analytics.forecast import analysis as analyse
    from sim.analytics.forecast.data import interval_ms

    symbol, _ = _check_request(sim, symbol, interval, 1)
    bars = 365 * 86_400_000 // interval_ms(interval) + 400
    candles = _recent_candles(sim, symbol, interval, bars)
    if len(candles) < 2:
        raise ForecastUnavailable.of(
            "forecast.analysis_history",
            symbol=symbol,
            count=len(candles),
            interval=interval,
            now=f"{sim.now():%Y-%m-%d %H:%M}",
        )
    return analyse(candles, interval, lang)


def expires_in(result: Forecast, now: datetime) -> timedelta:
    """How long ``result`` stays valid after ``now`` (zero once expired)."""
    return max(result.valid_until - now, timedelta(0))


__all__ = [
    "ANALYSIS_DEFINITIONS",
    "TRACK_RECORD_DEFINITIONS",
    "VOID",
    "ForecastUnavailable",
    "analysis",
    "analysis_definitions",
    "clear_model_cache",
    "expires_in",
    "forecast",
    "probability",
    "score_forecasts",
    "served_keys",
    "served_model",
    "store",
    "stored_forecasts",
]
