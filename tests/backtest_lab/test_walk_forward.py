"""Issue 18.6: the lab's XGBoost strategy trains on a window before its test window, trades only the
test window and says so; no training label reads a candle of the test window; too little history
is refused before anything runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import backtest_forecast
from sim.analytics.forecast import window
from sim.domain.errors import InvalidInput
from sim.services import Simulator

HOUR = pd.Timedelta(hours=1)
TEST_START = pd.Timestamp("2023-06-01", tz="UTC")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = Simulator.open(database_url=f"sqlite:///{tmp_path_factory.mktemp('wf')}/ledger.sqlite3")
    yield s
    s.close()


@pytest.mark.parametrize("horizon", [1, 4])
def test_the_forecast_strategy_is_trained_before_its_test_window_and_is_out_of_sample(sim, horizon):
    lab = sim.backtest(
        "ETHUSDT",
        "forecast",
        params={"horizon": horizon, "enter": 0.38, "exit": 0.38},
        start="2023-06-01",
        end="2023-06-15",
        train_days=90,
    )
    assert lab.in_sample_share == 0
    training = lab.models["ETHUSDT"].card["training"]
    last = pd.Timestamp(training["last_open_time"])
    first_test = lab.result.index[0]
    assert first_test == TEST_START == lab.candles["ETHUSDT"]["open_time"].iloc[0]
    # the last training row's label ends at the close of candle last + h, no later than the test start
    assert last + horizon * HOUR < first_test and last + (horizon + 1) * HOUR == first_test
    assert pd.Timestamp(training["first_open_time"]) == TEST_START - pd.Timedelta(days=90)
    assert lab.train_window == (TEST_START - pd.Timedelta(days=90), TEST_START)
    assert lab.test_window == (TEST_START, pd.Timestamp("2023-06-15", tz="UTC"))
    assert lab.windows.startswith("Trained on 2023-03-03 – 2023-06-01, tested on 2023-06-01 – 2023-06-15")
    assert "out of sample" in lab.windows
    assert lab.result.stats["fills"] > 0


def test_a_walk_forward_run_is_deterministic_and_uses_the_seed(sim):
    def once(seed: int):
        return sim.backtest(
            "BTCUSDT", "forecast", start="2023-04-01", end="2023-04-10", train_days=60, seed=seed
        )

    a, b, c = once(7), once(7), once(8)
    assert a.models["BTCUSDT"].model_id == b.models["BTCUSDT"].model_id
    assert a.result.equity.equals(b.result.equity)
    assert a.models["BTCUSDT"].card["seed"] == 7 and c.models["BTCUSDT"].card["seed"] == 8
    assert a.models["BTCUSDT"].model_id != c.models["BTCUSDT"].model_id


@pytest.mark.parametrize("horizon", [1, 4])
def test_no_training_label_uses_a_candle_at_or_after_the_test_start(sim, horizon):
    candles = sim.history("BTCUSDT", "1h", "2023-01-01", "2023-07-01").reset_index(drop=True)
    train_start = TEST_START - pd.Timedelta(days=60)
    data = window.window_dataset(candles, horizon, TEST_START, train_start, symbol="BTCUSDT")
    open_times = candles["open_time"]
    first_test_bar = int((open_times < TEST_START).sum())
    # a row's label is ln(close[bar + h] / close[bar]): its last candle is bar + h
    assert (data.bar + horizon < first_test_bar).all()
    assert data.bar.max() + horizon == first_test_bar - 1  # purged exactly h bars, no more
    rows = pd.to_datetime(data.open_time, unit="ms", utc=True)
    assert rows.min() == train_start and rows.max() == TEST_START - (horizon + 1) * HOUR
    # and the fitted model is blind to the test window: change every candle from the test start on
    future = open_times >= TEST_START
    changed = candles.copy()
    noise = np.random.default_rng(0).uniform(0.5, 2.0, int(future.sum()))
    for col in ("open", "high", "low", "close", "volume"):
        changed.loc[future, col] = changed.loc[future, col] * noise
    before = window.train_window(candles, horizon, TEST_START, train_start, symbol="BTCUSDT")
    after = window.train_window(changed, horizon, TEST_START, train_start, symbol="BTCUSDT")
    assert before.model_id == after.model_id
    assert before.card["data"]["fingerprint_sha256"] == after.card["data"]["fingerprint_sha256"]


def test_too_little_history_before_the_test_window_is_refused_before_anything_runs(sim, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("nothing may be trained when the history is too short")

    monkeypatch.setattr(window, "train_window", no_training)
    # ETHUSDT's shipped 1h candles start on 2020-09-20: 365 days + 300 warm-up candles -> 2021-10-03
    with pytest.raises(InvalidInput, match="Not enough history") as refused:
        sim.backtest("ETHUSDT", "forecast", start="2021-01-01", end="2021-02-01")
    assert "Start the test on or after 2021-10-03 or shorten the train window" in str(refused.value)
    with pytest.raises(InvalidInput, match="at least 30"):
        sim.backtest("ETHUSDT", "forecast", start="2023-01-01", end="2023-02-01", train_days=7)


def test_the_default_train_window_is_a_year_and_a_test_without_start_begins_after_it(sim):
    assert backtest_forecast.DEFAULT_TRAIN_DAYS == 365
    lab = sim.backtest("SOLUSDT", "forecast", end="2021-10-10")  # no served SOLUSDT h4 needed either
    # SOLUSDT's candles start on 2020-09-20: a year and 300 candles later is 2021-10-03
    assert lab.test_window[0] == pd.Timestamp("2021-10-03", tz="UTC")
    assert lab.train_window == (pd.Timestamp("2020-10-03", tz="UTC"), pd.Timestamp("2021-10-03", tz="UTC"))
    assert lab.in_sample_share == 0
