"""The skill split (move vs flat; direction on the candles that moved) and its week-block bootstrap."""

import numpy as np
import pytest

from sim.analytics.forecast.record import all_folds_record, all_folds_text
from sim.analytics.forecast.skill import (
    block_bootstrap,
    direction_terms,
    direction_unproven,
    iso_week,
    log_loss_gain,
    move_terms,
    skill_split,
)

DOWN, FLAT, UP = 0, 1, 2
HOUR = 3_600_000
MONDAY = 1_704_067_200_000  # 2024-01-01 00:00 UTC, a Monday


def test_iso_week_starts_on_monday_utc():
    weeks = iso_week(np.array([MONDAY - 1, MONDAY, MONDAY + 7 * 24 * HOUR - 1, MONDAY + 7 * 24 * HOUR]))
    assert weeks[0] + 1 == weeks[1] == weeks[2] and weeks[3] == weeks[2] + 1


def test_move_and_direction_skill_by_formula():
    y = np.array([UP, FLAT, DOWN, UP])
    p = np.array([[0.1, 0.3, 0.6], [0.2, 0.6, 0.2], [0.5, 0.3, 0.2], [0.3, 0.4, 0.3]])
    c = np.tile([0.3, 0.4, 0.3], (4, 1))
    t = MONDAY + np.arange(4) * HOUR
    split = skill_split(y, p, c, t)
    moved = np.array([1, 0, 1, 1])
    pm = p[:, 0] + p[:, 2]
    bs_model = np.sum((pm - moved) ** 2)
    bs_clim = np.sum((0.6 - moved) ** 2)
    assert split["move_vs_flat"].skill == pytest.approx(1 - bs_model / bs_clim)
    assert split["move_vs_flat"].n == 4
    # direction on rows 0, 2, 3 (moved): P(up|move) = p_up / (p_up + p_down), climatology 0.5
    q = np.array([0.6 / 0.7, 0.2 / 0.7, 0.3 / 0.6])
    u = np.array([1, 0, 1])
    expected = 1 - np.sum((q - u) ** 2) / np.sum((0.5 - u) ** 2)
    assert split["direction"].skill == pytest.approx(expected)
    assert split["direction"].n == 3


def test_direction_terms_ignore_flat_rows_and_handle_zero_mass():
    y = np.array([FLAT, UP])
    p = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    model, _ref, used = direction_terms(y, p, p)
    assert list(used) == [False, True]
    assert model[0] == 0.0 and model[1] == pytest.approx(0.25)  # 0/0 -> 0.5
    m, _r, all_rows = move_terms(y, p, p)
    assert all_rows.all() and m[1] == pytest.approx(1.0)


def _noise(seed: int, n_weeks: int = 30):
    rng = np.random.default_rng(seed)
    n = n_weeks * 168
    y = rng.integers(0, 3, n)
    p = rng.dirichlet([5, 5, 5], n)
    c = np.tile([1 / 3, 1 / 3, 1 / 3], (n, 1))
    return y, p, c, MONDAY + np.arange(n) * HOUR


def test_bootstrap_is_deterministic_for_a_seed_and_brackets_the_estimate():
    y, p, c, t = _noise(1)
    a = skill_split(y, p, c, t, seed=7)
    b = skill_split(y, p, c, t, seed=7)
    other = skill_split(y, p, c, t, seed=8)
    assert a == b
    assert a["direction"].low != other["direction"].low
    for s in a.values():
        assert s.low <= s.skill <= s.high


def test_a_perfect_direction_forecast_has_an_interval_above_zero():
    y, _, c, t = _noise(2)
    p = np.where(y[:, None] == np.arange(3), 0.9, 0.05)
    split = skill_split(y, p, c, t)
    assert split["direction"].low > 0.5
    assert not direction_unproven({k: v.to_dict() for k, v in split.items()})


def test_direction_unproven_when_the_interval_includes_zero():
    assert direction_unproven({"direction": {"skill": 0.01, "low": -0.002, "high": 0.02}})
    assert not direction_unproven({"direction": {"skill": 0.01, "low": 0.001, "high": 0.02}})
    assert direction_unproven({})


def test_block_bootstrap_resamples_whole_weeks():
    weeks = np.repeat(np.arange(10), 5)
    model = np.repeat(np.arange(10, dtype=float), 5)
    ref = np.full(50, 10.0)
    s = block_bootstrap(weeks, model, ref, np.ones(50, dtype=bool), block_weeks=2, n_boot=200, seed=1)
    assert s.skill == pytest.approx(1 - model.sum() / ref.sum())
    assert s.n == 50 and s.low < s.skill < s.high


def test_all_folds_text_quotes_the_pooled_gain_with_its_interval():
    y, p, c, t = _noise(3)
    record = all_folds_record(y, t, {"xgboost": p, "majority": c, "logistic": c}, "xgboost", 6)
    gain = log_loss_gain(y, p, c, t)
    assert record["gain"]["skill"] == pytest.approx(gain.skill)
    text = all_folds_text(record)
    assert text.startswith(f"over all 6 folds pooled ({len(y):,} candles): log loss")
    assert "95% interval of the gain" in text and "block bootstrap by ISO week" in text


def test_every_shipped_card_carries_the_split_and_quotes_all_folds():
    import json

    from sim.analytics.forecast.recard import card_paths

    paths = card_paths()
    assert len(paths) >= 10
    for path in paths:
        card = json.loads(path.read_text())
        split = card["validation"]["skill_split"]["models"]["xgboost"]
        for part in ("move_vs_flat", "direction"):
            assert split[part]["low"] <= split[part]["skill"] <= split[part]["high"]
        assert "over all 6 folds pooled" in card["promotion"]["reason"]
        assert "interval of the gain" in card["promotion"]["reason"]
