"""Issue 13, reproduction 7: the "pessimistic" twin is never kinder than the user's own costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim import backtest_service as bs
from sim.analytics.backtest import FillModel, pessimistic
from sim.services import Simulator


@pytest.fixture
def sim(tmp_path):
    s = Simulator.open(database_url=f"sqlite:///{tmp_path}/ledger.sqlite3")
    yield s
    s.close()


def test_the_pessimistic_model_takes_at_least_the_users_slippage_and_fees() -> None:
    user = FillModel(slippage_bps=Decimal(100))
    harsh = pessimistic(user)
    assert harsh.slippage_bps == Decimal(100) and harsh.price == "worst"
    assert harsh.fees.taker >= user.fees.taker and harsh.fees.maker >= user.fees.maker
    assert pessimistic(FillModel()).slippage_bps == Decimal(10)  # the constant when it is harsher
    assert pessimistic(user, fee_multiplier=Decimal("0.5")).fees.taker == user.fees.taker


def test_with_a_100_bp_slippage_the_pessimistic_column_is_not_the_better_one(sim) -> None:
    model = bs.fill_model("0.001", "100")
    lab = bs.run_backtest(
        sim,
        ["BTCUSDT"],
        "ma_crossover",
        params={"fast": 5, "slow": 20},
        start="2023-03-01",
        end="2023-04-01",
        model=model,
    )
    default, harsh = lab.runs["default"], lab.runs["pessimistic"]
    assert harsh.fill_model.slippage_bps >= default.fill_model.slippage_bps == Decimal(100)
    assert harsh.final_equity <= default.final_equity
