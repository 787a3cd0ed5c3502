"""“Why did I lose money on ETH”: the breakdown of one symbol's fills, with expected values as formulas."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pandas as pd

from sim.assistant import tools
from tests.assistant.conftest import T


def _close(sim, symbol: str, open_time) -> Decimal:
    frame = sim.history(symbol, "1h")
    row = frame[frame["open_time"] == pd.Timestamp(open_time)]
    return Decimal(repr(float(row["close"].iloc[0])))


def test_the_breakdown_of_a_losing_round_trip(sim_env):
    sim, driver, user = sim_env  # bought 0.5 ETH at 1870.00 at 12:00:30
    driver.trade("ETHUSDT", "1800.00", seconds=70 * 60)  # 13:10:30
    sim.sell(user.id, "ETHUSDT", "0.5")
    driver.clock[0] = T + timedelta(hours=3)  # the 12:00 and 13:00 candles have closed
    fills = [f for f in sim.trades(user.id) if f.symbol == "ETHUSDT"]
    reply = sim.chat(user.id, "Why did I lose money on ETH?")
    assert reply.intent == "explain_loss" and reply.proposal is None
    d = reply.data
    qty = Decimal("0.5")
    assert (d["buys"], d["sells"], d["avg_entry"], d["avg_exit"]) == (1, 1, Decimal(1870), Decimal(1800))
    assert d["price_effect"] == (Decimal(1800) - Decimal(1870)) * qty == Decimal(-35)
    buy_fee, sell_fee = Decimal(1870) * qty * Decimal("0.001"), Decimal(1800) * qty * Decimal("0.001")
    assert d["fees_paid"] == buy_fee + sell_fee == sum(f.fee for f in fills)
    avg_cost = (Decimal(1870) * qty + buy_fee) / qty  # the average price includes the buy fee
    assert (
        d["realized_pnl"] == (Decimal(1800) - avg_cost) * qty - sell_fee == sum(f.realized_pnl for f in fills)
    )
    hour = T.replace(second=0)
    expected_slip = (Decimal(1870) - _close(sim, "ETHUSDT", hour)) * qty + (
        _close(sim, "ETHUSDT", hour + timedelta(hours=1)) - Decimal(1800)
    ) * qty
    assert d["slippage_interval"] == "1h" and d["slippage_cost"] == expected_slip.quantize(Decimal("1e-8"))
    assert [s["reference_close"] for s in d["slippage"]] == [
        _close(sim, "ETHUSDT", hour),
        _close(sim, "ETHUSDT", hour + timedelta(hours=1)),
    ]
    for fragment in (
        "average 1,870.00",
        "average 1,800.00",
        "-35.00 USDT",
        "realized PnL: -36.84 USDT",
        "1h candle",
    ):
        assert fragment in reply.text, reply.text


def test_slippage_is_not_available_before_the_candle_closes_and_no_trades_is_said(sim_env):
    sim, _, user = sim_env
    result = tools.explain_loss(sim, user.id, "SOLUSDT")
    assert result.data["slippage_cost"] is None and "not available yet" in result.text
    assert "still held: 10 SOL" in result.text
    assert "no BTCUSDT trades" in tools.explain_loss(sim, user.id, "BTCUSDT").text


def test_without_a_symbol_the_worst_position_is_explained(sim_env):
    sim, driver, user = sim_env
    driver.trade("SOLUSDT", "15.00")  # SOL falls by more than a quarter, ETH is unchanged
    result = tools.explain_loss(sim, user.id)
    assert result.data["symbol"] == "SOLUSDT"
