"""Every page in Korean says it in Korean (issue 16, part 3): a Korean browser registers, buys,
opens each page of the sidebar, runs a backtest and builds a report, opens every tab and expander,
and the text on screen (the page, the sidebar, the tables and the charts drawn in their frames)
holds no English word beyond the names the app keeps as they are (tickers, units, indicator and
product names). A screenshot of each page is kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.names import fresh
from tests.browser.test_app_browser import T
from tests.browser.test_korean_browser import buy_ko, go_ko, korean_page, register_ko

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORD = re.compile(r"\b[A-Za-z][A-Za-z]{2,}\b")
# kept as they are in Korean: tickers and units, indicator and model names, products and formats,
# and the Material icon names Streamlit writes as text (drawn as icons)
KEPT = {
    *("USDT", "BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"),
    *("XRPUSDT", "RSI", "MACD", "SMA", "EMA", "ATR", "OCO", "CAGR", "XGBoost", "Brier", "Binance", "UTC"),
    *("Slack", "Discord", "JSON", "POST", "HTTP", "HTTPS", "URL", "HTML", "CSV", "Idempotency", "Key"),
    *("Wilder", "Kafka", "Airflow", "Streamlit", "Plotly", "Language", "English", "sma", "rsi", "macd"),
    *("monitoring", "swap_horiz", "account_balance_wallet", "smart_toy", "science", "trophy"),
    *("summarize", "settings", "logout", "wifi", "refresh", "visibility", "visibility_off", "search"),
    *("download", "fullscreen", "close", "expand_more", "expand_less", "keyboard_arrow_down", "check"),
}


SKIP_LINK = "Skip to main content"  # Streamlit's own link for screen readers, hidden from sight


def english_words(text: str, username: str) -> set[str]:
    """The English words of ``text`` but the kept names and the person's own (English) username."""
    text = text.replace(SKIP_LINK, "").replace(username, "")
    return {w for w in WORD.findall(text) if w not in KEPT and w.lower() not in {k.lower() for k in KEPT}}


def shown_text(page: Page) -> str:
    """The page's visible text, with the text of every chart frame (plotly draws SVG text)."""
    parts = [page.get_by_test_id("stAppViewContainer").inner_text()]
    for frame in page.frames[1:]:
        try:
            parts.append(" ".join(frame.locator("svg text").all_text_contents()))
        except Exception:  # a frame that went away while the page was redrawn
            continue
    return "\n".join(parts)


def open_expanders(page: Page) -> None:
    for summary in page.get_by_test_id("stExpander").locator("summary").all():
        if summary.is_visible():
            summary.click()
    page.wait_for_timeout(1000)


def read_all(page: Page) -> str:
    """The page's text with every expander open, one tab after another (a hidden tab's text is not
    on screen)."""
    tabs = page.get_by_role("tab").all()
    texts = []
    for tab in tabs or [None]:
        if tab is not None:
            tab.click()
            page.wait_for_timeout(800)
        open_expanders(page)
        texts.append(shown_text(page))
    return "\n".join(texts)


def test_every_page_in_korean_shows_no_english(app_url: str, browser: Any, shots: Path) -> None:
    page = korean_page(browser, app_url)
    username = fresh("jiwoo")
    register_ko(page, username)
    buy_ko(page, "1000")
    nav = page.get_by_test_id("stSidebarNav").get_by_role("link")
    names = [link.inner_text().split("\n")[-1].strip() for link in nav.all()]
    assert "대시보드" in names and "설정" in names, names
    found: dict[str, set[str]] = {}
    for i, name in enumerate(names):
        go_ko(page, name)
        if name == "백테스트 랩":
            page.get_by_role("button", name="백테스트 실행").click()
            expect(page.get_by_role("tab", name="체결 민감도")).to_be_visible(timeout=T)
        if name == "리포트":
            page.get_by_role("button", name=re.compile("리포트")).first.click()
        page.wait_for_timeout(3000)
        text = read_all(page)
        page.screenshot(path=shots / f"60_ko_page_{i}.png", full_page=True)
        words = english_words(text, username)
        if words:
            found[name] = words
    assert not found, f"English on Korean pages: {found}"
    page.context.close()
