"""Scores of probabilistic 3-class forecasts, written out so their definitions are visible.

For ``n`` rows with true class ``y_i`` in ``{0, 1, 2}`` and predicted probabilities ``p_i``
(rows sum to 1):
- accuracy = share of rows where ``argmax p_i == y_i`` (ties go to the lowest class number);
- macro-F1 = mean over the classes present in ``y`` or in the predictions of
  ``F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c)``;
- log loss = ``-mean(ln p_i[y_i])`` with ``p`` clipped to ``[1e-15, 1]`` (lower is better; the
  uniform forecast scores ``ln 3 = 1.0986``);
- Brier score (multiclass) = ``mean(sum_c (p_i[c] - [y_i == c])^2)``, from 0 (perfect) to 2;
- reliability table: rows binned by the top-class probability ``max_c p_i[c]`` into
  :data:`RELIABILITY_BINS` equal bins over ``[0, 1]``; per bin the count, the mean top-class
  probability and the observed frequency of the top class being right. A calibrated forecaster
  has the two close; ``ece`` = the count-weighted mean of their absolute differences.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

RELIABILITY_BINS = 10
_EPS = 1e-15


@dataclass(frozen=True)
class ReliabilityBin:
    lower: float
    upper: float
    count: int
    mean_confidence: float
    observed_frequency: float


@dataclass(frozen=True)
class Scores:
    """The scores of one set of forecasts (one fold of one model, or all folds pooled)."""

    n: int
    accuracy: float
    macro_f1: float
    log_loss: float
    brier: float
    ece: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def predicted_class(proba: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.asarray(np.argmax(proba, axis=1), dtype=np.int64)


def accuracy(y: NDArray[np.int64], proba: NDArray[np.float64]) -> float:
    return float(np.mean(predicted_class(proba) == y))


def macro_f1(y: NDArray[np.int64], proba: NDArray[np.float64]) -> float:
    pred = predicted_class(proba)
    scores = []
    for c in np.union1d(np.unique(y), np.unique(pred)):
        tp = np.sum((pred == c) & (y == c))
        fp = np.sum((pred == c) & (y != c))
        fn = np.sum((pred != c) & (y == c))
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def log_loss(y: NDArray[np.int64], proba: NDArray[np.float64]) -> float:
    p = np.clip(proba[np.arange(len(y)), y], _EPS, 1.0)
    return float(-np.mean(np.log(p)))


def brier(y: NDArray[np.int64], proba: NDArray[np.float64]) -> float:
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y)), y] = 1.0
    return float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))


def reliability(
    y: NDArray[np.int64], proba: NDArray[np.float64], bins: int = RELIABILITY_BINS
) -> list[ReliabilityBin]:
    """Non-empty bins of top-class probability; see the module docstring."""
    confidence = np.max(proba, axis=1)
    correct = predicted_class(proba) == y
    index = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    table = []
    for b in range(bins):
        mask = index == b
        if mask.any():
            table.append(
                ReliabilityBin(
                    lower=b / bins,
                    upper=(b + 1) / bins,
                    count=int(mask.sum()),
                    mean_confidence=float(confidence[mask].mean()),
                    observed_frequency=float(correct[mask].mean()),
                )
            )
    return table


def expected_calibration_error(table: list[ReliabilityBin]) -> float:
    total = sum(b.count for b in table)
    if total == 0:
        return 0.0
    return sum(b.count * abs(b.mean_confidence - b.observed_frequency) for b in table) / total


def score(y: NDArray[np.int64], proba: NDArray[np.float64]) -> Scores:
    """All scores of forecasts ``proba`` (n x 3) against true classes ``y``."""
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    if len(y) == 0:
        raise ValueError("no rows to score")
    return Scores(
        n=len(y),
        accuracy=accuracy(y, proba),
        macro_f1=macro_f1(y, proba),
        log_loss=log_loss(y, proba),
        brier=brier(y, proba),
        ece=expected_calibration_error(reliability(y, proba)),
    )
