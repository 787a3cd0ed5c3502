"""Where the browser tests find a chart: each is drawn in its own iframe by ui/charts.py."""

from __future__ import annotations

from typing import Any

#: the iframes ui.charts.draw makes (their document calls Plotly.newPlot)
CHART_FRAME = 'iframe[srcdoc*="Plotly.newPlot"]'


def chart(page: Any, n: int = 0) -> Any:
    """The ``n``-th chart of ``page`` (a sync or async Playwright page; 0: the first), as its Plotly
    element inside its iframe."""
    return page.locator(CHART_FRAME).nth(n).content_frame.locator(".js-plotly-plot")
