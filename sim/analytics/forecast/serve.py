"""Serving: one forecast from the latest candles, and the track record of past forecasts.

Definitions:
- :func:`predict` uses the last ``min_history_bars`` candles (300 for the shipped models; see
  :mod:`.features` for why that equals the full-history features to about 1e-9) and forecasts the
  direction of ``ln(close_{t+h} / close_t)`` where ``t`` is the last candle: ``as_of`` is that
  candle's close time (``open_time + interval``), ``valid_until = as_of + h * interval``.
  ``band`` is the flat band ``k * rv_24 * sqrt(h)`` at ``as_of``: "flat" means the log return
  ends within ``+-band``. ``validation`` copies from the model card how the model and each baseline
  did on the walk-forward folds it never trained on, and its skill split (:mod:`.wording`), so
  every forecast carries its credentials.
- :func:`score` scores forecasts whose horizon has passed against the candles: the outcome is the
  class of the realized forward log return against the forecast's own band. A forecast is
  *pending* while ``valid_until`` is after the last candle's close and *unscorable* when its
  ``as_of`` candle is missing or the ``h`` bars after it span a data gap.
- Track-record baselines, computed only from candles known at each forecast's ``as_of``:
  ``last_move`` (the class of the last completed ``h``-bar move gets probability ``q``, the
  smoothed share of past moves that repeated the one before, the others ``(1-q)/2``) and
  ``majority`` (smoothed frequencies of the past labels). Hit rate = share of scored forecasts
  whose top class was the outcome; Brier = multiclass Brier score (0 best, 2 worst).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from sim.analytics.forecast import model as xgb_model
from sim.analytics.forecast.data import interval_ms, to_polars
from sim.analytics.forecast.features import ENGINE, feature_frame
from sim.analytics.forecast.labels import BAND_VOL_WINDOW, LABEL_MAP, N_CLASSES, label_frame
from sim.analytics.forecast.metrics import brier as brier_score
from sim.analytics.forecast.registry import ForecastModel
from sim.analytics.forecast.wording import validation_summary
from sim.domain.errors import SimError


class NotEnoughHistory(SimError, ValueError):
    """Fewer candles than the model needs for one forecast (a catalog message: quoted inside
    another refusal, it reads in that refusal's language)."""


@dataclass(frozen=True)
class Forecast:
    """One forecast, a plain value ready to be stored by the ledger."""

    symbol: str
    interval: str
    horizon: int
    probabilities: dict[str, float]
    label: str
    model_id: str
    as_of: datetime
    valid_until: datetime
    last_close: float
    band: float
    flat_k: float
    validation: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "interval": self.interval,
            "horizon": self.horizon,
            "probabilities": dict(self.probabilities),
            "label": self.label,
            "model_id": self.model_id,
            "as_of": self.as_of.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "last_close": self.last_close,
            "band": self.band,
            "flat_k": self.flat_k,
            "validation": self.validation,
        }


@dataclass(frozen=True)
class BaselineRecord:
    hit_rate: float
    brier: float


@dataclass(frozen=True)
class TrackRecord:
    n_forecasts: int
    n_scored: int
    n_pending: int
    n_unscorable: int
    hit_rate: float | None
    brier: float | None
    baselines: dict[str, BaselineRecord]
    outcomes: list[str | None]  # per forecast: "down"/"flat"/"up", or None if not scored


def _ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def predict(model: ForecastModel, candles: Any, symbol: str | None = None) -> Forecast:
    """The forecast for the ``h`` bars after the last candle; see the module docstring.

    ``symbol`` names the candles' symbol for a pooled model (whose card names no symbol); its
    ``validation`` then quotes the record that fits the symbol (:mod:`.wording`)."""
    needed = model.min_history_bars
    frame = to_polars(candles.tail(needed))  # pandas and polars frames both have .tail
    if frame.height < needed:
        raise NotEnoughHistory.of(
            "forecast.model_needs_candles", model=model.model_id, needed=needed, count=frame.height
        )
    names = model.feature_names
    rv = f"rv_{BAND_VOL_WINDOW}"
    row = feature_frame(frame.lazy()).tail(1).collect(engine=ENGINE)
    x = row.select(names).to_numpy().astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise NotEnoughHistory.of("forecast.features_undefined", row=row.to_dicts()[0])
    proba = xgb_model.predict_proba(model.booster, x)[0]
    labels = model.label_map
    step = interval_ms(model.interval)
    as_of = _ms_to_datetime(int(row["open_time"][0]) + step)
    named = symbol or model.symbol
    return Forecast(
        symbol=named,
        interval=model.interval,
        horizon=model.horizon,
        probabilities={labels[i]: float(p) for i, p in enumerate(proba)},
        label=labels[int(np.argmax(proba))],
        model_id=model.model_id,
        as_of=as_of,
        valid_until=as_of + timedelta(milliseconds=model.horizon * step),
        last_close=float(row["close"][0]),
        band=model.flat_k * math.sqrt(model.horizon) * float(row[rv][0]),
        flat_k=model.flat_k,
        validation=validation_summary(model.card, named),
    )


