"""Walk-forward validation on real candles, and the promotion rule on constructed metrics."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from sim.analytics.forecast import model
from sim.analytics.forecast.baselines import BASELINES, last_move_proba, majority_proba
from sim.analytics.forecast.dataset import build_dataset
from sim.analytics.forecast.evaluate import (
    CANDIDATE,
    SERVED,
    XgbConfig,
    decide_promotion,
    walk_forward,
)
from sim.analytics.forecast.features import FEATURE_NAMES

# small and single-threaded: fast on a busy 2-core machine
SMALL = XgbConfig({**model.XGB_PARAMS, "nthread": 1}, num_boost_round=15, seed=7, feature_names=FEATURE_NAMES)


@pytest.mark.parametrize("horizon", [1, 4])
def test_one_call_scores_the_model_and_every_baseline_on_the_same_folds(
    btc_recent: pl.DataFrame, horizon: int
) -> None:
    ds = build_dataset(btc_recent, horizon, symbol="BTCUSDT")
    served = XgbConfig(SMALL.params, 10, seed=1, feature_names=FEATURE_NAMES[:6])
    report = walk_forward(ds, SMALL, served=served, n_folds=5)
    assert set(report.models) == {CANDIDATE, SERVED, *BASELINES}
    assert len(report.folds) == 5
    for a, b in zip(report.folds, report.folds[1:], strict=False):
        assert a.test_end_bar <= b.test_start_bar  # consecutive, no overlap
    for fold in report.folds:
        assert fold.train_end_bar == fold.test_start_bar - horizon
        train_bars = ds.bar[ds.bar < fold.train_end_bar]
        assert train_bars.max() + horizon < fold.test_start_bar  # no training label reaches the test
        assert fold.n_train == len(train_bars)
    n_test = sum(f.n_test for f in report.folds)
    for evaluation in report.models.values():
        assert [s.n for s in evaluation.folds] == [f.n_test for f in report.folds]
        assert evaluation.overall.n == n_test
        assert 0 <= evaluation.overall.accuracy <= 1
        assert 0 <= evaluation.overall.brier <= 2
        assert math.isfinite(evaluation.overall.log_loss)
        assert sum(b.count for b in evaluation.reliability) == n_test
    # the majority baseline's fold log loss is the cross-entropy of its training frequencies
    fold = report.folds[-1]
    train = ds.bar < fold.train_end_bar
    test = (ds.bar >= fold.test_start_bar) & (ds.bar < fold.test_end_bar)
    freq = majority_proba(ds.y[train], 1)[0]
    expected = -np.mean(np.log(freq[ds.y[test]]))
    assert report.models["majority"].folds[-1].log_loss == pytest.approx(expected)


def test_last_move_baseline_puts_the_persistence_rate_on_the_last_move() -> None:
    y = np.array([0, 0, 1, 2, 2, 2])
    last = np.array([-1, 0, 0, 1, 2, 2])  # pairs: (0,0) same, (1,0), (2,1), (2,2) same, (2,2) same
    q = (3 + 1) / (5 + 2)
    proba = last_move_proba(y, last, np.array([2, -1]))
    np.testing.assert_allclose(proba[0], [(1 - q) / 2, (1 - q) / 2, q])
    np.testing.assert_allclose(proba[1], majority_proba(y, 1)[0])  # unknown last move
    np.testing.assert_allclose(majority_proba(y, 1)[0], [3 / 9, 2 / 9, 4 / 9])


BASE = {"majority": [1.09, 1.09, 1.09, 1.09], "last_move": [1.10] * 4, "logistic": [1.07, 1.07, 1.08, 1.08]}


def test_promoted_when_it_beats_every_baseline_and_nothing_is_served() -> None:
    d = decide_promotion([1.2, 1.06, 1.06, 1.06], BASE, None, n_recent=3)
    assert d.promoted and "none was served" in d.reason
    assert d.candidate_log_loss == pytest.approx(1.06)
    assert d.baseline_log_loss["logistic"] == pytest.approx((1.07 + 1.08 + 1.08) / 3)


def test_only_the_latest_folds_count() -> None:
    # better than logistic on average over all folds, worse over the latest three
    d = decide_promotion([0.90, 1.075, 1.08, 1.08], BASE, None, n_recent=3)
    assert not d.promoted
    assert "logistic" in d.reason and "majority" not in d.reason


def test_the_served_model_stays_unless_beaten() -> None:
    served = [1.05, 1.05, 1.05, 1.05]
    d = decide_promotion([1.06] * 4, BASE, served, n_recent=3, served_id="X-1")
    assert not d.promoted and "X-1" in d.reason and "stays" in d.reason
    tie = decide_promotion([1.05] * 4, BASE, served, n_recent=3, served_id="X-1")
    assert not tie.promoted
    better = decide_promotion([1.04] * 4, BASE, served, n_recent=3, served_id="X-1")
    assert better.promoted and better.served_log_loss == pytest.approx(1.05)


def test_a_refresh_of_the_same_recipe_needs_only_to_beat_the_baselines() -> None:
    same = [1.06] * 4
    assert decide_promotion(same, BASE, same, n_recent=3, same_recipe=True).promoted
    assert not decide_promotion([1.095] * 4, BASE, [1.095] * 4, n_recent=3, same_recipe=True).promoted


def test_too_few_folds_is_an_error() -> None:
    with pytest.raises(ValueError):
        decide_promotion([1.0, 1.0], {"majority": [1.1, 1.1]}, None, n_recent=3)
