"""The competition walk in Korean (issue 16, part 3): browsers whose language is Korean get the
login page, the pages and the refusals in Korean, with nothing chosen in Settings; a host creates a
competition, a member types a wrong invite code (a Korean refusal), joins, trades, and the
leaderboard shows them in Korean; an order after the end is refused in Korean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.names import fresh
from tests.browser.test_app_browser import PASSWORD, T, open_app
from tests.browser.test_competition_browser import board

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def korean_page(browser: Any, url: str) -> Page:
    page: Page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ko-KR").new_page()
    open_app(page, url)
    return page


def register_ko(page: Page, username: str) -> None:
    page.get_by_role("tab", name="회원가입").click()
    page.get_by_role("textbox", name="새 아이디").fill(username)
    page.get_by_role("textbox", name="비밀번호 정하기").fill(PASSWORD)
    page.get_by_role("textbox", name="비밀번호 다시 입력").fill(PASSWORD)
    page.get_by_role("button", name="회원가입", exact=True).click()
    expect(page.get_by_text(f"{username} 님, 환영합니다!").first).to_be_visible(timeout=T)


def go_ko(page: Page, name: str) -> None:
    """Open a page by its Korean name in the sidebar (again if a rerun swallowed the click)."""
    heading = page.get_by_role("heading", name=name, exact=True).first
    for _ in range(3):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
        try:
            expect(heading).to_be_visible(timeout=T // 2)
            return
        except AssertionError:
            continue
    expect(heading).to_be_visible(timeout=T)


def test_the_competition_walk_in_korean(app_url: str, browser: Any, shots: Path) -> None:
    host = korean_page(browser, app_url)
    expect(host.get_by_role("tab", name="로그인")).to_be_visible(timeout=T)  # before anyone signs in
    register_ko(host, fresh("hana"))
    expect(host.get_by_role("heading", name="대시보드").first).to_be_visible(timeout=T)
    go_ko(host, "대회")
    host.get_by_text("대회 만들기").first.click()
    host.get_by_role("textbox", name="이름").fill("봄 대회")
    host.get_by_role("button", name="만들기", exact=True).click()
    created = host.get_by_test_id("stAlertContentSuccess").filter(has_text="초대 코드")
    expect(created).to_be_visible(timeout=T)
    code = re.search(r"초대 코드: (\S+)", created.inner_text())
    assert code is not None
    host.screenshot(path=shots / "50_ko_competition_created.png", full_page=True)

    member = korean_page(browser, app_url)
    register_ko(member, fresh("minsu"))
    go_ko(member, "대회")
    member.get_by_role("textbox", name="초대 코드").fill("NO-SUCH-CODE")
    member.get_by_role("button", name="참가", exact=True).click()
    refusal = member.get_by_test_id("stAlertContentError").first
    expect(refusal).to_be_visible(timeout=T)
    assert HANGUL.search(refusal.inner_text()), refusal.inner_text()  # the refusal is Korean too
    member.screenshot(path=shots / "51_ko_wrong_invite_code.png", full_page=True)
    member.get_by_role("textbox", name="초대 코드").fill(code.group(1))
    member.get_by_role("button", name="참가", exact=True).click()
    expect(member.get_by_role("combobox", name="거래 계정")).to_have_value("봄 대회 · 시즌 1", timeout=T)

    buy_ko(member, "1000")
    expect(member.get_by_text("주문 금액 (USDT, 수수료 포함)")).to_be_visible()
    member.screenshot(path=shots / "52_ko_trading.png", full_page=True)

    go_ko(host, "대회")
    rows = board(host, members=1, marker="최대 낙폭")
    assert set(rows[0]) >= {"순위", "참가자", "수익률", "최대 낙폭", "점수", "거래 수"}, rows
    assert rows[0]["순위"] == "1" and rows[0]["거래 수"] == "1", rows
    host.screenshot(path=shots / "53_ko_leaderboard.png", full_page=True)

    # the host ends it; the member's next order is refused, in Korean
    host.get_by_role("button", name="지금 대회 종료").click()
    expect(host.get_by_text("종료하고 순위를 확정했습니다")).to_be_visible(timeout=T)
    go_ko(member, "거래")
    ticket_ko(member, "100")
    refused = member.get_by_text(re.compile("^이 주문은 거부됩니다: 이 대회는"))
    expect(refused).to_be_visible(timeout=T)
    expect(member.get_by_role("button", name="주문하기")).to_be_disabled()
    member.screenshot(path=shots / "54_ko_order_refused_after_the_end.png", full_page=True)
    for page in (host, member):
        page.context.close()


def ticket_ko(page: Page, quote: str) -> None:
    """Fill the Korean ticket with a quote amount (market buy of the default symbol)."""
    page.get_by_text("주문 금액 (USDT)", exact=True).click()
    box = page.get_by_role("textbox", name="주문 금액 (USDT, 수수료 포함)")
    box.fill(quote)
    box.press("Tab")


def buy_ko(page: Page, quote: str) -> None:
    go_ko(page, "거래")
    ticket_ko(page, quote)
    expect(page.get_by_text("미리보기 (아직 주문되지 않음): 즉시 체결")).to_be_visible(timeout=T)
    page.get_by_role("button", name="주문하기").click()
    expect(page.get_by_text(re.compile(r"주문 \d+번: "))).to_be_visible(timeout=T)