def _past_label_stats(
    labels: np.ndarray, last: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row t: class counts, repeats and known pairs over rows s <= t - h (known at t)."""
    n = len(labels)
    onehot = np.zeros((n, N_CLASSES))
    known = labels >= 0
    onehot[np.flatnonzero(known), labels[known]] = 1.0
    pair = known & (last >= 0)
    same = (pair & (labels == last)).astype(float)
    cum_counts = np.vstack([np.zeros(N_CLASSES), np.cumsum(onehot, axis=0)])
    cum_same = np.concatenate([[0.0], np.cumsum(same)])
    cum_pair = np.concatenate([[0.0], np.cumsum(pair.astype(float))])
    upto = np.clip(np.arange(n) - horizon + 1, 0, n)  # rows s < t - h + 1
    return cum_counts[upto], cum_same[upto], cum_pair[upto]


def score(forecasts: Sequence[Forecast], candles: Any) -> TrackRecord:
    """The track record of ``forecasts`` (one symbol) against ``candles``; see the docstring."""
    frame = to_polars(candles)
    open_times = frame["open_time"].to_numpy()
    close = frame["close"].to_numpy()
    index = {int(t): i for i, t in enumerate(open_times)}
    last_close_ms = int(open_times[-1]) if len(open_times) else 0
    cache: dict[tuple[int, float, str], tuple[np.ndarray, ...]] = {}
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []  # model, last, majority, y
    outcomes: list[str | None] = []
    pending = unscorable = 0
    for f in forecasts:
        step = interval_ms(f.interval)
        t_ms = int(f.as_of.timestamp() * 1000) - step
        if int(f.valid_until.timestamp() * 1000) > last_close_ms + step:
            pending += 1
            outcomes.append(None)
            continue
        i = index.get(t_ms)
        j = None if i is None else i + f.horizon
        if i is None or j is None or j >= len(close) or open_times[j] - t_ms != f.horizon * step:
            unscorable += 1
            outcomes.append(None)
            continue
        ret = math.log(close[j] / close[i])
        y = 0 if ret < -f.band else 2 if ret > f.band else 1
        outcomes.append(LABEL_MAP[y])
        key = (f.horizon, f.flat_k, f.interval)
        if key not in cache:
            lf = label_frame(frame, f.horizon, k=f.flat_k, interval=f.interval)
            lab = lf["label"].fill_null(-1).cast(pl.Int64).to_numpy()
            last = lf["last_move"].fill_null(-1).cast(pl.Int64).to_numpy()
            cache[key] = (lab, last, *_past_label_stats(lab, last, f.horizon))
        _, last, counts, same, pairs = cache[key]
        majority = (counts[i] + 1.0) / (counts[i].sum() + N_CLASSES)
        persistence = majority.copy()
        if last[i] >= 0:
            q = (same[i] + 1.0) / (pairs[i] + 2.0)
            persistence = np.full(N_CLASSES, (1.0 - q) / (N_CLASSES - 1))
            persistence[last[i]] = q
        p_model = np.array([f.probabilities[LABEL_MAP[c]] for c in range(N_CLASSES)])
        rows.append((p_model, persistence, majority, y))
    if not rows:
        return TrackRecord(len(forecasts), 0, pending, unscorable, None, None, {}, outcomes)
    y_arr = np.array([r[3] for r in rows], dtype=np.int64)

    def record(k: int) -> BaselineRecord:
        proba = np.vstack([r[k] for r in rows])
        hits = float(np.mean(np.argmax(proba, axis=1) == y_arr))
        return BaselineRecord(hit_rate=hits, brier=brier_score(y_arr, proba))

    own = record(0)
    return TrackRecord(
        n_forecasts=len(forecasts),
        n_scored=len(rows),
        n_pending=pending,
        n_unscorable=unscorable,
        hit_rate=own.hit_rate,
        brier=own.brier,
        baselines={"last_move": record(1), "majority": record(2)},
        outcomes=outcomes,
    )


__all__ = ["Forecast", "NotEnoughHistory", "TrackRecord", "predict", "score"]
