"""Watchlists on SQLite and PostgreSQL: what may be watched, the cap, the order, the refusals, and
the symbol lists built on them (pickers, the Dashboard's row, the live producer's subscription)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from sim.domain.errors import InvalidInput, NotFound, SymbolNotTrading, UnknownSymbol
from sim.settings import load_settings
from sim.universe import MAX_WATCHLIST
from tests.integration.conftest import open_sim, snapshot
from tests.pipeline.doge import doge_env


def _sim(ledger_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = doge_env(tmp_path) | {"DATABASE_URL": ledger_url}
    settings = load_settings(env, dotenv=False)
    sim, driver = open_sim(
        ledger_url, exchange_info_path=settings.exchange_info_path, import_dir=settings.import_dir
    )
    return sim, driver


def test_the_migration_made_the_table(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    try:
        columns = {c["name"] for c in inspect(sim.engine).get_columns("watchlists")}
        assert columns == {"id", "user_id", "symbol", "created_at"}
    finally:
        sim.close()


def test_watch_an_imported_symbol_in_order_once(ledger_url: str, tmp_path: Path) -> None:
    sim, driver = _sim(ledger_url, tmp_path)
    try:
        u = sim.register("wanda", "correct horse")
        other = sim.register("otto", "correct horse")
        assert sim.watchlist(u.id) == []
        assert "DOGEUSDT" in sim.symbols()
        assert sim.watch(u.id, " dogeusdt ") == ["DOGEUSDT"]
        assert sim.watch(u.id, "ETHUSDT") == ["DOGEUSDT", "ETHUSDT"]
        assert sim.watch(u.id, "DOGEUSDT") == ["DOGEUSDT", "ETHUSDT"]  # twice: unchanged
        assert sim.watchlist(other.id) == []
        assert sim.symbol_choices(u.id)[:2] == ["DOGEUSDT", "ETHUSDT"]
        assert sim.tracked_symbols(u.id) == [*sim.settings.symbols, "DOGEUSDT"]
        assert sim.feed_symbols() == [*sim.settings.symbols, "DOGEUSDT"]
        driver.trade("DOGEUSDT", "0.09000", seconds=0)
        assert sim.buy(u.id, "DOGEUSDT", "1000").status == "FILLED"
        assert sim.unwatch(u.id, "dogeusdt") == ["ETHUSDT"]
        assert sim.feed_symbols() == list(sim.settings.symbols)
    finally:
        sim.close()


@pytest.mark.parametrize(
    ("symbol", "error", "says"),
    [
        ("BCCUSDT", SymbolNotTrading, "not trading on Binance (status BREAK)"),
        (
            "ADAUSDT",
            UnknownSymbol,
            "ADAUSDT has no candles to replay here: import a Binance monthly kline dump",
        ),
        ("NOPEUSDT", UnknownSymbol, "Unknown symbol 'NOPEUSDT'"),
        ("DOGE/USDT", InvalidInput, "A symbol is letters and digits such as DOGEUSDT"),
        ("", InvalidInput, "A symbol is letters and digits"),
    ],
)
def test_refusals_say_why_and_change_nothing(
    ledger_url: str, tmp_path: Path, symbol: str, error: type[Exception], says: str
) -> None:
    sim, _ = _sim(ledger_url, tmp_path)
    try:
        u = sim.register("rita", "correct horse")
        sim.watch(u.id, "DOGEUSDT")
        before = snapshot(sim)
        with pytest.raises(error, match=says.replace("(", r"\(").replace(")", r"\)")):
            sim.watch(u.id, symbol)
        assert sim.watchlist(u.id) == ["DOGEUSDT"] and snapshot(sim) == before
        with pytest.raises(NotFound, match="XRPUSDT is not on your watchlist"):
            sim.unwatch(u.id, "XRPUSDT")
    finally:
        sim.close()


def test_the_cap_holds(ledger_url: str, tmp_path: Path) -> None:
    sim, _ = open_sim(ledger_url)
    try:
        u = sim.register("carl", "correct horse")
        from sim.adapters.ledger.watchlists_store import SqlWatchlistStore

        store = SqlWatchlistStore(sim.engine)
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        for i in range(MAX_WATCHLIST - 1):  # fill it straight in the table: the universe has 5 symbols
            store.add(u.id, f"FAKE{i}USDT", MAX_WATCHLIST, now)
        assert sim.watch(u.id, "ETHUSDT")[-1] == "ETHUSDT"  # the 50th fits
        with pytest.raises(InvalidInput, match=f"Your watchlist is full: it holds at most {MAX_WATCHLIST}"):
            sim.watch(u.id, "SOLUSDT")
        assert len(sim.watchlist(u.id)) == MAX_WATCHLIST
        assert "FAKE0USDT" not in sim.tracked_symbols(u.id)  # only tradable symbols are followed
    finally:
        sim.close()


def test_an_unknown_user_is_refused(ledger_url: str) -> None:
    sim, _ = open_sim(ledger_url)
    try:
        with pytest.raises(NotFound, match="There is no user 999"):
            sim.watch(999, "ETHUSDT")
    finally:
        sim.close()
