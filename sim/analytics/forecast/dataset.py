"""The supervised data set: one row per candle with full features and a label.

Definitions:
- ``bar`` is a row's position in the candle frame (0-based); it is what the walk-forward folds
  and the leakage gap count in, so gaps in time never shift a fold.
- A row is kept when it has at least :data:`~.features.MIN_HISTORY_BARS` bars of history
  (``bar >= MIN_HISTORY_BARS - 1``), every feature is defined and it has a label (see
  :mod:`.labels`: none within ``h`` bars of the end or across a gap).
- ``last_move`` is the label of row ``bar - h`` (known at the row's time) or -1 when unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from sim.analytics.forecast.data import fingerprint, to_polars
from sim.analytics.forecast.features import ALL_FEATURES, FEATURE_NAMES, MIN_HISTORY_BARS, compute_features
from sim.analytics.forecast.labels import FLAT_K, label_frame


@dataclass(frozen=True)
class Dataset:
    symbol: str
    interval: str
    horizon: int
    feature_names: tuple[str, ...]
    bar: NDArray[np.int64]
    open_time: NDArray[np.int64]
    X: NDArray[np.float64]
    y: NDArray[np.int64]
    last_move: NDArray[np.int64]
    fingerprint: str
    n_candles: int
    first_open_time: int
    last_open_time: int

    def __len__(self) -> int:
        return len(self.y)

    def rows(self, mask: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        return self.X[mask], self.y[mask]


def build_dataset(
    candles: Any,
    horizon: int,
    *,
    symbol: str = "",
    interval: str = "1h",
    k: float = FLAT_K,
    feature_names: Sequence[str] = FEATURE_NAMES,
) -> Dataset:
    """Features and labels of ``candles`` joined into arrays; see the module docstring."""
    frame = to_polars(candles)
    names = tuple(feature_names)
    unknown = [n for n in names if n not in ALL_FEATURES]
    if unknown:
        raise ValueError(f"unknown features {unknown}")
    feats = compute_features(frame).select(names)
    labels = label_frame(frame, horizon, k=k, interval=interval).select("open_time", "label", "last_move")
    table = (
        pl.concat([labels, feats], how="horizontal")
        .with_row_index("bar")
        .filter(pl.col("bar") >= MIN_HISTORY_BARS - 1)
        .drop_nulls(["label", *names])
    )
    return Dataset(
        symbol=symbol,
        interval=interval,
        horizon=horizon,
        feature_names=names,
        bar=table["bar"].cast(pl.Int64).to_numpy(),
        open_time=table["open_time"].to_numpy(),
        X=table.select(names).to_numpy().astype(np.float64),
        y=table["label"].cast(pl.Int64).to_numpy(),
        last_move=table["last_move"].fill_null(-1).cast(pl.Int64).to_numpy(),
        fingerprint=fingerprint(frame),
        n_candles=frame.height,
        first_open_time=int(frame["open_time"][0]) if frame.height else 0,
        last_open_time=int(frame["open_time"][-1]) if frame.height else 0,
    )
