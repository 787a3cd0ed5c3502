"""The XGBoost model: its fixed parameters, fitting and predicting.

- Objective ``multi:softprob`` over the three labels of :mod:`.labels`; ``num_class = 3``.
- Small on purpose (about 280 KB saved): 80 rounds of depth-3 trees, a strong minimum child
  weight, row and column subsampling and L2 regularization, because hourly direction is a weak
  signal and a big model only memorizes noise; a fixed number of rounds (no early stopping), so
  the walk-forward folds and the final model are fitted the same way.
- Determinism: ``seed`` drives the subsampling; ``nthread = 2`` and the ``hist`` method give the
  same trees, hence the same saved bytes, for the same data, parameters and seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xgboost as xgb
from numpy.typing import NDArray

from sim.analytics.forecast.labels import N_CLASSES

DEFAULT_SEED = 42
NUM_BOOST_ROUND = 80
XGB_PARAMS: dict[str, Any] = {
    "objective": "multi:softprob",
    "num_class": N_CLASSES,
    "eval_metric": "mlogloss",
    "tree_method": "hist",
    "max_depth": 3,
    "eta": 0.08,
    "min_child_weight": 50.0,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "lambda": 10.0,
    "nthread": 2,
}


def fit(
    X: NDArray[np.float64],
    y: NDArray[np.int64],
    *,
    params: dict[str, Any] | None = None,
    num_boost_round: int = NUM_BOOST_ROUND,
    seed: int = DEFAULT_SEED,
    feature_names: list[str] | None = None,
) -> xgb.Booster:
    """An XGBoost booster fitted on ``X, y``; ``params`` default to :data:`XGB_PARAMS`."""
    full = {**(params or XGB_PARAMS), "seed": seed}
    dtrain = xgb.DMatrix(X, label=y, feature_names=feature_names)
    return xgb.train(full, dtrain, num_boost_round=num_boost_round)


def predict_proba(booster: xgb.Booster, X: NDArray[np.float64]) -> NDArray[np.float64]:
    """Class probabilities, one row per row of ``X`` (columns in label order 0, 1, 2)."""
    proba = booster.inplace_predict(np.ascontiguousarray(X, dtype=np.float64), validate_features=False)
    return np.asarray(proba, dtype=np.float64).reshape(len(X), N_CLASSES)
