"""The app in headless Chromium: register, log in, buy, see it, log out; the gate; two users."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.charts import chart
from tests.browser.names import fresh

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
T = 30_000  # ms: the first run loads the history store


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=T)


def register(page: Page, username: str, display: str | None = None) -> None:
    page.get_by_role("tab", name="Register").click()
    page.get_by_role("textbox", name="New username").fill(username)
    if display:
        page.get_by_role("textbox", name="Display name (optional)").fill(display)
    page.get_by_role("textbox", name="Choose a password").fill(PASSWORD)
    page.get_by_role("textbox", name="Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Register", exact=True).click()
    # registering signs in on the Dashboard (issue 18)
    expect(page.get_by_text(f"Welcome, {username}").first).to_be_visible(timeout=T)


def log_in(page: Page, username: str) -> None:
    """Log in as ``username``; a page already signed in (just registered as them) stays as it is."""
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=T)
    if page.get_by_text("Signed in as").count():
        return
    page.get_by_role("tab", name="Log in").click()
    # a rerun still drawing can show the previous run's form beside the new one: wait for one
    expect(page.get_by_role("textbox", name="Username", exact=True)).to_have_count(1, timeout=T)
    page.get_by_role("textbox", name="Username", exact=True).fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=T)


def go(page: Page, name: str) -> None:
    """Open a page from the sidebar. A click that lands while a rerun is still being drawn (the one
    the login cookie triggers right after signing in) can be dropped: click again, up to 3 times."""
    heading = page.get_by_role("heading", name=name, exact=True).first
    for _ in range(2):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
        try:
            expect(heading).to_be_visible(timeout=T // 2)
            return
        except AssertionError:
            continue
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    expect(heading).to_be_visible(timeout=T)


def market_buy(page: Page, symbol: str, quote: str) -> None:
    go(page, "Trading")
    if symbol != "BTCUSDT":
        page.get_by_test_id("stSelectbox").filter(has_text="Symbol").click()
        page.get_by_role("option", name=symbol).click()
    page.get_by_text("Quote amount (USDT)", exact=True).click()
    box = page.get_by_role("textbox", name="Quote amount (USDT, fee included)")
    box.fill(quote)
    box.press("Tab")
    expect(page.get_by_text("Preview (nothing is placed yet): fills now")).to_be_visible(timeout=T)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(re.compile(r"Order \d+ is filled"))).to_be_visible(timeout=T)


def shows_login_only(page: Page) -> None:
    password = page.get_by_role("textbox", name="Password", exact=True)
    # while the rerun after a log-out is still drawing, the previous run's form is in the page too
    # (Streamlit removes stale elements when the run ends): wait for the one form
    expect(password).to_have_count(1, timeout=T)
    expect(password).to_be_visible(timeout=T)
    for heading in ("Dashboard", "Trading", "Portfolio", "Settings"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_register_login_buy_see_position_logout(app_url: str, browser: Any, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, app_url)
    shows_login_only(page)
    page.screenshot(path=shots / "00_login.png", full_page=True)
    alice = fresh("alice")
    register(page, alice, "Alice")
    log_in(page, alice)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=T)
    expect(chart(page)).to_be_visible(timeout=T)
    page.wait_for_timeout(1500)
    page.screenshot(path=shots / "01_dashboard.png", full_page=True)

    market_buy(page, "BTCUSDT", "1000")
    page.screenshot(path=shots / "02_trading.png", full_page=True)

    go(page, "Portfolio")
    pie = chart(page)
    expect(pie).to_contain_text("BTCUSDT", timeout=T)
    expect(page.get_by_test_id("stMetric").filter(has_text="Cash free")).to_contain_text("99,0")
    page.wait_for_timeout(1000)
    page.screenshot(path=shots / "03_portfolio.png", full_page=True)

    go(page, "Settings")
    expect(page.get_by_role("button", name="Reset account")).to_be_visible(timeout=T)
    expect(page.get_by_role("spinbutton", name="Taker fee (%)")).to_have_value("0.100")
    page.screenshot(path=shots / "04_settings.png", full_page=True)

    # a new tab of the same browser is signed in by the cookie
    other = context.new_page()
    open_app(other, f"{app_url}/portfolio")
    expect(other.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible(timeout=T)
    other.close()

    page.get_by_role("button", name="Log out").click()
    shows_login_only(page)
    context.close()


PATHS = ["", "dashboard", "trading", "portfolio", "assistant", "backtest_lab", "reports", "settings", "nope"]


@pytest.mark.parametrize("path", PATHS)
def test_every_page_url_needs_a_login(app_url: str, browser: Any, path: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    open_app(page, f"{app_url}/{path}")
    shows_login_only(page)
    context.close()


def test_two_users_at_once_see_only_their_own_holdings(app_url: str, browser: Any, shots: Path) -> None:
    pages = {}
    for name in ("bob", "carol"):
        user = fresh(name)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        open_app(page, app_url)
        register(page, user)
        log_in(page, user)
        pages[name] = page
    market_buy(pages["bob"], "ETHUSDT", "500")
    market_buy(pages["carol"], "SOLUSDT", "300")
    for name, mine, theirs in (("bob", "ETHUSDT", "SOLUSDT"), ("carol", "SOLUSDT", "ETHUSDT")):
        page = pages[name]
        go(page, "Portfolio")
        pie = chart(page)
        expect(pie).to_contain_text(mine, timeout=T)
        expect(pie).not_to_contain_text(theirs)
        expect(pie).not_to_contain_text("BTCUSDT")
        page.screenshot(path=shots / f"05_portfolio_{name}.png", full_page=True)
    for page in pages.values():
        page.context.close()
