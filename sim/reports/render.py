"""A report's HTML: its tables, statistics and charts (Plotly, inlined once), from :class:`ReportData`."""

from __future__ import annotations

import html
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.analytics import figures, figures_backtest
from sim.analytics.labels import PERCENT
from sim.reports.data import MAX_FILL_ROWS, STAT_LABELS, ReportData


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
