"""A report's HTML: its tables, statistics and charts (Plotly, inlined once), from :class:`ReportData`.

Every word comes from :mod:`sim.reports.words` in the report's language (``ReportData.lang``),
dates as that language writes them (:mod:`sim.domain.dates`); numbers print the same in every
language. Text from data (names, symbols, the models' decisions) is escaped and shown as it is.
"""

from __future__ import annotations

import html
import json
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.analytics import figures, figures_backtest
from sim.analytics.labels import PERCENT
from sim.analytics.plotly_locales import LOCALES
from sim.domain import dates
from sim.reports.data import MAX_FILL_ROWS, STAT_KEYS, ReportData
from sim.reports.words import cell_word, header, word


# --- rendering --------------------------------------------------------------------------------
def _fmt(value: Any, percent: bool = False, lang: str = "en") -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    if isinstance(value, pd.Timedelta):
        return dates.duration(value.floor("min"), lang)
    if isinstance(value, datetime | pd.Timestamp):
        return word(lang, "utc", moment=dates.when(pd.Timestamp(value), lang))
    if isinstance(value, bool):
        return word(lang, "yes" if value else "no")
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return "-"
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
        return f"{v * 100:,.2f}%" if percent else f"{v:,.4f}" if abs(v) < 100 else f"{v:,.2f}"
    if isinstance(value, str):
        return cell_word(lang, value)
    return str(value)


def html_words(lang: str, key: str, /, **params: object) -> str:
    """The report word ``key`` in ``lang`` with every parameter HTML-escaped (the template is
    trusted text, see :mod:`sim.reports.words`)."""
    return word(lang, key, **{name: html.escape(str(value)) for name, value in params.items()})


def _table(frame: pd.DataFrame, percent: tuple[str, ...] = (), lang: str = "en") -> str:
    if frame.empty:
        return f"<p class='muted'>{html_words(lang, 'none')}</p>"
    head = "".join(f"<th>{html.escape(header(lang, str(c)))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td>{html.escape(_fmt(v, c in percent, lang))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _stats_table(summary: dict[str, Any], lang: str = "en") -> str:
    rows = []
    for key in STAT_KEYS:
        if key in summary:
            value = html.escape(_fmt(summary[key], key in PERCENT, lang))
            rows.append(f"<tr><th>{html_words(lang, 'stat_' + key)}</th><td>{value}</td></tr>")
    fees = html.escape(_fmt(summary.get("fees_paid"), lang=lang))
    rows.append(f"<tr><th>{html_words(lang, 'stat_fees_paid')}</th><td>{fees}</td></tr>")
    return f"<table class='stats'>{''.join(rows)}</table>"


def charts(data: ReportData) -> list[go.Figure]:
    """The report's figures: equity against holding BTC, and the drawdown of the equity."""
    if data.curve.empty:
        return []
    lang = data.lang
    curve = figures_backtest.thin(data.curve)
    out = [figures.equity_chart(curve, word(lang, "chart_equity"), lang=lang)]
    if len(data.curve) >= 2:
        dd = figures_backtest.drawdown_chart(data.curve["equity"], word(lang, "chart_drawdown"), lang=lang)
        dd.update_layout(height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10})
        out.append(dd)
    for fig in out:  # room for the tick labels: the report's plotly draws them outside a 10 px margin
        fig.update_xaxes(automargin=True)
        fig.update_yaxes(automargin=True)
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
    """The report as one self-contained HTML document in ``data.lang`` (see the module docstring)."""
    s, lang, esc = data.summary, data.lang, html.escape

    def say(key: str, /, **params: object) -> str:
        return html_words(lang, key, **params)

    cards = [
        ("card_return", _fmt(s.get("total_return"), True)),
        ("card_hold", _fmt(s.get("benchmark_return"), True)),
        ("card_equity", _fmt(s.get("final_equity"))),
        ("card_fees", _fmt(s.get("fees_paid"))),
        ("card_fills", _fmt(len(data.fills))),
    ]
    card_html = "".join(f"<div class='card'>{say(k)}<b>{esc(v)}</b></div>" for k, v in cards)
    locale = LOCALES.get(lang)
    config: dict[str, Any] = {"displaylogo": False, **({"locale": lang} if locale else {})}
    figs = []
    for i, fig in enumerate(charts(data)):
        figs.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config=config))
    # plotly.js registers window.PlotlyLocales as it loads (date ticks such as 11월 24일 in Korean)
    head_script = (
        f"<script>window.PlotlyLocales = [{json.dumps(locale, ensure_ascii=False)}];</script>"
        if locale
        else ""
    )
    fills = data.fills.sort_values("time", ascending=False).head(MAX_FILL_ROWS)
    more = len(data.fills) - len(fills)
    fills_note = (
        f"<p class='muted'>{say('fills_note', shown=len(fills), total=len(data.fills))}</p>" if more else ""
    )
    notes = "".join(f"<p class='muted'>{esc(n)}</p>" for n in data.notes)
    forecasts_note = f"<p class='muted'>{say('no_forecasts')}</p>" if data.forecasts.empty else ""
    report = dates.day(pd.Timestamp(data.report_id), lang)
    intro = say(
        "intro",
        name=data.display_name,
        username=data.username,
        cash=_fmt(data.starting_cash),
        as_of=_fmt(data.as_of, lang=lang),
        built=_fmt(data.built_at, lang=lang),
    )
    forecast_table = _table(data.forecasts, ("hit_rate",), lang) if not data.forecasts.empty else ""
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{say("title", report=report, name=data.display_name)}</title>
<style>{CSS}</style>{head_script}</head><body>
<h1>{say("heading", report=report)}</h1>
<p class="muted">{intro}</p>
<div class="cards">{card_html}</div>{notes}
<h2>{say("h_equity")}</h2>
<p class="muted">{say("hold_note")}</p>
{"".join(figs) or f"<p class='muted'>{say('no_equity')}</p>"}
<h2>{say("h_stats")}</h2>
<p class="muted">{say("stats_note")}</p>
{_stats_table(s, lang)}
<h2>{say("h_fees")}</h2>
{_table(data.fees_by_symbol, lang=lang)}
<h2>{say("h_trips")}</h2>
{_table(data.trips, ("return",), lang)}
<h2>{say("h_fills")}</h2>{fills_note}
{_table(fills, lang=lang)}
<h2>{say("h_forecasts")}</h2>
<p class="muted">{say("forecasts_note")}</p>
{forecasts_note}{forecast_table}
<h3>{say("h_models")}</h3>
{_table(data.models, lang=lang)}
</body></html>
"""
