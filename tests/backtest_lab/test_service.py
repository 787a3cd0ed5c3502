"""sim.backtest_service: runs on the simulator's candles, the forecast strategy, paper vs backtest."""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from sim import backtest_service as bs
from sim.analytics.backtest import FillModel, ma_crossover, pessimistic, run
from sim.domain.errors import InvalidInput
from sim.services import Simulator


@pytest.fixture
def sim(tmp_path):
    s = Simulator.open(database_url=f"sqlite:///{tmp_path}/ledger.sqlite3")
    s.bcrypt_rounds = 4
    yield s
    s.close()


def test_the_range_is_traded_with_warm_up_history_before_it(sim):
    lab = sim.backtest(
        "BTCUSDT", "ma_crossover", params={"fast": 5, "slow": 20}, start="2023-03-01", end="2023-03-08"
    )
    index = lab.result.index
    assert index[0] == pd.Timestamp("2023-03-01", tz="UTC") and index[-1] == pd.Timestamp(
        "2023-03-07 23:00", tz="UTC"
    )
    # the same targets as the plain engine over warm-up + range, cut to the range
    wide = sim.history(
        "BTCUSDT", "1h", pd.Timestamp("2023-03-01", tz="UTC") - pd.Timedelta(hours=20), "2023-03-08"
    )
    full = run(ma_crossover(5, 20), wide, symbol="BTCUSDT")
    assert np.array_equal(lab.result.weights["BTCUSDT"].to_numpy(), full.weights["BTCUSDT"].to_numpy()[20:])
    assert list(lab.runs) == ["default", "pessimistic"]
    assert lab.runs["pessimistic"].fill_model == pessimistic(FillModel())
    assert lab.sensitivity.columns.tolist() == ["default", "pessimistic"]


def test_symbols_share_one_cash_balance_and_progress_reaches_the_end(sim):
    seen: list[tuple[int, int]] = []
    lab = bs.run_backtest(
        sim,
        ["BTCUSDT", "ETHUSDT"],
        "rsi_reversion",
        interval="4h",
        start="2023-01-01",
        end="2023-04-01",
        cash="50000",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert lab.symbols == ("BTCUSDT", "ETHUSDT")
    assert lab.result.starting_cash == Decimal("50000")
    assert lab.result.weights.max().max() <= 0.5  # 1 / number of symbols each
    assert seen[-1] == (2000, 2000) and all(a <= b for (a, _), (b, _) in itertools.pairwise(seen))
    cash = lab.result.final_cash + sum(
        q * Decimal(repr(float(lab.candles[s]["close"].iloc[-1])))
        for s, q in lab.result.final_quantities.items()
    )
    assert cash == lab.result.final_equity


def test_forecast_probabilities_are_the_served_forecasts_computed_in_one_pass(sim):
    from sim.analytics.forecast import predict

    model = bs.served_models(["BTCUSDT"], "1h", 1)["BTCUSDT"]
    candles = sim.history("BTCUSDT", "1h", "2023-05-01", "2023-06-01")
    probs = bs.forecast_probabilities(model, candles)
    assert probs.columns.tolist() == ["down", "flat", "up"]
    assert probs.index[0] == candles["open_time"].iloc[model.min_history_bars - 1]
    for row in (model.min_history_bars - 1, len(candles) - 1):
        served = predict(model, candles.iloc[: row + 1]).probabilities
        got = probs.loc[candles["open_time"].iloc[row]]
        assert got.to_dict() == pytest.approx(served, abs=1e-6)


def test_the_served_models_forecast_strategy_says_it_is_in_sample_on_the_shipped_candles(sim):
    # train_days=None: the served models, as before issue 18 (the default now trains walk-forward)
    lab = sim.backtest(
        "ETHUSDT",
        "forecast",
        params={"enter": 0.38, "exit": 0.38},
        start="2023-06-01",
        end="2023-06-15",
        train_days=None,
    )
    assert lab.in_sample_share == 1.0  # the shipped models were trained up to 2023-12-31
    assert lab.train_window is None and lab.windows is None
    assert any("trained on candles up to 2023-12-31" in n for n in lab.notes)
    assert lab.result.stats["fills"] > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"symbols": []}, "at least one symbol"),
        ({"start": "2023-03-02", "end": "2023-03-01"}, "end of the range must be after"),
        ({"strategy": "forecast", "interval": "4h"}, "trained on 1h candles"),
        (  # only the served models need one (walk-forward runs train their own)
            {"symbols": ["SOLUSDT"], "strategy": "forecast", "params": {"horizon": 4}, "train_days": None},
            "No forecast model is served",
        ),
        ({"interval": "1m"}, "hourly"),
    ],
)
def test_bad_requests_are_refused_with_a_message(sim, kwargs, message):
    args = {
        "symbols": ["BTCUSDT"],
        "strategy": "ma_crossover",
        "start": "2023-03-01",
        "end": "2023-04-01",
        **kwargs,
    }
    with pytest.raises(InvalidInput, match=message):
        bs.run_backtest(sim, **args)


def test_paper_vs_backtest_replays_the_users_fills_with_their_costs(sim):
    me = sim.register("carol", "correct horse battery")
    sim.set_preferences(me.id, taker_fee="0.002", slippage_bps="5")
    assert sim.paper_vs_backtest(me.id) is None  # no fills yet
    sim.buy(me.id, "BTCUSDT", quote_amount="1000")
    sim.advance(3)
    sim.sell(me.id, "BTCUSDT", "0.01")
    pending = sim.paper_vs_backtest(me.id)
    assert pending is not None and pending.pending == 1  # the sell's candle has not closed
    sim.advance(2)
    comparison = sim.paper_vs_backtest(me.id)
    assert comparison.pending == 0 and comparison.model.fees.taker == Decimal("0.002")
    assert comparison.model.slippage_bps == Decimal("5")
    totals = comparison.reconciliation.totals
    assert totals["replayed"] == 2
    assert totals["fee"] + totals["price"] + totals["timing"] == totals["final_equity_difference"]
    assert float(totals["paper_final_equity"]) == pytest.approx(float(sim.portfolio(me.id).equity), abs=50)
    text = bs.explain(comparison)
    assert text[0].startswith("Replayed 2 of 2 paper fills on 1h candles")
    assert "taker rate 0.2%" in text[1] and "5 bp" in text[2]


def test_format_table_reads_as_text():
    table = pd.DataFrame(
        {"run": [0.1234, -0.05, 1_234.5, 7, float("nan"), pd.Timestamp("2023-01-01", tz="UTC")]},
        index=["total_return", "max_drawdown", "fees_paid", "trades", "sharpe", "start"],
    )
    assert bs.format_table(table)["run"].tolist() == [
        "+12.34%",
        "-5.00%",
        "1,234.50",
        "7",
        "n/a",
        "2023-01-01 00:00",
    ]
