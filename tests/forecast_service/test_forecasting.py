"""Serving, storing and scoring forecasts on a Simulator; the track record; the market analysis.

Expected values come from the colleague's model code applied directly to the same candles
(``predict``, ``label_frame``, ``score``, ``analysis``), so these tests pin the wiring: the
clock, the history window, the stored decimals, the label definition and the baselines.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import func, select

from sim import forecasting
from sim.adapters.ledger.tables import forecasts
from sim.analytics.forecast import analysis, label_frame, load_served, predict, score
from sim.analytics.forecast.labels import LABEL_MAP
from sim.domain.errors import InvalidInput, SimError, UnknownSymbol
from sim.forecasting import ForecastUnavailable
from tests.forecast_service.conftest import T

HOUR = timedelta(hours=1)


def rows(sim):
    with sim.engine.connect() as conn:
        return conn.execute(select(forecasts).order_by(forecasts.c.id)).all()


def test_a_served_forecast_is_the_model_on_the_closed_candles_and_is_stored_once(sim_env):
    sim, _ = sim_env
    f = sim.forecast("btcusdt", "1h", 1)
    model = load_served("BTCUSDT", "1h", 1)
    candles = sim.history("BTCUSDT", "1h")  # only candles closed at the clock
    assert f == predict(model, candles)
    assert f.as_of == T and f.valid_until == T + HOUR  # the last closed candle opened at 11:00
    assert f.model_id == model.model_id and f.label == max(f.probabilities, key=f.probabilities.get)
    assert {"xgboost", "majority", "last_move"} <= set(f.validation["accuracy"])
    (row,) = rows(sim)
    assert (row.model_id, row.symbol, row.interval, row.horizon) == (f.model_id, "BTCUSDT", "1h", 1)
    assert (row.as_of, row.valid_until, row.label) == (f.as_of, f.valid_until, f.label)
    for name in ("down", "flat", "up"):
        stored = getattr(row, f"p_{name}")
        assert stored == Decimal(repr(f.probabilities[name])).quantize(Decimal("1e-8"))
        assert abs(float(stored) - f.probabilities[name]) <= 5e-9
    assert row.outcome is None and row.scored_at is None
    assert sim.forecast("BTCUSDT") == f  # the same model on the same candle: still one row
    sim.forecast("BTCUSDT", horizon=4)
    assert len(rows(sim)) == 2


def test_models_are_loaded_once_per_process(sim_env, monkeypatch):
    from sim.analytics.forecast import registry

    sim, _ = sim_env
    calls = []
    real = registry.load_model
    monkeypatch.setattr(registry, "load_model", lambda path: calls.append(path) or real(path))
    forecasting.clear_model_cache()
    sim.forecast("ETHUSDT")
    sim.forecast("ETHUSDT")
    sim.forecast("XRPUSDT")
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda s: s.forecast("DOGEUSDT"), UnknownSymbol, "Tracked symbols: BNBUSDT, BTCUSDT"),
        (
            lambda s: s.forecast("BTCUSDT", horizon=24),
            ForecastUnavailable,
            "Served for BTCUSDT: BTCUSDT-1h-h1",
        ),
        (lambda s: s.forecast("BTCUSDT", horizon=0), InvalidInput, "horizon must be a whole number"),
        (lambda s: s.analysis("NOPE"), UnknownSymbol, "Unknown symbol 'NOPE'"),
    ],
)
def test_refusals_are_sim_errors_with_clear_messages(sim_env, call, error, text):
    sim, _ = sim_env
    with pytest.raises(error, match=text) as info:
        call(sim)
    assert isinstance(info.value, SimError)
    assert rows(sim) == []


def test_not_enough_history_and_a_history_behind_the_clock_are_refused(sim_env):
    sim, driver = sim_env
    driver.clock[0] = datetime(2020, 9, 25, tzinfo=UTC)  # the shipped candles start on 2020-09-20
    with pytest.raises(ForecastUnavailable, match="needs 300 closed 1h candles, the history has 120"):
        sim.forecast("BTCUSDT")
    driver.clock[0] = datetime(2024, 2, 1, tzinfo=UTC)  # a month after the last shipped candle
    with pytest.raises(ForecastUnavailable, match="behind the market clock"):
        sim.forecast("BTCUSDT")
    assert rows(sim) == []


def test_scoring_uses_the_training_label_once_the_horizon_has_passed(sim_env):
    sim, driver = sim_env
    f1 = sim.forecast("BTCUSDT", horizon=1)
    f4 = sim.forecast("BTCUSDT", horizon=4)
    assert sim.score_forecasts() == 0  # nothing is due yet
    driver.clock[0] = T + 2 * HOUR  # the h=1 forecast's candle has closed, the h=4 one has not
    assert sim.score_forecasts() == 1
    driver.clock[0] = T + 5 * HOUR
    assert sim.score_forecasts() == 1
    assert sim.score_forecasts() == 0  # idempotent
    candles = sim.history("BTCUSDT", "1h")
    for f, row in zip((f1, f4), rows(sim), strict=True):
        labels = label_frame(candles, f.horizon, k=f.flat_k)
        t_ms = int((f.as_of - HOUR).timestamp() * 1000)
        expected = LABEL_MAP[int(labels.filter(labels["open_time"] == t_ms)["label"][0])]
        assert row.outcome == expected
        assert row.scored_at == T + 5 * HOUR if f.horizon == 4 else row.scored_at == T + 2 * HOUR


def test_a_forecast_across_a_data_gap_is_void(sim_env):
    sim, driver = sim_env
    driver.clock[0] = datetime(2023, 3, 24, 13, 0, tzinfo=UTC)  # the 13:00 candle is missing
    f = sim.forecast("BTCUSDT", horizon=4)
    assert f.as_of == datetime(2023, 3, 24, 13, 0, tzinfo=UTC)
    driver.clock[0] = datetime(2023, 3, 24, 20, 0, tzinfo=UTC)
    assert sim.score_forecasts() == 1
    assert rows(sim)[0].outcome == forecasting.VOID
    record = sim.track_record("BTCUSDT")
    assert (record.n_scored, record.n_void, record.model) == (0, 1, None)


def test_the_track_record_is_the_colleagues_score_of_the_served_forecasts(sim_env):
    sim, driver = sim_env
    served = {"BTCUSDT": [], "ETHUSDT": []}
    for i in range(12):
        driver.clock[0] = T + i * HOUR + timedelta(seconds=30)
        for symbol in served:
            served[symbol].append(sim.forecast(symbol))
    assert sim.track_record().model is None  # nothing scored yet
    driver.clock[0] = T + 20 * HOUR
    assert sim.score_forecasts() == 24
    overall = sim.track_record(horizon=1)
    assert (overall.n_scored, overall.n_pending, overall.n_void) == (24, 0, 0)
    per = {}
    for symbol, fs in served.items():
        expected = score(fs, sim.history(symbol, "1h"))
        mine = sim.track_record(symbol)
        assert mine.n_scored == expected.n_scored == 12
        assert mine.model.hit_rate == pytest.approx(expected.hit_rate)
        assert mine.model.brier == pytest.approx(expected.brier)
        for name in ("last_move", "majority"):
            assert mine.baselines[name].hit_rate == pytest.approx(expected.baselines[name].hit_rate)
            assert mine.baselines[name].brier == pytest.approx(expected.baselines[name].brier)
        # hit rate by hand from the stored rows
        with sim.engine.connect() as conn:
            stored = conn.execute(select(forecasts).where(forecasts.c.symbol == symbol)).all()
        hits = [r.label == r.outcome for r in stored]
        assert mine.model.hit_rate == pytest.approx(np.mean(hits))
        per[symbol] = mine
    # pooled over symbols, weighted by the number scored (12 each: the plain mean)
    assert overall.model.hit_rate == pytest.approx(
        (per["BTCUSDT"].model.hit_rate + per["ETHUSDT"].model.hit_rate) / 2
    )
    assert overall.model.brier == pytest.approx((per["BTCUSDT"].model.brier + per["ETHUSDT"].model.brier) / 2)
    assert set(overall.by_symbol) == {"BTCUSDT", "ETHUSDT"}
    assert 0 <= overall.model.brier <= 2 and overall.best_baseline[0] in ("last_move", "majority")
    assert overall.to_dict()["model"]["hit_rate"] == overall.model.hit_rate
    assert sim.track_record("BTCUSDT", horizon=4).n_scored == 0


def test_the_analysis_is_the_colleagues_analysis_with_a_definition_for_every_number(sim_env):
    sim, _ = sim_env
    a = sim.analysis("ethusdt")
    assert a == analysis(sim.history("ETHUSDT", "1h"), "1h")
    assert a.as_of == T and a.trend in ("up", "down", "sideways")
    assert all(m.definition for m in a.metrics.values())
    assert {"trend", "momentum", "rsi_zone", "volatility_regime"} <= set(forecasting.ANALYSIS_DEFINITIONS)


def test_stored_forecasts_are_listed_newest_first(sim_env):
    sim, driver = sim_env
    sim.forecast("BTCUSDT")
    driver.clock[0] = T + HOUR
    sim.forecast("BTCUSDT")
    listed = forecasting.stored_forecasts(sim, "BTCUSDT")
    assert [r["as_of"] for r in listed] == [T + HOUR, T]
    with sim.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(forecasts)).scalar() == 2


@pytest.mark.postgres
def test_storing_and_scoring_on_postgresql(postgres_url):
    from tests.integration.conftest import open_sim

    sim, driver = open_sim(postgres_url)
    try:
        driver.clock[0] = T
        f = sim.forecast("BTCUSDT")
        sim.forecast("BTCUSDT")  # on conflict do nothing
        (row,) = rows(sim)
        assert row.p_up == Decimal(repr(f.probabilities["up"])).quantize(Decimal("1e-8"))
        driver.clock[0] = T + 2 * HOUR
        assert sim.score_forecasts() == 1 and rows(sim)[0].outcome in ("down", "flat", "up")
    finally:
        sim.close()


def test_a_key_without_its_own_model_is_served_by_the_shipped_pooled_model(sim_env):
    """SOLUSDT 4h has no served model of its own (its candidate lost to the baselines): the pooled
    model, trained on the five shipped symbols (SOLUSDT among them), serves it and says so."""
    sim, _ = sim_env
    f = sim.forecast("SOLUSDT", horizon=4)
    assert f.model_id.startswith("pooled-1h-h4-") and f.symbol == "SOLUSDT"
    assert f.validation["model_label"].startswith("pooled model, trained on BTCUSDT")
    assert set(f.validation["skill_split"]) == {"move_vs_flat", "direction"}
