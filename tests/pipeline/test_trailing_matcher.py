"""The matcher moves and fills trailing stops with the same rule as paper trading (issue 15):
a trade older than the order never moves its stop, even when it arrives after the order was placed
(a lagging matcher, a replayed topic); the tracked peak is written only when it improves. On SQLite
and PostgreSQL, through the matcher's batch path (``Simulator.match_trades``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pipeline.bus import InMemoryBus
from pipeline.matcher import OrderMatcher
from sim.adapters.live.memory import InMemoryLiveStore
from sim.domain.fills import slipped_price
from sim.domain.orders import Side
from sim.domain.values import fee_amount
from sim.market import Trade, encode
from sim.services import Simulator
from sim.settings import Settings

D = Decimal
BPS = D(10_000)
NOW = datetime.now(UTC).replace(microsecond=0)
PLACED = NOW - timedelta(seconds=30)


def test_a_trade_before_placement_never_moves_the_stop_and_later_ones_trail_and_fill(ledger_url) -> None:
    live = InMemoryLiveStore()
    live.write([Trade("BTCUSDT", 1, D("40000.00"), D("0.01"), PLACED - timedelta(seconds=5), False)], 0)
    settings = Settings(database_url=ledger_url)
    clock = [PLACED]
    sim = Simulator.open(settings=settings, market=live, clock=lambda: clock[0])
    sim.bcrypt_rounds = 4
    user = sim.register("trailer", "correct horse")
    sim.buy(user.id, "BTCUSDT", "0.1")
    d = 200
    order = sim.place_order(user.id, "BTCUSDT", "SELL", "TRAILING_STOP", quantity="0.1", trailing_delta_bps=d)
    assert order.trail_extreme == D("40000") and order.stop_level == D("40000") * (1 - D(d) / BPS)
    bus = InMemoryBus()
    sub = bus.subscribe(["ticks"], "m")
    matcher = OrderMatcher(sim, sub)
    ids = iter(range(10, 100))

    def batch(*trades: tuple[str, datetime]) -> int:
        for price, when in trades:
            trade = Trade("BTCUSDT", next(ids), D(price), D("0.01"), when, False)
            bus.send("ticks", b"BTCUSDT", encode(trade))
        return matcher.process(sub.poll())

    # delivered late: trades from before the order, a new peak and a fall through the stop
    assert (
        batch(("50000.00", PLACED - timedelta(seconds=2)), ("30000.00", PLACED - timedelta(seconds=1))) == 0
    )
    late = sim.order(user.id, order.id)
    assert (late.status, late.trail_extreme, late.updated_at) == ("OPEN", D("40000"), PLACED)
    # after placement: the peak moves to 41000; 40500 does not trigger (41000 x 0.98 = 40180)
    assert (
        batch(("41000.00", PLACED + timedelta(seconds=1)), ("40500.00", PLACED + timedelta(seconds=2))) == 0
    )
    moved = sim.order(user.id, order.id)
    assert moved.trail_extreme == D("41000") and moved.stop_level == D("41000") * (1 - D(d) / BPS) == D(
        "40180"
    )
    assert moved.updated_at == PLACED + timedelta(seconds=1)  # written when the peak improved only
    assert (
        batch(("40180.01", PLACED + timedelta(seconds=3)), ("40180.00", PLACED + timedelta(seconds=4))) == 1
    )
    done = sim.order(user.id, order.id)
    price = slipped_price(D("40180"), Side.SELL, settings.slippage_bps, D("0.01"))
    assert (done.status, done.avg_fill_price) == ("FILLED", price)
    assert done.fee_total == fee_amount(price * D("0.1"), settings.taker_fee)
    assert done.fills[0].time == PLACED + timedelta(seconds=4)
    assert batch(("30000.00", PLACED + timedelta(seconds=5))) == 0  # exactly once
    sim.close()


def test_a_buy_trailing_stop_with_an_activation_price_in_sql(ledger_url) -> None:
    """The ledger's candidate query for a BUY: nothing before activation, then the trough, then
    the fill at ``trough x (1 + delta/10000)`` or above."""
    live = InMemoryLiveStore()
    live.write([Trade("BTCUSDT", 1, D("40000.00"), D("0.01"), PLACED - timedelta(seconds=5), False)], 0)
    settings = Settings(database_url=ledger_url)
    sim = Simulator.open(settings=settings, market=live, clock=lambda: PLACED)
    sim.bcrypt_rounds = 4
    user = sim.register("buyer", "correct horse")
    d = 100
    order = sim.place_order(
        user.id,
        "BTCUSDT",
        "BUY",
        "TRAILING_STOP",
        quantity="0.01",
        trailing_delta_bps=d,
        activation_price="39000",
    )
    assert order.trail_extreme is None and order.stop_price == D("39000")
    at = [PLACED + timedelta(seconds=i) for i in range(1, 10)]
    assert sim.match_trades("BTCUSDT", [Trade("BTCUSDT", 2, D("45000"), D("1"), at[0], False)]) == 0
    assert sim.order(user.id, order.id).trail_extreme is None  # not reached: nothing tracked
    batch = [
        Trade("BTCUSDT", 3 + i, D(p), D("1"), at[1 + i], False) for i, p in enumerate(["38900", "38500"])
    ]
    assert sim.match_trades("BTCUSDT", batch) == 0
    tracked = sim.order(user.id, order.id)
    assert tracked.trail_extreme == D("38500") and tracked.stop_level == D("38500") * (1 + D(d) / BPS)
    assert sim.match_trades("BTCUSDT", [Trade("BTCUSDT", 9, D("38884.99"), D("1"), at[4], False)]) == 0
    assert sim.match_trades("BTCUSDT", [Trade("BTCUSDT", 10, D("38885.00"), D("1"), at[5], False)]) == 1
    done = sim.order(user.id, order.id)
    assert done.avg_fill_price == slipped_price(D("38885"), Side.BUY, settings.slippage_bps, D("0.01"))
    sim.close()
