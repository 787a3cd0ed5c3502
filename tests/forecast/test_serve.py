"""Serving: a forecast equals the model applied to the full-history features; the track record."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from sim.analytics.forecast.features import compute_features
from sim.analytics.forecast.labels import label_frame
from sim.analytics.forecast.model import predict_proba
from sim.analytics.forecast.registry import ForecastModel, load_served
from sim.analytics.forecast.serve import Forecast, NotEnoughHistory, predict, score

HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def served_btc() -> ForecastModel:
    m = load_served("BTCUSDT", "1h", 4)
    assert m is not None
    return m


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def test_forecast_matches_the_model_on_full_history_features(
    btc: pl.DataFrame, served_btc: ForecastModel
) -> None:
    candles = btc.head(20_000)
    f = predict(served_btc, candles)
    full = compute_features(candles).tail(1).select(served_btc.feature_names).to_numpy()
    expected = predict_proba(served_btc.booster, full)[0]
    np.testing.assert_allclose([f.probabilities[k] for k in ("down", "flat", "up")], expected, atol=1e-6)
    assert sum(f.probabilities.values()) == pytest.approx(1.0, abs=1e-6)
    assert f.label == max(f.probabilities, key=lambda k: f.probabilities[k])
    last_open = int(candles["open_time"][-1])
    assert f.as_of == _at(last_open) + HOUR
    assert f.valid_until == f.as_of + 4 * HOUR
    assert f.last_close == candles["close"][-1]
    rv24 = compute_features(candles)["rv_24"][-1]
    assert f.band == pytest.approx(served_btc.flat_k * rv24 * math.sqrt(4))
    assert f.model_id == served_btc.model_id and f.symbol == "BTCUSDT"
    assert {"xgboost", "majority", "last_move", "logistic"} <= set(f.validation["recent_log_loss"])
    assert predict(served_btc, candles.to_pandas()) == f  # pandas frames are accepted


def test_too_few_candles_is_an_error(btc: pl.DataFrame, served_btc: ForecastModel) -> None:
    with pytest.raises(NotEnoughHistory):
        predict(served_btc, btc.head(100))


def _forecast(t_ms: int, h: int, band: float, probs: tuple[float, float, float]) -> Forecast:
    as_of = _at(t_ms) + HOUR
    return Forecast(
        symbol="BTCUSDT",
        interval="1h",
        horizon=h,
        probabilities=dict(zip(("down", "flat", "up"), probs, strict=True)),
        label=("down", "flat", "up")[int(np.argmax(probs))],
        model_id="test",
        as_of=as_of,
        valid_until=as_of + h * HOUR,
        last_close=0.0,
        band=band,
        flat_k=0.4,
    )


def test_track_record_scores_passed_forecasts_only(btc_recent: pl.DataFrame) -> None:
    candles = btc_recent.head(1000)
    times = candles["open_time"].to_list()
    close = candles["close"].to_numpy()
    h, band = 4, 0.002
    rows = [500, 600, 700]
    probs = [(0.6, 0.3, 0.1), (0.2, 0.5, 0.3), (0.1, 0.2, 0.7)]
    forecasts = [_forecast(times[i], h, band, p) for i, p in zip(rows, probs, strict=True)]
    forecasts.append(_forecast(times[-2], h, band, (0.3, 0.3, 0.4)))  # horizon not passed yet
    forecasts.append(_forecast(times[0] - 10 * 3_600_000, h, band, (0.3, 0.3, 0.4)))  # no candle
    record = score(forecasts, candles)
    outcomes = []
    for i in rows:
        r = math.log(close[i + h] / close[i])
        outcomes.append(0 if r < -band else 2 if r > band else 1)
    assert record.outcomes[:3] == [("down", "flat", "up")[y] for y in outcomes]
    assert record.outcomes[3:] == [None, None]
    assert (record.n_forecasts, record.n_scored, record.n_pending, record.n_unscorable) == (5, 3, 1, 1)
    hits = [int(np.argmax(p)) == y for p, y in zip(probs, outcomes, strict=True)]
    assert record.hit_rate == pytest.approx(np.mean(hits))
    brier = np.mean(
        [sum((p[c] - (c == y)) ** 2 for c in range(3)) for p, y in zip(probs, outcomes, strict=True)]
    )
    assert record.brier == pytest.approx(brier)
    assert set(record.baselines) == {"last_move", "majority"}
    for b in record.baselines.values():
        assert 0 <= b.hit_rate <= 1 and 0 <= b.brier <= 2


def test_baselines_use_only_labels_known_at_the_forecast(btc_recent: pl.DataFrame) -> None:
    candles = btc_recent.head(1000)
    times = candles["open_time"].to_list()
    h, i = 1, 400
    record = score([_forecast(times[i], h, 0.002, (0.2, 0.3, 0.5))], candles)
    lf = label_frame(candles, h)
    known = lf["label"].head(i - h + 1).drop_nulls().to_numpy()  # rows s <= i - h
    freq = (np.bincount(known, minlength=3) + 1) / (len(known) + 3)
    r = math.log(candles["close"][i + h] / candles["close"][i])
    y = 0 if r < -0.002 else 2 if r > 0.002 else 1
    assert record.baselines["majority"].brier == pytest.approx(
        sum((freq[c] - (c == y)) ** 2 for c in range(3))
    )
    # last move: the label of row i - h gets q, the smoothed share of past moves that repeated
    labels, last = lf["label"].to_numpy(), lf["last_move"].to_numpy()
    past = slice(0, i - h + 1)
    pairs = ~np.isnan(labels[past].astype(float)) & ~np.isnan(last[past].astype(float))
    same = np.sum(labels[past][pairs] == last[past][pairs])
    q = (same + 1) / (pairs.sum() + 2)
    p = np.full(3, (1 - q) / 2)
    p[int(lf["label"][i - h])] = q
    assert record.baselines["last_move"].brier == pytest.approx(sum((p[c] - (c == y)) ** 2 for c in range(3)))
