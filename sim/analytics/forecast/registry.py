"""Model artifacts on disk: XGBoost UBJ + a JSON card, the served pointers, and the safe loader.

Layout (``models/`` at the repository root by default):
- ``models/<SYMBOL>-<interval>-h<horizon>/model.ubj`` and ``card.json``: the served model of that
  key. ``model.ubj`` is XGBoost's own binary JSON format; the card holds everything needed to
  trust and use it (features with definitions, label map and definition, parameters, training
  range, data fingerprint, seed, walk-forward metrics of the model and of each baseline, the
  reliability table, the promotion decision, the creation time).
- ``models/served.json``: ``{key: {"model_id", "path", "promoted_at", "reason", "last_decision"}}``,
  the pointer the app and :func:`load_served` follow. A key whose candidates never beat the
  baselines has ``model_id`` and ``path`` null and the reason: nothing is served for it.
- ``models/candidates/<key>/``: the latest candidate of a key that was *not* promoted, kept with
  its card (which says why) for inspection; it is never served.
- ``model_id`` = ``<key>-<first 12 hex digits of sha256(model.ubj)>``: the same bytes, the same id.

Loading never uses pickle: :func:`load_model` refuses ``.pkl``, ``.pickle`` and ``.joblib`` files
(and any file starting with a pickle protocol byte), because unpickling runs arbitrary code. It
checks that ``model.ubj`` still has the sha256 written in its card.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xgboost as xgb

from sim.settings import ROOT

MODELS_DIR = ROOT / "models"
SERVED_FILE = "served.json"
CANDIDATES_DIR = "candidates"
MODEL_FILE = "model.ubj"
CARD_FILE = "card.json"
MODEL_SUFFIXES = (".ubj", ".json")
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")


class UnsafeModelError(ValueError):
    """A pickle-based model file was offered; only XGBoost JSON/UBJ with a card is loaded."""


class ModelCardError(ValueError):
    """A model's card is missing or does not match its model file."""


def model_key(symbol: str, interval: str, horizon: int) -> str:
    return f"{symbol}-{interval}-h{horizon}"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ForecastModel:
    """A loaded model: the booster, its card (a plain dict, as stored) and where it came from.

    ``path`` is None for a model trained in memory and never saved (the Backtest lab's
    walk-forward models, :mod:`.window`).
    """

    booster: xgb.Booster
    card: dict[str, Any]
    path: Path | None

    @property
    def model_id(self) -> str:
        return str(self.card["model_id"])

    @property
    def symbol(self) -> str:
        return str(self.card["symbol"])

    @property
    def interval(self) -> str:
        return str(self.card["interval"])

    @property
    def horizon(self) -> int:
        return int(self.card["horizon"])

    @property
    def feature_names(self) -> list[str]:
        return [f["name"] for f in self.card["features"]]

    @property
    def label_map(self) -> dict[int, str]:
        return {int(k): v for k, v in self.card["label_map"].items()}

    @property
    def flat_k(self) -> float:
        return float(self.card["label_definition"]["k"])

    @property
    def min_history_bars(self) -> int:
        return int(self.card["min_history_bars"])


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def card_json(card: dict[str, Any]) -> bytes:
    return (json.dumps(card, indent=2, sort_keys=False) + "\n").encode()


def save_model(model_bytes: bytes, card: dict[str, Any], directory: Path) -> Path:
    """Write ``model.ubj`` and ``card.json`` into ``directory`` (replacing both)."""
    if card.get("model_sha256") != sha256_bytes(model_bytes):
        raise ModelCardError("card.model_sha256 does not match the model bytes")
    _atomic_write(directory / MODEL_FILE, model_bytes)
    _atomic_write(directory / CARD_FILE, card_json(card))
    return directory


def _refuse_pickle(path: Path) -> None:
    if path.suffix.lower() in PICKLE_SUFFIXES:
        raise UnsafeModelError(
            f"refusing to load {path}: pickle-based model files ({', '.join(PICKLE_SUFFIXES)}) "
            "can run arbitrary code when loaded. Load an XGBoost model saved as .ubj or .json "
            "with its card.json (retrain with `python -m sim.analytics.forecast train --all`)."
        )


def load_model(path: str | Path) -> ForecastModel:
    """Load a model directory (or its ``model.ubj``/``model.json``) with its ``card.json``."""
    path = Path(path)
    _refuse_pickle(path)
    if path.is_dir():
        candidates = [path / f"model{suffix}" for suffix in MODEL_SUFFIXES]
        found = [p for p in candidates if p.exists()]
        if not found:
            pickles = sorted(p.name for p in path.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)
            if pickles:
                _refuse_pickle(path / pickles[0])
            raise FileNotFoundError(f"no model.ubj or model.json in {path}")
        model_path, directory = found[0], path
    else:
        if path.suffix.lower() not in MODEL_SUFFIXES:
            raise UnsafeModelError(f"refusing to load {path}: only .ubj or .json models are loaded")
        model_path, directory = path, path.parent
    data = model_path.read_bytes()
    if data[:1] == b"\x80":
        raise UnsafeModelError(f"refusing to load {model_path}: its content is a Python pickle")
    card_path = directory / CARD_FILE
    if not card_path.exists():
        raise ModelCardError(f"{model_path} has no {CARD_FILE} beside it; a model needs its card")
    card = json.loads(card_path.read_text())
    if card.get("model_sha256") != sha256_bytes(data):
        raise ModelCardError(f"{model_path} does not match the sha256 in {card_path}")
    booster = xgb.Booster()
    booster.load_model(bytearray(data))
    booster.set_param({"nthread": 1})
    return ForecastModel(booster=booster, card=card, path=directory)


def read_served(models_dir: Path = MODELS_DIR) -> dict[str, dict[str, Any]]:
    path = models_dir / SERVED_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def write_served(served: dict[str, dict[str, Any]], models_dir: Path = MODELS_DIR) -> None:
    _atomic_write(models_dir / SERVED_FILE, card_json(dict(sorted(served.items()))))


def served_card(key: str, models_dir: Path = MODELS_DIR) -> dict[str, Any] | None:
    """The card of the served model of ``key``, or None when nothing is served."""
    entry = read_served(models_dir).get(key)
    if entry is None or entry.get("path") is None:
        return None
    card_path = models_dir / entry["path"] / CARD_FILE
    return json.loads(card_path.read_text()) if card_path.exists() else None


def load_served(
    symbol: str, interval: str = "1h", horizon: int = 1, models_dir: Path = MODELS_DIR
) -> ForecastModel | None:
    """The served model of a symbol, interval and horizon, or None when none is served."""
    entry = read_served(models_dir).get(model_key(symbol, interval, horizon))
    if entry is None or entry.get("path") is None:
        return None
    return load_model(models_dir / entry["path"])
