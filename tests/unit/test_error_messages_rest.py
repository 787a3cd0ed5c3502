"""The last refusals made without a catalog key, and the two that quote another error (issue 16).

Each is raised for real: ``str(err)`` is the English text it has always had, ``localized("ko")``
reads in Korean; a refusal that quotes a forecast error (not enough history, too few training
rows) quotes it in Korean too, so no English sentence is left inside the Korean text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analytics.backtest import instrument, reconcile, run
from sim.analytics.backtest.instruments import resolve
from sim.analytics.backtest.market import load_market
from sim.analytics.backtest.trailing import stop_exits
from sim.analytics.forecast.data import load_candles
from sim.analytics.forecast.registry import load_served
from sim.analytics.forecast.serve import NotEnoughHistory, predict
from sim.analytics.forecast.window import MIN_TRAIN_ROWS, NotEnoughTrainingRows, train_window
from sim.assistant.tools_forecast import INDICATORS, explain_indicator
from sim.bootstrap import load_instruments
from sim.domain.errors import InvalidInput, NotFound, SimError, UnknownSymbol
from sim.forecast_models import ForecastUnavailable
from sim.service_layer.memory_uow import InMemoryLedger, InMemoryUnitOfWork
from sim.settings import DATA_DIR, load_settings
from sim.universe import REFRESH_HINT
from tests.backtest.helpers import candles

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# three English words in a row: a sentence left in English (symbols, ids and code are single words)
ENGLISH = re.compile(r"\b[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b")


def korean(err: SimError) -> str:
    text = err.localized("ko")
    assert err.key is not None, f"{err!r} has no catalog key"
    assert HANGUL.search(text), text
    return text


def test_the_backtest_engine_refuses_in_korean() -> None:
    frame = candles([100.0, 101.0, 102.0])
    with pytest.raises(InvalidInput) as cash:
        run(lambda m: 1.0, frame, symbol="BTCUSDT", cash=0)
    assert str(cash.value) == "cash must be greater than zero"
    korean(cash.value)

    with pytest.raises(UnknownSymbol) as rules:
        resolve(["FOOUSDT"], {"BTCUSDT": instrument("BTCUSDT")})
    assert str(rules.value) == (
        "No exchange rules for 'FOOUSDT' (known: BTCUSDT). Pass instruments=..., e.g. "
        "{'FOOUSDT': instrument('FOOUSDT', tick_size=..., step_size=...)}."
    )
    korean(rules.value)

    two = {"BTCUSDT": frame, "ETHUSDT": frame}
    with pytest.raises(InvalidInput) as trailing:
        stop_exits(load_market(two), np.ones((3, 2)), 100, 0)
    assert str(trailing.value) == "A trailing stop is backtested on one symbol at a time."
    korean(trailing.value)


def test_reconciling_a_fill_of_another_symbol_refuses_in_korean() -> None:
    fills = pd.DataFrame(
        [
            {
                "time": pd.Timestamp("2023-01-01 01:00", tz="UTC"),
                "symbol": "ETHUSDT",
                "side": "BUY",
                "quantity": Decimal("0.1"),
                "price": Decimal("100"),
                "fee": Decimal("0"),
            }
        ]
    )
    with pytest.raises(InvalidInput) as err:
        reconcile(fills, candles([100.0, 101.0, 102.0]), symbol="BTCUSDT")
    assert str(err.value) == "paper fill 0 is for ETHUSDT, which has no candles here"
    assert "ETHUSDT" in korean(err.value)


def test_the_in_memory_ledger_refuses_in_korean() -> None:
    uow = InMemoryUnitOfWork(InMemoryLedger())
    with pytest.raises(NotFound) as user:
        uow.user_row(42)
    assert str(user.value) == "There is no user 42."
    with pytest.raises(NotFound) as account:
        uow.active_account(42)
    assert str(account.value) == "User 42 has no active account."
    korean(user.value), korean(account.value)


def test_an_unknown_indicator_is_refused_in_korean() -> None:
    with pytest.raises(InvalidInput) as err:
        explain_indicator(None, "tea leaves")  # type: ignore[arg-type]  # refused before sim is read
    assert str(err.value) == f"I know these indicators: {', '.join(INDICATORS)}."
    korean(err.value)


def test_start_up_refusals_read_in_korean(tmp_path: Path) -> None:
    env = {"SYMBOLS": "BTCUSDT,DOGEUSDT", "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    shipped = DATA_DIR / "exchange_info.json"
    settings = load_settings(env, dotenv=False).with_(exchange_info_path=shipped)
    with pytest.raises(UnknownSymbol) as err:
        load_instruments(settings)
    inner = err.value.__context__
    assert isinstance(inner, SimError)
    assert str(err.value) == f"{str(inner).rstrip('.')} (snapshot {shipped}). {REFRESH_HINT}"
    text = korean(err.value)
    assert inner.localized("ko").rstrip(".") in text
    assert not ENGLISH.search(re.sub(r"`[^`]*`", "", text.replace(str(shipped), ""))), text  # code aside


def test_the_offline_replay_without_candles_refuses_in_korean(tmp_path: Path) -> None:
    from sim.bootstrap import InvalidInput as Raised  # the class bootstrap raises
    from sim.services import Simulator

    env = {"SYMBOLS": "BTCUSDT", "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    settings = load_settings(env, dotenv=False).with_(sample_dir=tmp_path / "none")
    with pytest.raises(Raised) as err:
        Simulator.open(settings=settings)
    assert str(err.value) == (
        f"The offline replay has no candles for BTCUSDT in {tmp_path / 'none'}. Track it with live "
        "prices (REDIS_URL and the pipeline's Binance feed) or leave it out of SYMBOLS."
    )
    korean(err.value)


# --- the refusals that quote a forecast error ----------------------------------------------------


def test_not_enough_history_is_quoted_in_korean() -> None:
    model = load_served("BTCUSDT", "1h", 4)
    assert model is not None
    with pytest.raises(NotEnoughHistory) as inner:
        predict(model, load_candles("BTCUSDT").head(10))
    assert str(inner.value) == f"{model.model_id} needs {model.min_history_bars} candles, got 10"
    outer = ForecastUnavailable.of("forecast.history_problem", symbol="BTCUSDT", problem=inner.value)
    assert str(outer) == f"Not enough history for a BTCUSDT forecast: {inner.value}."
    text = korean(outer)
    assert inner.value.localized("ko") in text
    assert not ENGLISH.search(text.replace(model.model_id, "")), text
    assert "needs" not in text and "got" not in text


def test_too_few_training_rows_are_quoted_in_korean() -> None:
    frame = load_candles("BTCUSDT").to_pandas().head(200)
    start = pd.Timestamp(int(frame["open_time"].iloc[-1]), unit="ms", tz="UTC")
    with pytest.raises(NotEnoughTrainingRows) as inner:
        train_window(frame, 1, start, symbol="BTCUSDT", interval="1h")
    english = str(inner.value)
    assert re.fullmatch(
        rf"BTCUSDT has \d+ labelled 1h rows in the train window \(at least {MIN_TRAIN_ROWS} are needed\)",
        english,
    )
    outer = InvalidInput.of("forecast.train_rows", problem=inner.value)
    assert str(outer) == f"{english}; pick a longer train window or another range."
    text = korean(outer)
    assert inner.value.localized("ko") in text and not ENGLISH.search(text), text
    with pytest.raises(NotEnoughTrainingRows) as unnamed:
        train_window(frame, 1, start)
    assert str(unnamed.value).startswith("the symbol has ")
    assert "the symbol" not in unnamed.value.localized("ko")


def test_no_served_model_is_refused_in_korean(tmp_path: Path) -> None:
    from sim.forecast_models import served_model

    models = Path(__file__).resolve().parents[2] / "models"
    with pytest.raises(ForecastUnavailable) as offer:
        served_model(models, "BTCUSDT", "1h", 7)
    assert str(offer.value) == (
        "No forecast model is served for BTCUSDT 1h with a horizon of 7 bar(s). "
        "Served for BTCUSDT: BTCUSDT-1h-h1, BTCUSDT-1h-h4."
    )
    assert "BTCUSDT-1h-h1, BTCUSDT-1h-h4" in korean(offer.value)
    with pytest.raises(ForecastUnavailable) as nothing:
        served_model(models, "FOOUSDT", "1d", 1)
    assert str(nothing.value) == (
        "No forecast model is served for FOOUSDT 1d with a horizon of 1 bar(s). "
        "Nothing is served for FOOUSDT."
    )
    assert not ENGLISH.search(korean(nothing.value))
    (tmp_path / "served.json").write_text("{")
    with pytest.raises(ForecastUnavailable) as broken:
        served_model(tmp_path, "BTCUSDT", "1h", 1)
    assert str(broken.value).startswith("The list of served models cannot be read: ")
    korean(broken.value)
