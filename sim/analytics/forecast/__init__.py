"""Direction forecasts with XGBoost, validated walk-forward against simple baselines.

Public API (see each module's docstring for the definitions and assumptions)::

    from sim.analytics.forecast import load_candles, load_served, predict, score, analysis
    model = load_served("BTCUSDT", "1h", horizon=1)     # None when no model beat the baselines
    forecast = predict(model, candles)                  # Forecast: probabilities, as_of, ...
    record = score(past_forecasts, candles)             # TrackRecord vs last-move and majority
    reading = analysis(candles)                         # MarketAnalysis: trend, momentum, levels

Training: ``python -m sim.analytics.forecast train --all [--seed 42]`` (:mod:`.train`).
Modules: :mod:`.data` (loading, fingerprint), :mod:`.features`, :mod:`.labels`, :mod:`.dataset`,
:mod:`.model` (XGBoost parameters), :mod:`.baselines`, :mod:`.metrics`, :mod:`.evaluate`
(walk-forward folds, promotion rule), :mod:`.registry` (artifacts, safe loader), :mod:`.serve`,
:mod:`.analysis`. Importing the package does no I/O.
"""

from sim.analytics.forecast.analysis import Level, MarketAnalysis, Metric, analysis
from sim.analytics.forecast.data import fingerprint, load_candles, to_polars
from sim.analytics.forecast.dataset import Dataset, build_dataset
from sim.analytics.forecast.evaluate import (
    Fold,
    PromotionDecision,
    WalkForwardReport,
    XgbConfig,
    decide_promotion,
    walk_forward,
    walk_forward_folds,
)
from sim.analytics.forecast.features import FEATURE_NAMES, FEATURES, compute_features
from sim.analytics.forecast.labels import FLAT_K, LABEL_MAP, label_frame
from sim.analytics.forecast.registry import (
    ForecastModel,
    ModelCardError,
    UnsafeModelError,
    load_model,
    load_served,
)
from sim.analytics.forecast.serve import Forecast, NotEnoughHistory, TrackRecord, predict, score
from sim.analytics.forecast.train import TrainResult, train_all, train_one

__all__ = [
    "FEATURES",
    "FEATURE_NAMES",
    "FLAT_K",
    "LABEL_MAP",
    "Dataset",
    "Fold",
    "Forecast",
    "ForecastModel",
    "Level",
    "MarketAnalysis",
    "Metric",
    "ModelCardError",
    "NotEnoughHistory",
    "PromotionDecision",
    "TrackRecord",
    "TrainResult",
    "UnsafeModelError",
    "WalkForwardReport",
    "XgbConfig",
    "analysis",
    "build_dataset",
    "compute_features",
    "decide_promotion",
    "fingerprint",
    "label_frame",
    "load_candles",
    "load_model",
    "load_served",
    "predict",
    "score",
    "to_polars",
    "train_all",
    "train_one",
    "walk_forward",
    "walk_forward_folds",
]
