"""Artifacts: the train/save/load round trip across processes, pickles refused, shipped cards true."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sim.analytics.forecast import model
from sim.analytics.forecast.data import SHIPPED_SYMBOLS, fingerprint, load_candles
from sim.analytics.forecast.dataset import build_dataset
from sim.analytics.forecast.features import FEATURE_NAMES, FEATURES
from sim.analytics.forecast.labels import LABEL_MAP
from sim.analytics.forecast.registry import (
    MODELS_DIR,
    ModelCardError,
    UnsafeModelError,
    load_model,
    read_served,
    sha256_bytes,
)
from sim.analytics.forecast.train import train_one

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 15
PARAMS = {**model.XGB_PARAMS, "nthread": 1}  # one thread: faster for tiny models on a busy machine


def _train_small(candles: pl.DataFrame, models_dir: Path, seed: int = 3):  # type: ignore[no-untyped-def]
    return train_one(
        "BTCUSDT",
        1,
        candles=candles,
        models_dir=models_dir,
        n_folds=3,
        num_boost_round=ROUNDS,
        seed=seed,
        params=PARAMS,
    )


def test_round_trip_in_a_fresh_process(btc_recent: pl.DataFrame, tmp_path: Path) -> None:
    candles = btc_recent.tail(2500)
    result = _train_small(candles, tmp_path)
    ds = build_dataset(candles, 1, symbol="BTCUSDT")
    booster = model.fit(
        ds.X, ds.y, params=PARAMS, num_boost_round=ROUNDS, seed=3, feature_names=list(FEATURE_NAMES)
    )
    assert sha256_bytes(bytes(booster.save_raw("ubj"))) == result.card["model_sha256"]  # reproducible
    X = ds.X[-200:]
    expected = model.predict_proba(booster, X)
    np.save(tmp_path / "X.npy", X)
    script = (
        "import json, sys, numpy as np\n"
        "from sim.analytics.forecast.registry import load_model\n"
        "from sim.analytics.forecast.model import predict_proba\n"
        f"m = load_model({str(result.model_dir)!r})\n"
        f"print(json.dumps(predict_proba(m.booster, np.load({str(tmp_path / 'X.npy')!r})).tolist()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    loaded = np.array(json.loads(done.stdout))
    np.testing.assert_allclose(loaded, expected, atol=1e-6)


def test_rerun_with_the_same_seed_changes_nothing(btc_recent: pl.DataFrame, tmp_path: Path) -> None:
    candles = btc_recent.tail(2500)
    first = _train_small(candles, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = _train_small(candles, tmp_path)
    assert second.model_id == first.model_id
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_served_pointer_follows_the_decision(btc_recent: pl.DataFrame, tmp_path: Path) -> None:
    candles = btc_recent.tail(2500)
    first = _train_small(candles, tmp_path, seed=3)
    entry = read_served(tmp_path)["BTCUSDT-1h-h1"]
    assert entry["last_decision"]["promoted"] == first.decision.promoted
    if first.decision.promoted:
        assert entry["model_id"] == first.model_id
    other = _train_small(candles, tmp_path, seed=4)  # a different recipe, judged on the same folds
    after = read_served(tmp_path)["BTCUSDT-1h-h1"]
    assert after["last_decision"]["reason"] == other.decision.reason
    if other.decision.promoted:
        assert after["model_id"] == other.model_id
        assert load_model(tmp_path / "BTCUSDT-1h-h1").model_id == other.model_id
    else:
        assert after["model_id"] == entry["model_id"]  # the old one stays (or none)
        kept = json.loads((tmp_path / "candidates" / "BTCUSDT-1h-h1" / "card.json").read_text())
        assert kept["model_id"] == other.model_id and kept["promotion"]["reason"] == other.decision.reason


@pytest.mark.parametrize("name", ["model.pkl", "label_encoder.pickle", "m.joblib", "MODEL.PKL"])
def test_pickle_files_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(pickle.dumps({"not": "loaded"}))
    with pytest.raises(UnsafeModelError, match="pickle"):
        load_model(path)
    with pytest.raises(UnsafeModelError, match="pickle"):
        load_model(tmp_path)  # a directory holding only a pickle


def test_pickle_content_under_a_model_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.ubj").write_bytes(pickle.dumps([1, 2, 3]))
    with pytest.raises(UnsafeModelError, match="pickle"):
        load_model(tmp_path)


def test_a_model_that_does_not_match_its_card_is_refused(tmp_path: Path) -> None:
    served = read_served(MODELS_DIR)["BTCUSDT-1h-h1"]
    source = MODELS_DIR / served["path"]
    (tmp_path / "card.json").write_bytes((source / "card.json").read_bytes())
    data = bytearray((source / "model.ubj").read_bytes())
    data[-10] ^= 1
    (tmp_path / "model.ubj").write_bytes(bytes(data))
    with pytest.raises(ModelCardError):
        load_model(tmp_path)


def _shipped_cards() -> list[tuple[str, Path]]:
    served = read_served(MODELS_DIR)
    out = []
    for key, entry in served.items():
        path = MODELS_DIR / entry["path"] if entry["path"] else MODELS_DIR / "candidates" / key
        out.append((key, path))
    return out


def test_every_shipped_symbol_and_horizon_has_a_model() -> None:
    served = read_served(MODELS_DIR)
    expected = {f"{s}-1h-h{h}" for s in SHIPPED_SYMBOLS for h in (1, 4)}
    assert set(served) == expected
    for key, path in _shipped_cards():
        assert (path / "model.ubj").exists() and (path / "card.json").exists(), key
        assert served[key]["reason"]


@pytest.mark.parametrize(("key", "path"), _shipped_cards())
def test_shipped_cards_are_consistent_with_files_and_data(key: str, path: Path) -> None:
    m = load_model(path)  # checks the sha256 of model.ubj against the card
    card = m.card
    symbol, interval, horizon = key.split("-")
    assert (card["symbol"], card["interval"], f"h{card['horizon']}") == (symbol, interval, horizon)
    assert card["model_id"] == f"{key}-{card['model_sha256'][:12]}"
    assert card["data"]["fingerprint_sha256"] == fingerprint(load_candles(symbol))
    assert [(f["name"], f["definition"]) for f in card["features"]] == list(FEATURES.items())
    assert m.booster.num_features() == len(FEATURE_NAMES)
    assert {int(k): v for k, v in card["label_map"].items()} == LABEL_MAP
    assert (path / "model.ubj").stat().st_size < 400_000
    metrics = card["validation"]["models"]
    assert {"xgboost", "majority", "last_move", "logistic"} <= set(metrics)
    n_folds = len(card["validation"]["folds"])
    assert n_folds >= 5 and all(len(m["folds"]) == n_folds for m in metrics.values())
    assert card["seed"] == 42 and card["created_at"]
    served = read_served(MODELS_DIR)[key]
    promoted = card["promotion"]["promoted"]
    assert promoted == (served["model_id"] == card["model_id"])
    recent = {name: m["recent_log_loss"] for name, m in metrics.items()}
    beats_all = all(recent["xgboost"] < recent[b] for b in ("majority", "last_move", "logistic"))
    # the shipped decision is the rule applied to the card's numbers
    if promoted:
        assert beats_all
    elif served["model_id"] is None:
        assert not beats_all
