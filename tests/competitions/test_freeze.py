"""A season freezes exactly at its end in market time.

By hand (both ledgers): a resting order crossed by a trade 1 ms before the end fills, one crossed
only by a trade at the end does not; an order at the end is refused; the frozen standings equal
those read at the end. On the replay (``sim.advance``): a resting order that the candles after the
end would have crossed never fills, and the standings after the end equal those at the end, with
the return and drawdown written as formulas of the shipped candles.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from sim.domain.errors import CompetitionClosed
from sim.domain.ranking import max_drawdown
from sim.services import Simulator
from sim.settings import Settings
from tests.competitions.conftest import T0, World

MS = timedelta(milliseconds=1)


def test_the_end_is_exact_to_the_millisecond(world: World) -> None:
    sim = world.sim
    alice, bob, carol = world.user("alice"), world.user("bob"), world.user("carol")
    end = T0 + timedelta(hours=1)
    cid = sim.create_competition(alice, "Sprint", None, end, starting_balance="10000", slippage_bps=0)
    code = sim.competition(alice, cid)["invite_code"]
    b, c = sim.join_competition(bob, code), sim.join_competition(carol, code)
    late = sim.buy(b, "BTCUSDT", quantity="0.1", price="39000")  # crossed only at the end
    early = sim.buy(c, "BTCUSDT", quantity="0.1", price="39600")  # crossed just before it
    world.trade("BTCUSDT", "39500.00", at=end - 2 * MS)
    assert sim.order(c, early.id).status == "FILLED"  # at its limit, 39600
    world.trade("BTCUSDT", "39600.00", at=end - MS)
    assert sim.buy(b, "BTCUSDT", quantity="0.01").status == "FILLED"  # 1 ms before the end, at 39600
    world.at(end)
    at_end = sim.leaderboard(alice, cid)
    with pytest.raises(CompetitionClosed, match="ended at 2024-01-01 01:00 UTC"):
        sim.buy(b, "BTCUSDT", quantity="0.01")
    with pytest.raises(CompetitionClosed):
        sim.place_oco(b, "BTCUSDT", "SELL", "0.01", take_profit="45000", stop_loss="35000")
    assert world.trade("BTCUSDT", "38000.00", at=end) == 0  # a trade at the end fills nothing
    world.trade("BTCUSDT", "30000.00", at=end + timedelta(hours=5))
    assert sim.order(b, late.id).status == "OPEN"
    # as of the end, whatever came after. (No candles after T0 here: once the latest trade is past
    # the end, a holding is marked at its last fill price, which these trades make the last price
    # before the end; on the replay the candle closing at the end marks it, see below.)
    assert sim.leaderboard(alice, cid) == at_end
    assert sim.finalize_competitions() == [{"competition_id": cid, "competition": "Sprint", "season": 1}]
    assert sim.finalize_competitions() == []  # once
    canceled = sim.order(b, late.id)
    assert (canceled.status, canceled.reason, canceled.updated_at) == (
        "CANCELED",
        "The competition ended.",
        end,
    )
    assert sim.portfolio(b).cash_locked == 0
    assert sim.leaderboard(alice, cid) == at_end
    # carol's limit filled at 39600 with the settings' maker fee (0.001; the cup sets none)
    carol_equity = 10000 - Decimal("0.1") * 39600 * (1 + Decimal("0.001")) + Decimal("0.1") * 39600
    assert {r.name: r.ret for r in at_end}["carol"] == (carol_equity - 10000) / 10000


def _hourly(symbol: str) -> pd.DataFrame:
    path = Path(Settings().sample_dir) / f"{symbol}-1h.csv.gz"
    df = pd.read_csv(path)
    df["open_time"] = pd.to_datetime(df["open_time"], unit="ms", utc=True)
    return df.set_index("open_time")


def test_on_the_replay_nothing_after_the_end_counts(tmp_path: Path) -> None:
    start = datetime(2023, 12, 1, tzinfo=UTC)
    hours = 6
    end = start + timedelta(hours=hours)
    candles = _hourly("BTCUSDT")
    season = candles.loc[start : end - timedelta(hours=1)]
    after = candles.loc[end : end + timedelta(hours=23)]
    if after["low"].min() < season["low"].min():  # a limit buy the candles after the end would fill
        side, limit = "BUY", (after["low"].min() + season["low"].min()) / 2
    else:
        assert after["high"].max() > season["high"].max(), "pick another window"
        side, limit = "SELL", (after["high"].max() + season["high"].max()) / 2
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=Decimal(0))
    with Simulator.open(settings=settings, replay_start=start) as sim:
        sim.bcrypt_rounds = 4
        host, bob = sim.register("host", "correct horse").id, sim.register("bob", "correct horse").id
        cid = sim.create_competition(host, "Replay cup", None, end, starting_balance="10000", taker_fee="0")
        entry = sim.join_competition(bob, sim.competition(host, cid)["invite_code"])
        bought = sim.buy(entry, "BTCUSDT", quantity="0.1")
        qty = Decimal("0.1") if side == "BUY" else Decimal("0.05")
        resting = sim.place_order(entry, "BTCUSDT", side, "LIMIT", quantity=qty, price=f"{limit:.2f}")
        sim.advance(hours)
        assert sim.now() == end
        at_end = sim.leaderboard(host, cid)
        with pytest.raises(CompetitionClosed):
            sim.buy(entry, "BTCUSDT", quantity="0.01")
        sim.advance(24)
        assert sim.order(entry, resting.id).status == "OPEN"  # the candles after the end crossed it
        assert sim.leaderboard(host, cid) == at_end
        sim.finalize_competitions()
        assert sim.order(entry, resting.id).status == "CANCELED"
        assert sim.leaderboard(host, cid) == at_end
    # the formulas: the buy at the primed price, equity marked at each hourly close of the season
    cash = Decimal(10000) - bought.fills[0].total_amount  # no fee (taker_fee 0)
    closes = [Decimal(repr(float(x))) for x in season["close"]]
    curve = [Decimal(10000)] + [cash + Decimal("0.1") * c for c in closes]
    (row,) = at_end
    assert row.ret == (curve[-1] - 10000) / 10000
    assert row.max_drawdown == max_drawdown(curve)
    assert row.trades == 1
