"""plotly.js locales for the languages the app speaks besides English (pure data).

plotly.js writes some words itself: date ticks (``Nov 24`` over ``2023``), the candlestick's hover
labels (``open:``), the mode bar's tooltips. A document registers a locale (``Plotly.register`` or
``window.PlotlyLocales`` before the library loads) and draws with ``{locale: "<name>"}``; keys
missing from a locale fall back to English. Used by the app's charts (:mod:`ui.charts`) and by
the reports (:mod:`sim.reports.render`).
"""

from __future__ import annotations

from typing import Any

#: plotly.js's Korean locale, written for this app (d3 time formats: %-m month, %-d day, no padding)
KO_LOCALE: dict[str, Any] = {
    "moduleType": "locale",
    "name": "ko",
    "dictionary": {
        "open:": "시가:",
        "high:": "고가:",
        "low:": "저가:",
        "close:": "종가:",
        "trace": "계열",
        "Autoscale": "자동 맞춤",
        "Box Select": "상자 선택",
        "Lasso Select": "올가미 선택",
        "Pan": "이동",
        "Zoom": "확대/축소",
        "Zoom in": "확대",
        "Zoom out": "축소",
        "Reset axes": "축 초기화",
        "Reset view": "보기 초기화",
        "Download plot as a png": "PNG로 차트 내려받기",
        "Download plot": "차트 내려받기",
        "Toggle Spike Lines": "보조선 켜기/끄기",
        "Show closest data on hover": "가장 가까운 값 보기",
        "Compare data on hover": "값 비교해 보기",
        "Double-click to zoom back out": "두 번 클릭하면 원래 크기로 돌아갑니다",
        "Double-click on legend to isolate one trace": "범례를 두 번 클릭하면 그 계열만 봅니다",
        "Taking snapshot - this may take a few seconds": "이미지를 만드는 중입니다 - 몇 초 걸릴 수 있습니다",
        "Snapshot succeeded": "이미지를 만들었습니다",
        "Sorry, there was a problem downloading your snapshot!": "이미지를 내려받지 못했습니다!",
    },
    "format": {
        "days": ["일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"],
        "shortDays": ["일", "월", "화", "수", "목", "금", "토"],
        "months": [f"{m}월" for m in range(1, 13)],
        "shortMonths": [f"{m}월" for m in range(1, 13)],
        "periods": ["오전", "오후"],
        "date": "%Y. %-m. %-d.",
        "time": "%H:%M:%S",
        "dateTime": "%Y. %-m. %-d. (%a) %H:%M:%S",
        "decimal": ".",
        "thousands": ",",
        "year": "%Y년",
        "month": "%Y년 %-m월",
        "dayMonth": "%-m월 %-d일",
        "dayMonthYear": "%Y년 %-m월 %-d일",
    },
}
LOCALES = {"ko": KO_LOCALE}
