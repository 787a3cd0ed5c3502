"""Issue 15 part 2 in headless Chromium: in the replay, on a machine whose exchangeInfo snapshot
lists DOGEUSDT and where its monthly kline dumps were imported (``python -m pipeline import``), a
user adds DOGEUSDT to the watchlist by typing, sees its chart on the Dashboard with the pooled
model's forecast labelled as not trained on it, and buys it on Trading; a symbol the snapshot lists
without candles here is refused saying why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.charts import chart
from tests.browser.conftest import start_app, stop_app
from tests.browser.names import fresh
from tests.browser.test_app_browser import T, go, open_app, register
from tests.pipeline.doge import doge_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def doge_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("doge")
    proc, url, _ = start_app(tmp, doge_env(tmp))  # the replay starts 2023-12-01, inside the dumps
    try:
        yield url
    finally:
        stop_app(proc)


def add_to_watchlist(page: Page, typed: str, option: str | None) -> None:
    """Type ``typed`` in the watchlist search; pick ``option`` (or keep the typed text), then add."""
    box = page.get_by_test_id("stSelectbox").filter(has_text="Add a symbol")
    box.click()
    page.keyboard.type(typed)
    if option is not None:
        page.get_by_role("option", name=option, exact=True).click()
    else:
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Add to watchlist").click()


def test_watch_chart_and_buy_an_imported_symbol(doge_url: str, browser: Any, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, doge_url)
    register(page, fresh("dora"))

    go(page, "Settings")
    expect(page.get_by_text("Nothing on your watchlist yet.")).to_be_visible(timeout=T)
    add_to_watchlist(page, "ADAUSDT", None)  # listed by the snapshot, no candles here
    expect(page.get_by_text("ADAUSDT has no candles to replay here")).to_be_visible(timeout=T)
    add_to_watchlist(page, "doge", "DOGEUSDT")
    expect(page.get_by_text("DOGEUSDT is on your watchlist.")).to_be_visible(timeout=T)
    expect(page.get_by_role("button", name="Remove")).to_have_count(1)
    page.get_by_role("heading", name="Watchlist").scroll_into_view_if_needed()
    page.screenshot(path=shots / "30_watchlist_settings.png", full_page=True)

    go(page, "Dashboard")
    tile = page.get_by_test_id("stMetric").filter(has_text="DOGEUSDT")
    expect(tile).to_be_visible(timeout=T)
    expect(tile).to_contain_text("0.0")
    expect(page.get_by_role("combobox", name="Symbol")).to_have_value("DOGEUSDT")  # watchlist first
    plot = chart(page)
    expect(plot).to_contain_text("DOGEUSDT", timeout=T)
    # no model of its own: the pooled model serves it, and the chart says what it knows
    expect(plot).to_contain_text("pooled model, not trained on DOGEUSDT", timeout=T)
    page.wait_for_timeout(1500)
    page.screenshot(path=shots / "31_dashboard_doge_chart.png", full_page=True)

    go(page, "Trading")
    expect(page.get_by_role("combobox", name="Symbol")).to_have_value("DOGEUSDT", timeout=T)
    page.get_by_text("Quote amount (USDT)", exact=True).click()
    box = page.get_by_role("textbox", name="Quote amount (USDT, fee included)")
    box.fill("100")
    box.press("Tab")
    expect(page.get_by_text("Preview (nothing is placed yet): fills now")).to_be_visible(timeout=T)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(re.compile(r"Order \d+ is filled"))).to_be_visible(timeout=T)
    page.screenshot(path=shots / "32_trading_doge_bought.png", full_page=True)

    go(page, "Portfolio")
    expect(page.get_by_test_id("stDataFrame").first).to_contain_text("DOGEUSDT", timeout=T)
    page.screenshot(path=shots / "33_portfolio_doge.png", full_page=True)
    context.close()
