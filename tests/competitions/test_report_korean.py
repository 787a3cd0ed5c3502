"""A season's final report page in the reader's language (issue 16): the Competitions page's
download passes the page's language; English stays the text it has always been."""

from __future__ import annotations

import re

from tests.competitions.conftest import T0, World
from tests.competitions.test_rules import HOUR, cup


def _ended_season(world: World) -> tuple[int, int]:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    cid, code = cup(world, alice, start=None, min_trades=1)
    entry = sim.join_competition(bob, code)
    sim.join_competition(carol, code)  # no trades: listed without a rank
    sim.buy(entry, "BTCUSDT", quantity="0.1")
    world.trade("BTCUSDT", "44000.00", at=T0 + 2 * HOUR)
    world.at(T0 + 25 * HOUR)
    return bob, cid


def test_the_final_report_reads_in_korean_and_english_is_unchanged(world: World) -> None:
    bob, cid = _ended_season(world)
    english = world.sim.competition_report_html(bob, cid)
    assert "<h1>Spring cup · season 1: final standings</h1>" in english
    assert (
        "<p>2024-01-01 00:00 UTC to 2024-01-02 00:00 UTC; standings as of 2024-01-02 00:00 UTC.</p>"
        in english
    )
    assert (
        "<th>Rank</th><th>Name</th><th>Return</th><th>Max drawdown</th><th>Score</th><th>Trades</th>"
        in english
    )
    assert "<td>0 of the 1 trades needed to be ranked</td><td>carol</td>" in english

    korean = world.sim.competition_report_html(bob, cid, lang="ko")
    assert "<html lang='ko'>" in korean
    assert "<h1>Spring cup · 시즌 1: 최종 순위</h1>" in korean
    assert "2024년 1월 1일 00:00 UTC ~ 2024년 1월 2일 00:00 UTC" in korean
    assert "<h2>점수 기준</h2>" in korean and "<h2>수익률 기준</h2>" in korean
    assert "<td>순위에 필요한 거래 1회 중 0회</td><td>carol</td>" in korean
    text = re.sub(r"<[^>]+>", " ", korean).replace("Spring cup", "")
    # no English sentence is left (the rules read in Korean too): three English words in a row
    assert not re.search(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b", text), text
