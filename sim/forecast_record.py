"""The track record of the stored forecasts: hit rate and Brier score against baselines.

Reads the ``forecasts`` table (see :mod:`sim.adapters.ledger.forecasts_store`) and scores the
scored rows with the same bands and candles as :func:`sim.forecasting.score_forecasts`; the
definitions are :data:`sim.forecasting.TRACK_RECORD_DEFINITIONS`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.forecasting import (
    OUTCOMES,
    TRACK_RECORD_DEFINITIONS,
    VOID,
    _bands,
    _candles_for,
    _models_dir,
    _to_forecast,
)

if TYPE_CHECKING:
    from sim.service_layer.context import ServiceContext as Simulator


@dataclass(frozen=True)
class Score:
    """Hit rate and Brier score of one predictor over the scored forecasts."""

    hit_rate: float
    brier: float


@dataclass(frozen=True)
class ForecastTrackRecord:
    """How the served forecasts did; see the module docstring for the definitions.

    ``n_scored`` counts forecasts with an outcome (``void`` excluded), ``n_pending`` those whose
    horizon has not passed or whose candles are not in the history yet, ``n_void`` those across a
    data gap. ``model``/``baselines`` are None while nothing is scored. ``by_symbol`` holds the
    same numbers per symbol.
    """

    symbol: str | None
    horizon: int | None
    n_scored: int
    n_pending: int
    n_void: int
    model: Score | None
    baselines: dict[str, Score]
    by_symbol: dict[str, dict[str, Any]] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=lambda: dict(TRACK_RECORD_DEFINITIONS))

    @property
    def best_baseline(self) -> tuple[str, Score] | None:
        """The baseline with the lowest Brier score, or None."""
        if not self.baselines:
            return None
        name = min(self.baselines, key=lambda n: self.baselines[n].brier)
        return name, self.baselines[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "horizon": self.horizon,
            "n_scored": self.n_scored,
            "n_pending": self.n_pending,
            "n_void": self.n_void,
            "model": None if self.model is None else vars(self.model),
            "baselines": {k: vars(v) for k, v in self.baselines.items()},
            "by_symbol": {
                sym: {
                    "n_scored": e["n_scored"],
                    "model": vars(e["model"]),
                    "baselines": {k: vars(v) for k, v in e["baselines"].items()},
                }
                for sym, e in self.by_symbol.items()
            },
            "definitions": self.definitions,
        }


def track_record(
    sim: Simulator, symbol: str | None = None, horizon: int | None = None
) -> ForecastTrackRecord:
    """The track record of the stored forecasts (optionally of one symbol / horizon); reads only."""
    from sim.analytics.forecast import score

    if symbol is not None:
        symbol = sim.instruments.get_or_raise(symbol).symbol
    rows = sim.forecast_log.all_of(symbol, horizon)
    pending = sum(r.outcome is None for r in rows)
    void = sum(r.outcome == VOID for r in rows)
    scored: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in rows:
        if r.outcome in OUTCOMES and r.symbol in sim.instruments:
            scored[(r.symbol, r.interval)].append(r)
    per: list[tuple[str, int, Score, dict[str, Score]]] = []
    for (sym, interval), members in scored.items():
        candles = _candles_for(sim, sym, interval, members, full=True)
        bands = _bands(candles, members, _models_dir(sim))
        record = score([_to_forecast(r, bands[int(r.id)], _models_dir(sim)) for r in members], candles)
        if record.n_scored and record.hit_rate is not None and record.brier is not None:
            per.append(
                (
                    sym,
                    record.n_scored,
                    Score(record.hit_rate, record.brier),
                    {k: Score(v.hit_rate, v.brier) for k, v in record.baselines.items()},
                )
            )
    n = sum(p[1] for p in per)
    if not n:
        return ForecastTrackRecord(symbol, horizon, 0, pending, void, None, {})

    def pooled(scores: list[tuple[int, Score]]) -> Score:
        total = sum(w for w, _ in scores)
        return Score(
            sum(w * s.hit_rate for w, s in scores) / total, sum(w * s.brier for w, s in scores) / total
        )

    model = pooled([(p[1], p[2]) for p in per])
    names = sorted({k for p in per for k in p[3]})
    baselines = {k: pooled([(p[1], p[3][k]) for p in per if k in p[3]]) for k in names}
    by_symbol: dict[str, dict[str, Any]] = {}
    for sym in sorted({p[0] for p in per}):
        mine = [p for p in per if p[0] == sym]
        by_symbol[sym] = {
            "n_scored": sum(p[1] for p in mine),
            "model": pooled([(p[1], p[2]) for p in mine]),
            "baselines": {k: pooled([(p[1], p[3][k]) for p in mine if k in p[3]]) for k in names},
        }
    return ForecastTrackRecord(symbol, horizon, n, pending, void, model, baselines, by_symbol)
