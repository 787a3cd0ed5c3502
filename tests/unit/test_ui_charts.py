"""The charts' iframe documents (ui/charts.py): the figure goes in as JSON and comes out the same,
nothing in it can close the script, the plotly.js build it loads is shipped and has every trace
type the figure builders use, and the theme follows the browser."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from ui import charts

ROOT = Path(__file__).resolve().parents[2]


def test_the_figure_round_trips_and_user_text_cannot_close_the_script() -> None:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="</script><script>alert(1)</script>"))
    fig.update_layout(height=321, title="a <b>title</b>")
    doc, height = charts.page_html(fig, "light")
    assert height == 321 and "height:321px" in doc
    assert doc.count("</script>") == 2  # the library's tag and ours: the name did not add one
    back = charts.figure_json(doc)
    assert back["data"][0]["name"] == "</script><script>alert(1)</script>"
    assert back["layout"]["title"]["text"] == "a <b>title</b>"


def test_the_template_follows_the_theme_and_leaves_the_background_to_the_page() -> None:
    dark = charts.figure_json(charts.page_html(go.Figure(), "dark")[0])["layout"]["template"]["layout"]
    light = charts.figure_json(charts.page_html(go.Figure(), "light")[0])["layout"]["template"]["layout"]
    assert dark["font"]["color"] == "#fafafa" and light["font"]["color"] == "#31333f"
    assert dark["paper_bgcolor"] == light["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert charts.page_html(go.Figure(), "dark")[1] == charts.DEFAULT_HEIGHT


def test_the_library_is_loaded_from_the_static_folder_under_the_base_path() -> None:
    doc, _ = charts.page_html(go.Figure(), "dark", base_path="/sim/")
    assert f'src="/sim/app/static/{charts.PLOTLY_JS}"' in doc
    font = charts.streamlit_font()
    assert font is not None and f'url("/sim/static/media/{font}")' in doc
    assert f'src="/app/static/{charts.PLOTLY_JS}"' in charts.page_html(go.Figure())[0]


def test_the_shipped_build_registers_every_trace_type_the_figure_builders_use() -> None:
    bundle = (ROOT / "static" / charts.PLOTLY_JS).read_text(encoding="utf-8")
    assert bundle.startswith("/**\n* plotly.js (finance")
    used = set()
    for path in [*(ROOT / "sim" / "analytics").glob("figures*.py"), ROOT / "ui" / "widgets.py"]:
        used |= {m.lower() for m in re.findall(r"go\.([A-Z][a-z]+)\(", path.read_text())}
    used.discard("figure")
    assert used == {"bar", "candlestick", "pie", "scatter"}, used
    for trace in used:
        assert f'moduleType:"trace",name:"{trace}"' in bundle, trace


@pytest.mark.parametrize("setting, expected", [("light", "light"), ("dark", "dark")])
def test_without_a_browser_the_theme_is_the_configured_base(
    setting: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    monkeypatch.setattr(st, "get_option", lambda name: setting if name == "theme.base" else None)
    assert charts.theme_name() == expected


def test_a_korean_page_registers_the_korean_plotly_locale_and_an_english_one_does_not() -> None:
    fig = go.Figure(go.Scatter(x=["2023-11-24", "2023-12-01"], y=[1, 2]))
    english, _ = charts.page_html(fig, "dark")
    korean, _ = charts.page_html(fig, "dark", lang="ko")
    assert "Plotly.register" not in english and "locale" not in english
    assert "{responsive: true, displaylogo: false});" in english
    assert 'Plotly.register({"moduleType": "locale", "name": "ko"' in korean
    assert '{responsive: true, displaylogo: false, locale: "ko"});' in korean
    assert korean.index("Plotly.register") < korean.index("Plotly.newPlot")  # registered before drawing
    assert charts.figure_json(korean) == charts.figure_json(english)  # the figure itself is the same
    fmt = charts.LOCALES["ko"]["format"]
    assert fmt["dayMonth"] == "%-m월 %-d일" and fmt["year"] == "%Y년" and fmt["shortMonths"][10] == "11월"
    assert len(fmt["days"]) == len(fmt["shortDays"]) == 7 and len(fmt["months"]) == 12
    assert charts.page_html(fig, "dark", lang="xx")[0] == english  # a language without a locale: English
