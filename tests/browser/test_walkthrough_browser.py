"""Issue 18 in headless Chromium: the app as a new trader walks through it.

One app per module (temp data, embedded replay feed). Each test checks a point of the issue that
failed before it: registering signs in, a failed login empties the password, the ticket resets,
Place is disabled on a refused preview, both OCO legs are previewed, no snake_case table header,
the forecast label inside the plot area, the report readable on the dark theme.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.charts import CHART_FRAME, chart
from tests.browser.names import fresh
from tests.browser.test_app_browser import go

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
T = 60_000
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def new_page(browser: Any, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
    page.goto(url)
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=T)
    return page


def fill(page: Page, label: str, value: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(value)
    box.press("Tab")


def register(page: Page, username: str) -> None:
    page.get_by_role("tab", name="Register").click()
    fill(page, "New username", username)
    fill(page, "Choose a password", PASSWORD)
    fill(page, "Repeat the password", PASSWORD)
    page.get_by_role("button", name="Register", exact=True).click()


def signed_up(browser: Any, url: str, username: str) -> Page:
    page = new_page(browser, url)
    register(page, fresh(username))
    expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=T)
    return page


def headers(page: Page) -> list[str]:
    """The column headers of every table on the page (glide grid's accessible table)."""
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=T)
    page.wait_for_timeout(1000)
    cells = page.get_by_test_id("stDataFrame").locator("th, [role=columnheader]")
    return [t.strip() for t in cells.all_text_contents() if t.strip()]


def test_a_new_user_is_signed_in_on_the_dashboard_and_a_failed_login_empties_the_password(
    app_url: str, browser: Any, shots: Path
) -> None:
    page = new_page(browser, app_url)
    title = page.get_by_role("heading", name="Crypto paper trading")
    expect(title).to_be_visible(timeout=T)
    box = title.bounding_box()
    assert box is not None and box["y"] < 100, box  # was ~160: an empty band above the form
    newbie = fresh("newbie")
    register(page, newbie)
    expect(page.get_by_role("heading", name="Dashboard").first).to_be_visible(timeout=T)
    expect(page.get_by_text(f"Signed in as {newbie}")).to_be_visible()
    expect(page.get_by_text(f"Welcome, {newbie}")).to_be_visible()
    page.screenshot(path=shots / "18_registered_dashboard.png")
    page.get_by_role("button", name="Log out").click()
    # while the rerun after logging out draws, the previous run's form is in the page too
    expect(page.get_by_role("textbox", name="Username", exact=True)).to_have_count(1, timeout=T)
    fill(page, "Username", newbie)
    fill(page, "Password", "not the password")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_test_id("stAlert").first).to_be_visible(timeout=T)
    expect(page.get_by_role("textbox", name="Password", exact=True)).to_have_value("")
    page.context.close()


def test_the_ticket_resets_refuses_and_previews_both_oco_legs(
    app_url: str, browser: Any, shots: Path
) -> None:
    page = signed_up(browser, app_url, "ticketeer")
    go(page, "Trading")
    page.get_by_text("Quote amount (USDT)", exact=True).click()
    fill(page, "Quote amount (USDT, fee included)", "1000")
    expect(page.get_by_text("Preview (nothing is placed yet): fills now")).to_be_visible(timeout=T)
    place = page.get_by_role("button", name="Place order")
    place.click()
    expect(page.get_by_text(re.compile(r"Order \d+ is filled"))).to_be_visible(timeout=T)
    expect(page.get_by_text("Preview (nothing is placed yet)")).to_have_count(0, timeout=T)
    expect(page.get_by_role("textbox", name="Quote amount (USDT, fee included)")).to_have_value("")
    expect(place).to_be_disabled()
    # a preview that says "refused": Place cannot be pressed
    fill(page, "Quote amount (USDT, fee included)", "10000000")
    expect(page.get_by_text("This order would be refused")).to_be_visible(timeout=T)
    expect(place).to_be_disabled()
    page.screenshot(path=shots / "18_ticket_refused.png")
    # the OCO preview shows both legs
    page.get_by_test_id("stSelectbox").filter(has_text="Order type").click()
    page.get_by_role("option", name="OCO (take-profit + stop-loss)").click()
    page.get_by_test_id("stButtonGroup").first.get_by_text("SELL").click()
    heading = page.get_by_test_id("stHeading").filter(has_text="BTCUSDT").first.inner_text()
    last = float(heading.split()[1].replace(",", ""))
    fill(page, "Quantity", "0.01")
    fill(page, "Take-profit price", f"{last * 1.1:.2f}")
    fill(page, "Stop-loss price", f"{last * 0.9:.2f}")
    expect(page.get_by_text("Take-profit leg")).to_be_visible(timeout=T)
    expect(page.get_by_text("Stop-loss leg")).to_be_visible(timeout=T)
    expect(place).to_be_enabled()
    page.screenshot(path=shots / "18_ticket_oco.png")
    page.context.close()


def test_no_snake_case_headers_on_trading_portfolio_and_the_backtest_lab(app_url: str, browser: Any) -> None:
    page = signed_up(browser, app_url, "tabler")
    go(page, "Trading")
    page.get_by_text("Quote amount (USDT)", exact=True).click()
    fill(page, "Quote amount (USDT, fee included)", "500")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(re.compile(r"Order \d+ is filled"))).to_be_visible(timeout=T)
    page.wait_for_timeout(1500)
    seen = headers(page)
    assert "Realized PnL (USDT)" in seen and "Time (UTC)" in seen, seen
    go(page, "Portfolio")
    seen_portfolio = headers(page)
    assert "Avg price (incl. fees)" in seen_portfolio, seen_portfolio
    go(page, "Backtest lab")
    page.get_by_role("button", name="Run backtest").click()
    expect(page.get_by_text("Final equity (USDT)").first).to_be_visible(timeout=T)
    page.wait_for_timeout(1500)
    lab = page.get_by_test_id("stDataFrame").first.text_content() or ""
    assert "Total return" in lab and "total_return" not in lab
    for name in [*seen, *seen_portfolio, *headers(page)]:
        assert not SNAKE.match(name), name
    page.context.close()


