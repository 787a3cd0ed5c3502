"""ui/format.py and sim.assistant.types.readable: how numbers, times and labels read (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sim.assistant.types import readable
from ui import format as fmt


def test_numbers_at_the_symbols_precision_and_large_numbers_readable():
    assert fmt.price(Decimal("1907.115"), Decimal("0.01")) == "1,907.12"
    assert fmt.qty(Decimal("4.1900467"), Decimal("0.0001")) == "4.1900"
    assert fmt.qty(Decimal("58.9300")) == "58.93"
    assert fmt.money(Decimal("388.1914005"), "USDT") == "388.19 USDT"
    assert fmt.big(38379620) == "38.38 M" and fmt.big(Decimal("9E+6"), "USDT") == "9.00 M USDT"
    assert readable(38379620.0) == "38,379,620" and readable(float(Decimal("9E+6"))) == "9,000,000"
    assert readable(0.0123) == "0.0123" and readable(1234.5678) == "1,234.57"


def test_times_labels_and_sides():
    assert fmt.when(datetime(2023, 6, 1, 12, 0, 5, tzinfo=UTC)) == "2023-06-01 12:00:05"
    assert fmt.order_type("STOP_LOSS", "list-1") == "Stop-loss (OCO)"
    assert fmt.order_type("TAKE_PROFIT") == "Take-profit"
    assert fmt.side_markdown("BUY") == ":green[Buy]" and fmt.side_markdown("SELL") == ":red[Sell]"
    assert fmt.status("PARTIALLY_FILLED") == "Partially filled"


def test_todays_pnl_from_the_equity_at_midnight():
    import pandas as pd

    from sim.analytics.portfolio import change_since

    idx = pd.date_range("2023-06-01 22:00", periods=4, freq="1h", tz="UTC")  # 22:00 .. 01:00
    equity = pd.Series([100.0, 101.0, 103.0, 104.0], index=idx)
    midnight = pd.Timestamp("2023-06-02", tz="UTC")
    assert change_since(equity, midnight, 110.0) == 7.0  # from the 00:00 point (103)
    assert change_since(equity, idx[0] - pd.Timedelta("1h"), 110.0) == 10.0  # starts later: first point
    assert change_since(pd.Series(dtype=float), midnight, 5.0) == 0.0
