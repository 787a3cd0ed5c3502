"""The Backtest lab runs a strategy with a trailing stop (issue 15): its note says so, the stop-outs
sell on the candle they triggered in; several symbols or a delta outside the filter are refused."""

from __future__ import annotations

from datetime import date

from tests.app.conftest import no_exceptions
from tests.backtest_lab.test_page import page_as


def run_with(at, symbols: list[str], trail: str):
    at.multiselect(key="bt_symbols").set_value(symbols)
    at.date_input(key="bt_start").set_value(date(2023, 3, 1))
    at.date_input(key="bt_end").set_value(date(2023, 4, 1))
    at.selectbox(key="bt_strategy").set_value("ma_crossover").run()
    at.text_input(key="bt_trail").input(trail)
    return at.button(key="bt_run").click().run()


def test_a_backtest_with_a_trailing_stop(env):
    at = run_with(page_as(env.user()), ["BTCUSDT"], "150")
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    assert any("protected by a trailing stop of 150 bps" in c.value for c in at.tabs[0].caption)
    at = run_with(at, ["BTCUSDT", "ETHUSDT"], "150")
    assert "one symbol at a time" in at.error[0].value
    at = run_with(at, ["BTCUSDT"], "5")
    assert "outside the BTCUSDT TRAILING_DELTA filter for a sell stop: 10 to 2000 bps" in at.error[0].value
