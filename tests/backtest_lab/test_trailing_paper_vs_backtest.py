"""Issue 15: a paper session on the replay that protects each MA(20,50) entry with a trailing stop
agrees with the backtest of the same strategy with ``trailing_stop_bps``: the same stop-outs on the
same candles at the same triggering trades, because both run :func:`sim.domain.trailing.step` over
the same trades (the replay's four ticks per candle are the backtester's candle trades)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from sim.services import Simulator
from sim.settings import Settings

START = "2023-10-01"
CANDLES = 400
DELTA = 150  # bps


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """After each close: long on MA(20) > MA(50) -> buy all in and place a trailing SELL of what
    was bought; flat -> cancel the stop and sell. After a stop-out, wait for a new signal."""
    path = tmp_path_factory.mktemp("trail") / "ledger.sqlite3"
    sim = Simulator.open(settings=Settings(database_url=f"sqlite:///{path}"), replay_start=START)
    sim.bcrypt_rounds = 4
    user = sim.register("trailer", "correct horse")
    held, stop_id, stopped = Decimal(0), None, False
    stops = []
    for _ in range(CANDLES):
        sim.advance(1)
        if stop_id is not None and sim.order(user.id, stop_id).status == "FILLED":
            stops.append(sim.order(user.id, stop_id))
            held, stop_id, stopped = Decimal(0), None, True
        closes = sim.history("BTCUSDT", "1h")["close"]
        long = closes.tail(20).mean() > closes.tail(50).mean()
        if not long:
            stopped = False
            if held:
                sim.cancel(user.id, stop_id)
                sim.sell(user.id, "BTCUSDT", str(held))
                held, stop_id = Decimal(0), None
        elif not held and not stopped:
            cash = sim.portfolio(user.id).cash_free
            held = sim.buy(user.id, "BTCUSDT", quote_amount=f"{cash:.2f}").filled_qty
            stop = sim.place_order(
                user.id, "BTCUSDT", "SELL", "TRAILING_STOP", quantity=str(held), trailing_delta_bps=DELTA
            )
            stop_id = stop.id
    end = pd.Timestamp(START, tz="UTC") + pd.Timedelta(hours=CANDLES)
    lab = sim.backtest(
        "BTCUSDT",
        "ma_crossover",
        params={"fast": 20, "slow": 50},
        start=START,
        end=end,
        trailing_stop_bps=DELTA,
    )
    yield sim, user, stops, lab
    sim.close()


def test_the_paper_stop_outs_are_the_backtest_stop_outs(session) -> None:
    _sim, _user, stops, lab = session
    trades = lab.result.trades
    backtest_stops = trades[(trades["side"] == "SELL") & (trades["time"] == trades["signal_time"])]
    assert len(stops) >= 3 and len(backtest_stops) == len(stops)
    candle = [pd.Timestamp(s.fills[0].time).floor("1h") for s in stops]
    assert candle == list(backtest_stops["time"])
    assert [s.avg_fill_price for s in stops] == [Decimal(str(p)) for p in backtest_stops["price"]]


def test_the_accounts_end_within_the_entry_timing_difference(session) -> None:
    sim, user, _, lab = session
    difference = lab.result.final_equity - sim.portfolio(user.id).equity
    assert len(lab.result.trades) == len(sim.trades(user.id))
    assert abs(difference) < Decimal("0.5")  # entries at close(t) + 1 bp against open(t+1) + 1 bp