def test_the_forecast_label_lies_inside_the_plot_area(app_url: str, browser: Any, shots: Path) -> None:
    page = signed_up(browser, app_url, "charter")
    plot = chart(page)
    expect(plot).to_be_visible(timeout=T)
    label = plot.locator("g.annotation").filter(has_text="next 1 × 1h")
    expect(label).to_have_count(1, timeout=T)
    page.wait_for_timeout(1000)
    box = label.bounding_box()
    area = plot.locator("rect.nsewdrag").first.bounding_box()  # the price panel's plot area
    assert box is not None and area is not None
    assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"] + 1, (box, area)
    assert area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"] + 1, (box, area)
    plot.screenshot(path=shots / "18_forecast_label.png")
    page.context.close()


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_the_report_text_contrasts_with_its_background(app_url: str, browser: Any, shots: Path) -> None:
    page = signed_up(browser, app_url, "reporter")
    go(page, "Trading")
    page.get_by_text("Quote amount (USDT)", exact=True).click()
    fill(page, "Quote amount (USDT, fee included)", "500")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(re.compile(r"Order \d+ is filled"))).to_be_visible(timeout=T)
    go(page, "Reports")
    page.get_by_role("button", name="Build my report now").click()
    frame = page.frame_locator("iframe[srcdoc]").first
    expect(frame.get_by_text(re.compile("Trading report"))).to_be_visible(timeout=T)
    colors = frame.locator("body").evaluate(
        """b => {
            let bg = 'rgba(0, 0, 0, 0)';
            for (let e = b; e && bg.endsWith(', 0)'); e = e.parentElement) {
                bg = getComputedStyle(e).backgroundColor;
            }
            return [getComputedStyle(b).color, bg];
        }"""
    )
    text, background = colors
    assert not background.endswith(", 0)"), background  # transparent: the app's dark theme showed through
    hi, lo = sorted((_luminance(text), _luminance(background)), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5, colors  # WCAG AA for body text
    page.screenshot(path=shots / "18_report.png")
    page.context.close()


def test_the_lab_xgboost_strategy_states_its_train_and_test_windows(
    app_url: str, browser: Any, shots: Path
) -> None:
    page = signed_up(browser, app_url, "quant")
    go(page, "Backtest lab")
    page.get_by_test_id("stSelectbox").filter(has_text="Strategy").click()
    page.get_by_role("option", name="XGBoost forecast").click()
    train = page.get_by_role("spinbutton", name="Train on the days before From")
    expect(train).to_have_value("365", timeout=T)
    expect(page.get_by_text("Walk-forward, out of sample")).to_be_visible(timeout=T)
    page.get_by_role("button", name="Run backtest").click()
    windows = page.get_by_text(re.compile(r"^Trained on \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d, tested on "))
    expect(windows).to_be_visible(timeout=T)
    expect(page.get_by_text("Final equity (USDT)").first).to_be_visible(timeout=T)
    text = windows.inner_text()
    assert "out of sample" in text, text
    train_to, test_from = re.findall(r"\d{4}-\d\d-\d\d", text)[1:3]
    assert train_to == test_from, text  # the train window ends where the test window starts
    expect(page.get_by_text("(in-sample)")).to_have_count(0)
    page.wait_for_timeout(1500)
    page.screenshot(path=shots / "18_lab_xgboost_walk_forward.png", full_page=True)
    page.context.close()


def test_the_sensitivity_charts_titles_and_legend_do_not_collide(
    app_url: str, browser: Any, shots: Path
) -> None:
    """The lab's fill-model sensitivity: six small charts side by side overlapped their titles
    ("Total return (%)Annual growth (CAGR) (%)...") and cut their tick labels; now three to a row,
    each title clear of the others, the legend inside the frame."""
    page = signed_up(browser, app_url, "tabber")
    go(page, "Backtest lab")
    page.get_by_role("button", name="Run backtest").click()
    expect(page.get_by_text("Final equity (USDT)").first).to_be_visible(timeout=T)
    page.get_by_role("tab", name="Fill sensitivity").click()
    frames = page.locator(CHART_FRAME)  # the sensitivity chart is the last (no paper trade: no chart)
    plot = chart(page, frames.count() - 1)
    expect(plot.locator(".legend")).to_be_visible(timeout=T)
    page.wait_for_timeout(1000)
    width = frames.last.evaluate("f => f.clientWidth")
    legend = plot.locator(".legend").evaluate("g => g.getBoundingClientRect().toJSON()")
    titles = [
        box
        for box in plot.locator(".annotation").evaluate_all(
            "a => a.map(e => e.getBoundingClientRect().toJSON())"
        )
        if box["width"] > 0
    ]
    page.screenshot(path=shots / "35_lab_sensitivity_tab.png", full_page=True)
    assert len(titles) == 6, titles
    assert legend["left"] >= 0 and legend["right"] <= width, (legend, width)
    for a in titles:
        for b in titles:
            same_row = a is not b and abs(a["top"] - b["top"]) < 5
            assert not (same_row and a["left"] < b["right"] and b["left"] < a["right"]), (a, b)
    page.context.close()
