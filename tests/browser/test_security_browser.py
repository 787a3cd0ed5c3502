"""Security in a real browser: a cookie copied before logout or forged with a key is refused, the app
does not start with the example key, and bad inputs show a message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, TEST_KEY, free_port
from tests.browser.names import fresh
from tests.browser.test_app_browser import T, go, log_in, open_app, register, shows_login_only

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COOKIE = "paper_sim_auth"
EXAMPLE_KEY = "change-me-to-a-long-random-string-of-at-least-32-bytes"


def wait_for_cookie(context: Any, timeout: float = 20.0) -> dict[str, Any]:
    """The login cookie once the page's script has set it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the login cookie was never set")


def with_cookie(browser: Any, url: str, cookie: dict[str, Any]) -> Page:
    """A fresh browser context holding only ``cookie``, on the app."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    page = context.new_page()
    open_app(page, url)
    return page


def signed_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=T)
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=T)


def test_a_cookie_copied_before_logout_is_refused_after_it(app_url: str, browser: Any, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, app_url)
    shows_login_only(page)
    page.screenshot(path=shots / "10_login_page.png", full_page=True)
    vera = fresh("vera")
    register(page, vera)
    log_in(page, vera)
    cookie = wait_for_cookie(context)
    assert cookie["sameSite"] == "Strict" and not cookie["httpOnly"]  # set by the page's script

    # before logout the copy works in another browser (that is what a cookie is for)
    thief = with_cookie(browser, app_url, cookie)
    signed_in(thief)

    page.get_by_role("button", name="Log out").click()
    shows_login_only(page)

    # after logout the same cookie is refused in a fresh browser, and the open copy ends too
    replay = with_cookie(browser, app_url, cookie)
    shows_login_only(replay)
    replay.screenshot(path=shots / "11_replayed_cookie_refused.png", full_page=True)
    shows_login_only(thief)  # its live fragment checked the session and reran the app
    for p in (page, thief, replay):
        p.context.close()


def test_forged_cookies_are_refused(app_url: str, browser: Any) -> None:
    """Signed with the example key, or with the real key but no live session: both refused."""
    context = browser.new_context()
    page = context.new_page()
    open_app(page, app_url)
    walt = fresh("walt")
    register(page, walt)
    context.close()
    future = time.time() + 86400
    claims = {"username": walt, "exp_date": future}
    for key, extra in ((EXAMPLE_KEY, {}), (EXAMPLE_KEY, {"sid": "x" * 43}), (TEST_KEY, {})):
        token = jwt.encode({**claims, **extra}, key, algorithm="HS256")
        forged = {"name": COOKIE, "value": token, "domain": "127.0.0.1", "path": "/"}
        page = with_cookie(browser, app_url, forged)
        shows_login_only(page)
        page.context.close()


def test_wrong_passwords_slow_down_with_the_same_message_for_unknown_names(
    app_url: str, browser: Any, shots: Path
) -> None:
    messages = {}
    yuri = fresh("yuri")
    for name in (yuri, fresh("nobody-by-that-name")):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        open_app(page, app_url)
        if name == yuri:  # registering signs in: guess from a fresh browser, as a stranger would
            register(page, name)
            context.close()
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            open_app(page, app_url)
        page.get_by_role("tab", name="Log in").click()
        alert = page.get_by_test_id("stAlert").filter(has_text="Too many failed logins")
        # waits grow 1, 2, 4, 8 s after 3 free failures: on a loaded machine one attempt can take
        # longer than the first wait, so try until a try lands inside a wait (at most 10 tries)
        for _ in range(10):
            page.get_by_role("textbox", name="Username", exact=True).fill(name)
            page.get_by_role("textbox", name="Password", exact=True).fill("wrong password")
            page.get_by_role("button", name="Log in", exact=True).click()
            expect(page.get_by_test_id("stAlert").first).to_be_visible(timeout=T)
            page.wait_for_timeout(300)
            if alert.count():
                break
        expect(alert).to_be_visible(timeout=T)
        messages[name] = alert.inner_text()
        if name == yuri:
            page.screenshot(path=shots / "14_login_slowed_down.png", full_page=True)
        context.close()
    strip = [m.split("wait")[0] for m in messages.values()]  # the seconds left may differ
    assert strip[0] == strip[1] and "locked" not in messages[yuri]


def test_the_app_does_not_start_with_the_example_key(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "AUTH_COOKIE_KEY": EXAMPLE_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/sim.sqlite3",
        "EMBEDDED_FEED": "0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ui.serve", "--server.headless=true", f"--server.port={port}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "AUTH_COOKIE_KEY" in result.stderr and "published example" in result.stderr
    import socket

    with socket.socket() as s:  # nothing listens on the port
        assert s.connect_ex(("127.0.0.1", port)) != 0


def no_traceback(page: Page) -> str:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and ".py" not in text and "site-packages" not in text, text
    assert "InvalidOperation" not in text and "DivisionByZero" not in text, text
    return text


@pytest.fixture(scope="module")
def trader(app_url: str, browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, app_url)
    xena = fresh("xena")
    register(page, xena)
    log_in(page, xena)
    yield page
    context.close()


@pytest.mark.parametrize("quantity", ["1" * 60, "１２", "1e400"])
def test_bad_quantities_show_a_message_not_a_traceback(trader: Page, shots: Path, quantity: str) -> None:
    go(trader, "Trading")
    box = trader.get_by_role("textbox", name="Quantity", exact=True)
    box.fill(quantity)
    box.press("Tab")
    alert = (
        trader.get_by_test_id("stAlert")
        .filter(has_text="refused")
        .or_(trader.get_by_test_id("stAlert").filter(has_text="Sorry"))
    )
    expect(alert.first).to_be_visible(timeout=T)
    trader.wait_for_timeout(500)
    no_traceback(trader)
    if quantity.startswith("111"):
        trader.screenshot(path=shots / "12_trading_60_digits.png", full_page=True)


def test_a_negative_fee_in_the_backtest_lab_is_refused(trader: Page, shots: Path) -> None:
    go(trader, "Backtest lab")
    trader.get_by_text("Fill assumptions and cash").click()
    fee = trader.get_by_role("textbox", name="Taker fee rate")
    fee.fill("-0.5")
    fee.press("Tab")
    trader.get_by_role("button", name="Run backtest").click()
    message = trader.get_by_test_id("stAlert").filter(has_text="taker fee rate must be between 0 and 0.01")
    expect(message).to_be_visible(timeout=T)
    expect(trader.get_by_test_id("stProgress")).to_have_count(0, timeout=T)  # not stuck
    no_traceback(trader)
    trader.screenshot(path=shots / "13_backtest_negative_fee.png", full_page=True)
