"""The assistant's reply texts, one catalog per language: English (``en``) and Korean (``ko``).

:func:`say` fills a template with :meth:`str.format` (so ``{ret:+.2%}`` or ``{time:%H:%M}`` format
there); numbers are formatted by :mod:`sim.assistant.formatting` before they are passed in, the same
way in both languages (thousands separators, a dot for decimals). :func:`language_of` picks the
language of a message: Korean when it holds Hangul, else English.

Assumptions: both catalogs have the same keys (a test checks it); words the core sends (a
:class:`~sim.domain.errors.SimError`'s message, definitions of metrics and features, the model card's
accuracy and skill) stay English in both languages until the app's i18n translates them; a Korean
reply gives them a Korean lead ("주문이 거절되었습니다: <message>"). :data:`LABELS` translates the
one-word values the core returns (up, bullish, filled, ...); a word it does not list is shown as is.
"""

from __future__ import annotations

from typing import Any

from sim.analytics.forecast.wording import DIRECTION_DISCLOSURE
from sim.assistant.korean import is_korean

LANGUAGES = ("en", "ko")

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        # the chat (engine)
        "capabilities": "prices: “price of bitcoin”, “ETH?”\n"
        "forecasts with their track record: “forecast BTC 4h”, “will SOL go up?”, "
        "“how accurate are the forecasts?”\n"
        "market analysis: “analysis of ETH” (trend, momentum, volatility, support/resistance)\n"
        "your account: “how is my portfolio doing?”\n"
        "your trades: “why did I lose money on ETH?” (fees, entry vs exit, realized PnL, slippage)\n"
        "indicators: “what is RSI?”, “explain MACD”, “Bollinger bands”, “volatility of BTC”\n"
        "orders, which you confirm before anything is traded: “buy 0.01 BTC”, “sell half my SOL”, "
        "“buy 100 USDT of ETH”, “sell 1 ETH at 2500”",
        "help_lead": "Here is what I can do:",
        "greeting_lead": "Hello! I answer from your account and the market.",
        "unknown_lead": "I did not understand that. Here is what I can do:",
        "llm_unavailable": "The language model is not available ({error}).",
        "track": "I track {symbols}.",
        "tracked_more": "{first} and {more} more (any of them by its ticker, e.g. DOGEUSDT)",
        "that_coin": "that coin",
        "not_tracked": "I don't track {names}. I track {tracked} — ask about one of those "
        "(ticker or name, e.g. BTC, bitcoin, BTCUSDT).",
        "not_tradable": "{reasons} I can answer about {tracked}.",
        "ask_symbol_buy": "Which symbol do you want to buy? I track {tracked}.",
        "ask_symbol_sell": "Which symbol do you want to sell? I track {tracked}.",
        "ask_symbol_forecast": "Which symbol should I forecast? I track {tracked}.",
        "ask_symbol_analysis": "Which symbol should I analyse? I track {tracked}.",
        "buy_hint": " With {cash} free USDT you could buy about {qty} {base} at {price} (before fees).",
        "how_much_buy": "How much {base} do you want to buy?{hint} Say e.g. “buy 0.01 {base}”, "
        "“buy 100 USDT of {base}” or “buy {base} with half my cash”.",
        "how_much_sell": "How much {base} do you want to sell?{hint} Say e.g. “sell 0.01 {base}” or "
        "“sell half my {base}”.",
        "not_usdt": "Prices and amounts here are in USDT, not in won (KRW), so I proposed nothing: say "
        "it in USDT, e.g. “buy 0.01 {base} at 26000” or “buy 100 USDT of {base}”. Nothing was traded.",
        "error": "{error}",
        # prices and the portfolio (tools)
        "no_price": "{symbol}: no price yet",
        "change_24h": " ({change:+.2f}% in 24h)",
        "price_line": "{symbol}: {price} USDT{change}, last trade {time:%Y-%m-%d %H:%M} UTC",
        "portfolio_equity": "Equity {equity} USDT ({ret:+.2%} since the start of {start} USDT): cash "
        "{cash} USDT ({free} free), holdings {holdings} USDT.",
        "portfolio_pnl": "Realized PnL {realized} USDT (net of fees), unrealized {unrealized} USDT; "
        "fees paid {fees} USDT.",
        "portfolio_position": "- {symbol}: {qty} at an average {avg} (fees included), now {last}: value "
        "{value} USDT, unrealized {unrealized} USDT",
        "portfolio_empty": "You hold no coins right now.",
        # forecasts, track record, analysis, indicators (tools_forecast)
        "record_none": "Live track record: no scored forecasts yet ({pending} pending).",
        "record": "Live track record over {n} scored forecast(s): hit rate {hit}, Brier {brier:.3f} "
        "(lower is better); baselines (hit rate / Brier): {baselines}. {pending} pending.",
        "forecast": "{symbol}, next {h} hour(s) (from {as_of:%Y-%m-%d %H:%M} to {until:%H:%M} UTC): "
        "{probs}; most likely **{label}**{note}. 'Flat' means a move within ±{band:.2%}.\n"
        "Model {model}: {accuracy}{skill}.\n{record}\nA forecast is a probability, not advice.",
        "pooled_trained": "pooled model, trained on {names}",
        "pooled_not_trained": "pooled model, not trained on {symbol}",
        "direction_disclosure": DIRECTION_DISCLOSURE,
        "record_scope": "Forecasts ({scope}). {text}",
        "all_symbols": "all symbols",
        "analysis": "{symbol} at {as_of:%Y-%m-%d %H:%M} UTC, close {close}:\n"
        "- trend **{trend}** ({trend_def})\n"
        "- momentum **{momentum}**, RSI(14) {rsi} ({zone})\n"
        "- volatility **{regime}**: annualized {vol} ({regime_def})\n"
        "- supports {supports}; resistances {resistances}",
        "none_found": "none found",
        "none": "none",
        "here": "Here: {definition}.",
        "indicator_state": "- {state} now: **{value}**",
        "rsi_zone_now": "- RSI zone now: **{zone}**",
        "levels_now": "- supports {supports}; resistances {resistances}",
        # orders and losses (tools_orders)
        "loss_no_trades": "You have no trades on this account yet, so there is no loss to explain.",
        "loss_no_positions": "You have no positions on this account, so there is no loss to explain.",
        "loss_no_symbol": "You have no {symbol} trades on this account.",
        "loss_head": "Your {symbol} trades on this account: {buys} buy(s), {sells} sell(s).",
        "loss_bought": "- bought {qty} {base} at an average {price} (fees excluded)",
        "loss_sold": "- sold {qty} {base} at an average {price}",
        "loss_price_effect": "- price effect ≈ (average exit - average entry) × sold = {value} USDT",
        "loss_fees": "- fees paid: {fees} USDT on {n} fill(s)",
        "loss_realized": "- realized PnL: {value} USDT (net of fees)",
        "loss_held": "- still held: {qty} {base}, unrealized {value} USDT at {price}",
        "loss_hourly": " (hourly candles: this mixes slippage with the move inside the hour)",
        "loss_slippage": "- slippage vs the {interval} candle close: {value} USDT over {n} of {total} "
        "fill(s){note}; {outside} fill(s) outside their candle's low-high range",
        "loss_no_slippage": "- slippage vs the candle: not available yet (the "
        "fills' candles have not closed)",
        "driver_price": "the price move",
        "driver_fees": "fees",
        "driver_slippage": "slippage",
        "loss_overall_worst": "Overall {total} USDT; the largest cost was {worst} ({value} USDT).",
        "loss_overall": "Overall {total} USDT (realized + unrealized).",
        "note_sell_share": "{share} of your free {qty} {base}, rounded down to the step size",
        "note_buy_share": "{share} of your free {cash} USDT",
        "note_quote": "{quote} USDT at {price} is {qty} {base}",
        "refused_proposal": "I did not propose this order ({side} {symbol}) because it would be refused: "
        "{error} Nothing was traded.",
        "side_BUY": "buy",
        "side_SELL": "sell",
        "order_side_BUY": "BUY",
        "order_side_SELL": "SELL",
        "size_quote": "{amount} {quote} of {base}",
        "how_limit": "limit {price}",
        "how_market": "market",
        "fills_now": "fills now",
        "rests": "rests until the price crosses the limit",
        "money_BUY": "cost",
        "money_SELL": "proceeds",
        "proposed": "Proposed: **{side} {size}** ({symbol}, {how}) — {when}: about {qty} {base} at "
        "{price}, fee {fee} {quote}, {money} {total} {quote}; free {quote} after: {free}.",
        "proposed_note": " ({note}.)",
        "press_confirm": " Press Confirm to place it; nothing is traded until you do.",
        # confirming (the page)
        "requote_rule": "The quote holds while the price stays within 0.1% of it, for 15 minutes of market "
        "time; after that Confirm shows a new quote first.",
        "requoted": "The price moved since the quote ({was} then, {now} now), so nothing was placed. "
        "New quote: {quote}",
        "order_refused": "The order was refused: {error}",
        "order_placed": "Order #{id} {side} {symbol}: {status}{price} (quoted {quoted}).",
        "order_at": " at {price}",
    },
    "ko": {
        "capabilities": "가격: “비트코인 가격”, “이더리움 얼마야?”\n"
        "예측과 적중 기록: “비트코인 4시간 예측”, “이더리움 전망 알려줘”, “예측 정확도”\n"
        "시장 분석: “비트코인 분석해줘” (추세, 모멘텀, 변동성, 지지/저항)\n"
        "내 계좌: “내 포트폴리오 어때?”, “내 잔고”, “수익률”\n"
        "내 거래: “왜 솔라나에서 손해 봤어?” (수수료, 매수가와 매도가, 실현 손익, 슬리피지)\n"
        "지표: “RSI가 뭐야?”, “변동성이 뭐야?”, “이동평균이 뭐야?”\n"
        "주문 (확인하기 전에는 아무것도 거래되지 않습니다): “비트코인 0.01개 사줘”, “솔라나 절반 팔아줘”, "
        "“이더리움 100달러어치 사줘”, “이더리움 1개 2500에 팔아줘”",
        "help_lead": "제가 할 수 있는 일입니다:",
        "greeting_lead": "안녕하세요! 계좌와 시장 데이터로 답해 드립니다.",
        "unknown_lead": "이해하지 못했습니다. 제가 할 수 있는 일입니다:",
        "llm_unavailable": "언어 모델을 사용할 수 없습니다 ({error}).",
        "track": "추적 중인 심볼: {symbols}.",
        "tracked_more": "{first} 외 {more}개 (티커로 물어보세요, 예: DOGEUSDT)",
        "that_coin": "그 코인",
        "not_tracked": "{names}은(는) 추적하지 않습니다. 추적 중인 심볼은 {tracked}입니다 — 이 중 하나를 "
        "물어보세요 (티커나 이름, 예: BTC, 비트코인, BTCUSDT).",
        "not_tradable": "이 코인은 답할 수 없습니다: {reasons} 답할 수 있는 심볼: {tracked}.",
        "ask_symbol_buy": "어떤 코인을 살까요? 추적 중인 심볼: {tracked}.",
        "ask_symbol_sell": "어떤 코인을 팔까요? 추적 중인 심볼: {tracked}.",
        "ask_symbol_forecast": "어떤 코인을 예측할까요? 추적 중인 심볼: {tracked}.",
        "ask_symbol_analysis": "어떤 코인을 분석할까요? 추적 중인 심볼: {tracked}.",
        "buy_hint": " 사용 가능한 {cash} USDT로 {price}에 약 {qty} "
        "{base}을(를) 살 수 있습니다 (수수료 제외).",
        "how_much_buy": "{base}을(를) 얼마나 살까요?{hint} 예: “{base} 0.01개 사줘”, “{base} 100달러어치 "
        "사줘”, “현금 절반으로 {base} 사줘”.",
        "how_much_sell": "{base}을(를) 얼마나 팔까요?{hint} 예: “{base} "
        "0.01개 팔아줘”, “{base} 절반 팔아줘”.",
        "not_usdt": "원화(KRW) 금액은 쓸 수 없어 주문을 제안하지 않았습니다: 이 시뮬레이터의 가격과 금액은 "
        "USDT입니다. USDT로 다시 말해 주세요 (예: “{base} 0.01개 26000에 사줘”, “{base} 100달러어치 "
        "사줘”). 아무것도 거래되지 않았습니다.",
        "error": "요청이 거절되었습니다: {error}",
        "no_price": "{symbol}: 아직 가격이 없습니다",
        "change_24h": " (24시간 {change:+.2f}%)",
        "price_line": "{symbol}: {price} USDT{change}, 마지막 거래 {time:%Y-%m-%d %H:%M} UTC",
        "portfolio_equity": "평가금액 {equity} USDT (시작 금액 {start} USDT 대비 {ret:+.2%}): 현금 {cash} "
        "USDT (사용 가능 {free}), 보유 코인 {holdings} USDT.",
        "portfolio_pnl": "실현 손익 {realized} USDT (수수료 차감), 미실현 손익 {unrealized} USDT; 낸 수수료 "
        "{fees} USDT.",
        "portfolio_position": "- {symbol}: {qty}, 평균 단가 {avg} (수수료 포함), 현재가 {last}: 평가액 "
        "{value} USDT, 미실현 손익 {unrealized} USDT",
        "portfolio_empty": "지금 보유한 코인이 없습니다.",
        "record_none": "실시간 적중 기록: 아직 채점된 예측이 없습니다 (대기 {pending}건).",
        "record": "채점된 예측 {n}건의 실시간 적중 기록: 적중률 {hit}, Brier {brier:.3f} (낮을수록 좋음); "
        "기준 모델 (적중률 / Brier): {baselines}. 대기 {pending}건.",
        "forecast": "{symbol}, 향후 {h}시간 ({as_of:%Y-%m-%d %H:%M}부터 {until:%H:%M} UTC까지): {probs}; "
        "가장 가능성 높은 방향 **{label}**{note}. '보합'은 ±{band:.2%} 이내의 움직임입니다.\n"
        "모델 {model}: {accuracy}{skill}.\n{record}\n예측은 확률일 뿐 투자 조언이 아닙니다.",
        "pooled_trained": "여러 심볼로 학습한 공동 모델 ({names}로 학습)",
        "pooled_not_trained": "여러 심볼로 학습한 공동 모델, {symbol}은(는) 학습에 쓰이지 않음",
        "direction_disclosure": "이 모델은 가격이 움직일지를 예측할 뿐 방향은 예측하지 못합니다: 움직인 "
        "캔들에서 상승 대 하락을 맞히는 능력이 0과 구별되지 않습니다",
        "record_scope": "예측 ({scope}). {text}",
        "all_symbols": "전체 심볼",
        "analysis": "{symbol} {as_of:%Y-%m-%d %H:%M} UTC 기준, 종가 {close}:\n"
        "- 추세 **{trend}** ({trend_def})\n"
        "- 모멘텀 **{momentum}**, RSI(14) {rsi} ({zone})\n"
        "- 변동성 **{regime}**: 연환산 {vol} ({regime_def})\n"
        "- 지지선 {supports}; 저항선 {resistances}",
        "none_found": "없음",
        "none": "없음",
        "here": "이 앱에서는: {definition}.",
        "indicator_state": "- 현재 {state}: **{value}**",
        "rsi_zone_now": "- 현재 RSI 구간: **{zone}**",
        "levels_now": "- 지지선 {supports}; 저항선 {resistances}",
        "loss_no_trades": "이 계좌에는 아직 거래가 없어서 설명할 손실이 없습니다.",
        "loss_no_positions": "이 계좌에는 포지션이 없어서 설명할 손실이 없습니다.",
        "loss_no_symbol": "이 계좌에는 {symbol} 거래가 없습니다.",
        "loss_head": "이 계좌의 {symbol} 거래: 매수 {buys}건, 매도 {sells}건.",
        "loss_bought": "- 매수 {qty} {base}, 평균 {price} (수수료 제외)",
        "loss_sold": "- 매도 {qty} {base}, 평균 {price}",
        "loss_price_effect": "- 가격 효과 ≈ (평균 매도가 - 평균 매수가) × 매도 수량 = {value} USDT",
        "loss_fees": "- 낸 수수료: 체결 {n}건에 {fees} USDT",
        "loss_realized": "- 실현 손익: {value} USDT (수수료 차감)",
        "loss_held": "- 아직 보유: {qty} {base}, {price} 기준 미실현 손익 {value} USDT",
        "loss_hourly": " (1시간 캔들: 슬리피지와 한 시간 안의 가격 움직임이 섞여 있습니다)",
        "loss_slippage": "- {interval} 캔들 종가 대비 슬리피지: 체결 {total}건 중 {n}건에서 {value} USDT"
        "{note}; 캔들의 저가-고가 범위 밖 체결 {outside}건",
        "loss_no_slippage": "- 캔들 대비 슬리피지: 아직 알 수 없습니다 "
        "(체결된 캔들이 아직 마감되지 않았습니다)",
        "driver_price": "가격 변동",
        "driver_fees": "수수료",
        "driver_slippage": "슬리피지",
        "loss_overall_worst": "합계 {total} USDT; 가장 큰 비용은 {worst} ({value} USDT)였습니다.",
        "loss_overall": "합계 {total} USDT (실현 + 미실현).",
        "note_sell_share": "사용 가능한 {qty} {base}의 {share}, 수량 단위로 내림",
        "note_buy_share": "사용 가능한 {cash} USDT의 {share}",
        "note_quote": "{price}에서 {quote} USDT는 {qty} {base}",
        "refused_proposal": "이 주문({symbol} {side})은 제안하지 않았습니다. 주문이 거절되었을 것입니다: "
        "{error} 아무것도 거래되지 않았습니다.",
        "side_BUY": "매수",
        "side_SELL": "매도",
        "order_side_BUY": "매수",
        "order_side_SELL": "매도",
        "size_quote": "{base} {amount} {quote}어치",
        "how_limit": "지정가 {price}",
        "how_market": "시장가",
        "fills_now": "즉시 체결",
        "rests": "가격이 지정가에 닿을 때까지 대기",
        "money_BUY": "비용",
        "money_SELL": "대금",
        "proposed": "제안: **{symbol} {size} {side}** ({how}) — {when}: 약 {qty} {base}, 가격 {price}, "
        "수수료 {fee} {quote}, {money} {total} {quote}; 주문 후 사용 가능 {quote}: {free}.",
        "proposed_note": " ({note}.)",
        "press_confirm": " **Confirm** 버튼을 눌러야 주문됩니다; 누르기 전에는 아무것도 거래되지 않습니다.",
        "requote_rule": "견적은 가격이 0.1% 이내에 머무는 동안 시장 시간 15분 동안 유효합니다; 그 뒤에는 "
        "Confirm을 누르면 먼저 새 견적을 보여 드립니다.",
        "requoted": "견적 이후 가격이 움직여서 (당시 {was}, 현재 "
        "{now}) 주문하지 않았습니다. 새 견적: {quote}",
        "order_refused": "주문이 거절되었습니다: {error}",
        "order_placed": "주문 #{id} {symbol} {side}: {status}{price} (견적 {quoted}).",
        "order_at": ", 체결가 {price}",
    },
}

