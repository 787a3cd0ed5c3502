"""The direction-skill disclosure appears next to the forecast's headline on the Dashboard, Trading,
the AI Assistant and in chat exactly when the served card's direction interval includes zero; the
Dashboard shows the live track record beside its chart.

Each case serves BTCUSDT 1h-h1 from a temp ``MODELS_DIR`` holding a copy of the shipped model whose
card's direction interval is set by the test (the model bytes, and so its sha256, are unchanged)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from sim.analytics.forecast.wording import DIRECTION_DISCLOSURE
from sim.forecasting import clear_model_cache
from sim.services import Simulator
from sim.settings import Settings
from tests.app.conftest import ROOT, logged_in, no_exceptions
from tests.assistant.conftest import PRICES, T
from tests.integration.conftest import Driver

KEY = "BTCUSDT-1h-h1"
INTERVALS = {"includes zero": (-0.002, 0.011), "above zero": (0.004, 0.019)}


def models_with_direction(root: Path, low: float, high: float) -> Path:
    """A models dir serving only BTCUSDT 1h-h1, its card's direction interval ``[low, high]``."""
    models = root / "models"
    shutil.copytree(ROOT / "models" / KEY, models / KEY)
    card_path = models / KEY / "card.json"
    card = json.loads(card_path.read_text())
    card["validation"]["skill_split"]["models"]["xgboost"]["direction"].update(
        skill=(low + high) / 2, low=low, high=high
    )
    card_path.write_text(json.dumps(card))
    served = json.loads((ROOT / "models" / "served.json").read_text())
    (models / "served.json").write_text(json.dumps({KEY: served[KEY]}))
    clear_model_cache()
    return models


@pytest.fixture(params=list(INTERVALS))
def case(request, tmp_path, monkeypatch):
    low, high = INTERVALS[request.param]
    models = models_with_direction(tmp_path, low, high)
    monkeypatch.setenv("MODELS_DIR", str(models))
    env = request.getfixturevalue("env")  # opens the runtime with MODELS_DIR set
    return env, models, low <= 0 <= high


def _texts(at) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])


def test_dashboard_and_trading_disclose_exactly_when_the_interval_includes_zero(case):
    env, _, unproven = case
    at = logged_in(env.user())
    no_exceptions(at)
    assert "Forecast 1h ahead" in _texts(at)
    assert (DIRECTION_DISCLOSURE in _texts(at)) is unproven
    assert "direction, on the candles that moved" in _texts(at)
    assert "Live track record" in _texts(at)  # beside the chart (its own column)
    at.switch_page("app_pages/trading.py").run()
    no_exceptions(at)
    assert "Forecast 1h ahead" in _texts(at)
    assert (DIRECTION_DISCLOSURE in _texts(at)) is unproven


def test_assistant_page_discloses_exactly_when_the_interval_includes_zero(case):
    env, _, unproven = case
    at = logged_in(env.user(), "app_pages/assistant.py")
    no_exceptions(at)
    assert {m.label for m in at.metric} >= {"Most likely"}
    assert (DIRECTION_DISCLOSURE in _texts(at)) is unproven


@pytest.mark.parametrize("name", list(INTERVALS))
def test_chat_discloses_exactly_when_the_interval_includes_zero(tmp_path, name):
    from sim.adapters.market import InMemoryMarket

    low, high = INTERVALS[name]
    models = models_with_direction(tmp_path, low, high)
    market, clock = InMemoryMarket(), [T]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", slippage_bps=Decimal(0), models_dir=models
    )
    sim = Simulator.open(settings=settings, market=market, clock=lambda: clock[0])
    try:
        sim.bcrypt_rounds = 4
        driver = Driver(sim, market, clock)
        for symbol, price in PRICES.items():
            driver.trade(symbol, price, seconds=0)
        user = sim.register("alice", "correct horse battery")
        reply = sim.chat(user.id, "forecast btc")
        assert reply.intent == "forecast", reply.text
        assert "most likely **" in reply.text
        assert (DIRECTION_DISCLOSURE in reply.text) is (low <= 0 <= high)
        assert "direction, on the candles that moved" in reply.text
    finally:
        sim.close()
