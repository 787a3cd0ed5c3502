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

A user without fills on the active account gets no report (there is nothing to report).
"""

from __future__ import annotations

import html
import json
import logging
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from sim.analytics import figures, figures_backtest, stats
from sim.reports.asof import note, report_as_of
from sim.reports.store import ReportInfo, check_report_id, list_reports, report_paths, write_atomic

log = logging.getLogger(__name__)

MAX_FILL_ROWS = 2_000  # the HTML lists the latest fills; the Parquet table has them all
STAT_LABELS = {
    "start": "from",
    "end": "to",
    "start_equity": "starting equity (USDT)",
    "final_equity": "final equity (USDT)",
    "total_return": "total return",
    "benchmark_return": "buy-and-hold BTC return",
    "excess_return": "excess return over BTC",
    "cagr": "CAGR",
    "volatility": "annualized volatility",
    "sharpe": "Sharpe ratio (rf 0)",
    "sortino": "Sortino ratio (rf 0)",
    "max_drawdown": "max drawdown",
    "max_drawdown_duration": "longest drawdown",
    "calmar": "Calmar ratio",
    "beta": "beta to BTC",
    "alpha": "alpha to BTC (annualized)",
    "fills": "fills",
    "trades": "closed round trips",
    "win_rate": "win rate",
    "profit_factor": "profit factor",
    "average_win": "average win (USDT)",
    "average_loss": "average loss (USDT)",
}
PERCENT = {
    "total_return",
    "benchmark_return",
    "excess_return",
    "cagr",
    "volatility",
    "max_drawdown",
    "win_rate",
    "alpha",
}


@dataclass
class ReportData:
    """Everything a report shows, gathered from the simulator (see the module docstring)."""

    user_id: int
    username: str
    display_name: str
    report_id: str
    as_of: datetime
    built_at: datetime
    starting_cash: Decimal
    fills: pd.DataFrame  # exact Decimal columns, one row per fill
    curve: pd.DataFrame  # cash, holdings, equity, hold (floats), indexed by UTC time
    summary: dict[str, Any]
    fees_by_symbol: pd.DataFrame
    trips: pd.DataFrame
    forecasts: pd.DataFrame
    models: pd.DataFrame
    notes: list[str] = field(default_factory=list)


# --- gathering --------------------------------------------------------------------------------
def users_with_fills(sim: Any) -> list[int]:
    """Ids of the users whose active account has at least one fill, ascending."""
    from sim.adapters.ledger.tables import accounts, transactions

    query = (
        select(accounts.c.user_id)
        .distinct()
        .join(transactions, transactions.c.account_id == accounts.c.id)
        .where(accounts.c.active.is_(True))
        .order_by(accounts.c.user_id)
    )
    with sim.engine.connect() as conn:
        return [int(row.user_id) for row in conn.execute(query)]


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
    from sim.adapters.ledger.tables import forecasts as table

    query = select(table)
    if until is not None:
        query = query.where(table.c.as_of <= until)
    with sim.engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["symbol", "horizon", "forecasts", "scored", "pending", "hits", "hit_rate", "brier"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([dict(r._mapping) for r in rows])
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


def served_models(models_dir: Path) -> pd.DataFrame:
    """The served models' recent-fold walk-forward log loss beside the baselines' (from cards)."""
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
            rows.append({"model": key, "model_id": None, "decision": entry.get("reason")})
            continue
        models = card.get("validation", {}).get("models", {})
        rows.append(
            {
                "model": key,
                "model_id": card.get("model_id"),
                **{name: models.get(name, {}).get("recent_log_loss") for name in columns[2:6]},
                "decision": (entry.get("last_decision") or {}).get("reason") or entry.get("reason"),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def gather(sim: Any, user_id: int, report_id: object, *, models_dir: Path | None = None) -> ReportData | None:
    """The data of one user's report, or None when the active account has no fills."""
    rid = check_report_id(report_id)
    as_of = report_as_of(sim, rid)  # market time: the end of the day, or the clock (sim.reports.asof)
    fills = _fills_frame(sim, user_id)
    fills = fills[pd.to_datetime(fills["time"], utc=True) <= as_of].reset_index(drop=True)
    if fills.empty:
        return None
    me = sim.me(user_id)
    starting_cash = Decimal(str(sim.portfolio(user_id).starting_cash))
    curve, notes = sim.equity_history(user_id, "1h", as_of=as_of), note(as_of, rid)
    summary: dict[str, Any] = {}
    trades = fills.rename(columns={"quantity": "qty"})
    if len(curve) >= 2:
        summary = stats.summary(curve["equity"], trades=trades, benchmark=curve["hold"])
    else:
        notes.append("The equity curve has fewer than two points, so no return statistics yet.")
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
        models=served_models(models_dir or sim.settings.models_dir),
        notes=notes,
    )


