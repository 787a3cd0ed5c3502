"""The Settings page's watchlist (add from the search, remove) and the symbol pickers that list
the watchlist first, on a machine whose snapshot lists DOGEUSDT and where its dumps were imported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.app.conftest import PRICES, Env, app_env, logged_in, no_exceptions
from tests.pipeline.doge import doge_env

SETTINGS = "app_pages/settings.py"
ADD = "FormSubmitter:watch_form-Add to watchlist"


@pytest.fixture
def doge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    when = datetime(2023, 12, 20, 12, 0, tzinfo=UTC)  # inside the imported DOGEUSDT months
    prices = PRICES | {"DOGEUSDT": "0.09000"}
    yield from app_env(tmp_path, monkeypatch, doge_env(tmp_path), prices, when)


def _add(at, symbol: str):  # type: ignore[no-untyped-def]
    at.selectbox(key="wl_add").set_value(symbol)
    return at.button(key=ADD).click().run()


def test_add_by_search_and_remove(doge: Env) -> None:
    user = doge.user()
    at = logged_in(user, SETTINGS)
    box = at.selectbox(key="wl_add")
    assert "DOGEUSDT" in box.options and "ADAUSDT" not in box.options  # ADA has no candles here
    assert "Nothing on your watchlist yet." in [c.value for c in at.caption]
    at = _add(at, "DOGEUSDT")
    no_exceptions(at)
    assert [s.value for s in at.success] == ["DOGEUSDT is on your watchlist."]
    assert doge.runtime.sim.watchlist(user.id) == ["DOGEUSDT"]
    assert any(m.value == "**DOGEUSDT**" for m in at.markdown)
    # a typed symbol that is not an option (AppTest cannot type one: the browser test does) is sent
    # to sim.watch, whose refusals are tested in tests/integration/test_watchlists.py
    at = logged_in(user, SETTINGS)  # AppTest keeps the submitted value (a browser clears the form)
    at.button(key="wl_rm_DOGEUSDT").click().run()
    no_exceptions(at)
    assert [s.value for s in at.success] == ["DOGEUSDT was removed from your watchlist."]
    assert doge.runtime.sim.watchlist(user.id) == []


def test_pickers_list_the_watchlist_first_and_the_dashboard_shows_its_tile(doge: Env) -> None:
    user = doge.user()
    doge.runtime.sim.watch(user.id, "DOGEUSDT")
    at = logged_in(user)
    assert at.selectbox(key="dash_symbol").options[:2] == ["DOGEUSDT", "BTCUSDT"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["DOGEUSDT"] == "0.09000"
    at.selectbox(key="dash_symbol").set_value("DOGEUSDT").run()
    no_exceptions(at)
    assert "DOGEUSDT, 1 hour candles" in at.get("iframe")[0].proto.srcdoc
    # no model of its own: the pooled model's forecast, saying it was not trained on DOGEUSDT
    assert any("pooled model, not trained on DOGEUSDT" in c.value for c in at.caption)
    for page, key in (("app_pages/trading.py", "t_symbol"), ("app_pages/assistant.py", "ai_symbol")):
        at.switch_page(page).run()
        no_exceptions(at)
        assert at.selectbox(key=key).options[0] == "DOGEUSDT", page
    at.switch_page("app_pages/backtest_lab.py").run()
    no_exceptions(at)
    assert at.multiselect(key="bt_symbols").options[0] == "DOGEUSDT"


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    from tests.pipeline import universe500

    yield from app_env(tmp_path, monkeypatch, universe500.build(tmp_path))


def test_five_hundred_symbols_in_every_picker(big: Env) -> None:
    from tests.pipeline import universe500

    user = big.user()
    big.runtime.sim.watch(user.id, "T490USDT")
    at = logged_in(user)
    options = at.selectbox(key="dash_symbol").options
    assert len(options) == 500 and options[:2] == ["T490USDT", "BTCUSDT"]
    assert options[6:] == sorted(s for s in universe500.names() if s != "T490USDT")
    for page, key in (("app_pages/trading.py", "t_symbol"), (SETTINGS, "wl_add")):
        at.switch_page(page).run()
        no_exceptions(at)
        assert len(at.selectbox(key=key).options) == (500 if key == "t_symbol" else 499)
