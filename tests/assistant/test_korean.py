"""The chat in Korean (issue 16, part 3): the core intents asked in Korean reach the same rules as
in English, the answers come back in Korean (Hangul), English stays English, an order is only
proposed until it is confirmed, and the reply catalog has the same keys in both languages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from sim.assistant import ChatReply, ProposedOrder
from sim.assistant.korean import is_korean, reading
from sim.assistant.replies import CATALOG, INDICATOR_TEXTS, LANGUAGES, say
from sim.assistant.tools_forecast import INDICATORS, forecast_note
from tests.integration.conftest import snapshot

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# (message, intent, what the reply must hold: proposal fields, "refused", or text fragments)
TABLE: list[tuple[str, str, dict]] = [
    # the examples
    ("비트코인 0.01개 사줘", "order", {"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.01"}),
    ("내 포트폴리오 어때?", "portfolio", {"text": "평가금액"}),
    ("이더리움 전망 알려줘", "forecast", {"text": "ETHUSDT, 향후 1시간"}),
    # prices
    ("비트코인 가격", "price", {"text": "BTCUSDT: 27,000.00 USDT"}),
    ("이더리움 얼마야?", "price", {"text": "ETHUSDT: 1,870.00 USDT"}),
    ("솔라나 시세", "price", {"text": "SOLUSDT: 20.8000 USDT"}),
    ("비앤비 시세", "price", {"text": "BNBUSDT"}),
    ("리플 가격은?", "price", {"text": "XRPUSDT: 0.510000"}),
    ("비트 얼마예요", "price", {"text": "BTCUSDT"}),
    # forecasts, track record, analysis, indicators
    ("비트코인 4시간 예측", "forecast", {"text": "BTCUSDT, 향후 4시간"}),
    ("솔라나 오를까?", "forecast", {"text": "예측은 확률일 뿐 투자 조언이 아닙니다"}),
    ("이더리움 1시간 예측", "forecast", {"text": "표본 외 정확도"}),  # the model card's words too
    ("예측 정확도", "track_record", {"text": "실시간 적중 기록"}),
    ("적중률", "track_record", {"text": "전체 심볼"}),
    ("비트코인 분석해줘", "analysis", {"text": "추세 **"}),
    ("RSI가 뭐야?", "indicator", {"text": "RSI (상대강도지수)"}),
    ("비트코인 RSI", "indicator", {"text": "현재 RSI 구간"}),
    ("변동성이 뭐야?", "indicator", {"text": "**변동성**"}),
    ("이동평균이 뭐야?", "indicator", {"text": "이동평균 (SMA)"}),
    # the account and trades
    ("내 잔고", "portfolio", {"text": "현금"}),
    ("수익률", "portfolio", {"text": "실현 손익"}),
    ("왜 솔라나에서 손해 봤어?", "explain_loss", {"text": "이 계좌의 SOLUSDT 거래"}),
    ("손실 이유", "explain_loss", {"text": "낸 수수료"}),
    # help and greetings
    ("도움말", "help", {"text": "비트코인 0.01개 사줘"}),
    ("뭐 할 수 있어?", "help", {"text": "추적 중인 심볼: BTCUSDT"}),
    ("안녕", "greeting", {"text": "안녕하세요!"}),
    ("안녕하세요", "greeting", {}),
    # orders: verbs, counters, particles, quote amounts, fractions, limit prices
    ("비트코인을 0.01개 매수", "order", {"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.01"}),
    ("0.01 BTC 사", "order", {"symbol": "BTCUSDT", "quantity": "0.01"}),
    ("btc를 0.02개 구매해줘", "order", {"symbol": "BTCUSDT", "quantity": "0.02"}),
    ("이더리움 100달러어치 사줘", "order", {"symbol": "ETHUSDT", "quote_amount": "100"}),
    ("100 USDT어치 이더 사줘", "order", {"symbol": "ETHUSDT", "quote_amount": "100"}),
    ("솔라나 100테더 구매", "order", {"symbol": "SOLUSDT", "quote_amount": "100"}),
    ("솔라나 절반 팔아줘", "order", {"symbol": "SOLUSDT", "side": "SELL", "quantity": "5"}),
    ("이더리움은 전부 팔아", "order", {"symbol": "ETHUSDT", "side": "SELL", "quantity": "0.5"}),
    ("이더 다 매도", "order", {"symbol": "ETHUSDT", "side": "SELL", "quantity": "0.5"}),
    ("솔라나 25% 판매", "order", {"symbol": "SOLUSDT", "side": "SELL", "quantity": "2.5"}),
    ("이더 0.1개만 팔아줘", "order", {"symbol": "ETHUSDT", "side": "SELL", "quantity": "0.1"}),
    ("이더리움 0.1개를 2000에 팔아줘", "order", {"type": "LIMIT", "price": "2000", "quantity": "0.1"}),
    ("비트코인 0.01개 지정가 26000 매수", "order", {"type": "LIMIT", "price": "26000"}),
    ("비트코인 사줘", "order", {"text": "BTC을(를) 얼마나 살까요?"}),
    ("0.01개 사줘", "order", {"text": "어떤 코인을 살까요?"}),
    # won is not USDT: nothing proposed, the user is asked again
    ("비트코인 0.01개 40000원에 사줘", "order", {"text": "원화(KRW)"}),
    ("비트코인 100000원어치 사줘", "order", {"text": "USDT로 다시 말해 주세요"}),
    # refusals: the core's message after a Korean lead
    ("비트코인 5개 사줘", "order", {"refused": "Not enough free USDT"}),
    ("리플 절반 팔아", "order", {"refused": "You hold no free XRP"}),
    # coins that are not tracked, named in Korean
    ("도지코인 가격", "unknown_symbol", {"text": "DOGE은(는) 추적하지 않습니다"}),
    ("도지 5개 사줘", "unknown_symbol", {"text": "DOGE은(는) 추적하지 않습니다"}),
    ("카르다노 전망", "unknown_symbol", {"text": "ADA은(는) 추적하지 않습니다"}),
    # nothing understood
    ("오늘 날씨 어때?", "unknown", {"text": "이해하지 못했습니다"}),
]


def check(reply: ChatReply, intent: str, expect: dict) -> None:
    assert reply.intent == intent, reply.text
    assert reply.lang == "ko" and HANGUL.search(reply.text), reply.text
    if "text" in expect:
        assert expect["text"] in reply.text, reply.text
    if "refused" in expect:
        assert reply.proposal is None
        assert expect["refused"] in reply.data["refused"], reply.data
        assert "주문이 거절되었을 것입니다" in reply.text and "아무것도 거래되지 않았습니다" in reply.text
    fields = {k: v for k, v in expect.items() if k not in ("text", "refused")}
    if fields:
        assert isinstance(reply.proposal, ProposedOrder), reply.text
        for name, value in fields.items():
            got = getattr(reply.proposal, name)
            assert (Decimal(value) == got) if isinstance(got, Decimal) else got == value, (name, got)
        assert "**Confirm** 버튼을 눌러야 주문됩니다" in reply.text
    elif "refused" not in expect:
        assert reply.proposal is None


def test_each_korean_message_reaches_its_intent_answers_in_korean_and_trades_nothing(sim_env):
    sim, _, user = sim_env
    before = snapshot(sim)
    failures = []
    for message, intent, expect in TABLE:
        try:
            check(sim.chat(user.id, message), intent, expect)
        except AssertionError as exc:
            failures.append(f"{message!r}: {exc}")
    assert not failures, "\n".join(failures)
    assert snapshot(sim) == before  # proposed, never placed


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("비트코인 0.01개 사줘", "buy 0.01 BTC"),
        ("이더리움 100달러어치 사줘", "buy 100 USDT of ETH"),
        ("솔라나 절반 팔아줘", "sell half my SOL"),
        ("이더리움 0.1개를 2000에 팔아줘", "sell 0.1 eth at 2000"),
    ],
)
def test_a_confirmed_korean_order_changes_the_ledger_as_its_english_twin_would(sim_env, korean, english):
    sim, _, user = sim_env
    ko, en = sim.chat(user.id, korean).proposal, sim.chat(user.id, english).proposal
    assert ko is not None and en is not None
    fields = ("symbol", "side", "type", "quantity", "quote_amount", "price")
    assert [getattr(ko, f) for f in fields] == [getattr(en, f) for f in fields]
    assert ko.preview == en.preview
    before, cash_before = snapshot(sim), sim.portfolio(user.id).cash_free
    order = sim.confirm_proposal(user.id, ko)
    after = snapshot(sim)
    assert len(after["orders"]) == len(before["orders"]) + 1
    assert order.client_order_id == ko.id
    if order.status == "FILLED":
        assert len(after["transactions"]) == len(before["transactions"]) + 1
        assert order.fee_total == ko.preview["fee"]
        assert cash_before - sim.portfolio(user.id).cash_free == (
            ko.preview["total"] if ko.side == "BUY" else -ko.preview["total"]
        )
    else:  # a resting limit order: placed, nothing filled yet
        assert (order.type, order.status, order.price) == ("LIMIT", "OPEN", Decimal(2000))
        assert after["transactions"] == before["transactions"]
    assert sim.confirm_proposal(user.id, ko).id == order.id and snapshot(sim) == after  # once


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("비트코인을 0.01개를 사줘", "buy bitcoin 0.01"),
        ("이더리움은 얼마야?", "ethereum price ?"),
        ("솔라나에서는 왜 손해 봤어", "solana why loss"),
        ("리플이 오를까", "ripple go up"),
        ("이더가 좀 궁금해", "ethereum"),
        ("비트코인으로 뭐 할 수 있어", "bitcoin what can you do"),
        ("도지를 팔아줘", "sell dogecoin"),
        ("정확도는", "accuracy"),  # 정확도 keeps its 도
        ("비트코인 40000에 0.01개 사줘", "buy bitcoin at 40000 0.01"),
        ("비트코인 40000원에", "bitcoin at 40000 krw"),
        ("비트코인 4시간 예측", "bitcoin 4 h forecast"),
        ("100 usdt어치 이더", "100 usdt ethereum"),
    ],
)
def test_particles_counters_and_verbs_are_read(message, words):
    assert reading(message) == words


def test_language_is_chosen_by_hangul_in_the_message(sim_env):
    sim, _, user = sim_env
    for message in ("price of bitcoin", "buy 0.01 BTC", "what can you do?", "price of dogecoin", "hi"):
        reply = sim.chat(user.id, message)
        assert reply.lang == "en" and not HANGUL.search(reply.text), (message, reply.text)
    assert sim.chat(user.id, "BTC 가격").lang == "ko"
    assert is_korean("비트코인") and is_korean("ㅋㅋ") and not is_korean("bitcoin 0.5")


def test_an_untracked_coin_gets_the_same_answer_in_both_languages(sim_env):
    sim, _, user = sim_env
    en, ko = sim.chat(user.id, "price of dogecoin"), sim.chat(user.id, "도지코인 가격")
    assert en.intent == ko.intent == "unknown_symbol"
    assert en.data == ko.data == {"untracked": ["DOGE"], "symbols": sim.symbols()}


def test_the_catalogs_have_the_same_keys_and_placeholders():
    keys = {lang: set(CATALOG[lang]) for lang in LANGUAGES}
    for lang in LANGUAGES:
        only = keys[lang] - keys["en"] | keys["en"] - keys[lang]
        assert not only, f"keys in one language only ({lang} vs en): {sorted(only)}"
    fields = re.compile(r"\{(\w+)")
    for key, text in CATALOG["en"].items():
        for lang in LANGUAGES:
            assert set(fields.findall(CATALOG[lang][key])) == set(fields.findall(text)), (lang, key)
    for lang, texts in INDICATOR_TEXTS.items():
        assert set(texts) == set(INDICATORS), lang


def test_the_forecast_note_in_english_is_the_cores_headline_note():
    from sim.analytics.forecast.wording import headline_note

    unproven = {"skill_split": {"move_vs_flat": {"skill": 0.03, "low": 0.02, "high": 0.04}}}
    unproven["skill_split"]["direction"] = {"skill": 0.01, "low": -0.01, "high": 0.02}
    pooled = {"pooled": True, "model_label": "pooled model, trained on BTCUSDT, ETHUSDT"}
    for validation in (
        {},
        unproven,
        {**pooled, "trained_on_symbol": True},
        {
            **unproven,
            "pooled": True,
            "trained_on_symbol": False,
            "model_label": "pooled model, not trained on DOGEUSDT",
        },
    ):
        assert forecast_note(validation, "DOGEUSDT", "en") == headline_note(validation)
    assert "방향" in forecast_note(unproven, "BTCUSDT", "ko")


def test_a_refused_confirmation_has_a_korean_lead():
    assert (
        say("ko", "order_refused", error="Not enough free ETH")
        == "주문이 거절되었습니다: Not enough free ETH"
    )


ENGLISH_WORD = re.compile(r"\b[A-Za-z][A-Za-z]{2,}\b")
# kept in Korean replies: tickers and units, indicator names, the Confirm button's label, and the
# symbols of formulas
KEPT_NAMES = {"USDT", "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT", "BTC", "ETH", "SOL", "XRP"}
KEPT_NAMES |= {"BNB", "KRW", "RSI", "SMA", "EMA", "MACD", "UTC", "XGBoost", "Brier", "Confirm", "alpha"}


def test_korean_replies_hold_no_english_sentence(sim_env):
    """Definitions (analysis states, model features, track-record scores) and quoted refusals are
    said in Korean too, not quoted from the English core."""
    sim, _, user = sim_env
    english = {}
    for message, _, _ in TABLE:
        words = set(ENGLISH_WORD.findall(sim.chat(user.id, message).text)) - KEPT_NAMES
        if words:
            english[message] = sorted(words)
    assert not english, english
    refused = sim.chat(user.id, "비트코인 5개 사줘").text
    assert "주문이 거절되었을 것입니다" in refused and "Not enough" not in refused, refused
