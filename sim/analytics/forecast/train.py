"""Training: walk-forward validation, the final fit on all labelled rows, cards and promotion.

One documented command builds every shipped model from the shipped data::

    python -m sim.analytics.forecast train --all [--seed 42]

For each symbol (the five shipped ones) and horizon (1 and 4 bars of 1h) it:
1. loads ``data/sample/<SYMBOL>-1h.csv.gz`` and builds the data set (:mod:`.dataset`);
2. runs the walk-forward folds (:mod:`.evaluate`) for the XGBoost candidate, the baselines and the
   served model's configuration (if one is served);
3. fits the candidate on every labelled row and builds its card (with the skill split and the
   all-folds record of its out-of-sample rows, :mod:`.record`);
4. applies the promotion rule: if promoted, writes it to ``models/<key>/`` and points
   ``models/served.json`` at it; otherwise writes it to ``models/candidates/<key>/`` (its card says
   why), the served model (if any) stays, and ``served.json`` records the decision.
Reproducible: the same data, parameters and seed give the same ``model.ubj`` bytes and model id
(``created_at`` in a card is the only time-dependent field); a rerun that reproduces the served
model, or the kept rejected candidate, byte for byte writes nothing, so ``models/`` is unchanged.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xgboost as xgb

from sim.analytics.forecast import model as xgb_model
from sim.analytics.forecast.data import SHIPPED_SYMBOLS, default_path, load_candles, to_polars
from sim.analytics.forecast.dataset import Dataset, build_dataset
from sim.analytics.forecast.evaluate import (
    CANDIDATE,
    MIN_TRAIN_FRACTION,
    N_FOLDS,
    N_RECENT_FOLDS,
    SERVED,
    PromotionDecision,
    WalkForwardReport,
    XgbConfig,
    decide,
    walk_forward,
    with_all_folds,
)
from sim.analytics.forecast.features import ALL_FEATURES, FEATURE_NAMES, MIN_HISTORY_BARS
from sim.analytics.forecast.labels import BAND_VOL_WINDOW, FLAT_K, LABEL_MAP
from sim.analytics.forecast.record import all_folds_record, skill_record
from sim.analytics.forecast.registry import (
    CANDIDATES_DIR,
    CARD_FILE,
    MODELS_DIR,
    model_key,
    read_served,
    save_model,
    served_card,
    sha256_bytes,
    write_served,
)

HORIZONS = (1, 4)
CARD_SCHEMA = 1


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def label_definition() -> dict[str, Any]:
    """The card's ``label_definition``: the flat band's ``k``, its volatility window and the rule."""
    return {
        "k": FLAT_K,
        "vol_window": BAND_VOL_WINDOW,
        "text": (
            f"R = ln(close[t+h]/close[t]); band = k * rv_{BAND_VOL_WINDOW}[t] * sqrt(h); "
            "down if R < -band, up if R > band, else flat; no label across a data gap"
        ),
    }


@dataclass
class TrainResult:
    key: str
    model_id: str
    decision: PromotionDecision
    report: WalkForwardReport
    card: dict[str, Any]
    model_dir: Path  # models/<key> if promoted, else models/candidates/<key>
    served_id: str | None
    seconds: float


def config_from_card(card: dict[str, Any]) -> XgbConfig | None:
    """The refit configuration of a served model, or None if its features are not known here."""
    names = tuple(f["name"] for f in card["features"])
    if any(name not in ALL_FEATURES for name in names):
        return None
    return XgbConfig(
        params=dict(card["xgboost"]["params"]),
        num_boost_round=int(card["xgboost"]["num_boost_round"]),
        seed=int(card["seed"]),
        feature_names=names,
    )


def _metrics(report: WalkForwardReport, n_recent: int) -> dict[str, Any]:
    return {
        name: {
            "recent_log_loss": report.recent_log_loss(name, n_recent),
            "overall": evaluation.overall.to_dict(),
            "folds": [s.to_dict() for s in evaluation.folds],
            "reliability": [asdict(b) for b in evaluation.reliability],
        }
        for name, evaluation in report.models.items()
    }


def validation_record(report: WalkForwardReport, seed: int) -> dict[str, Any]:
    """The card's ``skill_split`` and ``all_folds`` entries (:mod:`.record`) of a report."""
    if not len(report.y):
        return {}
    proba = {k: v for k, v in report.proba.items() if k != SERVED}
    return {
        "skill_split": skill_record(report.y, report.open_time, proba, seed=seed),
        "all_folds": all_folds_record(report.y, report.open_time, proba, CANDIDATE, len(report.folds)),
    }


