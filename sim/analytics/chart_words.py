"""The words drawn inside charts (trace names, axis titles), in English and Korean (pure).

Assumptions: the figure builders take ``lang`` ("en" by default, so English output is unchanged);
an unknown language falls back to English. ``{n}`` / ``{column}`` are ``str.format`` fields.
"""

from __future__ import annotations

from sim.domain.words import say

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "price": "price",
        "volume": "volume",
        "ma": "MA {n}",
        "your_buys": "your buys",
        "your_sells": "your sells",
        "your_equity": "your equity",
        "hold_btc": "hold BTC",
        "usdt": "USDT",
        "strategy": "strategy",
        "the_symbols": "the symbols",
        "buy_hold": "{column} (buy & hold)",
        "drawdown": "drawdown",
        "value_usdt": "value (USDT)",
        "drawdown_pct": "drawdown (%)",
        "sensitivity": "Fill-model sensitivity",
        "equity_usdt": "equity (USDT)",
        "buy": "buy",
        "sell": "sell",
    },
    "ko": {
        "price": "가격",
        "volume": "거래량",
        "ma": "이동평균 {n}",
        "your_buys": "내 매수",
        "your_sells": "내 매도",
        "your_equity": "내 평가자산",
        "hold_btc": "BTC 보유",
        "usdt": "USDT",
        "strategy": "전략",
        "the_symbols": "대상 종목",
        "buy_hold": "{column} (바이 앤 홀드)",
        "drawdown": "낙폭",
        "value_usdt": "가치 (USDT)",
        "drawdown_pct": "낙폭 (%)",
        "sensitivity": "체결 모델 민감도",
        "equity_usdt": "평가자산 (USDT)",
        "buy": "매수",
        "sell": "매도",
    },
}


def word(lang: str, key: str, **params: object) -> str:
    """The chart word ``key`` in ``lang`` (English when the language is unknown), formatted."""
    return say(WORDS, lang, key, **params)