# --- rendering --------------------------------------------------------------------------------
def _fmt(value: Any, percent: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    if isinstance(value, pd.Timedelta):
        return str(value.floor("min"))
    if isinstance(value, datetime | pd.Timestamp):
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return "-"
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
        return f"{v * 100:,.2f}%" if percent else f"{v:,.4f}" if abs(v) < 100 else f"{v:,.2f}"
    return str(value)


def _table(frame: pd.DataFrame, percent: tuple[str, ...] = ()) -> str:
    if frame.empty:
        return "<p class='muted'>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td>{html.escape(_fmt(v, c in percent))}</td>" for c, v in zip(frame.columns, row, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _stats_table(summary: dict[str, Any]) -> str:
    rows = []
    for key, label in STAT_LABELS.items():
        if key in summary:
            value = html.escape(_fmt(summary[key], key in PERCENT))
            rows.append(f"<tr><th>{html.escape(label)}</th><td>{value}</td></tr>")
    rows.append(f"<tr><th>fees paid (USDT)</th><td>{html.escape(_fmt(summary.get('fees_paid')))}</td></tr>")
    return f"<table class='stats'>{''.join(rows)}</table>"


def charts(data: ReportData) -> list[go.Figure]:
    """The report's figures: equity against holding BTC, and the drawdown of the equity."""
    if data.curve.empty:
        return []
    curve = figures_backtest.thin(data.curve)
    out = [figures.equity_chart(curve, "Equity vs holding BTC (USDT)")]
    if len(data.curve) >= 2:
        dd = figures_backtest.drawdown_chart(data.curve["equity"], "Drawdown of your equity")
        dd.update_layout(height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10})
        out.append(dd)
    return out


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328}
h1{font-size:1.5rem;margin-bottom:0}h2{font-size:1.15rem;margin-top:28px}
.muted{color:#59636e}table{border-collapse:collapse;font-size:.85rem;margin:8px 0}
th,td{border-bottom:1px solid #d1d9e0;padding:4px 10px;text-align:right}
th{background:#f6f8fa}table.stats th{text-align:left}
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{border:1px solid #d1d9e0;border-radius:8px;
padding:10px 16px;min-width:160px}.card b{display:block;font-size:1.3rem}
"""


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML document (see the module docstring)."""
    s = data.summary
    esc = html.escape
    cards = [
        ("Your return", _fmt(s.get("total_return"), True)),
        ("Holding BTC", _fmt(s.get("benchmark_return"), True)),
        ("Final equity (USDT)", _fmt(s.get("final_equity"))),
        ("Fees paid (USDT)", _fmt(s.get("fees_paid"))),
        ("Fills", _fmt(len(data.fills))),
    ]
    card_html = "".join(f"<div class='card'>{esc(k)}<b>{esc(v)}</b></div>" for k, v in cards)
    figs = []
    for i, fig in enumerate(charts(data)):
        figs.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False}))
    fills = data.fills.sort_values("time", ascending=False).head(MAX_FILL_ROWS)
    more = len(data.fills) - len(fills)
    fills_note = f"<p class='muted'>The latest {len(fills)} of {len(data.fills)} fills.</p>" if more else ""
    notes = "".join(f"<p class='muted'>{esc(n)}</p>" for n in data.notes)
    forecasts_note = (
        "<p class='muted'>No forecasts have been recorded yet.</p>" if data.forecasts.empty else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report {esc(data.report_id)} for {esc(data.display_name)}</title>
<style>{CSS}</style></head><body>
<h1>Trading report {esc(data.report_id)}</h1>
<p class="muted">{esc(data.display_name)} ({esc(data.username)}), active account, starting cash
{esc(_fmt(data.starting_cash))} USDT. Market time {esc(_fmt(data.as_of))}; built
{esc(_fmt(data.built_at))}. Paper trading: no real money.</p>
<div class="cards">{card_html}</div>{notes}
<h2>Equity against holding BTC</h2>
<p class="muted">"Holding BTC" buys BTC with the starting cash at the first point and holds it.</p>
{"".join(figs) or "<p class='muted'>No equity history.</p>"}
<h2>Statistics</h2>
<p class="muted">Hourly bars, a year of 365 days; ratios that divide by zero show "-".</p>
{_stats_table(s)}
<h2>Fees by symbol (USDT)</h2>
{_table(data.fees_by_symbol)}
<h2>Closed round trips</h2>
{_table(data.trips, ("return",))}
<h2>Fills</h2>{fills_note}
{_table(fills)}
<h2>Forecast track record</h2>
<p class="muted">Stored forecasts per symbol and horizon (bars of 1h). A hit is a scored forecast
whose most likely class was the outcome; Brier: 0 best, 2 worst.</p>
{forecasts_note}{_table(data.forecasts, ("hit_rate",)) if not data.forecasts.empty else ""}
<h3>Served models: walk-forward log loss over the latest folds (lower is better)</h3>
{_table(data.models)}
</body></html>
"""


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


def build_report(
    sim: Any, user_id: int, report_id: object, *, reports_dir: Path | None = None
) -> ReportInfo | None:
    """Gather, render and write one user's report; None when the user has no fills."""
    data = gather(sim, user_id, report_id)
    if data is None:
        return None
    return write_report(data, Path(reports_dir or sim.settings.reports_dir))


def build_reports(sim: Any, report_id: object, *, reports_dir: Path | None = None) -> list[ReportInfo]:
    """A report for every user with fills on the active account (rebuilding replaces that day's)."""
    built = []
    for user_id in users_with_fills(sim):
        info = build_report(sim, user_id, report_id, reports_dir=reports_dir)
        if info is not None:
            built.append(info)
    return built
