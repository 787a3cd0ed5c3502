"""The out-of-sample record a card carries besides the per-fold scores: the skill split and the
pooled all-folds log loss against the best baseline, each with a week-block bootstrap interval.

Inputs are the pooled out-of-sample rows of a walk-forward run (every fold's test rows, oldest
first): the outcomes ``y``, the candles' ``open_time`` (ms) and each model's probabilities. The
reference for the skill split is the ``majority`` baseline of the same folds (climatology: the
class frequencies of each fold's training rows, known before its test block); see
:mod:`.skill` for the definitions and the bootstrap.

- :func:`skill_record`: ``{"definitions", "models": {name: {"move_vs_flat", "direction"}}}``
  for every model but the reference.
- :func:`all_folds_record`: the candidate's log loss over all folds pooled, the best baseline's
  over the same rows, and the difference (baseline minus candidate; > 0 means the candidate is
  better) with its interval; :func:`all_folds_text` says it in one sentence for the promotion
  reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.analytics.forecast.metrics import log_loss
from sim.analytics.forecast.skill import DEFINITIONS, LEVEL, log_loss_gain, skill_split

REFERENCE = "majority"
BASELINE_NAMES = ("majority", "last_move", "logistic")


def skill_record(
    y: NDArray[np.int64],
    open_time: NDArray[np.int64],
    proba: Mapping[str, NDArray[np.float64]],
    *,
    seed: int = 42,
) -> dict[str, Any]:
    """The skill split of every model in ``proba`` against its ``majority`` entry."""
    reference = proba[REFERENCE]
    return {
        "definitions": dict(DEFINITIONS),
        "reference": "majority baseline (class frequencies of each fold's training rows)",
        "models": {
            name: {k: v.to_dict() for k, v in skill_split(y, p, reference, open_time, seed=seed).items()}
            for name, p in proba.items()
            if name != REFERENCE
        },
    }


def all_folds_record(
    y: NDArray[np.int64],
    open_time: NDArray[np.int64],
    proba: Mapping[str, NDArray[np.float64]],
    candidate: str,
    n_folds: int,
    *,
    seed: int = 42,
) -> dict[str, Any]:
    """The candidate's pooled all-folds log loss against the best baseline, with an interval."""
    losses = {name: log_loss(y, proba[name]) for name in BASELINE_NAMES if name in proba}
    best = min(losses, key=lambda name: losses[name])
    gain = log_loss_gain(y, proba[candidate], proba[best], open_time, seed=seed)
    return {
        "n_folds": n_folds,
        "n": len(y),
        "log_loss": log_loss(y, proba[candidate]),
        "baseline_log_loss": losses,
        "best_baseline": best,
        "gain": gain.to_dict(),
        "level": LEVEL,
        "definition": (
            "mean log loss over every fold's test rows pooled; gain = best baseline's minus the "
            "model's (> 0: the model is better), interval from the week-block bootstrap"
        ),
    }


def all_folds_text(record: Mapping[str, Any]) -> str:
    """ "over all 6 folds pooled (17,054 candles): log loss 1.06181 vs logistic 1.06815, better by
    0.0063 (95% interval 0.0040 to 0.0087)"."""
    gain = record["gain"]
    best = record["best_baseline"]
    word = "better" if gain["skill"] > 0 else "worse"
    return (
        f"over all {record['n_folds']} folds pooled ({record['n']:,} candles): log loss "
        f"{record['log_loss']:.5f} vs {best} {record['baseline_log_loss'][best]:.5f}, {word} by "
        f"{abs(gain['skill']):.4f} ({record['level']:.0%} interval of the gain {gain['low']:+.4f} to "
        f"{gain['high']:+.4f}, block bootstrap by ISO week)"
    )
