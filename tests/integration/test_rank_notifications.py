"""Rank-change notifications (issue 16, part 4): a member with a webhook hears when their entry's
rank by score changes in a running season, once per change, with the standings' market time, and
delivered like fills (at least once, the same idempotency key on every attempt)."""

from __future__ import annotations

import json
from datetime import timedelta

from sim.domain.webhooks import WebhookFormat, ordinal, rank_body
from tests.integration.test_webhooks import NOW, receiver, round_at, world  # noqa: F401 - fixtures


def test_a_rank_change_is_queued_once_and_delivered_with_the_new_and_previous_rank(world, receiver) -> None:  # noqa: F811
    sim, driver = world
    host = sim.register("host", "correct horse")
    ann = sim.register("ann", "correct horse")
    ben = sim.register("ben", "correct horse")
    cup = sim.create_competition(host.id, "Club cup", end=driver.clock[0] + timedelta(days=7), min_trades=1)
    code = sim.competition(host.id, cup)["invite_code"]
    ann_entry = sim.trader_for(ann.id, sim.join_competition(ann.id, code))
    ben_entry = sim.trader_for(ben.id, sim.join_competition(ben.id, code))
    sim.set_webhook(ann.id, receiver.url)
    assert sim.queue_rank_changes(NOW) == 0  # ann is unranked (no trade yet): nothing to say

    sim.buy(ann_entry, "BTCUSDT", quote_amount="50000")
    assert sim.queue_rank_changes(NOW) == 1  # ranked 1st of 1
    assert sim.queue_rank_changes(NOW) == 0  # unchanged: nothing twice

    sim.buy(ben_entry, "ETHUSDT", quote_amount="100")
    driver.trade("BTCUSDT", "30000.00", seconds=60)  # ann's bitcoin falls a quarter: ben leads
    board = sim.leaderboard(ann.id, cup)
    assert [(r.name, r.rank) for r in board] == [("ben", 1), ("ann", 2)]
    assert sim.queue_rank_changes(NOW) == 1  # ann: 1st -> 2nd (ben has no webhook)
    assert sim.queue_rank_changes(NOW) == 0

    done = round_at(sim, NOW)
    assert done.delivered == 3  # ann's entry's fill too (her webhook hears her entries' fills)
    ranks = [r for r in receiver.requests if r["body"]["event"] == "rank_change"]
    first, second = (r["body"] for r in ranks)
    assert (first["rank"], first["previous_rank"], first["ranked"]) == (1, None, 1)
    assert (second["rank"], second["previous_rank"], second["ranked"]) == (2, 1, 2)
    assert second["time"] == driver.clock[0].isoformat()  # the standings' market time
    assert second["return"] == format(board[1].ret.normalize(), "f")
    assert ranks[1]["key"] == second["idempotency_key"]
    log = sim.webhook_deliveries(ann.id)
    assert sorted(d["event"] for d in log) == ["fill", "rank_change", "rank_change"]


def test_an_ended_season_is_not_watched(world, receiver) -> None:  # noqa: F811
    sim, driver = world
    host = sim.register("host", "correct horse")
    ann = sim.register("ann", "correct horse")
    cup = sim.create_competition(host.id, "Short cup", end=driver.clock[0] + timedelta(hours=1))
    entry = sim.trader_for(ann.id, sim.join_competition(ann.id, sim.competition(host.id, cup)["invite_code"]))
    sim.set_webhook(ann.id, receiver.url)
    sim.buy(entry, "BTCUSDT", quote_amount="100")
    driver.trade("BTCUSDT", "40000.00", seconds=7200)  # past the end
    assert sim.queue_rank_changes(NOW) == 0


def test_the_chat_formats_say_the_rank_in_words() -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    when = datetime(2023, 12, 1, tzinfo=UTC)
    change = {
        "entry_id": 7, "competition": "Club cup", "season": 2, "rank": 2, "previous": 3, "ranked": 5,
        "ret": Decimal("0.0123"), "score": Decimal("1.2"), "time": when, "key": "k",
    }  # fmt: skip
    text = json.loads(rank_body(WebhookFormat.SLACK, change))["text"]
    assert text.startswith("Club cup, season 2: you are now 2nd of 5 by score (was 3rd), return +1.23%")
    korean = json.loads(rank_body(WebhookFormat.DISCORD, change, "ko"))["content"]
    assert korean.startswith("Club cup 시즌 2: 점수 기준 2위 (5명 중), 이전 3위, 수익률 +1.23%")
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip


def test_a_korean_member_reads_the_rank_line_in_korean(world, receiver) -> None:  # noqa: F811
    sim, driver = world
    host = sim.register("host", "correct horse")
    ann = sim.register("ann", "correct horse")
    cup = sim.create_competition(host.id, "봄 대회", end=driver.clock[0] + timedelta(days=1), min_trades=1)
    entry = sim.trader_for(ann.id, sim.join_competition(ann.id, sim.competition(host.id, cup)["invite_code"]))
    sim.set_preferences(ann.id, language="ko")
    sim.set_webhook(ann.id, receiver.url, "slack")
    sim.buy(entry, "BTCUSDT", quote_amount="100")
    assert sim.queue_rank_changes(NOW) == 1
    round_at(sim, NOW)
    lines = [r["body"]["text"] for r in receiver.requests if "시즌" in r["body"]["text"]]
    assert len(lines) == 1 and lines[0].startswith("봄 대회 시즌 1: 점수 기준 1위 (1명 중), 수익률 "), lines
