"""Which model serves a forecast: the symbol's own served model, else the pooled model.

- :func:`served_model` follows ``models/served.json`` for ``(symbol, interval, horizon)``. A key
  without a served model (never trained here, e.g. DOGEUSDT imported later, or one whose own
  candidates never beat the baselines) falls back to :func:`pooled_model`, the model in
  ``models/pooled/<interval>-h<horizon>`` (:mod:`sim.analytics.forecast.pooled`); its forecasts
  carry "pooled model, not trained on <symbol>" (or "trained on ...") and the matching record.
  Without a pooled model either, :class:`ForecastUnavailable` says what is served instead.
- Loaded models are cached in this process, keyed by their directory and model id (a model id is
  the hash of the model's bytes), so a retrained model is used as soon as the pointers change.
- Nothing is loaded at import time; :mod:`sim.analytics.forecast` (XGBoost) is imported lazily.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sim.domain.errors import SimError

if TYPE_CHECKING:
    from sim.analytics.forecast import ForecastModel


class ForecastUnavailable(SimError):
    """No forecast can be served: no served model, a broken model, or not enough history."""


_MODELS: dict[tuple[str, str], ForecastModel] = {}
_MODELS_LOCK = threading.Lock()


def clear_model_cache() -> None:
    """Forget the loaded models (tests, or after replacing a model file in place)."""
    with _MODELS_LOCK:
        _MODELS.clear()


def served_keys(models_dir: Path) -> list[str]:
    """The ``SYMBOL-interval-hH`` keys that have a served model."""
    from sim.analytics.forecast.registry import read_served

    return sorted(k for k, v in read_served(models_dir).items() if v.get("path"))


def served_model(models_dir: Path, symbol: str, interval: str, horizon: int) -> ForecastModel:
    """The served model of the key (cached); :class:`ForecastUnavailable` when there is none."""
    from sim.analytics.forecast.registry import model_key, read_served

    key = model_key(symbol, interval, horizon)
    try:
        served = read_served(models_dir)
    except (OSError, ValueError) as exc:
        raise ForecastUnavailable.of("forecast.served_unreadable", error=str(exc)) from exc
    entry = served.get(key)
    if entry is None or not entry.get("path"):
        pooled = pooled_model(models_dir, interval, horizon)
        if pooled is not None:
            return pooled
        available = [k for k, v in sorted(served.items()) if v.get("path") and k.startswith(f"{symbol}-")]
        why = f" ({entry['reason']})" if entry and entry.get("reason") else ""  # the card's own note
        raise ForecastUnavailable.of(
            "forecast.none_served_offer" if available else "forecast.none_served",
            symbol=symbol,
            interval=interval,
            horizon=horizon,
            why=why,
            **({"available": ", ".join(available)} if available else {}),
        )
    try:
        return _cached_load(models_dir / entry["path"], str(entry.get("model_id")))
    except (OSError, ValueError) as exc:
        raise ForecastUnavailable.of("forecast.model_unloadable", key=key, error=str(exc)) from exc


def _cached_load(directory: Path, model_id: str) -> ForecastModel:
    from sim.analytics.forecast.registry import load_model

    cache_key = (str(directory.resolve()), model_id)
    with _MODELS_LOCK:
        model = _MODELS.get(cache_key)
    if model is None:
        model = load_model(directory)
        with _MODELS_LOCK:
            _MODELS[cache_key] = model
    return model


def pooled_model(models_dir: Path, interval: str, horizon: int) -> ForecastModel | None:
    """The pooled model of ``(interval, horizon)`` (``models/pooled/<interval>-h<horizon>``), or
    None when there is none; :class:`ForecastUnavailable` when it is there but cannot be loaded."""
    import json

    from sim.analytics.forecast.pooled import pooled_dir

    directory = pooled_dir(models_dir, interval, horizon)
    try:
        card = json.loads((directory / "card.json").read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ForecastUnavailable.of(
            "forecast.pooled_card_unreadable", folder=str(directory), error=str(exc)
        ) from exc
    try:
        return _cached_load(directory, str(card.get("model_id")))
    except (OSError, ValueError) as exc:
        raise ForecastUnavailable.of(
            "forecast.pooled_unloadable", folder=str(directory), error=str(exc)
        ) from exc


@functools.lru_cache(maxsize=256)
def _card_k(models_dir: Path, model_id: str) -> float:
    """The flat-band ``k`` from the card of ``model_id`` (served or candidate), else FLAT_K.

    Cached: a model id is the hash of the model's bytes, so its card's ``k`` never changes."""
    import json

    from sim.analytics.forecast.labels import FLAT_K

    key = model_id.rsplit("-", 1)[0]
    pooled = models_dir / "pooled" / key.removeprefix("pooled-") / "card.json"
    for path in (models_dir / key / "card.json", models_dir / "candidates" / key / "card.json", pooled):
        try:
            card = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if card.get("model_id") == model_id:
            return float(card["label_definition"]["k"])
    return FLAT_K
