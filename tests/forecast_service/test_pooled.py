"""The pooled model: a leave-one-symbol-out record per symbol in its card, and serving for a symbol
without a served model of its own, labelled by whether it was trained on that symbol.

A small pooled model is trained here (three symbols, the last 2,500 candles each, two folds) into a
temp ``MODELS_DIR`` whose ``served.json`` serves only BTCUSDT 1h-h1; ETHUSDT (not in the pool) and
SOLUSDT (in the pool) have no model of their own there."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from sim import forecasting
from sim.analytics.forecast.data import default_path, load_candles
from sim.analytics.forecast.pooled import pooled_dir, train_pooled
from sim.forecasting import ForecastUnavailable, clear_model_cache
from tests.forecast_service.conftest import T
from tests.integration.conftest import open_sim

ROOT = Path(__file__).resolve().parents[2]


def write_tail(symbol: str, data: Path, n: int = 2500) -> None:
    """The last ``n`` shipped candles of ``symbol`` as ``data/<symbol>-1h.csv.gz``."""
    with gzip.open(data / f"{symbol}-1h.csv.gz", "wb") as handle:
        load_candles(symbol, default_path(symbol)).tail(n).write_csv(handle)


POOL = ("BTCUSDT", "SOLUSDT", "XRPUSDT")


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pooled")
    data = root / "data"
    data.mkdir()
    for s in POOL:
        write_tail(s, data)
    models = root / "models"
    shutil.copytree(ROOT / "models" / "BTCUSDT-1h-h1", models / "BTCUSDT-1h-h1")
    served = json.loads((ROOT / "models" / "served.json").read_text())
    (models / "served.json").write_text(json.dumps({"BTCUSDT-1h-h1": served["BTCUSDT-1h-h1"]}))
    train_pooled(1, symbols=POOL, models_dir=models, data_dir=data, n_folds=2)
    return models


def test_the_card_has_a_leave_one_symbol_out_record_per_symbol(models):
    card = json.loads((pooled_dir(models, "1h", 1) / "card.json").read_text())
    assert card["pooled"]["trained_on"] == list(POOL)
    assert card["symbol"] == "POOLED" and len(card["validation"]["folds"]) == 2
    for section in ("loso", "in_pool"):
        per_symbol = card["validation"][section]["per_symbol"]
        assert set(per_symbol) == set(POOL)
        for record in [*per_symbol.values(), card["validation"][section]["all"]]:
            assert set(record["scores"]) == {"xgboost", "majority"}
            for part in ("move_vs_flat", "direction"):
                s = record["skill_split"][part]
                assert s["low"] <= s["skill"] <= s["high"] and s["n"] > 0
    total = sum(r["n"] for r in card["validation"]["loso"]["per_symbol"].values())
    assert card["validation"]["loso"]["all"]["n"] == total
    assert all(
        f["name"].startswith(("zret", "rv_ratio", "macd_", "rsi", "bb", "volume", "hour", "dow"))
        for f in card["features"]
    )


def test_training_is_reproducible(models, tmp_path):
    first = (pooled_dir(models, "1h", 1) / "model.ubj").read_bytes()
    data = tmp_path / "data"
    data.mkdir()
    for s in POOL:
        write_tail(s, data)
    train_pooled(1, symbols=POOL, models_dir=tmp_path, data_dir=data, n_folds=2)
    assert (pooled_dir(tmp_path, "1h", 1) / "model.ubj").read_bytes() == first


def test_a_symbol_without_its_own_model_is_served_by_the_pooled_model_with_the_label(models, tmp_path):
    clear_model_cache()
    sim, driver = open_sim(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", models_dir=models)
    driver.clock[0] = T
    try:
        own = sim.forecast("BTCUSDT")
        assert own.model_id.startswith("BTCUSDT-1h-h1-") and own.validation["model_label"] == ""
        eth = sim.forecast("ETHUSDT")
        assert eth.model_id.startswith("pooled-1h-h1-") and eth.symbol == "ETHUSDT"
        assert eth.validation["model_label"] == "pooled model, not trained on ETHUSDT"
        assert "leave-one-symbol-out" in eth.validation["record_scope"]
        sol = sim.forecast("SOLUSDT")
        assert sol.validation["model_label"] == "pooled model, trained on BTCUSDT, SOLUSDT, XRPUSDT"
        assert sum(eth.probabilities.values()) == pytest.approx(1.0)
        # stored and scored like any other forecast
        assert any(r["model_id"] == eth.model_id for r in forecasting.stored_forecasts(sim, "ETHUSDT"))
        with pytest.raises(ForecastUnavailable, match="No forecast model is served for ETHUSDT"):
            sim.forecast("ETHUSDT", horizon=4)  # no pooled model for h4 here
    finally:
        sim.close()


def test_the_chart_label_names_the_pooled_model(models, tmp_path):
    from sim.analytics import figures
    from sim.analytics.figures_forecast import draw_forecast

    clear_model_cache()
    sim, driver = open_sim(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", models_dir=models)
    driver.clock[0] = T
    try:
        f = sim.forecast("ETHUSDT")
        candles = load_candles("ETHUSDT").to_pandas().tail(50)
        candles["open_time"] = candles["open_time"].astype("datetime64[ms]").dt.tz_localize("UTC")
        fig = draw_forecast(figures.candlestick(candles, title="ETH"), f)
        labels = [a.text for a in fig.layout.annotations if a.name == "forecast label"]
        assert labels and "pooled model, not trained on ETHUSDT" in labels[0]
    finally:
        sim.close()


def test_too_little_history_is_still_unavailable_with_the_pooled_model(models, tmp_path):
    from datetime import UTC, datetime

    clear_model_cache()
    sim, driver = open_sim(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", models_dir=models)
    driver.clock[0] = datetime(2020, 9, 25, tzinfo=UTC)  # ~5 days after the first shipped candle
    try:
        with pytest.raises(ForecastUnavailable, match="Not enough history for a ETHUSDT forecast"):
            sim.forecast("ETHUSDT")
    finally:
        sim.close()
