"""The skill of a 3-class (down / flat / up) forecast split in two, each with a bootstrap interval.

Why: a model can beat climatology by knowing *whether* the price will move beyond the flat band
while knowing nothing about *which way*. One Brier skill over three classes hides that, so the
cards and the app report two numbers.

Definitions (``p = (p_down, p_flat, p_up)`` a forecast, ``y`` its outcome class, ``c`` the
reference forecast, "climatology": the class frequencies of the training rows, i.e. the
``majority`` baseline of :mod:`.baselines`, which uses only rows known before the test block):

- **move vs flat**, on every row: ``P(move) = p_down + p_up``, ``m = 1`` if ``y`` is down or up,
  else 0. ``BS = sum (P(move) - m)^2``; the same for ``c``;
  skill ``= 1 - BS_model / BS_climatology`` (1 perfect, 0 no better than climatology, < 0 worse).
- **direction, on the candles that moved**, only rows whose outcome is down or up:
  ``P(up | move) = p_up / (p_up + p_down)`` (0.5 when both are 0), ``u = 1`` if ``y`` is up;
  the reference is the climatological up-share ``c_up / (c_up + c_down)``;
  skill ``= 1 - BS_model / BS_climatology`` over those rows.
- **Uncertainty**: a moving-block bootstrap by ISO week (weeks start Monday 00:00 UTC; the week of
  a row is that of its candle's ``open_time``). The rows' weeks are numbered consecutively from the
  first to the last (a week without rows adds nothing); a replicate draws ``ceil(W / B)`` blocks of
  ``B`` = :data:`BLOCK_WEEKS` consecutive weeks with uniformly random starts, keeps the first ``W``
  weeks, and recomputes the skill as a ratio of the summed squared errors (so a week weighs by its
  rows). :data:`N_BOOT` replicates from ``numpy.random.default_rng(seed)``; the interval is the
  equal-tailed :data:`LEVEL` percentile interval. Blocks of weeks keep the dependence between
  neighbouring hours (overlapping horizons, volatility clusters) inside a block.
- The direction skill "cannot be told from zero" when its interval contains 0
  (:func:`direction_unproven`).

Rows of several symbols in the same week share that week's blocks (a week is resampled for all
symbols at once, which keeps their cross-correlation).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

BLOCK_WEEKS = 4
N_BOOT = 1000
LEVEL = 0.95
SEED = 42
_WEEK_MS = 7 * 86_400_000
_MONDAY_OFFSET_MS = 4 * 86_400_000  # 1970-01-01 was a Thursday; 1970-01-05 a Monday
DOWN, FLAT, UP = 0, 1, 2

DEFINITIONS: dict[str, str] = {
    "move_vs_flat": (
        "Brier skill of P(move) = P(down) + P(up) against the climatological move share (the class "
        "frequencies of the training rows), on all out-of-sample candles: 1 - BS_model / BS_clim"
    ),
    "direction": (
        "Brier skill of P(up | move) = P(up) / (P(up) + P(down)) against the climatological up-share "
        "c_up / (c_up + c_down), on the out-of-sample candles whose outcome was up or down"
    ),
    "interval": (
        f"{LEVEL:.0%} percentile interval of a moving-block bootstrap by ISO week "
        f"(blocks of {BLOCK_WEEKS} consecutive weeks, {N_BOOT} replicates, seed {SEED})"
    ),
}


@dataclass(frozen=True)
class Skill:
    """A skill score with its bootstrap interval over ``n`` rows."""

    skill: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def iso_week(open_time_ms: NDArray[np.int64]) -> NDArray[np.int64]:
    """The number of the ISO week (Monday 00:00 UTC start) of each millisecond time."""
    return np.asarray((np.asarray(open_time_ms, dtype=np.int64) - _MONDAY_OFFSET_MS) // _WEEK_MS)


def move_terms(
    y: NDArray[np.int64], proba: NDArray[np.float64], reference: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Squared errors of P(move) for the model and the reference, per row, and the rows used."""
    moved = (y != FLAT).astype(np.float64)
    p = proba[:, DOWN] + proba[:, UP]
    c = reference[:, DOWN] + reference[:, UP]
    return (p - moved) ** 2, (c - moved) ** 2, np.ones(len(y), dtype=bool)


def _up_share(proba: NDArray[np.float64]) -> NDArray[np.float64]:
    total = proba[:, UP] + proba[:, DOWN]
    return np.divide(proba[:, UP], total, out=np.full(len(total), 0.5), where=total > 0)


