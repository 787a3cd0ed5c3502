"""Reading typed text: digits of any script, decimal commas, symbol names and typos."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sim.assistant.text import normalize, numbers, parse_number, resolve_symbols, untracked_assets

SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("٠٫٥", "0.5"),  # Arabic-Indic digits and the Arabic decimal separator
        ("٠,٥", "0.5"),
        ("۱۲۳", "123"),  # Persian digits
        ("０.５", "0.5"),  # full-width
        ("०.५", "0.5"),  # Devanagari
        ("১০", "10"),  # Bengali
        ("0,5", "0.5"),
        ("1,25", "1.25"),
        ("0,005", "0.005"),
        ("1,000", "1000"),
        ("1,000,000", "1000000"),
        ("1.000.000", "1000000"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("12", "12"),
    ],
)
def test_numbers_of_any_script_and_separator(typed, value):
    (found,) = numbers(normalize(typed))
    assert found[2] == Decimal(value)


def test_parse_number_rejects_non_numbers():
    assert parse_number("abc") is None and parse_number("") is None


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("bitcoin", ["BTCUSDT"]),
        ("bitcon", ["BTCUSDT"]),
        ("etherium and solana", ["ETHUSDT", "SOLUSDT"]),
        ("BTC/USDT", ["BTCUSDT"]),
        ("btc-usdt", ["BTCUSDT"]),
        ("XRPUSDT", ["XRPUSDT"]),
        ("binance coin", ["BNBUSDT"]),
        ("by 1", []),  # a short word is never fuzzy-matched
        ("the other one", []),
        ("ripple", ["XRPUSDT"]),
    ],
)
def test_symbols_by_ticker_name_or_typo(text, symbols):
    assert resolve_symbols(normalize(text), SYMBOLS) == symbols


def test_untracked_coins_are_spotted():
    assert untracked_assets("price of dogecoin", "price of dogecoin", SYMBOLS) == ["DOGE"]
    assert untracked_assets("sell FOOUSDT", "sell foousdt", SYMBOLS) == ["FOOUSDT"]
    assert untracked_assets("sell 10 LINK", "sell 10 link", SYMBOLS) == ["LINK"]
    assert untracked_assets("click the link", "click the link", SYMBOLS) == []
    assert untracked_assets("buy 100 usdt of eth", "buy 100 usdt of eth", SYMBOLS) == []
