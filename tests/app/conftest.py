"""AppTest fixtures: a temp ledger and history, no embedded feed, prices written by the test.

Each test gets its own ``DATABASE_URL``/``HISTORY_URL``, which is part of ``ui.runtime``'s cache
key, so the runtime (and the ledger it opens) is never shared between tests; the caches are
cleared afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sim.market import Trade

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TEST_KEY = "app-test-zwZ0VypQTeKhY4bYITTyb-_qrsLTiPHtGzTat1QXIABaIVlev8OQag"  # random: passes ui.keys
MARKET_TIME = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)
PRICES = {
    "BTCUSDT": "27000.10",
    "ETHUSDT": "1900.25",
    "SOLUSDT": "20.50",
    "BNBUSDT": "310.1",
    "XRPUSDT": "0.5123",
}
PASSWORD = "correct horse battery"


@dataclass
class Env:
    runtime: Any
    trade_id: int = 1

    def trade(self, symbol: str, price: str) -> None:
        """A trade on the live store, then the matcher's pass over resting orders (as the feed does)."""
        self.trade_id += 1
        when = self.runtime.sim.now()
        t = Trade(symbol, self.trade_id, Decimal(price), Decimal("0.5"), when, False)
        self.runtime.live.write([t], int(time.time() * 1000))
        self.runtime.sim.match(symbol, Decimal(price), when)

    def user(self, name: str = "alice") -> Any:
        return self.runtime.sim.register(name, PASSWORD, name.title())


def app_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str] | None = None,
    prices: dict[str, str] | None = None,
    when: datetime = MARKET_TIME,
) -> Iterator[Env]:
    """The app's runtime on a temp ledger and history (``variables`` override the environment),
    with one trade per symbol of ``prices`` at ``when`` in its live store; closed afterwards."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/sim.sqlite3")
    monkeypatch.setenv("HISTORY_URL", f"duckdb:///{tmp_path}/history.duckdb")
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imported"))  # nothing imported on this machine
    for name, value in (variables or {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AUTH_COOKIE_KEY", TEST_KEY)
    monkeypatch.setenv("EMBEDDED_FEED", "0")
    monkeypatch.chdir(ROOT)
    from ui.runtime import get_runtime

    runtime = get_runtime()
    runtime.sim.bcrypt_rounds = 4
    if prices:
        trades = [Trade(s, 1, Decimal(p), Decimal("1"), when, False) for s, p in prices.items()]
        runtime.live.write(trades, int(time.time() * 1000))
    try:
        yield Env(runtime)
    finally:
        runtime.close()
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    yield from app_env(tmp_path, monkeypatch, prices=PRICES)


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def login(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="FormSubmitter:login_form-Log in").click().run()


def logged_in(user: Any, page: str | None = None) -> AppTest:
    """An AppTest signed in as ``user`` through the login form, then on ``page``."""
    at = login(new_app().run(), user.username)
    no_exceptions(at)
    if page:
        at.switch_page(page).run()
    return at


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
