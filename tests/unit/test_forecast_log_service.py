"""The forecasting use cases on the in-memory forecast log and ledger: no database, the same code.

Forecasts are served from the shipped candles and models at a moved market clock, stored once in
:class:`~sim.service_layer.memory_forecasts.InMemoryForecastLog`, scored when their horizon has
passed, and read back by the track record and the report job's list of users.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sim import forecasting
from sim.adapters.market import InMemoryMarket
from sim.bootstrap import load_instruments
from sim.domain.fills import Tick
from sim.domain.orders import make_request
from sim.forecast_record import track_record
from sim.reports import users_with_fills
from sim.service_layer import orders
from sim.service_layer.context import ServiceContext
from sim.service_layer.memory_forecasts import InMemoryForecastLog
from sim.service_layer.memory_uow import InMemoryLedger
from sim.settings import Settings

T = datetime(2023, 6, 1, 12, tzinfo=UTC)  # inside the shipped candles, on an hour boundary
HOUR = timedelta(hours=1)


def test_forecasts_are_stored_once_scored_and_reported_on_the_fakes() -> None:
    settings = Settings()
    ledger = InMemoryLedger()
    log = InMemoryForecastLog(ledger)
    now = [T]
    market = InMemoryMarket()
    ctx = ServiceContext(
        settings, load_instruments(settings), market, lambda: now[0], uow=ledger.uow, forecast_log=log
    )
    f = forecasting.forecast(ctx, "BTCUSDT", "1h", 1)
    assert (f.as_of, f.valid_until) == (T, T + HOUR)
    assert forecasting.forecast(ctx, "BTCUSDT", "1h", 1) == f  # same model, same candle: one row
    (row,) = log.rows.values()
    assert (row.model_id, row.symbol, row.horizon, row.label) == (f.model_id, "BTCUSDT", 1, f.label)
    assert row.p_up == Decimal(repr(f.probabilities["up"])).quantize(Decimal("1e-8"))
    assert [r["as_of"] for r in forecasting.stored_forecasts(ctx, "btcusdt")] == [T]

    assert forecasting.score_forecasts(ctx) == 0  # its candle has not closed yet
    now[0] = T + 2 * HOUR
    assert forecasting.score_forecasts(ctx) == 1 and row.scored_at == T + 2 * HOUR
    assert row.outcome in {"down", "flat", "up"}
    assert forecasting.score_forecasts(ctx) == 0  # idempotent
    assert track_record(ctx, "BTCUSDT").n_scored == 1

    assert users_with_fills(ctx) == []
    uid = ledger.add_user("alice", settings.starting_balance, T)
    market.update(Tick("BTCUSDT", Decimal("27000"), now[0]))
    btc = ctx.instruments["BTCUSDT"]
    orders.place(ctx, uid, make_request(btc, "BUY", "MARKET", quantity="0.01"))
    assert users_with_fills(ctx) == [uid]
