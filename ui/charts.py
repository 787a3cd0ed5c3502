"""Plotly figures drawn by plotly.js's finance build, loaded once per browser (issue 18, point 9).

Why not ``st.plotly_chart``: Streamlit's chart element ships the full plotly.js (4.7 MB: 3-D, maps,
WebGL) and evaluates it in every new tab before it draws anything else of the page, about 1.5x the
time of a whole trivial page on its own. Our figures use only scatter, bar, candlestick and pie,
all in plotly.js's finance build (1.3 MB, ``static/plotly-finance-<version>.min.js``, MIT, served by
Streamlit's static file serving and cached by the browser). Each figure is drawn in an
``st.iframe`` whose document loads that file and calls ``Plotly.newPlot``; the rest of the page
does not wait for it. Measured with ``bench/bench_pages.py``.

Assumptions: figures come from the pure builders in :mod:`sim.analytics` and are trusted (no user
HTML goes in: text a user typed reaches a figure only as JSON string values, and ``</`` is
escaped so it cannot close the script). The theme follows the browser's Streamlit theme
(``st.context.theme.type``; the configured base, dark, when unknown). The figure's JSON is the
iframe's ``srcdoc``; :func:`figure_json` reads it back (tests, benchmarks).

Language: plotly.js writes the date ticks (``Nov 24`` / ``2023``), the candlestick's hover labels
(``open:``) and the mode bar's tooltips itself, in English unless a locale is registered. For a
Korean page the document registers :data:`sim.analytics.plotly_locales.KO_LOCALE` (``Plotly.register`` with
``moduleType: "locale"``; the finance build reads ``format.year`` / ``month`` / ``dayMonth`` /
``dayMonthYear`` for date ticks and fills any key missing from English) and draws with
``{locale: "ko"}``: ticks read ``11월 24일`` over ``2023년``. The English document is unchanged.
The language comes from the caller, else the session's (:func:`ui.i18n.lang`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from sim.analytics.plotly_locales import LOCALES

PLOTLY_JS = "plotly-finance-4.1.0.min.js"
#: the page's own font (Streamlit's Source Sans, already in the browser's cache), then fallbacks
FONT = '"Source Sans", "Helvetica Neue", Arial, sans-serif'
DEFAULT_HEIGHT = 450
_START = "const figure = "
_END = ";\nconst draw = () => Plotly.newPlot"
#: Streamlit's colours per theme (text, grid, hover box) and its chart palette; the background is
#: transparent, so the page's own shows through the iframe
THEMES: dict[str, dict[str, Any]] = {
    "dark": {
        "text": "#fafafa",
        "grid": "rgba(250, 250, 250, 0.12)",
        "hover": "#262730",
        "colorway": ["#83c9ff", "#0068c9", "#ffabab", "#ff2b2b", "#7defa1", "#29b09d", "#ffd16a"],
    },
    "light": {
        "text": "#31333f",
        "grid": "rgba(49, 51, 63, 0.12)",
        "hover": "#f0f2f6",
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700"],
    },
}


def theme_name() -> str:
    """``light`` or ``dark``: the theme the browser shows, else the configured base."""
    try:
        kind = st.context.theme.type
    except Exception:  # outside a session (bare mode, some test runners)
        kind = None
    if kind in THEMES:
        return str(kind)
    return "light" if st.get_option("theme.base") == "light" else "dark"


def template(name: str) -> go.layout.Template:
    """A Plotly template in Streamlit's colours for the theme ``name``."""
    t = THEMES[name]
    axis = {"gridcolor": t["grid"], "zerolinecolor": t["grid"], "linecolor": t["grid"], "automargin": True}
    return go.layout.Template(
        layout={
            "paper_bgcolor": "rgba(0,0,0,0)",  # the page's own background shows through
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"color": t["text"], "family": FONT},
            "colorway": t["colorway"],
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"bgcolor": "rgba(0,0,0,0)"},
            "hoverlabel": {"bgcolor": t["hover"], "font": {"color": t["text"]}},
        }
    )


@cache
def streamlit_font() -> str | None:
    """The file name of the Source Sans font Streamlit serves under ``/static/media/`` (it carries
    a hash that changes with Streamlit's version), or None when this Streamlit ships none."""
    media = Path(st.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    return found[0].name if found else None


def page_html(fig: go.Figure, theme: str = "dark", base_path: str = "", lang: str = "en") -> tuple[str, int]:
    """The iframe's document for ``fig`` and its height in pixels; for a ``lang`` in
    :data:`LOCALES` the document registers that plotly.js locale and draws with it."""
    themed = go.Figure(fig)
    themed.layout.template = template(theme)
    height = int(themed.layout.height or DEFAULT_HEIGHT)
    payload = themed.to_json().replace("</", "<\\/")
    base = base_path.rstrip("/")
    font = streamlit_font()
    face = (
        f'@font-face{{font-family:"Source Sans";src:url("{base}/static/media/{font}") format("woff2");'
        "font-weight:200 900}"
        if font
        else ""
    )
    locale = LOCALES.get(lang)
    register = f"Plotly.register({json.dumps(locale, ensure_ascii=False)});\n" if locale else ""
    config = f", locale: {json.dumps(lang)}" if locale else ""
    doc = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<style>{face}html,body{{margin:0;background:transparent}}"
        f"#chart{{width:100%;height:{height}px}}</style></head>"
        f'<body><div id="chart"></div><script src="{base}/app/static/{PLOTLY_JS}"></script><script>\n'
        f"{register}{_START}{payload}{_END}"
        f'("chart", figure.data, figure.layout, {{responsive: true, displaylogo: false{config}}});\n'
        # text is measured when drawn: wait for the font (from the cache; drawn anyway if it fails)
        "document.fonts.load('12px \"Source Sans\"').finally(draw);\n"
        "</script></body></html>"
    )
    return doc, height


def figure_json(srcdoc: str) -> dict[str, Any]:
    """The figure (``{"data": ..., "layout": ...}``) of a document made by :func:`page_html`."""
    start = srcdoc.index(_START) + len(_START)
    return dict(json.loads(srcdoc[start : srcdoc.index(_END, start)].replace("<\\/", "</")))


def draw(fig: go.Figure, lang: str | None = None) -> None:
    """Draw ``fig`` at its layout height, as wide as its container, in the browser's theme and in
    ``lang`` (the session's language when None)."""
    from ui.i18n import lang as session_lang

    base = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
    doc, height = page_html(fig, theme_name(), base if base != "/" else "", lang or session_lang())
    st.iframe(doc, height=height)
