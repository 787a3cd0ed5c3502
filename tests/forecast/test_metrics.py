"""Scores on hand-made forecasts, expected values written as formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.metrics import log_loss as sk_log_loss

from sim.analytics.forecast.metrics import reliability, score

Y = np.array([0, 1, 2, 2])
P = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])


def test_scores_follow_their_formulas() -> None:
    s = score(Y, P)
    assert s.n == 4
    assert s.accuracy == pytest.approx(3 / 4)  # row 2 predicts flat, truth up
    assert s.log_loss == pytest.approx(-(math.log(0.7) + math.log(0.4) + math.log(0.3) + math.log(0.8)) / 4)
    brier_rows = [
        0.3**2 + 0.2**2 + 0.1**2,
        0.3**2 + 0.6**2 + 0.3**2,
        0.2**2 + 0.5**2 + 0.7**2,
        0.1**2 + 0.1**2 + 0.2**2,
    ]
    assert s.brier == pytest.approx(sum(brier_rows) / 4)
    # F1: down 1, flat 2*1/(2+1+0)=2/3, up 2*1/(2+0+1)=2/3
    assert s.macro_f1 == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert s.macro_f1 == pytest.approx(f1_score(Y, P.argmax(1), average="macro"))
    assert s.log_loss == pytest.approx(sk_log_loss(Y, P, labels=[0, 1, 2]))


def test_uniform_forecast_scores_ln3_and_two_thirds() -> None:
    s = score(Y, np.full((4, 3), 1 / 3))
    assert s.log_loss == pytest.approx(math.log(3))
    assert s.brier == pytest.approx((2 / 3) ** 2 + 2 * (1 / 3) ** 2)


def test_reliability_bins_top_class_probability() -> None:
    table = reliability(Y, P)
    by_bin = {(round(b.lower, 1)): b for b in table}
    assert sum(b.count for b in table) == 4
    assert by_bin[0.7].count == 1 and by_bin[0.7].observed_frequency == 1.0
    assert by_bin[0.4].count == 1 and by_bin[0.4].mean_confidence == pytest.approx(0.4)
    assert by_bin[0.5].observed_frequency == 0.0  # predicted flat at 0.5, truth up
    assert by_bin[0.8].observed_frequency == 1.0
