"""The catalog of refusal messages, in every language the simulator speaks.

A message has a key (``"order.limit_needs_price"``) and one template per language, written with
``str.format`` fields (``{symbol}``). A :class:`~sim.domain.errors.SimError` made with
``SomeError.of(key, **params)`` keeps the key and its parameters: ``str(err)`` is the English text,
``err.localized("ko")`` the Korean one.

Assumptions:
- English (``"en"``) is the source language: every key has it, and any language or key that is
  missing falls back to it. The tests insist that every key has every language in
  :data:`LANGUAGES`, with the same fields written the same way (name, ``!r``, format spec), so a
  number or a time reads the same in every language: the raise site formats it once (``plain``,
  ``normalize``, ``int(seconds)``) and both templates print that text.
- A parameter that is a word of the simulator's vocabulary (a field name such as ``"limit price"``)
  is passed as :class:`Term` and translated through :data:`TERMS`; everything else (symbols,
  numbers, what the user typed) is printed as it is in every language.
- A parameter that has a ``localized(lang)`` method (another SimError quoted in the message) is
  printed through it.
- Pure: dictionaries and ``str.format`` only, nothing is read at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from sim.domain.messages_analysis import MESSAGES as _ANALYSIS
from sim.domain.messages_competition import MESSAGES as _COMPETITION
from sim.domain.messages_misc import MESSAGES as _MISC
from sim.domain.messages_orders import MESSAGES as _ORDERS
from sim.domain.messages_users import MESSAGES as _USERS

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"

Template = Mapping[str, str]  # language -> template


class Term(str):
    """A vocabulary word put into a message (``Term("limit price")``): English as it is, translated
    through :data:`TERMS` in other languages (untranslated words stay English)."""

    __slots__ = ()


class Terms(tuple[str, ...]):
    """Several vocabulary words printed as one comma-separated list (``side, quantity``)."""

    def __format__(self, spec: str) -> str:
        return format(", ".join(self), spec)

    def __str__(self) -> str:
        return ", ".join(self)


class Unstopped:
    """Another refusal quoted in the middle of a message: its text in the message's language (through
    its ``localized``, when it has one) without the closing period."""

    __slots__ = ("error",)

    def __init__(self, error: object) -> None:
        self.error = error

    def localized(self, lang: str) -> str:
        localized = getattr(self.error, "localized", None)
        return (localized(lang) if callable(localized) else str(self.error)).rstrip(".")

    def __str__(self) -> str:
        return str(self.error).rstrip(".")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


# English word -> its translation, per language (fields, sides and kinds of order named in messages)
TERMS: Mapping[str, Mapping[str, str]] = {
    "ko": {
        "quantity": "수량",
        "price": "가격",
        "limit price": "지정가",
        "stop price": "스톱 가격",
        "activation price": "활성화 가격",
        "quote amount": "주문 금액",
        "side": "매수/매도 구분",
        "order type": "주문 유형",
        "type": "주문 유형",
        "symbol": "심볼",
        "trailing delta": "트레일링 간격",
        "client order id": "client_order_id",
        "cash": "현금",
        "starting balance": "시작 잔고",
        "fee rate": "수수료율",
        "fee": "수수료",
        "maker fee": "메이커 수수료",
        "taker fee": "테이커 수수료",
        "taker fee rate": "테이커 수수료율",
        "fee (%)": "수수료(%)",
        "maker fee (%)": "메이커 수수료(%)",
        "taker fee (%)": "테이커 수수료(%)",
        " (a fraction: 0.001 is 0.1%)": " (비율: 0.001은 0.1%)",
        " basis points": " 베이시스 포인트",
        "slippage": "슬리피지",
        "buy": "매수",
        "sell": "매도",
        "below": "아래",
        "above": "위",
        "market": "시장가",
        "limit": "지정가",
        "stop loss": "손절(스톱 로스)",
        "take profit": "익절(테이크 프로핏)",
        "stop-loss": "손절(스톱 로스)",
        "take-profit": "익절(테이크 프로핏)",
        "trailing-stop": "트레일링 스톱",
        "trailing stop": "트레일링 스톱",
        "MARKET": "시장가",
        "LIMIT": "지정가",
        "STOP_LOSS": "스톱 로스",
        "TAKE_PROFIT": "테이크 프로핏",
        "TRAILING_STOP": "트레일링 스톱",
        "BUY": "매수",
        "SELL": "매도",
        "new": "신규",
        "open": "대기",
        "partially_filled": "일부 체결",
        "filled": "체결 완료",
        "canceled": "취소",
        "rejected": "거부",
        "expired": "만료",
        "NEW": "신규",
        "OPEN": "대기",
        "PARTIALLY_FILLED": "일부 체결",
        "FILLED": "체결 완료",
        "CANCELED": "취소",
        "REJECTED": "거부",
        "EXPIRED": "만료",
        "database": "데이터베이스",
        "live store": "실시간 시세 저장소",
        "broker": "메시지 브로커",
        "start": "시작 시각",
        "end": "종료 시각",
        "user id": "사용자 ID",
        "order id": "주문 ID",
        "competition id": "대회 ID",
        "member id": "참가자 ID",
        "trader id": "거래 계정 ID",
        "the symbol": "이 심볼",
    }
}


# messages of no one area: the services the simulator depends on
_GENERAL: dict[str, dict[str, str]] = {
    "service.unavailable": {
        "en": "The {service} cannot be reached right now; try again in a moment.",
        "ko": "{service}에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
    },
    "service.busy": {
        "en": "The simulator is busy right now; try again in a moment.",
        "ko": "지금은 요청이 많아 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.",
    },
}


def _merge(*parts: Mapping[str, Template]) -> dict[str, Template]:
    merged: dict[str, Template] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        assert not twice, f"message keys defined twice: {sorted(twice)}"
        merged.update(part)
    return merged


CATALOG: Mapping[str, Template] = _merge(_GENERAL, _ORDERS, _USERS, _COMPETITION, _MISC, _ANALYSIS)


def fields(template: str) -> set[tuple[str, str, str]]:
    """The ``(name, conversion, format spec)`` of every field of ``template``."""
    return {
        (name, conv or "", spec or "")
        for _, name, spec, conv in Formatter().parse(template)
        if name is not None
    }


def _localized(value: object, lang: str) -> object:
    if isinstance(value, Terms):
        return Terms(str(_localized(Term(v), lang)) for v in value)
    if isinstance(value, Term):
        return TERMS.get(lang, {}).get(value, str(value))
    localized = getattr(value, "localized", None)
    if callable(localized):
        return localized(lang)
    return value


def render(key: str, params: Mapping[str, object], lang: str = DEFAULT_LANGUAGE) -> str:
    """The message ``key`` in ``lang`` (English when ``lang`` or the key's translation is missing).

    KeyError for a key not in :data:`CATALOG`: a raise site naming a missing key fails at once.
    """
    templates = CATALOG[key]
    lang = lang if lang in templates else DEFAULT_LANGUAGE
    return templates[lang].format(**{name: _localized(value, lang) for name, value in params.items()})
