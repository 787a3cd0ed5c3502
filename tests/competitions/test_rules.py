"""Competition rules on both ledgers: who may do what, when, and what a refusal leaves untouched."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from sim.domain.errors import (
    AuthError,
    CompetitionClosed,
    CompetitionRefused,
    Forbidden,
    InvalidInput,
    NotFound,
    SymbolNotAllowed,
)
from tests.competitions.conftest import T0, World

HOUR = timedelta(hours=1)
CUP = dict(
    starting_balance="10000",
    symbols=["BTCUSDT", "ethusdt"],
    maker_fee="0.0002",
    taker_fee="0.0005",
    slippage_bps=0,
    min_trades=1,
)


def cup(w: World, host: int, **changes: object) -> tuple[int, str]:
    settings = {**CUP, **changes}
    start, end = settings.pop("start", T0 + HOUR), settings.pop("end", T0 + 24 * HOUR)
    cid = w.sim.create_competition(host, "Spring cup", start, end, **settings)
    return cid, w.sim.competition(host, cid)["invite_code"]


def test_a_member_trades_an_entry_of_their_own_inside_the_window(world: World) -> None:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    cid, code = cup(world, alice)
    entry = sim.join_competition(bob, code.lower())  # codes are case-insensitive
    assert sim.portfolio(entry).cash == Decimal(10000)
    assert sim.portfolio(bob).cash == Decimal(100000)  # the member's own account is untouched
    with pytest.raises(CompetitionClosed, match="can trade from 2024-01-01 01:00 UTC"):
        sim.buy(entry, "BTCUSDT", quote_amount="1000")
    world.trade("BTCUSDT", "40000.00", at=T0 + HOUR)
    order = sim.buy(sim.trader_for(bob, entry), "BTCUSDT", quantity="0.1")
    assert order.status == "FILLED"
    assert order.fee_total == Decimal("0.1") * Decimal(40000) * Decimal("0.0005")  # the cup's taker fee
    with pytest.raises(SymbolNotAllowed, match="SOLUSDT is not traded in this competition"):
        sim.buy(entry, "SOLUSDT", quantity="1")
    assert [o.id for o in sim.orders(entry)] == [order.id]
    choices = sim.trading_accounts(bob)
    assert [(c.trader_id, c.label, c.state) for c in choices] == [
        (bob, "My account", None),
        (entry, "Spring cup · season 1", "running"),
    ]
    assert sim.my_entries(bob) == choices[1:]
    with pytest.raises(NotFound):
        sim.trader_for(carol, entry)  # someone else's entry
    assert sim.trader_for(bob, bob) == bob
    assert sim.competition(bob, cid)["invite_code"] is None  # only the host sees the code


def test_an_entry_is_nobody_s_login_and_keeps_the_cup_s_settings(world: World) -> None:
    sim = world.sim
    alice, bob = world.user("alice"), world.user("bob")
    _, code = cup(world, alice)
    entry = sim.join_competition(bob, code)
    name = sim.me(entry).username
    assert name.startswith("~")
    with pytest.raises(AuthError):
        sim.authenticate(name, "correct horse")
    with pytest.raises(InvalidInput):
        sim.register(name, "correct horse")  # the entry naming pattern is refused to people
    with pytest.raises(CompetitionRefused, match="cannot be reset"):
        sim.reset(entry)
    with pytest.raises(CompetitionRefused, match="fees and slippage"):
        sim.set_preferences(entry, taker_fee="0")
    with pytest.raises(Forbidden, match="use your own account"):
        sim.join_competition(entry, code)
    with pytest.raises(Forbidden):
        sim.create_competition(entry, "Mine", None, T0 + HOUR)
    assert sim.preferences(entry)["taker_fee"] == Decimal("0.0005")


def test_joining_is_refused_with_a_wrong_code_twice_or_after_the_end(world: World) -> None:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    _, code = cup(world, alice)
    with pytest.raises(NotFound, match="No competition has the invite code"):
        sim.join_competition(bob, "NOPE-NOPE")
    with pytest.raises(NotFound):
        sim.join_competition(bob, "<b>")
    sim.join_competition(bob, code)
    with pytest.raises(CompetitionRefused, match="already joined season 1"):
        sim.join_competition(bob, code)
    world.at(T0 + 24 * HOUR)
    with pytest.raises(CompetitionRefused, match="ended at 2024-01-02 00:00 UTC"):
        sim.join_competition(carol, code)
    assert len(sim.my_entries(carol)) == 0


def test_creating_checks_dates_settings_and_the_invite_code(world: World) -> None:
    sim = world.sim
    alice = world.user("alice")
    with pytest.raises(InvalidInput, match="in the past"):
        sim.create_competition(alice, "Late", T0 - HOUR, T0 + HOUR)
    with pytest.raises(InvalidInput, match="must come after the start"):
        sim.create_competition(alice, "Backwards", T0 + HOUR, T0 + HOUR)
    with pytest.raises(InvalidInput, match="time zone"):
        sim.create_competition(alice, "Naive", None, "2024-01-02T00:00")
    with pytest.raises(InvalidInput):
        sim.create_competition(alice, "Fees", None, T0 + HOUR, taker_fee="0.5")
    with pytest.raises(InvalidInput, match="Unknown competition setting"):
        sim.create_competition(alice, "Typo", None, T0 + HOUR, min_trade=3)
    cid = sim.create_competition(alice, "Club", None, "2024-01-02T00:00Z", invite_code="club-2024")
    assert sim.competition(alice, cid)["invite_code"] == "CLUB-2024"
    assert sim.competition(alice, cid)["seasons"][0]["starts_at"] == T0  # None: now
    with pytest.raises(CompetitionRefused, match="is taken"):
        sim.create_competition(alice, "Copy", None, T0 + HOUR, invite_code="CLUB-2024")


def test_only_the_host_or_the_admin_edits_and_only_before_the_start(world: World) -> None:
    sim = world.sim
    alice, bob, root = world.user("alice"), world.user("bob"), world.user("root")
    cid, code = cup(world, alice)
    entry = sim.join_competition(bob, code)
    with pytest.raises(Forbidden, match="Only the host"):
        sim.edit_competition(bob, cid, min_trades=5)
    info = sim.edit_competition(alice, cid, starting_balance="5000", taker_fee="0.001", start=T0 + 2 * HOUR)
    assert info["starting_balance"] == Decimal(5000) and info["seasons"][0]["starts_at"] == T0 + 2 * HOUR
    assert sim.portfolio(entry).cash == Decimal(5000)  # the entry already made follows the edit
    assert sim.preferences(entry)["taker_fee"] == Decimal("0.001")
    assert sim.is_admin(root) and not sim.is_admin(alice)
    assert sim.edit_competition(root, cid, name="Summer cup")["name"] == "Summer cup"
    assert [c.label for c in sim.my_entries(bob)] == ["Summer cup · season 1"]
    world.trade("BTCUSDT", "40000.00", at=T0 + 2 * HOUR - timedelta(seconds=1))
    with pytest.raises(CompetitionClosed):  # the window moved with the edit: closed before 02:00
        sim.buy(entry, "BTCUSDT", quantity="0.01")
    world.at(T0 + 2 * HOUR)
    with pytest.raises(CompetitionRefused, match="can no longer change"):
        sim.edit_competition(alice, cid, min_trades=0)
    assert sim.buy(entry, "BTCUSDT", quantity="0.01").status == "FILLED"


def test_the_host_removes_a_member_and_ends_early(world: World) -> None:
    sim = world.sim
    alice, bob, carol, dave = world.user("alice"), world.user("bob"), world.user("carol"), world.user("dave")
    cid, code = cup(world, alice, start=None, min_trades=0)
    b, c = sim.join_competition(bob, code), sim.join_competition(carol, code)
    resting = sim.buy(c, "BTCUSDT", quantity="0.1", price="39000")
    with pytest.raises(Forbidden):
        sim.remove_member(bob, cid, carol)
    with pytest.raises(Forbidden, match="Only the members"):
        sim.leaderboard(dave, cid)
    sim.remove_member(alice, cid, carol)
    assert sim.order(c, resting.id).status == "CANCELED"
    with pytest.raises(CompetitionClosed):
        sim.buy(c, "BTCUSDT", quantity="0.01")
    with pytest.raises(CompetitionRefused, match="removed you"):
        sim.join_competition(carol, code)
    assert [r.name for r in sim.leaderboard(alice, cid)] == ["bob"]
    with pytest.raises(Forbidden):
        sim.leaderboard(carol, cid)  # a removed member no longer sees the standings
    world.trade("BTCUSDT", "40100.00", at=T0 + timedelta(minutes=30))
    sim.buy(b, "BTCUSDT", quantity="0.01")
    with pytest.raises(Forbidden):
        sim.end_competition_early(bob, cid)
    end = world.later(minutes=1)
    report = sim.end_competition_early(alice, cid)
    assert report["ended_early"] and report["ends_at"] == end and report["as_of"] == end
    assert [r["name"] for r in report["by_score"]] == ["bob"]
    with pytest.raises(CompetitionClosed, match="ended at"):
        sim.buy(b, "BTCUSDT", quantity="0.01")
    with pytest.raises(CompetitionRefused, match="already ended"):
        sim.end_competition_early(alice, cid)


def test_holdings_are_shown_only_after_the_end_and_only_when_the_host_chose(world: World) -> None:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    open_cid, open_code = cup(world, alice, start=None, show_holdings_after_end=True)
    shut_cid = sim.create_competition(alice, "Shut", None, T0 + HOUR, invite_code="SHUT-SHUT")
    b = sim.join_competition(bob, open_code)
    sim.join_competition(carol, open_code)
    sim.join_competition(bob, "SHUT-SHUT")
    sim.buy(b, "BTCUSDT", quantity="0.1")
    rows = sim.leaderboard(carol, open_cid)
    assert {r.name for r in rows} == {"bob", "carol"} and [r.you for r in rows if r.name == "carol"] == [True]
    assert not hasattr(rows[0], "holdings") and not hasattr(rows[0], "orders")
    with pytest.raises(Forbidden, match="shown after the end"):
        sim.competition_holdings(carol, open_cid)
    world.at(T0 + 24 * HOUR)
    held = sim.competition_holdings(carol, open_cid)
    assert held["bob"]["BTCUSDT"] == Decimal("0.1")
    assert held["bob"]["USDT"] == Decimal(10000) - Decimal(4000) - Decimal(4000) * Decimal("0.0005")
    assert held["carol"] == {"USDT": Decimal(10000)}
    with pytest.raises(Forbidden, match="keeps members' holdings private"):
        sim.competition_holdings(bob, shut_cid)


def test_seasons_start_fresh_and_past_standings_stay_readable(world: World) -> None:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    cid, code = cup(world, alice, start=None, min_trades=0)
    first = sim.join_competition(bob, code)
    sim.buy(first, "BTCUSDT", quantity="0.1")
    with pytest.raises(CompetitionRefused, match="runs until 2024-01-02 00:00 UTC"):
        sim.new_season(alice, cid, None, T0 + 48 * HOUR)
    with pytest.raises(CompetitionRefused, match="its standings freeze then"):
        sim.competition_report(alice, cid)
    world.trade("BTCUSDT", "44000.00", at=T0 + 2 * HOUR)
    world.at(T0 + 25 * HOUR)
    assert sim.new_season(alice, cid, None, T0 + 48 * HOUR) == 2  # bob is carried over
    second = sim.my_entries(bob)[0]
    assert (second.label, second.season, second.state) == ("Spring cup · season 2", 2, "running")
    assert second.trader_id != first and sim.portfolio(second.trader_id).cash == Decimal(10000)
    sim.join_competition(carol, code)
    past = sim.leaderboard(bob, cid, season=1)
    assert [(r.name, r.ret) for r in past] == [
        ("bob", (Decimal(10000) - Decimal(4002) + Decimal("0.1") * Decimal(44000) - 10000) / 10000)
    ]
    assert {r.name for r in sim.leaderboard(bob, cid)} == {"bob", "carol"}
    assert sim.competition_report(bob, cid, season=1)["frozen_at"] == T0 + 25 * HOUR
    with pytest.raises(NotFound, match="has no season 3"):
        sim.leaderboard(bob, cid, season=3)
    frame = sim.standings_frame(bob, cid, season=1, by="return")
    assert list(frame["name"]) == ["bob"] and frame["rank"].tolist() == [1]
    assert frame["return"].iloc[0] == pytest.approx(float(past[0].ret))
