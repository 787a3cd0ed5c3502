"""Building one user's report: an HTML page with Plotly charts and a Parquet table of the fills.

What a report holds (for the user's *active* account, as of the end of its day in market time,
or of the market clock when that is earlier, :mod:`sim.reports.asof`; nothing later is read):
- the equity curve against holding BTC with the starting cash, and its drawdown (Plotly charts,
  from :meth:`Simulator.equity_history` as of that time, hourly closes);
- the return against buy-and-hold BTC over the same span, and the statistics of
  :func:`sim.analytics.stats.summary` (bar returns of that curve; a year is 365 days of bars);
- the fees (exact: summed as Decimal from the ledger), per symbol and in total;
- the closed round trips (:func:`sim.analytics.stats.round_trips`) and every fill;
- the forecast track record: the stored forecasts (``forecasts`` table) per symbol and horizon,
  with how many were scored and the hit rate and Brier score of the scored ones, and the served
  models' walk-forward log loss beside the baselines', from their cards.

The HTML is self-contained (plotly.js inlined once from the installed ``plotly`` package, about
5 MB), so it opens offline, from disk or inside the app. Every piece of text that comes from data
(names, symbols, reasons) is HTML-escaped. The Parquet file holds the fills (one row each;
``quantity``, ``price``, ``notional``, ``fee`` and ``realized_pnl`` as exact decimal text, plus
float columns for analytics) and the report's summary as JSON in the schema metadata under
``b"report"``.

A user without fills on the active account gets no report (there is nothing to report). What a
report holds is :mod:`sim.reports.data`; its HTML is :mod:`sim.reports.render`. A report is written
in its user's language (``users.language``; English when they chose none), or in the language the
caller names (the Reports page's on-demand build passes the page's); its words are
:mod:`sim.reports.words`. The Parquet table holds data only, no words.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analytics import stats
from sim.reports.asof import note, report_as_of
from sim.reports.data import ReportData
from sim.reports.render import render_html
from sim.reports.store import ReportInfo, check_report_id, list_reports, report_paths, write_atomic
from sim.reports.words import WORDS, word

log = logging.getLogger(__name__)


# --- gathering --------------------------------------------------------------------------------
def users_with_fills(sim: Any) -> list[int]:
    """Ids of the users whose active account has at least one fill, ascending."""
    return sim.forecast_log.users_with_fills()


FILL_COLUMNS = ["time", "symbol", "side", "quantity", "price", "notional", "fee", "liquidity"]
FILL_COLUMNS += ["realized_pnl", "order_id"]


def _fills_frame(sim: Any, user_id: int) -> pd.DataFrame:
    rows = sim.trades(user_id)
    return pd.DataFrame(
        [
            {
                "time": f.time,
                "symbol": f.symbol,
                "side": f.side,
                "quantity": f.quantity,
                "price": f.price,
                "notional": f.total_amount,
                "fee": f.fee,
                "liquidity": f.liquidity,
                "realized_pnl": f.realized_pnl,
                "order_id": f.order_id,
            }
            for f in rows
        ],
        columns=FILL_COLUMNS,
    )


def forecast_record(sim: Any, until: datetime | None = None) -> pd.DataFrame:
    """Stored forecasts per symbol and horizon: counts, scored, hit rate and Brier score.

    A forecast is *scored* when its ``outcome`` is set (by the scoring job); a hit is a scored
    forecast whose ``label`` (top class) equals the outcome. Brier is the multiclass Brier score of
    the scored ones (0 best, 2 worst). ``pending`` counts the unscored ones whose horizon has not
    passed by ``until``. Only forecasts made by ``until`` (``as_of <= until``) count.
    """
    rows = sim.forecast_log.made_by(until)
    columns = ["symbol", "horizon", "forecasts", "scored", "pending", "hits", "hit_rate", "brier"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    out = []
    for (symbol, horizon), group in frame.groupby(["symbol", "horizon"], sort=True):
        scored = group[group["outcome"].notna()]
        hits = int((scored["label"] == scored["outcome"]).sum())
        brier = math.nan
        if len(scored):
            probs = scored[["p_down", "p_flat", "p_up"]].astype(float).to_numpy()
            truth = np.zeros_like(probs)
            idx = scored["outcome"].map({"down": 0, "flat": 1, "up": 2}).to_numpy()
            truth[np.arange(len(scored)), idx.astype(int)] = 1.0
            brier = float(np.mean(np.sum((probs - truth) ** 2, axis=1)))
        valid_until = pd.to_datetime(group["valid_until"], utc=True)
        horizon_open = valid_until > pd.Timestamp(until or datetime.now(UTC))
        pending = int((group["outcome"].isna() & horizon_open).sum())
        out.append(
            {
                "symbol": symbol,
                "horizon": int(horizon),
                "forecasts": len(group),
                "scored": len(scored),
                "pending": pending,
                "hits": hits,
                "hit_rate": hits / len(scored) if len(scored) else math.nan,
                "brier": brier,
            }
        )
    return pd.DataFrame(out, columns=columns)


def _decision(entry: dict[str, Any], reason: str | None, lang: str) -> str | None:
    """A served model's last promotion decision: ``reason`` (the card's own English words) in
    English; in another language the verdict in words (its figures are the table's other columns)."""
    last = entry.get("last_decision") or {}
    if lang == "en" or reason is None:
        return reason
    if not entry.get("model_id"):
        return word(lang, "decision_none")
    return word(lang, "decision_promoted" if last.get("promoted", True) else "decision_kept")


def served_models(models_dir: Path, lang: str = "en") -> pd.DataFrame:
    """The served models' recent-fold walk-forward log loss beside the baselines' (from cards),
    with the last promotion decision (:func:`_decision`)."""
    from sim.analytics.forecast.registry import read_served, served_card

    columns = ["model", "model_id", "xgboost", "majority", "last_move", "logistic", "decision"]
    rows = []
    try:
        served = read_served(models_dir)
    except (OSError, ValueError) as exc:
        log.warning("cannot read the served models in %s: %s", models_dir, exc)
        return pd.DataFrame(columns=columns)
    for key in sorted(served):
        card = served_card(key, models_dir)
        entry = served[key]
        if card is None:
            rows.append(
                {"model": key, "model_id": None, "decision": _decision(entry, entry.get("reason"), lang)}
            )
            continue
        models = card.get("validation", {}).get("models", {})
        rows.append(
            {
                "model": key,
                "model_id": card.get("model_id"),
                **{name: models.get(name, {}).get("recent_log_loss") for name in columns[2:6]},
                "decision": _decision(
                    entry, (entry.get("last_decision") or {}).get("reason") or entry.get("reason"), lang
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def gather(
    sim: Any, user_id: int, report_id: object, *, models_dir: Path | None = None, lang: str = "en"
) -> ReportData | None:
    """The data of one user's report, its notes in ``lang``, or None when the active account has
    no fills."""
    rid = check_report_id(report_id)
    as_of = report_as_of(sim, rid)  # market time: the end of the day, or the clock (sim.reports.asof)
    fills = _fills_frame(sim, user_id)
    fills = fills[pd.to_datetime(fills["time"], utc=True) <= as_of].reset_index(drop=True)
    if fills.empty:
        return None
    me = sim.me(user_id)
    starting_cash = Decimal(str(sim.portfolio(user_id).starting_cash))
    curve, notes = sim.equity_history(user_id, "1h", as_of=as_of), note(as_of, rid, lang)
    summary: dict[str, Any] = {}
    trades = fills.rename(columns={"quantity": "qty"})
    if len(curve) >= 2:
        summary = stats.summary(curve["equity"], trades=trades, benchmark=curve["hold"])
    else:
        notes.append(word(lang, "note_few_points"))
        summary = {"fills": len(fills), "trades": len(stats.round_trips(trades))}
    fees = (
        fills.groupby("symbol", sort=True)
        .agg(fills=("fee", "size"), fees=("fee", lambda s: sum(s, Decimal(0))))
        .reset_index()
    )
    summary["fees_paid"] = sum(fills["fee"], Decimal(0))
    return ReportData(
        user_id=user_id,
        username=me.username,
        display_name=me.display_name or me.username,
        report_id=rid,
        as_of=as_of,
        built_at=datetime.now(UTC),
        starting_cash=starting_cash,
        fills=fills,
        curve=curve,
        summary=summary,
        fees_by_symbol=fees,
        trips=stats.round_trips(trades),
        forecasts=forecast_record(sim, as_of),
        models=served_models(models_dir or sim.settings.models_dir, lang),
        notes=notes,
        lang=lang,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | pd.Timestamp | date):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds()
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def table_bytes(data: ReportData) -> bytes:
    """The Parquet table of the report (see the module docstring)."""
    f = data.fills
    decimals = ("quantity", "price", "notional", "fee", "realized_pnl")
    columns: dict[str, pa.Array] = {
        "time": pa.array(pd.to_datetime(f["time"], utc=True), pa.timestamp("us", tz="UTC")),
        "symbol": pa.array(f["symbol"].astype(str), pa.string()),
        "side": pa.array(f["side"].astype(str), pa.string()),
        **{name: pa.array([str(v) for v in f[name]], pa.string()) for name in decimals},
        **{f"{name}_f": pa.array([float(v) for v in f[name]], pa.float64()) for name in decimals},
        "liquidity": pa.array(f["liquidity"].astype(str), pa.string()),
        "order_id": pa.array(f["order_id"].astype("int64"), pa.int64()),
    }
    meta = {
        "user_id": data.user_id,
        "report_id": data.report_id,
        "as_of": _jsonable(data.as_of),
        "built_at": _jsonable(data.built_at),
        "starting_cash": str(data.starting_cash),
        "summary": {k: _jsonable(v) for k, v in data.summary.items()},
    }
    table = pa.table(columns).replace_schema_metadata({b"report": json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def write_report(data: ReportData, reports_dir: Path) -> ReportInfo:
    """Write the Parquet table, then the HTML (the listing shows a report once its HTML exists)."""
    html_path, parquet_path = report_paths(reports_dir, data.user_id, data.report_id)
    write_atomic(parquet_path, table_bytes(data))
    write_atomic(html_path, render_html(data).encode("utf-8"))
    return next(r for r in list_reports(reports_dir, data.user_id) if r.report_id == data.report_id)


def report_language(sim: Any, user_id: int) -> str:
    """The language a user's report is written in: the one they chose in Settings, English when
    they chose none (a batch job has no browser to ask)."""
    chosen = sim.me(user_id).language
    return chosen if chosen in WORDS else "en"


def build_report(
    sim: Any, user_id: int, report_id: object, *, reports_dir: Path | None = None, lang: str | None = None
) -> ReportInfo | None:
    """Gather, render and write one user's report in ``lang`` (default: the user's own language,
    :func:`report_language`); None when the user has no fills."""
    data = gather(sim, user_id, report_id, lang=lang or report_language(sim, user_id))
    if data is None:
        return None
    return write_report(data, Path(reports_dir or sim.settings.reports_dir))


def build_reports(sim: Any, report_id: object, *, reports_dir: Path | None = None) -> list[ReportInfo]:
    """A report for every user with fills on the active account, each in that user's language
    (rebuilding replaces that day's)."""
    built = []
    for user_id in users_with_fills(sim):
        info = build_report(sim, user_id, report_id, reports_dir=reports_dir)
        if info is not None:
            built.append(info)
    return built
