"""Screenshots of every page after a short walk-through, in one theme: a tool, not a test.

``python -m tests.browser.walkthrough dark`` (or ``light``) starts the app on temp data, registers a
user, buys BTC, leaves a limit order and an OCO open, and saves a full-page screenshot of each page
under ``tests/output/screenshots/walk_<theme>_<page>.png`` (git-ignored), to be looked at.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.conftest import CHROMIUM_ARGS, SHOTS, start_app, stop_app

T = 60_000
PASSWORD = "correct horse battery"
PAGES = ["Dashboard", "Trading", "Portfolio", "AI Assistant", "Backtest lab", "Reports", "Settings"]


def go(page: Page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible(timeout=T)
    page.wait_for_timeout(2500)


def field(page: Page, label: str, value: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(value)
    box.press("Tab")
    page.wait_for_timeout(800)


def walk(theme: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="walk_"))
    proc, url, _ = start_app(tmp, {"STREAMLIT_THEME_BASE": theme})
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = b.new_page(viewport={"width": 1400, "height": 2200})
            page.goto(url)
            expect(page.get_by_role("tab", name="Register")).to_be_visible(timeout=T)
            page.wait_for_timeout(1000)
            page.screenshot(path=SHOTS / f"walk_{theme}_00_login.png", full_page=True)
            page.get_by_role("tab", name="Register").click()
            field(page, "New username", "walker")
            field(page, "Choose a password", PASSWORD)
            field(page, "Repeat the password", PASSWORD)
            page.get_by_role("button", name="Register", exact=True).click()
            expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=T)
            go(page, "Trading")
            page.get_by_text("Quote amount (USDT)", exact=True).click()
            field(page, "Quote amount (USDT, fee included)", "1000")
            expect(page.get_by_role("button", name="Place order")).to_be_enabled(timeout=T)
            page.get_by_role("button", name="Place order").click()
            page.wait_for_timeout(3000)
            page.get_by_test_id("stSelectbox").filter(has_text="Order type").click()
            page.get_by_role("option", name="OCO (take-profit + stop-loss)").click()
            page.wait_for_timeout(1000)
            price = page.get_by_test_id("stHeading").filter(has_text="BTCUSDT").first.inner_text()
            last = float(price.split()[1].replace(",", ""))
            page.get_by_test_id("stButtonGroup").first.get_by_text("SELL").click()
            page.wait_for_timeout(800)
            field(page, "Quantity", "0.01")
            field(page, "Take-profit price", f"{last * 1.1:.2f}")
            field(page, "Stop-loss price", f"{last * 0.9:.2f}")
            page.wait_for_timeout(1500)
            page.screenshot(path=SHOTS / f"walk_{theme}_01_trading_oco_preview.png", full_page=True)
            expect(page.get_by_role("button", name="Place order")).to_be_enabled(timeout=T)
            page.get_by_role("button", name="Place order").click()
            page.wait_for_timeout(3000)
            for i, name in enumerate(PAGES):
                go(page, name)
                if name == "Backtest lab":
                    page.get_by_role("button", name="Run backtest").click()
                    expect(page.get_by_text("Final equity (USDT)").first).to_be_visible(timeout=T)
                    page.wait_for_timeout(2000)
                if name == "Reports":
                    page.get_by_role("button", name="Build my report now").click()
                    expect(page.locator("iframe[srcdoc]").first).to_be_visible(timeout=T)
                    page.wait_for_timeout(3000)
                slug = name.lower().replace(" ", "_")
                page.screenshot(path=SHOTS / f"walk_{theme}_{i + 2:02d}_{slug}.png", full_page=True)
            b.close()
    finally:
        stop_app(proc)
        print((tmp / "streamlit.log").read_text()[-3000:])


if __name__ == "__main__":
    walk(sys.argv[1] if len(sys.argv) > 1 else "dark")