def build_card(
    *,
    dataset: Dataset,
    model_bytes: bytes,
    config: XgbConfig,
    report: WalkForwardReport,
    decision: PromotionDecision,
    data_source: str,
    n_recent: int,
) -> dict[str, Any]:
    key = model_key(dataset.symbol, dataset.interval, dataset.horizon)
    digest = sha256_bytes(model_bytes)
    return {
        "schema": CARD_SCHEMA,
        "model_id": f"{key}-{digest[:12]}",
        "symbol": dataset.symbol,
        "interval": dataset.interval,
        "horizon": dataset.horizon,
        "model_file": "model.ubj",
        "model_sha256": digest,
        "features": [{"name": n, "definition": ALL_FEATURES[n]} for n in config.feature_names],
        "min_history_bars": MIN_HISTORY_BARS,
        "label_map": {str(k): v for k, v in LABEL_MAP.items()},
        "label_definition": label_definition(),
        "xgboost": {
            "version": xgb.__version__,
            "params": config.params,
            "num_boost_round": config.num_boost_round,
        },
        "seed": config.seed,
        "training": {
            "first_open_time": iso(int(dataset.open_time[0])),
            "last_open_time": iso(int(dataset.open_time[-1])),
            "n_rows": len(dataset),
            "class_counts": {LABEL_MAP[c]: int((dataset.y == c).sum()) for c in LABEL_MAP},
        },
        "data": {
            "source": data_source,
            "fingerprint_sha256": dataset.fingerprint,
            "fingerprint_definition": (
                "sha256 of open_time as little-endian int64 then open, high, low, close, volume "
                "as little-endian float64, each column contiguous"
            ),
            "n_candles": dataset.n_candles,
            "first_open_time": iso(dataset.first_open_time),
            "last_open_time": iso(dataset.last_open_time),
        },
        "validation": {
            "scheme": (
                f"walk-forward, expanding window, {len(report.folds)} folds over the last "
                f"{1 - MIN_TRAIN_FRACTION:.0%} of "
                f"rows; each fold trains on rows with bar < test start - {dataset.horizon} "
                "(the horizon), so no training label overlaps the test block"
            ),
            "n_recent": n_recent,
            "folds": [
                {
                    **asdict(f),
                    "test_start": iso(f.test_start_time),
                    "test_end": iso(f.test_end_time),
                }
                for f in report.folds
            ],
            "models": _metrics(report, n_recent),
            **validation_record(report, config.seed),
        },
        "promotion": asdict(decision),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def train_one(
    symbol: str,
    horizon: int,
    *,
    candles: Any = None,
    data_path: Path | None = None,
    interval: str = "1h",
    seed: int = xgb_model.DEFAULT_SEED,
    models_dir: Path = MODELS_DIR,
    n_folds: int = N_FOLDS,
    n_recent: int = N_RECENT_FOLDS,
    params: dict[str, Any] | None = None,
    num_boost_round: int = xgb_model.NUM_BOOST_ROUND,
) -> TrainResult:
    """Validate, fit, save and maybe promote one model; see the module docstring."""
    started = time.perf_counter()
    if candles is None:
        data_path = data_path or default_path(symbol, interval)
        frame = load_candles(symbol, data_path)
        source = (
            str(data_path.relative_to(models_dir.parent))
            if data_path.is_relative_to(models_dir.parent)
            else str(data_path)
        )
    else:
        frame = to_polars(candles)
        source = "frame passed by the caller"
    dataset = build_dataset(frame, horizon, symbol=symbol, interval=interval)
    config = XgbConfig(
        params=dict(params or xgb_model.XGB_PARAMS),
        num_boost_round=num_boost_round,
        seed=seed,
        feature_names=FEATURE_NAMES,
    )
    key = model_key(symbol, interval, horizon)
    current = served_card(key, models_dir)
    served_config = config_from_card(current) if current else None
    report = walk_forward(dataset, config, served=served_config, n_folds=n_folds)
    served_id = current["model_id"] if current else None
    if current is not None and served_config is None:
        decision = PromotionDecision(
            False,
            f"not promoted: the served model {served_id} uses features unknown to this code, so it "
            "cannot be evaluated on the same folds; it stays",
            n_recent,
            report.recent_log_loss(CANDIDATE, n_recent),
            None,
            {},
        )
        decision = with_all_folds(decision, report)
    else:
        same = served_config == config
        decision = decide(report, n_recent=n_recent, served_id=served_id, same_recipe=same)
    booster = xgb_model.fit(
        dataset.X,
        dataset.y,
        params=config.params,
        num_boost_round=num_boost_round,
        seed=seed,
        feature_names=list(config.feature_names),
    )
    model_bytes = bytes(booster.save_raw("ubj"))
    if current is not None and current["model_sha256"] == sha256_bytes(model_bytes):
        decision = PromotionDecision(
            False,
            f"unchanged: the candidate is byte-identical to the served model {served_id} "
            "(same data, parameters and seed); nothing written",
            n_recent,
            decision.candidate_log_loss,
            decision.served_log_loss,
            decision.baseline_log_loss,
            decision.all_folds,
        )
        return TrainResult(
            key=key,
            model_id=str(current["model_id"]),
            decision=decision,
            report=report,
            card=current,
            model_dir=models_dir / key,
            served_id=served_id,
            seconds=time.perf_counter() - started,
        )
    card = build_card(
        dataset=dataset,
        model_bytes=model_bytes,
        config=config,
        report=report,
        decision=decision,
        data_source=source,
        n_recent=n_recent,
    )
    served = read_served(models_dir)
    last = {
        "candidate_id": card["model_id"],
        "promoted": decision.promoted,
        "reason": decision.reason,
        "decided_at": card["created_at"],
    }
    rejected_dir = models_dir / CANDIDATES_DIR / key
    if decision.promoted:
        model_dir = save_model(model_bytes, card, models_dir / key)
        shutil.rmtree(rejected_dir, ignore_errors=True)
        served[key] = {
            "model_id": card["model_id"],
            "path": key,
            "promoted_at": card["created_at"],
            "reason": decision.reason,
            "last_decision": last,
        }
        served_id = card["model_id"]
    else:
        kept = rejected_dir / CARD_FILE
        if kept.exists() and json.loads(kept.read_text())["model_sha256"] == card["model_sha256"]:
            return TrainResult(
                key,
                card["model_id"],
                decision,
                report,
                card,
                rejected_dir,
                served_id,
                time.perf_counter() - started,
            )
        model_dir = save_model(model_bytes, card, rejected_dir)
        entry = served.get(key) or {"model_id": None, "path": None, "promoted_at": None}
        if entry.get("path") is None:
            entry["reason"] = f"nothing served: {decision.reason}"
        served[key] = {**entry, "last_decision": last}
    write_served(served, models_dir)
    return TrainResult(
        key=key,
        model_id=card["model_id"],
        decision=decision,
        report=report,
        card=card,
        model_dir=model_dir,
        served_id=served_id,
        seconds=time.perf_counter() - started,
    )


def train_all(
    symbols: Sequence[str] = SHIPPED_SYMBOLS,
    horizons: Sequence[int] = HORIZONS,
    *,
    seed: int = xgb_model.DEFAULT_SEED,
    models_dir: Path = MODELS_DIR,
    data_dir: Path | None = None,
) -> list[TrainResult]:
    """:func:`train_one` for every symbol and horizon (1h candles)."""
    results = []
    for symbol in symbols:
        path = (data_dir / f"{symbol}-1h.csv.gz") if data_dir else None
        for horizon in horizons:
            results.append(train_one(symbol, horizon, data_path=path, seed=seed, models_dir=models_dir))
    return results


def summary_table(results: Sequence[TrainResult]) -> str:
    """Markdown: recent-fold log loss of the candidate, each baseline and the served model."""
    head = (
        "| model | rows | xgboost | majority | last_move | logistic | served | "
        "acc xgb | acc maj | promoted | s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
    )
    lines = [head]
    for r in results:
        ll = {name: r.report.recent_log_loss(name, r.decision.n_recent) for name in r.report.models}
        served = f"{ll[SERVED]:.4f}" if SERVED in ll else "-"
        lines.append(
            f"| {r.key} | {r.card['training']['n_rows']} | {ll[CANDIDATE]:.4f} | "
            f"{ll['majority']:.4f} | {ll['last_move']:.4f} | {ll['logistic']:.4f} | {served} | "
            f"{r.report.models[CANDIDATE].overall.accuracy:.3f} | "
            f"{r.report.models['majority'].overall.accuracy:.3f} | "
            f"{'yes' if r.decision.promoted else 'no'} | {r.seconds:.1f} |"
        )
    return "\n".join(lines)
