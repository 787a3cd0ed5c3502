"""Baselines a model must beat, fitted on the same training window as the model.

- ``majority``: the class frequencies of the training labels, the same for every row (its top
  class is the training window's majority class). Frequencies use add-one smoothing,
  ``(count_c + 1) / (n + 3)``, so no class gets probability 0.
- ``last_move``: "same as the last move": the class of the last completed ``h``-bar move
  (``last_move``, known at the forecast time) gets probability ``q``, the two others ``(1-q)/2``,
  where ``q`` is the smoothed share of training rows whose label equalled their ``last_move``.
  Rows with no known last move get the ``majority`` probabilities.
- ``logistic``: multinomial logistic regression (scikit-learn, lbfgs, C = 1, standardized features)
  on the model's own features.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.analytics.forecast.labels import N_CLASSES

BASELINES = ("majority", "last_move", "logistic")


def class_frequencies(y_train: NDArray[np.int64]) -> NDArray[np.float64]:
    counts = np.bincount(y_train, minlength=N_CLASSES).astype(np.float64)
    return (counts + 1.0) / (counts.sum() + N_CLASSES)


def majority_proba(y_train: NDArray[np.int64], n_rows: int) -> NDArray[np.float64]:
    return np.tile(class_frequencies(y_train), (n_rows, 1))


def persistence_rate(y_train: NDArray[np.int64], last_train: NDArray[np.int64]) -> float:
    known = last_train >= 0
    same = int(np.sum(y_train[known] == last_train[known]))
    return (same + 1.0) / (int(known.sum()) + 2.0)


def last_move_proba(
    y_train: NDArray[np.int64], last_train: NDArray[np.int64], last_test: NDArray[np.int64]
) -> NDArray[np.float64]:
    q = persistence_rate(y_train, last_train)
    proba = majority_proba(y_train, len(last_test))
    known = last_test >= 0
    proba[known] = (1.0 - q) / (N_CLASSES - 1)
    proba[np.flatnonzero(known), last_test[known]] = q
    return proba


def logistic_proba(
    X_train: NDArray[np.float64], y_train: NDArray[np.int64], X_test: NDArray[np.float64]
) -> NDArray[np.float64]:
    from sklearn.linear_model import LogisticRegression  # imported here: slow to import
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    model.fit(X_train, y_train)
    proba = np.zeros((len(X_test), N_CLASSES))
    proba[:, model.classes_] = model.predict_proba(X_test)
    return proba