def direction_terms(
    y: NDArray[np.int64], proba: NDArray[np.float64], reference: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Squared errors of P(up | move) for the model and the reference on the rows that moved
    (zero elsewhere), and the mask of those rows."""
    used = y != FLAT
    up = (y == UP).astype(np.float64)
    model = np.where(used, (_up_share(proba) - up) ** 2, 0.0)
    ref = np.where(used, (_up_share(reference) - up) ** 2, 0.0)
    return model, ref, used


def _skill(model_sum: NDArray[np.float64], ref_sum: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(
        1.0 - np.divide(model_sum, ref_sum, out=np.full(np.shape(ref_sum), np.nan), where=ref_sum > 0)
    )


def _picks(n_weeks: int, block_weeks: int, n_boot: int, seed: int) -> NDArray[np.int64]:
    """Week indices of each bootstrap replicate (n_boot x n_weeks): moving blocks of weeks."""
    b = max(1, min(block_weeks, n_weeks))
    n_blocks = -(-n_weeks // b)
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n_weeks - b + 1, size=(n_boot, n_blocks))
    return np.asarray((starts[:, :, None] + np.arange(b)[None, None, :]).reshape(n_boot, -1)[:, :n_weeks])


def _interval(reps: NDArray[np.float64], level: float) -> tuple[float, float]:
    reps = reps[np.isfinite(reps)]
    if not len(reps):
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(reps, [tail, 1.0 - tail])
    return float(low), float(high)


def block_bootstrap(
    weeks: NDArray[np.int64],
    model_se: NDArray[np.float64],
    ref_se: NDArray[np.float64],
    used: NDArray[np.bool_],
    *,
    block_weeks: int = BLOCK_WEEKS,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = SEED,
) -> Skill:
    """The skill ``1 - sum(model_se) / sum(ref_se)`` over the used rows and its bootstrap interval
    (see the module docstring). Deterministic for a given ``seed``."""
    if not used.any():
        return Skill(float("nan"), float("nan"), float("nan"), 0)
    index = np.asarray(weeks - weeks.min(), dtype=np.int64)
    n_weeks = int(index.max()) + 1
    m = np.bincount(index, weights=np.where(used, model_se, 0.0), minlength=n_weeks)
    r = np.bincount(index, weights=np.where(used, ref_se, 0.0), minlength=n_weeks)
    point = float(_skill(np.array(m.sum()), np.array(r.sum())))
    picks = _picks(n_weeks, block_weeks, n_boot, seed)
    low, high = _interval(_skill(m[picks].sum(axis=1), r[picks].sum(axis=1)), level)
    return Skill(point, low, high, int(used.sum()))


def skill_split(
    y: NDArray[np.int64],
    proba: NDArray[np.float64],
    reference: NDArray[np.float64],
    open_time_ms: NDArray[np.int64],
    *,
    seed: int = SEED,
) -> dict[str, Skill]:
    """``{"move_vs_flat": Skill, "direction": Skill}`` of ``proba`` against ``reference``."""
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    weeks = iso_week(open_time_ms)
    return {
        "move_vs_flat": block_bootstrap(weeks, *move_terms(y, proba, reference), seed=seed),
        "direction": block_bootstrap(weeks, *direction_terms(y, proba, reference), seed=seed),
    }


def log_loss_gain(
    y: NDArray[np.int64],
    proba: NDArray[np.float64],
    reference: NDArray[np.float64],
    open_time_ms: NDArray[np.int64],
    *,
    seed: int = SEED,
    level: float = LEVEL,
) -> Skill:
    """Mean log loss of ``reference`` minus that of ``proba`` over all rows (> 0: the model is
    better; ``skill`` holds this difference), with the same week-block bootstrap: each replicate's
    difference is its summed per-row differences over its row count."""
    y = np.asarray(y, dtype=np.int64)
    rows = np.arange(len(y))
    own = -np.log(np.clip(np.asarray(proba)[rows, y], 1e-15, 1.0))
    ref = -np.log(np.clip(np.asarray(reference)[rows, y], 1e-15, 1.0))
    index = iso_week(open_time_ms)
    index = index - index.min()
    n_weeks = int(index.max()) + 1
    d = np.bincount(index, weights=ref - own, minlength=n_weeks)
    n = np.bincount(index, minlength=n_weeks).astype(np.float64)
    picks = _picks(n_weeks, BLOCK_WEEKS, N_BOOT, seed)
    counts = n[picks].sum(axis=1)
    means = np.divide(d[picks].sum(axis=1), counts, out=np.full(len(counts), np.nan), where=counts > 0)
    low, high = _interval(means, level)
    return Skill(float((ref - own).mean()), low, high, len(y))


def direction_unproven(split: dict[str, Any]) -> bool:
    """True when the card's direction interval includes zero (or there is no direction record)."""
    d = split.get("direction") or {}
    low, high = d.get("low"), d.get("high")
    if low is None or high is None or not np.isfinite(low) or not np.isfinite(high):
        return True
    return bool(low <= 0.0 <= high)


__all__ = [
    "BLOCK_WEEKS",
    "DEFINITIONS",
    "LEVEL",
    "N_BOOT",
    "Skill",
    "block_bootstrap",
    "direction_terms",
    "direction_unproven",
    "iso_week",
    "log_loss_gain",
    "move_terms",
    "skill_split",
]
