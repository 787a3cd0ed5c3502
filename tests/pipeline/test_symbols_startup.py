"""After a refresh, the simulator starts with symbols beyond the five and trades them exactly; a
symbol in BREAK, or one the snapshot lacks, stops start-up with a message that says why."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.symbols.refresh import read_file, refresh_snapshot
from sim.adapters.market import InMemoryMarket
from sim.bootstrap import load_instruments
from sim.domain.errors import (
    InvalidExchangeRules,
    InvalidInput,
    OrderRejected,
    SymbolNotTrading,
    UnknownSymbol,
)
from sim.domain.fills import Tick
from sim.services import Simulator
from sim.settings import DATA_DIR, Settings, load_settings
from tests.pipeline.fixtures import REST

NOW = datetime(2025, 11, 24, 16, 0, tzinfo=UTC)


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "exchange_info.json"
    path.write_bytes((DATA_DIR / "exchange_info.json").read_bytes())
    refresh_snapshot(read_file(REST / "exchange_info_universe.json"), path, source="fixture")
    return path


def settings_for(tmp_path: Path, snapshot: Path, symbols: str) -> Settings:
    env = {"SYMBOLS": symbols, "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    return load_settings(env, dotenv=False).with_(exchange_info_path=snapshot, slippage_bps=Decimal(0))


def test_symbols_beyond_the_five_need_a_refreshed_snapshot(tmp_path: Path) -> None:
    shipped = settings_for(tmp_path, DATA_DIR / "exchange_info.json", "BTCUSDT,DOGEUSDT")
    with pytest.raises(UnknownSymbol) as err:
        load_instruments(shipped)
    assert "exchangeInfo has no entry for DOGEUSDT (snapshot " in str(err.value)
    assert "python -m pipeline symbols refresh" in str(err.value)


def test_btc_and_doge_start_when_the_snapshot_lists_doge(tmp_path: Path, snapshot: Path) -> None:
    settings = settings_for(tmp_path, snapshot, "BTCUSDT,DOGEUSDT")
    assert list(load_instruments(settings)) == ["BTCUSDT", "DOGEUSDT"]
    market = InMemoryMarket()
    with Simulator.open(settings=settings, market=market, clock=lambda: NOW) as sim:
        sim.bcrypt_rounds = 4
        market.update(Tick("DOGEUSDT", Decimal("0.16245"), NOW))
        user = sim.register("doge", "correct horse battery")
        order = sim.buy(user.id, "DOGEUSDT", "1000")
        assert order.status == "FILLED" and order.avg_fill_price == Decimal("0.16245")
        # 1000 * 0.16245 = 162.45 USDT, fee 0.1% = 0.16245
        assert sim.portfolio(user.id).cash_free == Decimal("100000") - Decimal("162.45") - Decimal("0.16245")


def test_pepe_at_the_extremes_goes_through_the_ledger_exactly(tmp_path: Path, snapshot: Path) -> None:
    settings = settings_for(tmp_path, snapshot, "PEPEUSDT")
    market = InMemoryMarket()
    with Simulator.open(settings=settings, market=market, clock=lambda: NOW) as sim:
        sim.bcrypt_rounds = 4
        market.update(Tick("PEPEUSDT", Decimal("0.00000123"), NOW))
        user = sim.register("pepe", "correct horse battery")
        order = sim.buy(user.id, "PEPEUSDT", "9000000000")
        # 9,000,000,000 * 0.00000123 = 11070 USDT; fee 0.1% = 11.07
        assert (order.filled_qty, order.fee_total) == (Decimal("9000000000"), Decimal("11.07"))
        assert sim.portfolio(user.id).cash_free == Decimal("100000") - Decimal("11070") - Decimal("11.07")
        market.update(Tick("PEPEUSDT", Decimal("0.00000001"), NOW))
        cash = sim.portfolio(user.id).cash_free
        # a holding may reach MAX_AMOUNT = (2**63 - 1) * 1e-8 = 92233720368.54775807 (the SQLite
        # ledger's range): 9000000000 held + 92233720368 (LOT_SIZE's maximum) would pass it: refused whole
        beyond = r"holding to 101233720368, above .* \(92233720368.54775807\)"
        with pytest.raises(OrderRejected, match=beyond):
            sim.buy(user.id, "PEPEUSDT", "92233720368")
        assert sim.portfolio(user.id).cash_free == cash
        top_up = 92233720368 - 9000000000  # = 83233720368, up to the largest whole quantity
        filled = sim.buy(user.id, "PEPEUSDT", str(top_up))
        # 83233720368 * 0.00000001 = 832.33720368 USDT; fee 0.1% = 0.83233720368, rounded up to 1e-8
        assert filled.fee_total == Decimal("0.83233721")
        assert sim.portfolio(user.id).cash_free == cash - Decimal("832.33720368") - Decimal("0.83233721")
        held = next(p for p in sim.portfolio(user.id).positions if p.symbol == "PEPEUSDT")
        assert held.quantity == Decimal("92233720368")
        with pytest.raises(OrderRejected, match="above the largest quantity the simulator holds"):
            sim.buy(user.id, "PEPEUSDT", "500000000")  # the smallest order worth 5 USDT
        with pytest.raises(InvalidInput, match="off the PEPEUSDT price grid.*0.00000001"):
            sim.buy(user.id, "PEPEUSDT", "1000000", price="0.000000015")


def test_a_symbol_in_break_stops_start_up_saying_so(tmp_path: Path, snapshot: Path) -> None:
    settings = settings_for(tmp_path, snapshot, "BTCUSDT,BCCUSDT")
    with pytest.raises(SymbolNotTrading, match=r"BCCUSDT is not trading on Binance \(status BREAK\)"):
        Simulator.open(settings=settings, market=InMemoryMarket(), clock=lambda: NOW)


def test_a_lookup_of_a_symbol_in_break_says_so(tmp_path: Path, snapshot: Path) -> None:
    settings = settings_for(tmp_path, snapshot, "BTCUSDT")
    with Simulator.open(settings=settings, market=InMemoryMarket(), clock=lambda: NOW) as sim:
        sim.bcrypt_rounds = 4
        user = sim.register("someone", "correct horse battery")
        with pytest.raises(SymbolNotTrading, match=r"BCCUSDT is not trading on Binance \(status BREAK\)"):
            sim.buy(user.id, "BCCUSDT", "0.1")


def test_a_missing_or_broken_snapshot_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(InvalidExchangeRules, match="There is no exchangeInfo snapshot at .*symbols refresh"):
        load_instruments(settings_for(tmp_path, tmp_path / "none.json", "BTCUSDT"))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(InvalidExchangeRules, match="broken.json is unreadable"):
        load_instruments(settings_for(tmp_path, broken, "BTCUSDT"))


def test_the_offline_replay_says_which_symbols_it_has_no_candles_for(tmp_path: Path, snapshot: Path) -> None:
    settings = settings_for(tmp_path, snapshot, "BTCUSDT,DOGEUSDT")
    with pytest.raises(InvalidInput, match="The offline replay has no candles for DOGEUSDT"):
        Simulator.open(settings=settings)