#: one-word values from the core (forecast classes, analysis states, order statuses) in Korean
LABELS: dict[str, dict[str, str]] = {
    "en": {},
    "ko": {
        "up": "상승",
        "down": "하락",
        "flat": "보합",
        "sideways": "횡보",
        "bullish": "강세",
        "bearish": "약세",
        "neutral": "중립",
        "overbought": "과매수",
        "oversold": "과매도",
        "low": "낮음",
        "normal": "보통",
        "high": "높음",
        "trend": "추세",
        "momentum": "모멘텀",
        "last_move": "직전 움직임",
        "majority": "다수 클래스",
        "filled": "체결됨",
        "open": "대기 중",
        "partially_filled": "부분 체결",
        "canceled": "취소됨",
        "rejected": "거절됨",
        "expired": "만료됨",
    },
}


#: the indicators' titles and plain definitions (:data:`sim.assistant.tools_forecast.INDICATORS` holds
#: the English ones, next to the features each one shows): ``(title, plain)``, plain may be empty
INDICATOR_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "ko": {
        "rsi": (
            "RSI (상대강도지수)",
            "최근 상승폭과 하락폭을 비교하는 0~100의 모멘텀 지표; 70 "
            "이상은 흔히 과매수, 30 이하는 과매도라고 합니다",
        ),
        "macd": (
            "MACD (이동평균 수렴·확산)",
            "빠른 지수이동평균과 느린 지수이동평균의 차이; 시그널선 위면 "
            "상승 모멘텀이 커지고, 아래면 약해지는 것입니다",
        ),
        "bollinger": (
            "볼린저 밴드",
            "20봉 평균의 위아래 2 표준편차 밴드; 밴드 안의 위치가 가격이 "
            "얼마나 치우쳤는지 보여 줍니다 (상단 +1, 하단 -1)",
        ),
        "volatility": (
            "변동성",
            "가격이 얼마나 움직이는지: 1시간 로그 수익률의 표준편차, "
            "연환산 값과 지난 1년 중 백분위로도 보여 줍니다",
        ),
        "sma": (
            "이동평균 (SMA)",
            "최근 N개 종가의 평균; 가격이 오르는 평균선 위에 있으면 상승 추세로 봅니다",
        ),
        "momentum": ("모멘텀", ""),
        "trend": ("추세", ""),
        "levels": (
            "지지와 저항",
            "예전에 시장이 방향을 바꾼 가격대; 지지선은 현재가 아래, 저항선은 위에 있습니다",
        ),
        "volume": ("거래량 z-점수", "현재 거래량이 지난 하루와 비교해 얼마나 특이한지"),
        "brier": ("Brier 점수", ""),
        "baseline": ("기준 모델", ""),
        "band": ("보합 구간", ""),
    },
}


def language_of(message: str) -> str:
    """``ko`` when ``message`` holds Hangul, else ``en``."""
    return "ko" if is_korean(message) else "en"


def say(lang: str, key: str, **values: Any) -> str:
    """The ``key`` text of ``lang`` (English for a language without a catalog), filled in; a value
    that can say itself in a language (a ``SimError`` quoted in a reply) is put in ``lang``'s words."""
    shown = {k: _in(lang, v) for k, v in values.items()}
    return CATALOG.get(lang, CATALOG["en"])[key].format(**shown)


def _in(lang: str, value: Any) -> Any:
    localized = getattr(value, "localized", None)
    return localized(lang) if callable(localized) else value


def label(lang: str, word: str) -> str:
    """A one-word value from the core in ``lang`` (:data:`LABELS`), or the word itself."""
    return LABELS.get(lang, {}).get(str(word).lower(), str(word))


__all__ = ["CATALOG", "INDICATOR_TEXTS", "LABELS", "LANGUAGES", "label", "language_of", "say"]
