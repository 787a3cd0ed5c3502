"""One walk-forward step: a model trained in memory on the candles *before* a test window.

The Backtest lab's XGBoost strategy (``sim.backtest_forecast``) trains a fresh model with this
module and trades only the test window with it, so its result is out of sample. Given candles of
one symbol and interval, the train window ``[train_start, test_start)`` and the horizon ``h``:

- **Same recipe as the served models.** Rows come from :func:`.dataset.build_dataset` (the same
  features, labels, flat band and warm-up rule) and are fitted by :func:`.model.fit` with
  :data:`.model.XGB_PARAMS`, :data:`.model.NUM_BOOST_ROUND` rounds and ``seed``. Only ``nthread``
  is 1 (:data:`NTHREAD`): on a busy 2-core machine two OpenMP threads sometimes wait on each other
  for seconds, and ``hist`` grows the same trees with 1 or 2 threads (checked on the shipped data).
- **Nothing at or after ``test_start`` is read.** The data set is built from the candles with
  ``open_time < test_start`` only. A row's label needs the close ``h`` bars later and
  :func:`.labels.label_frame` gives no label where ``t + h`` passes the end of the frame, so the
  last ``h`` rows before the test are purged: the last training row is at most
  ``test_start - (h + 1) * interval`` and its label ends at the close of the last candle before
  the test (at ``test_start``). Features look backwards only (:mod:`.features`).
- **Warm-up.** Candles before ``train_start`` are feature inputs only: the first training rows need
  :data:`.features.MIN_HISTORY_BARS` bars of history, so the caller passes that many candles
  before ``train_start``; a training row is a row of the data set with ``open_time >=
  train_start``.
- **Determinism:** the same candles, window, horizon and seed give the same booster (and model id).
- The model is never written to ``models/``: its :class:`.registry.ForecastModel` has ``path``
  None and a card like a saved model's (features, label map and definition, parameters, seed, the
  training rows' range and counts, the window, the data fingerprint), no validation section: the
  backtest over the test window is the out-of-sample evaluation.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import xgboost as xgb

from sim.analytics.forecast import model as xgb_model
from sim.analytics.forecast.data import to_polars
from sim.analytics.forecast.dataset import Dataset, build_dataset
from sim.analytics.forecast.features import FEATURES, MIN_HISTORY_BARS
from sim.analytics.forecast.labels import LABEL_MAP
from sim.analytics.forecast.registry import ForecastModel, model_key, sha256_bytes
from sim.analytics.forecast.train import CARD_SCHEMA, iso, label_definition
from sim.domain.errors import SimError
from sim.domain.messages import Term

#: threads of the window fit (see the module docstring)
NTHREAD = 1
#: fewest labelled training rows a window model is fitted on (about three weeks of 1h candles)
MIN_TRAIN_ROWS = 500


class NotEnoughTrainingRows(SimError, ValueError):
    """The train window holds fewer than :data:`MIN_TRAIN_ROWS` labelled rows (a catalog message:
    quoted inside another refusal, it reads in that refusal's language)."""


def to_ms(when: datetime | pd.Timestamp | int) -> int:
    """Milliseconds since the epoch (UTC; a naive time is taken as UTC)."""
    if isinstance(when, int | np.integer):
        return int(when)
    ts = pd.Timestamp(when)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.value // 1_000_000)


def window_dataset(
    candles: Any,
    horizon: int,
    test_start: datetime | pd.Timestamp | int,
    train_start: datetime | pd.Timestamp | int | None = None,
    *,
    symbol: str = "",
    interval: str = "1h",
) -> Dataset:
    """The training rows of the window: :func:`.dataset.build_dataset` over the candles before
    ``test_start``, rows from ``train_start`` on (all rows when None). See the module docstring."""
    test_ms = to_ms(test_start)
    frame = to_polars(candles).filter(pl.col("open_time") < test_ms)
    data = build_dataset(frame, horizon, symbol=symbol, interval=interval)
    if train_start is None:
        return data
    keep = data.open_time >= to_ms(train_start)
    return dataclasses.replace(
        data,
        bar=data.bar[keep],
        open_time=data.open_time[keep],
        X=data.X[keep],
        y=data.y[keep],
        last_move=data.last_move[keep],
    )


def train_window(
    candles: Any,
    horizon: int,
    test_start: datetime | pd.Timestamp | int,
    train_start: datetime | pd.Timestamp | int | None = None,
    *,
    symbol: str = "",
    interval: str = "1h",
    seed: int = xgb_model.DEFAULT_SEED,
) -> ForecastModel:
    """A model fitted on the rows of :func:`window_dataset`; :class:`NotEnoughTrainingRows` when
    there are fewer than :data:`MIN_TRAIN_ROWS` of them."""
    data = window_dataset(candles, horizon, test_start, train_start, symbol=symbol, interval=interval)
    if len(data) < MIN_TRAIN_ROWS:
        raise NotEnoughTrainingRows.of(
            "forecast.train_rows_few",
            symbol=symbol or Term("the symbol"),
            count=len(data),
            interval=interval,
            least=MIN_TRAIN_ROWS,
        )
    params = {**xgb_model.XGB_PARAMS, "nthread": NTHREAD}
    booster = xgb_model.fit(data.X, data.y, params=params, seed=seed, feature_names=list(data.feature_names))
    booster.set_param({"nthread": NTHREAD})
    digest = sha256_bytes(bytes(booster.save_raw("ubj")))
    key = model_key(symbol, interval, horizon)
    card = {
        "schema": CARD_SCHEMA,
        "model_id": f"{key}-window-{digest[:12]}",
        "symbol": symbol,
        "interval": interval,
        "horizon": horizon,
        "model_file": None,
        "model_sha256": digest,
        "features": [{"name": n, "definition": FEATURES[n]} for n in data.feature_names],
        "min_history_bars": MIN_HISTORY_BARS,
        "label_map": {str(k): v for k, v in LABEL_MAP.items()},
        "label_definition": label_definition(),
        "xgboost": {
            "version": xgb.__version__,
            "params": params,
            "num_boost_round": xgb_model.NUM_BOOST_ROUND,
        },
        "seed": seed,
        "training": {
            "window_start": iso(to_ms(train_start)) if train_start is not None else None,
            "window_end": iso(to_ms(test_start)),
            "first_open_time": iso(int(data.open_time[0])),
            "last_open_time": iso(int(data.open_time[-1])),
            "n_rows": len(data),
            "class_counts": {LABEL_MAP[c]: int((data.y == c).sum()) for c in LABEL_MAP},
            "purge": f"the last {horizon} bar(s) before window_end have no label (it would end after it)",
        },
        "data": {
            "source": "candles passed by the caller, before window_end",
            "fingerprint_sha256": data.fingerprint,
            "n_candles": data.n_candles,
            "first_open_time": iso(data.first_open_time),
            "last_open_time": iso(data.last_open_time),
        },
    }
    return ForecastModel(booster=booster, card=card, path=None)


__all__ = ["MIN_TRAIN_ROWS", "NTHREAD", "NotEnoughTrainingRows", "train_window", "window_dataset"]
