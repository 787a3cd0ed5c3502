"""Walk-forward validation of the model against the baselines, and the promotion rule.

Folds (expanding window, :func:`walk_forward_folds`):
- The first :data:`MIN_TRAIN_FRACTION` of the data set's rows only ever train. The rest is cut
  into ``n_folds`` (default :data:`N_FOLDS`) consecutive test blocks of equal row count.
- Fold ``i`` tests on its block, which starts at bar ``s_i``, and trains on every row with
  ``bar < s_i - h``: the ``h`` bars before the block are left out, so every training label's
  ``h``-bar horizon ends before the first test forecast is made (no label-overlap leakage).
- Every model in a report (the XGBoost candidate, the baselines of :mod:`.baselines`, and when
  given the served model's configuration) is fitted on exactly the same training rows and scored on
  exactly the same test rows.
- Per model: :class:`~.metrics.Scores` per fold, ``overall`` = the scores of all test rows pooled,
  and the reliability table of the pooled rows.

Promotion (:func:`decide_promotion`): a candidate becomes the served model only if its mean log
loss over the latest :data:`N_RECENT_FOLDS` folds is strictly lower than that of every baseline
and of the served model *evaluated on the same folds*. A fitted model cannot be scored on folds
inside its own training range without leakage, so the served model is evaluated by re-running its
configuration (parameters, features, rounds, seed from its card) through the same folds. A tie
keeps the old model. When that configuration equals the candidate's (a refresh of the same recipe
on newer data), its fold scores are the candidate's by construction and only the baselines decide;
a candidate byte-identical to the served model changes nothing (see :mod:`.train`).
The reason also quotes the candidate's log loss over *all* folds pooled against the best baseline's,
with a week-block bootstrap interval of the gain (:mod:`.record`): the latest folds alone have been
more optimistic than what followed, so the reader sees both. The rule itself is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.analytics.forecast import baselines, model
from sim.analytics.forecast.dataset import Dataset
from sim.analytics.forecast.metrics import ReliabilityBin, Scores, reliability, score
from sim.analytics.forecast.record import all_folds_record, all_folds_text

N_FOLDS = 6
N_RECENT_FOLDS = 3
MIN_TRAIN_FRACTION = 0.4
CANDIDATE = "xgboost"
SERVED = "served"


@dataclass(frozen=True)
class Fold:
    index: int
    train_end_bar: int  # training rows have bar < train_end_bar (= test_start_bar - horizon)
    test_start_bar: int
    test_end_bar: int  # exclusive
    n_train: int
    n_test: int
    test_start_time: int  # open_time (ms) of the first test row
    test_end_time: int  # open_time (ms) of the last test row


@dataclass(frozen=True)
class XgbConfig:
    """What is needed to refit an XGBoost model on any training window."""

    params: dict[str, Any]
    num_boost_round: int
    seed: int
    feature_names: tuple[str, ...]


@dataclass
class ModelEvaluation:
    name: str
    folds: list[Scores]
    overall: Scores
    reliability: list[ReliabilityBin]

    def fold_log_losses(self) -> list[float]:
        return [f.log_loss for f in self.folds]


@dataclass
class WalkForwardReport:
    """Per-model scores, and the pooled out-of-sample rows: ``y``, ``open_time`` and each model's
    ``proba`` (all folds, oldest first), so the skill split can be computed from them."""

    horizon: int
    folds: list[Fold]
    models: dict[str, ModelEvaluation] = field(default_factory=dict)
    y: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    open_time: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    proba: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    def recent_log_loss(self, name: str, n_recent: int = N_RECENT_FOLDS) -> float:
        return float(np.mean(self.models[name].fold_log_losses()[-n_recent:]))


@dataclass(frozen=True)
class PromotionDecision:
    """The decision; ``all_folds`` (see :mod:`.record`) is quoted in ``reason`` but does not decide."""

    promoted: bool
    reason: str
    n_recent: int
    candidate_log_loss: float
    served_log_loss: float | None
    baseline_log_loss: dict[str, float]
    all_folds: dict[str, Any] | None = None


def walk_forward_folds(
    dataset: Dataset, n_folds: int = N_FOLDS, min_train_fraction: float = MIN_TRAIN_FRACTION
) -> list[Fold]:
    """The expanding-window folds over ``dataset``; see the module docstring."""
    n = len(dataset)
    first_test = int(n * min_train_fraction)
    if n_folds < 1 or n - first_test < n_folds:
        raise ValueError(f"{n} rows cannot make {n_folds} folds")
    edges = np.linspace(first_test, n, n_folds + 1).astype(int)
    folds = []
    for i in range(n_folds):
        a, b = edges[i], edges[i + 1]
        start_bar = int(dataset.bar[a])
        train_end = start_bar - dataset.horizon
        n_train = int(np.sum(dataset.bar < train_end))
        if n_train == 0:
            raise ValueError("a fold has no training rows")
        folds.append(
            Fold(
                index=i,
                train_end_bar=train_end,
                test_start_bar=start_bar,
                test_end_bar=int(dataset.bar[b - 1]) + 1,
                n_train=n_train,
                n_test=int(b - a),
                test_start_time=int(dataset.open_time[a]),
                test_end_time=int(dataset.open_time[b - 1]),
            )
        )
    return folds


Predictor = Callable[[Dataset, NDArray[np.bool_], NDArray[np.bool_]], NDArray[np.float64]]


def _xgb_predictor(config: XgbConfig) -> Predictor:
    def predict(ds: Dataset, train: NDArray[np.bool_], test: NDArray[np.bool_]) -> Any:
        cols = [ds.feature_names.index(name) for name in config.feature_names]
        booster = model.fit(
            ds.X[train][:, cols],
            ds.y[train],
            params=config.params,
            num_boost_round=config.num_boost_round,
            seed=config.seed,
        )
        return model.predict_proba(booster, ds.X[test][:, cols])

    return predict


def _baseline_predictors() -> dict[str, Predictor]:
    return {
        "majority": lambda ds, tr, te: baselines.majority_proba(ds.y[tr], int(te.sum())),
        "last_move": lambda ds, tr, te: baselines.last_move_proba(
            ds.y[tr], ds.last_move[tr], ds.last_move[te]
        ),
        "logistic": lambda ds, tr, te: baselines.logistic_proba(ds.X[tr], ds.y[tr], ds.X[te]),
    }


def walk_forward(
    dataset: Dataset,
    candidate: XgbConfig,
    *,
    served: XgbConfig | None = None,
    n_folds: int = N_FOLDS,
    min_train_fraction: float = MIN_TRAIN_FRACTION,
) -> WalkForwardReport:
    """Scores of the candidate, each baseline and (optionally) the served configuration."""
    folds = walk_forward_folds(dataset, n_folds, min_train_fraction)
    predictors: dict[str, Predictor] = {CANDIDATE: _xgb_predictor(candidate)}
    predictors.update(_baseline_predictors())
    same_as_candidate = served is not None and served == candidate
    if served is not None and not same_as_candidate:
        predictors[SERVED] = _xgb_predictor(served)
    pooled: dict[str, list[NDArray[np.float64]]] = {name: [] for name in predictors}
    per_fold: dict[str, list[Scores]] = {name: [] for name in predictors}
    y_all, t_all = [], []
    for fold in folds:
        train = dataset.bar < fold.train_end_bar
        test = (dataset.bar >= fold.test_start_bar) & (dataset.bar < fold.test_end_bar)
        y_test = dataset.y[test]
        y_all.append(y_test)
        t_all.append(dataset.open_time[test])
        for name, predict in predictors.items():
            proba = predict(dataset, train, test)
            pooled[name].append(proba)
            per_fold[name].append(score(y_test, proba))
    y = np.concatenate(y_all)
    report = WalkForwardReport(horizon=dataset.horizon, folds=folds, y=y, open_time=np.concatenate(t_all))
    for name in predictors:
        proba = np.concatenate(pooled[name])
        report.proba[name] = proba
        report.models[name] = ModelEvaluation(
            name=name,
            folds=per_fold[name],
            overall=score(y, proba),
            reliability=reliability(y, proba),
        )
    if same_as_candidate:
        evaluation = report.models[CANDIDATE]
        report.models[SERVED] = ModelEvaluation(
            SERVED, evaluation.folds, evaluation.overall, evaluation.reliability
        )
        report.proba[SERVED] = report.proba[CANDIDATE]
    return report


def decide_promotion(
    candidate: Sequence[float],
    baseline_losses: Mapping[str, Sequence[float]],
    served: Sequence[float] | None,
    *,
    n_recent: int = N_RECENT_FOLDS,
    served_id: str | None = None,
    same_recipe: bool = False,
) -> PromotionDecision:
    """The promotion rule on per-fold log losses (oldest fold first, all on the same folds).

    ``served`` is None when nothing is served. ``same_recipe`` says the served model was built
    with the candidate's exact configuration (only the data differ, e.g. newer candles): its fold
    scores are then the candidate's by construction, so only the baselines decide (a refresh).
    """

    def recent(losses: Sequence[float]) -> float:
        if len(losses) < n_recent:
            raise ValueError(f"need {n_recent} folds, got {len(losses)}")
        return float(np.mean(list(losses)[-n_recent:]))

    cand = recent(candidate)
    base = {name: recent(losses) for name, losses in baseline_losses.items()}
    served_loss = recent(served) if served is not None else None
    where = f"mean log loss over the latest {n_recent} folds"
    served_name = f"the served model {served_id}" if served_id else "the served model"
    beaten_by = [f"{name} ({loss:.5f})" for name, loss in base.items() if loss <= cand]
    if beaten_by:
        reason = f"not promoted: candidate {where} {cand:.5f} does not beat " + ", ".join(beaten_by)
        if served_loss is not None:
            reason += f"; {served_name} stays"
        return PromotionDecision(False, reason, n_recent, cand, served_loss, base)
    if served_loss is not None and not same_recipe and served_loss <= cand:
        reason = (
            f"not promoted: candidate {where} {cand:.5f} does not beat {served_name} "
            f"({served_loss:.5f}), which stays"
        )
        return PromotionDecision(False, reason, n_recent, cand, served_loss, base)
    best = min(base, key=lambda name: base[name])
    reason = f"promoted: candidate {where} {cand:.5f} beats every baseline (best {best} {base[best]:.5f})"
    if served_loss is None:
        reason += "; none was served"
    elif same_recipe:
        reason += f"; same recipe as {served_name}, refitted on the current data"
    else:
        reason += f" and {served_name} ({served_loss:.5f})"
    return PromotionDecision(True, reason, n_recent, cand, served_loss, base)


def decide(
    report: WalkForwardReport,
    *,
    n_recent: int = N_RECENT_FOLDS,
    served_id: str | None = None,
    same_recipe: bool = False,
) -> PromotionDecision:
    """:func:`decide_promotion` on a walk-forward report; the reason also quotes the pooled
    all-folds log loss against the best baseline with its interval (:mod:`.record`)."""
    served = report.models.get(SERVED)
    decision = decide_promotion(
        report.models[CANDIDATE].fold_log_losses(),
        {name: report.models[name].fold_log_losses() for name in baselines.BASELINES},
        served.fold_log_losses() if served else None,
        n_recent=n_recent,
        served_id=served_id,
        same_recipe=same_recipe,
    )
    return with_all_folds(decision, report)


def with_all_folds(decision: PromotionDecision, report: WalkForwardReport) -> PromotionDecision:
    """``decision`` with the all-folds record (when the report kept its rows) quoted in its reason."""
    if not len(report.y) or CANDIDATE not in report.proba:
        return decision
    folds = all_folds_record(report.y, report.open_time, report.proba, CANDIDATE, len(report.folds))
    return replace(decision, reason=f"{decision.reason}; {all_folds_text(folds)}", all_folds=folds)
