"""No tracebacks for users: a refusal's message, or an apology with an error id the server logs."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from sim.domain.errors import InvalidInput
from tests.app.conftest import ROOT, logged_in, no_exceptions

BACKTEST = "app_pages/backtest_lab.py"
TRADING = "app_pages/trading.py"


def page_text(at: AppTest) -> str:
    return "\n".join(str(getattr(e, "value", "")) for e in at.main) + "\n".join(
        str(e.value) for kind in (at.error, at.warning, at.info, at.exception) for e in kind
    )


def no_traceback(at: AppTest) -> None:
    no_exceptions(at)
    text = page_text(at)
    assert "Traceback" not in text and ".py" not in text and str(ROOT) not in text, text


def test_streamlit_shows_no_error_details() -> None:
    """The second line of defence: anything escaping a page shows no type, message or traceback."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize(
    ("fee", "slippage", "message"),
    [
        ("-0.5", "1", "taker fee rate must be between 0 and 0.01"),  # was DivisionByZero, bar stuck
        ("-1", "1", "taker fee rate must be between 0 and 0.01"),
        ("0.5", "1", "taker fee rate must be between 0 and 0.01"),
        ("0.001", "-3", "slippage must be between 0 and 100"),
        ("0.001", "5000", "slippage must be between 0 and 100"),
    ],
)
def test_backtest_lab_refuses_negative_and_absurd_costs(
    env: Any, fee: str, slippage: str, message: str
) -> None:
    at = logged_in(env.user(), BACKTEST)
    at.text_input(key="bt_fee").input(fee)
    at.text_input(key="bt_slippage").input(slippage)
    at.button(key="bt_run").click().run()
    no_traceback(at)
    assert [e.value for e in at.error] and message in at.error[0].value
    assert not at.get("progress")  # the bar is gone, not stuck


def test_preferences_refuse_negative_and_absurd_costs(env: Any) -> None:
    sim = env.runtime.sim
    user = env.user()
    bad = ({"taker_fee": "-0.5"}, {"maker_fee": "0.02"}, {"slippage_bps": "-1"}, {"slippage_bps": "1e3"})
    for kwargs in bad:
        with pytest.raises(InvalidInput):
            sim.set_preferences(user.id, **kwargs)
    assert sim.preferences(user.id)["taker_fee"] == sim.settings.taker_fee  # nothing changed


@pytest.mark.parametrize("quantity", ["1" * 60, "１２", "1e400"])
def test_bad_quantities_on_trading_show_a_message_not_a_traceback(env: Any, quantity: str) -> None:
    """60 digits used to show decimal.InvalidOperation from sim/domain/values.py."""
    at = logged_in(env.user(), TRADING)
    at.text_input(key="t_qty").input(quantity).run()
    no_traceback(at)
    assert at.warning or at.error, page_text(at)


def test_an_unexpected_error_shows_an_apology_with_an_id_the_log_has(
    env: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    user = env.user()
    at = logged_in(user)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("secret detail /srv/app/sim/x.py")

    monkeypatch.setattr(env.runtime.sim, "portfolio", broken)
    logging.getLogger("ui.errors").propagate = True  # let caplog see Streamlit's logger
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        at.switch_page("app_pages/portfolio.py").run()
    no_traceback(at)
    text = page_text(at)
    assert "secret detail" not in text and "ZeroDivisionError" not in text
    match = re.search(r"Sorry, something went wrong.*error id ([0-9a-f]{8})", at.error[0].value)
    assert match, at.error[0].value
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is ZeroDivisionError
