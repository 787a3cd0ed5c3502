"""The pooled model: one XGBoost model over the shipped symbols, for symbols without a model.

``python -m sim.analytics.forecast pooled [--seed 42]`` builds ``models/pooled/1h-h1`` and
``models/pooled/1h-h4`` (``model.ubj`` + ``card.json``). Definitions and assumptions:

- **Features**: :data:`~.features.POOLED_FEATURE_NAMES`, volatility-normalized so a symbol's
  volatility level does not identify it (see :data:`~.features.SCALE_FREE`). Labels as for the
  per-symbol models (:mod:`.labels`, the same flat band ``k``).
- **Time folds**, shared by every symbol: the rows of all symbols sorted by ``open_time``; the first
  :data:`~.evaluate.MIN_TRAIN_FRACTION` of them only train; the rest is cut into
  :data:`~.evaluate.N_FOLDS` blocks of equal row count. A fold starting at ``T`` trains on rows with
  ``open_time < T - h * interval`` (every training label was known before the first test forecast,
  as in :mod:`.evaluate`), whichever symbol they belong to.
- **Leave-one-symbol-out** (``validation.loso``): for each symbol ``S`` and fold, the model is
  trained on the *other* symbols' rows before the fold and scored on ``S``'s rows in the fold; this
  is the record of a symbol the model has never seen (a symbol served only by this model).
  **In-pool** (``validation.in_pool``): trained on every symbol's rows before the fold (``S``'s
  past included), scored per symbol; the record of a shipped symbol served by this model.
- The reference (climatology) of each symbol is the ``majority`` baseline of its own training rows
  before the fold; scores and the skill split as in :mod:`.record` and :mod:`.skill`; ``all`` pools
  every symbol's rows (bootstrap weeks shared across symbols).
- The served pooled model is fitted on every labelled row of every symbol; the card says which.
  Seeded: the same data, parameters and seed give the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xgboost as xgb
from numpy.typing import NDArray

from sim.analytics.forecast import baselines
from sim.analytics.forecast import model as xgb_model
from sim.analytics.forecast.data import SHIPPED_SYMBOLS, default_path, interval_ms, load_candles
from sim.analytics.forecast.dataset import Dataset, build_dataset
from sim.analytics.forecast.evaluate import MIN_TRAIN_FRACTION, N_FOLDS
from sim.analytics.forecast.features import ALL_FEATURES, MIN_HISTORY_BARS, POOLED_FEATURE_NAMES
from sim.analytics.forecast.labels import LABEL_MAP
from sim.analytics.forecast.metrics import score
from sim.analytics.forecast.record import skill_record
from sim.analytics.forecast.registry import MODELS_DIR, save_model, sha256_bytes
from sim.analytics.forecast.train import iso, label_definition

POOLED_DIR = "pooled"
POOLED_SYMBOL = "POOLED"


def pooled_dir(models_dir: Path, interval: str, horizon: int) -> Path:
    """``models/pooled/<interval>-h<horizon>``."""
    return models_dir / POOLED_DIR / f"{interval}-h{horizon}"


def time_folds(open_times: NDArray[np.int64], n_folds: int = N_FOLDS) -> list[tuple[int, int]]:
    """``[(start_ms, end_ms_exclusive)]`` of the shared time folds (see the module docstring)."""
    t = np.sort(open_times)
    first = int(len(t) * MIN_TRAIN_FRACTION)
    edges = np.linspace(first, len(t), n_folds + 1).astype(int)
    out = []
    for i in range(n_folds):
        start = int(t[edges[i]])
        end = int(t[edges[i + 1]]) if edges[i + 1] < len(t) else int(t[-1]) + 1
        out.append((start, end))
    return out


def _fit_proba(parts: Sequence[tuple[NDArray[Any], NDArray[Any]]], x_test: NDArray[Any], seed: int) -> Any:
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    booster = xgb_model.fit(
        x, y, params=xgb_model.XGB_PARAMS, num_boost_round=xgb_model.NUM_BOOST_ROUND, seed=seed
    )
    return xgb_model.predict_proba(booster, x_test)


def _summary(rows: dict[str, list[NDArray[Any]]], seed: int) -> dict[str, Any]:
    y, t = np.concatenate(rows["y"]), np.concatenate(rows["t"])
    proba = {"xgboost": np.vstack(rows["xgboost"]), "majority": np.vstack(rows["majority"])}
    return {
        "n": len(y),
        "scores": {name: score(y, p).to_dict() for name, p in proba.items()},
        "skill_split": skill_record(y, t, proba, seed=seed)["models"]["xgboost"],
    }


def evaluate(datasets: dict[str, Dataset], *, seed: int, n_folds: int = N_FOLDS) -> dict[str, Any]:
    """``{"folds", "loso": {"per_symbol", "all"}, "in_pool": {"per_symbol", "all"}}``."""
    horizon = next(iter(datasets.values())).horizon
    gap = horizon * interval_ms(next(iter(datasets.values())).interval)
    folds = time_folds(np.concatenate([d.open_time for d in datasets.values()]), n_folds)
    keys = ("y", "t", "xgboost", "majority")
    loso: dict[str, dict[str, list[Any]]] = {s: {k: [] for k in keys} for s in datasets}
    pool: dict[str, dict[str, list[Any]]] = {s: {k: [] for k in keys} for s in datasets}
    for start, end in folds:
        train = {s: d.open_time < start - gap for s, d in datasets.items()}
        test = {s: (d.open_time >= start) & (d.open_time < end) for s, d in datasets.items()}
        parts = {s: (d.X[train[s]], d.y[train[s]]) for s, d in datasets.items()}
        x_all = np.vstack([d.X[test[s]] for s, d in datasets.items()])
        p_all = _fit_proba(list(parts.values()), x_all, seed)
        offset = 0
        for s, d in datasets.items():
            n = int(test[s].sum())
            if n == 0:
                continue
            clim = baselines.majority_proba(d.y[train[s]], n)
            p_in = p_all[offset : offset + n]
            offset += n
            p_out = _fit_proba([parts[o] for o in datasets if o != s], d.X[test[s]], seed)
            for target, p in ((pool[s], p_in), (loso[s], p_out)):
                target["y"].append(d.y[test[s]])
                target["t"].append(d.open_time[test[s]])
                target["xgboost"].append(p)
                target["majority"].append(clim)

    def section(rows: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
        merged = {k: [a for s in rows for a in rows[s][k]] for k in keys}
        return {"per_symbol": {s: _summary(r, seed) for s, r in rows.items()}, "all": _summary(merged, seed)}

    return {
        "folds": [{"test_start": iso(a), "test_end": iso(b - 1)} for a, b in folds],
        "loso": section(loso),
        "in_pool": section(pool),
    }


def train_pooled(
    horizon: int,
    *,
    symbols: Sequence[str] = SHIPPED_SYMBOLS,
    interval: str = "1h",
    seed: int = xgb_model.DEFAULT_SEED,
    models_dir: Path = MODELS_DIR,
    data_dir: Path | None = None,
    n_folds: int = N_FOLDS,
) -> dict[str, Any]:
    """Validate (leave-one-symbol-out and in-pool), fit on everything, write; returns the card."""
    from datetime import UTC, datetime

    started = time.perf_counter()
    names = POOLED_FEATURE_NAMES
    datasets = {}
    sources = {}
    for s in symbols:
        path = (data_dir / f"{s}-{interval}.csv.gz") if data_dir else default_path(s, interval)
        datasets[s] = build_dataset(
            load_candles(s, path), horizon, symbol=s, interval=interval, feature_names=names
        )
        sources[s] = {"fingerprint_sha256": datasets[s].fingerprint, "n_rows": len(datasets[s])}
    validation = evaluate(datasets, seed=seed, n_folds=n_folds)
    x = np.vstack([d.X for d in datasets.values()])
    y = np.concatenate([d.y for d in datasets.values()])
    booster = xgb_model.fit(
        x,
        y,
        params=xgb_model.XGB_PARAMS,
        num_boost_round=xgb_model.NUM_BOOST_ROUND,
        seed=seed,
        feature_names=list(names),
    )
    model_bytes = bytes(booster.save_raw("ubj"))
    digest = sha256_bytes(model_bytes)
    key = f"{POOLED_DIR}-{interval}-h{horizon}"
    card = {
        "schema": 1,
        "model_id": f"{key}-{digest[:12]}",
        "symbol": POOLED_SYMBOL,
        "pooled": {"trained_on": list(symbols), "feature_set": "volatility-normalized (scale-free)"},
        "interval": interval,
        "horizon": horizon,
        "model_file": "model.ubj",
        "model_sha256": digest,
        "features": [{"name": n, "definition": ALL_FEATURES[n]} for n in names],
        "min_history_bars": MIN_HISTORY_BARS,
        "label_map": {str(k): v for k, v in LABEL_MAP.items()},
        "label_definition": label_definition(),
        "xgboost": {
            "version": xgb.__version__,
            "params": dict(xgb_model.XGB_PARAMS),
            "num_boost_round": xgb_model.NUM_BOOST_ROUND,
        },
        "seed": seed,
        "training": {
            "n_rows": len(y),
            "class_counts": {LABEL_MAP[c]: int((y == c).sum()) for c in LABEL_MAP},
            "symbols": sources,
        },
        "validation": {
            "scheme": (
                f"{n_folds} time folds shared by every symbol over the last {1 - MIN_TRAIN_FRACTION:.0%} "
                f"of the pooled rows; a fold starting at T trains on rows with open_time < T - "
                f"{horizon} bar(s). loso: trained without the scored symbol (leave one symbol out); "
                "in_pool: trained on every symbol's past. Reference: each symbol's own climatology "
                "(majority baseline of its training rows)"
            ),
            **validation,
        },
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    save_model(model_bytes, card, pooled_dir(models_dir, interval, horizon))
    return card
