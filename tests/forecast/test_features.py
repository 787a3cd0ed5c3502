"""Features: the table documents every column, values follow their formulas, and no feature looks ahead."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from sim.analytics.forecast.data import CandleDataError, fingerprint, to_polars
from sim.analytics.forecast.dataset import build_dataset
from sim.analytics.forecast.features import (
    ALL_FEATURES,
    FEATURE_NAMES,
    POOLED_FEATURE_NAMES,
    compute_features,
)
from sim.analytics.forecast.labels import label_frame


def test_every_feature_is_documented_and_computed(btc_recent: pl.DataFrame) -> None:
    feats = compute_features(btc_recent)
    assert list(feats.columns) == ["open_time", "close", *ALL_FEATURES]
    assert list(ALL_FEATURES)[: len(FEATURE_NAMES)] == list(FEATURE_NAMES)
    assert all(ALL_FEATURES[name].strip() for name in ALL_FEATURES)
    assert set(POOLED_FEATURE_NAMES) <= set(ALL_FEATURES)
    assert feats.tail(1000).null_count().sum_horizontal().item() == 0
    # warm-up: a feature is null until its window is full
    head = feats.head(80)
    for name, first in {
        "ret_24": 24,
        "rv_72": 72,
        "rsi_14": 14,
        "macd": 25,
        "bb_pos": 19,
        "volume_z": 23,
    }.items():
        assert head[name][:first].null_count() == first, name
        assert head[name][first:].null_count() == 0, name


def test_values_follow_their_definitions(btc_recent: pl.DataFrame) -> None:
    feats = compute_features(btc_recent)
    close = btc_recent["close"].to_numpy()
    volume = btc_recent["volume"].to_numpy()
    t = 500
    r1 = np.log(close[1:] / close[:-1])  # r1[i] is the return into bar i + 1
    assert feats["ret_1"][t] == pytest.approx(math.log(close[t] / close[t - 1]), abs=1e-12)
    assert feats["ret_24"][t] == pytest.approx(math.log(close[t] / close[t - 24]), abs=1e-12)
    assert feats["rv_24"][t] == pytest.approx(np.std(r1[t - 24 : t], ddof=1), rel=1e-9)
    assert feats["rv_72"][t] == pytest.approx(np.std(r1[t - 72 : t], ddof=1), rel=1e-9)
    window = close[t - 19 : t + 1]
    expected_bb = (close[t] - window.mean()) / (2 * window.std(ddof=1))
    assert feats["bb_pos"][t] == pytest.approx(expected_bb, rel=1e-9)
    lv = np.log1p(volume[t - 23 : t + 1])
    assert feats["volume_z"][t] == pytest.approx((lv[-1] - lv.mean()) / lv.std(ddof=1), rel=1e-9)
    hour = (int(btc_recent["open_time"][t]) // 3_600_000) % 24
    assert feats["hour_sin"][t] == pytest.approx(math.sin(2 * math.pi * hour / 24))
    # Wilder RSI by its recursion, started at the first delta
    delta = np.diff(close[: t + 1])
    g = lo = None
    for d in delta:
        up, down = max(d, 0.0), max(-d, 0.0)
        g = up if g is None else g + (up - g) / 14
        lo = down if lo is None else lo + (down - lo) / 14
    assert g is not None and lo is not None
    assert feats["rsi_14"][t] == pytest.approx(100 * g / (g + lo), rel=1e-9)


def test_weekday_is_monday_zero() -> None:
    monday = int(pd.Timestamp("2024-01-01T00:00Z").timestamp() * 1000)  # a Monday
    frame = pl.DataFrame(
        {"open_time": [monday], "open": [1.0], "high": [1.0], "low": [1.0], "close": [1.0], "volume": [1.0]}
    )
    feats = compute_features(frame)
    assert feats["dow_sin"][0] == pytest.approx(0.0, abs=1e-12)
    assert feats["dow_cos"][0] == pytest.approx(1.0)


def _perturb_after(frame: pl.DataFrame, t: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n = frame.height
    factor = np.ones(n)
    factor[t + 1 :] = np.exp(rng.normal(0, 0.05, n - t - 1))
    vol = np.ones(n)
    vol[t + 1 :] = rng.uniform(0.1, 10, n - t - 1)
    return frame.with_columns(
        *(pl.col(c) * factor for c in ("open", "high", "low", "close")), pl.col("volume") * vol
    )


@pytest.mark.parametrize("t", [400, 777, 1499])
@pytest.mark.parametrize("horizon", [1, 4])
def test_changing_the_future_changes_nothing_known_at_t(
    btc_recent: pl.DataFrame, t: int, horizon: int
) -> None:
    base = btc_recent.head(1600)
    changed = _perturb_after(base, t, seed=t)
    f0, f1 = compute_features(base), compute_features(changed)
    assert f0.head(t + 1).equals(f1.head(t + 1))
    assert not f0.slice(t + 1, 50).equals(f1.slice(t + 1, 50))  # the perturbation is real
    l0, l1 = label_frame(base, horizon), label_frame(changed, horizon)
    # labels whose horizon ended by t, the band and the last completed move at <= t
    assert l0.head(t + 1 - horizon).equals(l1.head(t + 1 - horizon))
    assert l0.head(t + 1).select("band", "last_move").equals(l1.head(t + 1).select("band", "last_move"))
    d0, d1 = build_dataset(base, horizon), build_dataset(changed, horizon)
    known0, known1 = d0.bar <= t - horizon, d1.bar <= t - horizon
    np.testing.assert_array_equal(d0.X[known0], d1.X[known1])
    np.testing.assert_array_equal(d0.y[known0], d1.y[known1])


def test_pandas_and_polars_inputs_agree(btc_recent: pl.DataFrame) -> None:
    pdf = btc_recent.to_pandas()
    assert compute_features(pdf).equals(compute_features(btc_recent))
    with_datetimes = pdf.assign(open_time=pd.to_datetime(pdf["open_time"], unit="ms", utc=True))
    assert to_polars(with_datetimes).equals(btc_recent)
    assert fingerprint(pdf) == fingerprint(btc_recent)


def test_unordered_candles_are_refused(btc_recent: pl.DataFrame) -> None:
    with pytest.raises(CandleDataError):
        to_polars(btc_recent.reverse())
    with pytest.raises(CandleDataError):
        to_polars(btc_recent.drop("volume"))


def test_the_pooled_features_follow_their_formulas_and_ignore_the_price_unit(
    btc_recent: pl.DataFrame,
) -> None:
    feats = compute_features(btc_recent).tail(500)
    for k in (1, 3, 6, 12, 24):
        expected = feats[f"ret_{k}"] / (feats["rv_72"] * math.sqrt(k))
        assert np.allclose(feats[f"zret_{k}"].to_numpy(), expected.to_numpy())
    assert np.allclose(feats["rv_ratio"].to_numpy(), (feats["rv_24"] / feats["rv_72"]).to_numpy())
    assert np.allclose(feats["macd_z"].to_numpy(), (feats["macd"] / feats["rv_72"]).to_numpy())
    scaled = btc_recent.with_columns([pl.col(c) * 1e-4 for c in ("open", "high", "low", "close")])
    other = compute_features(scaled).tail(500)
    for name in POOLED_FEATURE_NAMES:
        assert np.allclose(feats[name].to_numpy(), other[name].to_numpy(), atol=1e-9), name
