"""Add the skill split and the all-folds record to existing cards without touching their models.

``python -m sim.analytics.forecast recard`` (every card under ``models/``, served and candidates):

1. loads the candles the card names (``data.source``) and checks their fingerprint against the
   card's (a different file would describe a different model: refused);
2. re-runs the card's walk-forward (same folds, same parameters, features and seed; the cards do
   not store their out-of-sample predictions) and checks that every model's per-fold log loss
   equals the card's to 1e-9, so the rows scored are the rows the card describes;
3. writes ``validation.skill_split`` and ``validation.all_folds`` (:mod:`.record`) and appends the
   all-folds figure to the promotion reason (and to ``served.json``'s reason for that model).
``model.ubj``, ``model_sha256`` and ``model_id`` are unchanged; so is the promotion decision.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from sim.analytics.forecast.data import load_candles
from sim.analytics.forecast.dataset import build_dataset
from sim.analytics.forecast.evaluate import PromotionDecision, walk_forward, with_all_folds
from sim.analytics.forecast.registry import (
    CANDIDATES_DIR,
    CARD_FILE,
    MODELS_DIR,
    _atomic_write,
    card_json,
    read_served,
    write_served,
)
from sim.analytics.forecast.train import config_from_card, validation_record
from sim.settings import ROOT

ALL_FOLDS_MARK = "; over all "


class RecardError(ValueError):
    """The card cannot be re-scored faithfully (other data, unknown features, other fold scores)."""


def card_paths(models_dir: Path = MODELS_DIR) -> list[Path]:
    """Every per-symbol card: ``models/<key>/card.json`` and ``models/candidates/<key>/card.json``."""
    own = [p for p in sorted(models_dir.glob(f"*/{CARD_FILE}")) if p.parent.name != CANDIDATES_DIR]
    return own + sorted((models_dir / CANDIDATES_DIR).glob(f"*/{CARD_FILE}"))


def recard(card_path: Path, models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    """Re-score one card (see the module docstring); returns the new card, already written."""
    card = json.loads(card_path.read_text())
    if card.get("pooled"):
        raise RecardError(f"{card_path} is a pooled model's card: retrain it (python -m ... pooled)")
    config = config_from_card(card)
    if config is None:
        raise RecardError(f"{card_path}: features unknown to this code")
    source = Path(card["data"]["source"])
    frame = load_candles(card["symbol"], source if source.is_absolute() else ROOT / source)
    dataset = build_dataset(
        frame,
        int(card["horizon"]),
        symbol=card["symbol"],
        interval=card["interval"],
        k=float(card["label_definition"]["k"]),
        feature_names=config.feature_names,
    )
    if dataset.fingerprint != card["data"]["fingerprint_sha256"]:
        raise RecardError(f"{card_path}: the candles in {source} are not the ones the model was trained on")
    report = walk_forward(dataset, config, n_folds=len(card["validation"]["folds"]))
    for name, stored in card["validation"]["models"].items():
        got = report.models[name].fold_log_losses()
        want = [f["log_loss"] for f in stored["folds"]]
        if len(got) != len(want) or max(abs(a - b) for a, b in zip(got, want, strict=True)) > 1e-9:
            raise RecardError(f"{card_path}: {name}'s fold scores differ from the card's: {got} vs {want}")
    card["validation"].update(validation_record(report, config.seed))
    promotion = dict(card["promotion"])
    promotion["reason"] = str(promotion["reason"]).split(ALL_FOLDS_MARK)[0]
    known = {f.name for f in fields(PromotionDecision)}
    decision = with_all_folds(PromotionDecision(**{k: v for k, v in promotion.items() if k in known}), report)
    card["promotion"] = asdict(decision)
    _atomic_write(card_path, card_json(card))
    served = read_served(models_dir)
    key = card_path.parent.name
    entry = served.get(key)
    if entry is not None:
        if entry.get("model_id") == card["model_id"]:
            entry["reason"] = decision.reason
        last = entry.get("last_decision") or {}
        if last.get("candidate_id") == card["model_id"]:
            last["reason"] = decision.reason
        if entry.get("model_id") is None and last.get("candidate_id") == card["model_id"]:
            entry["reason"] = f"nothing served: {decision.reason}"
        write_served(served, models_dir)
    return card


def recard_all(models_dir: Path = MODELS_DIR) -> list[dict[str, Any]]:
    """:func:`recard` of every card from :func:`card_paths`."""
    return [recard(path, models_dir) for path in card_paths(models_dir)]
