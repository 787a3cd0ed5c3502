"""The trailing-stop rule (:mod:`sim.domain.trailing`) and its validation, with expected stop
levels written as formulas: SELL ``peak x (1 - d/10000)``, BUY ``trough x (1 + d/10000)``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim.bootstrap import load_instruments
from sim.domain.errors import InvalidInput
from sim.domain.orders import OrderType, Side, make_oco, make_request
from sim.domain.trailing import (
    DEFAULT_BOUNDS,
    Trail,
    TrailingDelta,
    check_delta,
    step,
    stop_level,
    trigger_price,
    walk,
)
from sim.settings import Settings

D = Decimal
BPS = D(10_000)


@pytest.fixture(scope="module")
def btc():
    return load_instruments(Settings())["BTCUSDT"]


def test_a_sell_trails_the_highest_price_and_triggers_delta_below_it() -> None:
    d = 500  # 5%
    trail = Trail(Side.SELL, d, extreme=D("40000"))  # started at the last price when placed
    assert trail.level == D("40000") * (1 - D(d) / BPS)
    prices = [D(p) for p in ("41000", "42000", "40500", "39900.01", "39899.99")]
    state, fired_at = walk(trail, prices)
    assert state.extreme == D("42000")  # the peak since placement
    assert state.level == D("42000") * (1 - D(d) / BPS) == D("39900")
    assert fired_at == 4  # 39900.01 is above the level; 39899.99 is through it


def test_a_buy_trails_the_lowest_price_and_triggers_delta_above_it() -> None:
    d = 250
    state, fired_at = walk(Trail(Side.BUY, d, extreme=D("100")), [D("98"), D("96"), D("98.39"), D("98.40")])
    assert state.extreme == D("96")
    assert stop_level(Side.BUY, D("96"), d) == D("96") * (1 + D(d) / BPS) == D("98.4")
    assert fired_at == 3  # a trade exactly at the level triggers (at or beyond)


def test_the_level_triggers_at_or_beyond_and_an_improving_trade_never_triggers() -> None:
    trail = Trail(Side.SELL, 100, extreme=D("100"))
    assert step(trail, D("99")) == (trail, True)  # exactly 100 x 0.99
    assert step(trail, D("99.01")) == (trail, False)
    moved, fired = step(trail, D("100.5"))
    assert moved.extreme == D("100.5") and not fired


def test_with_an_activation_price_nothing_is_tracked_until_a_trade_reaches_it() -> None:
    # Binance scenario D (take-profit SELL, 750 bps, stopPrice 42,000): 43,012.5 = 46,500 x 0.925
    trail = Trail(Side.SELL, 750, activation=D("42000"))
    path = [D(p) for p in ("41500", "39000", "42000", "45000", "44000", "46500", "43012.6", "43012.5")]
    state, fired_at = walk(trail, path)
    assert state.extreme == D("46500") and fired_at == 7
    assert D("43012.5") == D("46500") * (1 - D(750) / BPS)
    # a big fall before activation moves nothing
    assert walk(trail, [D("30000"), D("20000")]) == (trail, None)
    # BUY activates at or below its price (Binance scenario C: 40,145 = 37,000 x 1.085)
    buy = Trail(Side.BUY, 850, activation=D("38000"))
    path = [D(p) for p in ("42000", "38000", "37000", "39000", "38000", "40144", "40145")]
    state, fired_at = walk(buy, path)
    assert state.extreme == D("37000") and fired_at == 6


def test_trigger_price_is_the_first_tick_through_the_level() -> None:
    tick = D("0.01")
    assert trigger_price(Side.SELL, D("100.03"), 33, tick) == D("99.69")  # 99.699901 rounded down
    assert trigger_price(Side.BUY, D("100.03"), 33, tick) == D("100.37")  # 100.360099 rounded up


def test_requests_validate_the_delta_against_the_trailing_delta_filter(btc) -> None:
    b = btc.trailing_delta  # the shipped exchangeInfo's TRAILING_DELTA filter: Binance's usual bounds
    assert (b.min_above, b.max_above, b.min_below, b.max_below) == (10, 2000, 10, 2000)
    d = DEFAULT_BOUNDS  # the bounds used when a symbol has no such filter
    assert (d.min_above, d.max_above, d.min_below, d.max_below) == (10, 2000, 10, 2000)
    req = make_request(btc, "SELL", "TRAILING_STOP", quantity="0.01", trailing_delta_bps=150)
    assert (req.type, req.trailing_delta, req.stop_price) == (OrderType.TRAILING_STOP, 150, None)
    req = make_request(
        btc, "BUY", "trailing stop", quantity="0.01", trailing_delta_bps="300", activation_price="39000"
    )
    assert (req.trailing_delta, req.stop_price) == (300, D("39000"))
    for bad, words in [
        (9, "outside the BTCUSDT TRAILING_DELTA filter for a sell stop: 10 to 2000 bps"),
        (2001, "10 to 2000 bps (0.1% to 20%)"),
        ("1.5", "whole number of basis points"),
        ("abc", "whole number"),
    ]:
        with pytest.raises(InvalidInput, match=words.replace("(", r"\(").replace(")", r"\)")):
            make_request(btc, "SELL", "TRAILING_STOP", quantity="0.01", trailing_delta_bps=bad)
    with pytest.raises(InvalidInput, match="needs a trailing delta"):
        make_request(btc, "SELL", "TRAILING_STOP", quantity="0.01")
    with pytest.raises(InvalidInput, match="activation price, not a stop price"):
        make_request(btc, "SELL", "TRAILING_STOP", quantity="0.01", trailing_delta_bps=100, stop_price="1")
    with pytest.raises(InvalidInput, match="takes no trailing delta"):
        make_request(btc, "SELL", "STOP_LOSS", quantity="0.01", stop_price="30000", trailing_delta_bps=100)
    with pytest.raises(InvalidInput, match="activation price .* off the BTCUSDT price grid"):
        make_request(
            btc, "SELL", "TRAILING_STOP", quantity="0.01", trailing_delta_bps=100, activation_price="1.001"
        )


def test_an_oco_pairs_a_take_profit_with_a_trailing_stop(btc) -> None:
    tp, trail = make_oco(
        btc, "SELL", quantity="0.01", take_profit="50000", trailing_delta_bps=200, client_order_id="x"
    )
    assert (tp.type, trail.type, trail.trailing_delta, trail.client_order_id) == (
        OrderType.TAKE_PROFIT,
        OrderType.TRAILING_STOP,
        200,
        "x:sl",
    )
    with pytest.raises(InvalidInput, match="either a stop-loss price or a trailing delta"):
        make_oco(btc, "SELL", quantity="0.01", take_profit="50000", stop_loss="30000", trailing_delta_bps=200)
    with pytest.raises(InvalidInput, match="activation price must be below the take-profit"):
        make_oco(
            btc,
            "SELL",
            quantity="0.01",
            take_profit="50000",
            trailing_delta_bps=200,
            activation_price="50000",
        )


def test_the_bounds_follow_the_side_and_default_to_binances_usual_ones() -> None:
    narrow = TrailingDelta(min_above=10, max_above=500, min_below=20, max_below=300)
    assert check_delta(500, "BUY", narrow, "X") == 500  # a buy stop lies above the market
    with pytest.raises(InvalidInput, match="for a buy stop: 10 to 500 bps"):
        check_delta(501, "BUY", narrow, "X")
    with pytest.raises(InvalidInput, match="for a sell stop: 20 to 300 bps"):
        check_delta(10, "SELL", narrow, "X")
    assert check_delta("2000", "SELL", None, "X") == 2000  # no TRAILING_DELTA filter: 10 to 2000
    with pytest.raises(InvalidInput, match="10 to 2000 bps"):
        check_delta(2001, "SELL", None, "X")
