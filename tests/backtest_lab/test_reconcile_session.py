"""Issue 13, reproduction 5: a paper session that follows MA(20,50) by hand reconciles to the true
difference with the backtest, because each paper fill is put in the candle whose price it took."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from sim.services import Simulator
from sim.settings import Settings

START = "2023-10-01"
CANDLES = 400


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """400 hourly candles: after each close, act on MA(20,50) with market orders, then advance(1).
    ``hand`` goes all in like the backtest; ``part`` buys with 90% of its cash."""
    path = tmp_path_factory.mktemp("session") / "ledger.sqlite3"
    sim = Simulator.open(settings=Settings(database_url=f"sqlite:///{path}"), replay_start=START)
    sim.bcrypt_rounds = 4
    hand, part = sim.register("hand", "correct horse"), sim.register("part", "correct horse")
    held = {hand.id: Decimal(0), part.id: Decimal(0)}
    share = {hand.id: Decimal(1), part.id: Decimal("0.9")}
    for _ in range(CANDLES):
        sim.advance(1)
        closes = sim.history("BTCUSDT", "1h")["close"]
        long = closes.tail(20).mean() > closes.tail(50).mean()
        for uid in held:
            if long and not held[uid]:
                cash = sim.portfolio(uid).cash_free * share[uid]
                held[uid] = sim.buy(uid, "BTCUSDT", quote_amount=f"{cash:.2f}").filled_qty
            elif not long and held[uid]:
                sim.sell(uid, "BTCUSDT", str(held[uid]))
                held[uid] = Decimal(0)
    end = pd.Timestamp(START, tz="UTC") + pd.Timedelta(hours=CANDLES)
    lab = sim.backtest("BTCUSDT", "ma_crossover", params={"fast": 20, "slow": 50}, start=START, end=end)
    yield sim, hand, part, lab
    sim.close()


def test_the_reported_total_is_the_true_difference_and_fills_sit_on_their_decision_candle(session):
    sim, hand, _, lab = session
    result = lab.result
    true_difference = result.final_equity - sim.portfolio(hand.id).equity
    assert abs(true_difference) < Decimal("0.5")  # close(t)+1bp against open(t+1)+1bp only
    comparison = sim.paper_vs_backtest(hand.id)
    totals, rows = comparison.reconciliation.totals, comparison.reconciliation.trades
    assert totals["replayed"] == len(result.trades) == len(sim.trades(hand.id)) >= 6
    assert totals["total"] == totals["final_equity_difference"] == true_difference
    assert totals["fee"] + totals["timing"] + totals["price"] + totals["quantity"] == totals["total"]
    assert abs(totals["timing"]) < 1 and totals["quantity"] == 0
    # each paper fill sits on the candle the backtest decided on, and replays where it filled
    assert list(rows["bar_time"]) == list(result.trades["signal_time"])
    assert list(rows["fill_time"]) == list(result.trades["time"])
    assert list(rows["backtest_price"]) == list(result.trades["price"])


def test_against_the_backtest_run_the_quantity_sizing_is_attributed(session):
    sim, _, part, lab = session
    result = lab.result
    true_difference = result.final_equity - sim.portfolio(part.id).equity
    alone = sim.paper_vs_backtest(part.id).reconciliation.totals
    assert alone["quantity"] == 0 and alone["total"] != true_difference  # paper quantities replayed
    totals = sim.paper_vs_backtest(part.id, backtest=lab).reconciliation.totals
    assert totals["total"] == totals["final_equity_difference"] == true_difference
    assert totals["fee"] + totals["timing"] + totals["price"] + totals["quantity"] == totals["total"]
    assert totals["quantity"] > 100  # the backtest went all in, this account 90%
    assert abs(totals["timing"]) < 1
