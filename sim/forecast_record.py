"""The track record of the stored forecasts: hit rate and Brier score against baselines.

Reads the ``forecasts`` table (see :mod:`sim.adapters.ledger.forecasts_store`) and scores the
scored rows with the same bands and candles as :func:`sim.forecasting.score_forecasts`; the
definitions are :data:`sim.forecasting.TRACK_RECORD_DEFINITIONS` (English, the source), in any
language through :func:`track_record_definitions` (the Korean in :data:`WORDS`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.domain.words import say
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

#: the track record's definitions per language; English is :data:`TRACK_RECORD_DEFINITIONS` itself
WORDS: dict[str, dict[str, str]] = {
    "en": dict(TRACK_RECORD_DEFINITIONS),
    "ko": {
        "hit_rate": "채점된 예측 가운데 가장 확률이 높았던 클래스가 실제 결과와 같았던 비율",
        "brier": "다중 클래스 Brier 점수: 클래스마다 (p - 결과)^2를 더한 값의 평균; 0이 가장 좋고 2가 "
        "가장 나쁨",
        "last_move": (
            "기준 모델: 직전에 완료된 h봉 움직임의 클래스에 확률 q(과거 움직임이 바로 앞 움직임을 "
            "반복한 비율을 평활한 값)를, 나머지 두 클래스에 각각 (1 - q) / 2를 줍니다"
        ),
        "majority": "기준 모델: 예측 시점에 이미 알려진 라벨들의 평활한 빈도",
        "outcome": (
            "ln(close[t+h] / close[t])를 보합 구간 k * rv_24[t] * sqrt(h)와 비교한 클래스: -구간 아래면 "
            "하락, +구간 위면 상승, 그 밖은 보합 (학습 라벨과 같음)"
        ),
    },
}


def track_record_definitions(lang: str = "en") -> dict[str, str]:
    """:data:`TRACK_RECORD_DEFINITIONS` in ``lang`` (English for an unknown language)."""
    return {key: say(WORDS, lang, key) for key in TRACK_RECORD_DEFINITIONS}


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
