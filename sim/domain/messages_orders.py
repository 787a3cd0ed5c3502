"""Messages of the order path: numbers typed by a person, order requests, instruments, funds, prices.

Keys are ``area.what``; each has an English (``"en"``) and a Korean (``"ko"``) template with the
same fields (see :mod:`sim.domain.messages`). Korean is polite (합니다/해 주세요). Assumes field
names arrive as ``Term`` (translated), everything else is printed as the raise site formatted it.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- numbers (sim.domain.values) ---
    "number.not_a_number": {
        "en": "{field} must be a number, got {value!r}.",
        "ko": "{field} 값은 숫자여야 합니다. 입력값: {value!r}.",
    },
    "number.wrong_type": {
        "en": "{field} must be a number, got {type}.",
        "ko": "{field} 값은 숫자여야 합니다. 입력된 형식: {type}.",
    },
    "number.not_finite": {
        "en": "{field} must be a finite number, got {value!r}.",
        "ko": "{field} 값은 유한한 숫자여야 합니다. 입력값: {value!r}.",
    },
    "number.too_many_decimals": {
        "en": "{field} has too many decimals: at most {decimals}.",
        "ko": "{field} 값의 소수 자릿수가 너무 많습니다. 최대 {decimals}자리까지 입력할 수 있습니다.",
    },
    "number.spaces": {
        "en": "{field} must be a number without spaces around it, got {value!r}.",
        "ko": "{field} 값은 앞뒤 공백 없이 숫자만 입력해 주세요. 입력값: {value!r}.",
    },
    "number.too_long": {
        "en": "{field} is too long for a number: at most {characters} characters.",
        "ko": "{field} 값이 숫자로 보기에 너무 깁니다. 최대 {characters}자까지 입력할 수 있습니다.",
    },
    "number.exponent": {
        "en": "{field} must be written in plain decimal notation (e.g. 0.001), "
        "not in exponent form {value!r}.",
        "ko": "{field} 값은 {value!r} 같은 지수 표기 대신 일반 소수 표기(예: 0.001)로 입력해 주세요.",
    },
    "number.not_decimal": {
        "en": "{field} must be a decimal number (digits 0-9), got {value!r}.",
        "ko": "{field} 값은 10진수(숫자 0-9)로 입력해야 합니다. 입력값: {value!r}.",
    },
    "number.too_large": {
        "en": "{field} is too large: at most {digits} digits before the decimal point.",
        "ko": "{field} 값이 너무 큽니다. 소수점 앞은 최대 {digits}자리입니다.",
    },
    "number.not_positive": {
        "en": "{field} must be greater than zero, got {value}.",
        "ko": "{field} 값은 0보다 커야 합니다. 입력값: {value}.",
    },
    # --- order requests (sim.domain.orders) ---
    "order.already_final": {
        "en": "The order is already {current}; it cannot become {new}.",
        "ko": "이 주문은 이미 {current} 상태라서 {new} 상태로 바꿀 수 없습니다.",
    },
    "order.bad_transition": {
        "en": "An order cannot go from {current} to {new}.",
        "ko": "주문 상태를 {current}에서 {new}(으)로 바꿀 수 없습니다.",
    },
    "order.not_one_of": {
        "en": "{field} must be one of {allowed}, got {value!r}.",
        "ko": "{field} 값은 {allowed} 중 하나여야 합니다. 입력값: {value!r}.",
    },
    "order.client_id_empty": {
        "en": "client_order_id must be a non-empty text.",
        "ko": "client_order_id는 비어 있지 않은 텍스트여야 합니다.",
    },
    "order.client_id_malformed": {
        "en": "client_order_id must be at most {most} letters, digits or - _ . : characters.",
        "ko": "client_order_id는 영문자, 숫자, - _ . : 문자로 최대 {most}자까지 쓸 수 있습니다.",
    },
    "order.client_id_conflict": {
        "en": "client_order_id {client_order_id!r} is already used by order {order} ({order_text}); "
        "this request differs in {differ}. Use a new client_order_id for a new order.",
        "ko": "client_order_id {client_order_id!r}는 이미 주문 {order}({order_text})에 쓰였고, 이번 요청은 "
        "{differ} 항목이 다릅니다. 새 주문에는 새 client_order_id를 써 주세요.",
    },
    "order.quantity_and_quote": {
        "en": "Give either a quantity or a quote amount, not both.",
        "ko": "수량과 주문 금액 중 하나만 입력해 주세요.",
    },
    "order.quote_only_market_buy": {
        "en": "A quote amount is only accepted for market buys; give a quantity.",
        "ko": "주문 금액은 시장가 매수에서만 쓸 수 있습니다. 수량을 입력해 주세요.",
    },
    "order.quote_decimals": {
        "en": "quote amount has too many decimals: at most 8.",
        "ko": "주문 금액의 소수 자릿수가 너무 많습니다. 최대 8자리까지 입력할 수 있습니다.",
    },
    "order.no_quantity": {
        "en": "Give a quantity (or, for a market buy, a quote amount).",
        "ko": "수량을 입력해 주세요(시장가 매수라면 주문 금액도 됩니다).",
    },
    "order.trailing_needs_delta": {
        "en": "A trailing stop needs a trailing delta in basis points (100 = 1%).",
        "ko": "트레일링 스톱에는 트레일링 간격(베이시스 포인트, 100 = 1%)이 필요합니다.",
    },
    "order.trailing_no_stop_price": {
        "en": "A trailing stop takes an activation price, not a stop price.",
        "ko": "트레일링 스톱에는 스톱 가격이 아니라 활성화 가격을 입력합니다.",
    },
    "order.no_trailing_fields": {
        "en": "A {type} order takes no trailing delta or activation price.",
        "ko": "{type} 주문에는 트레일링 간격이나 활성화 가격을 입력하지 않습니다.",
    },
    "order.limit_needs_price": {
        "en": "A limit order needs a limit price.",
        "ko": "지정가 주문에는 지정가가 필요합니다.",
    },
    "order.no_limit_price": {
        "en": "A {type} order takes no limit price.",
        "ko": "{type} 주문에는 지정가를 입력하지 않습니다.",
    },
    "order.needs_stop_price": {
        "en": "A {type} order needs a stop price.",
        "ko": "{type} 주문에는 스톱 가격이 필요합니다.",
    },
    "order.trailing_needs_quantity": {
        "en": "A trailing stop needs a quantity.",
        "ko": "트레일링 스톱에는 수량이 필요합니다.",
    },
    "order.no_stop_price": {
        "en": "A {type} order takes no stop price.",
        "ko": "{type} 주문에는 스톱 가격을 입력하지 않습니다.",
    },
    "oco.stop_and_trailing": {
        "en": "Give the OCO either a stop-loss price or a trailing delta, not both.",
        "ko": "OCO에는 손절 가격과 트레일링 간격 중 하나만 입력해 주세요.",
    },
    "oco.no_stop": {
        "en": "An OCO needs a stop-loss price or a trailing delta.",
        "ko": "OCO에는 손절 가격이나 트레일링 간격이 필요합니다.",
    },
    "oco.sell_order": {
        "en": "For a sell OCO the take-profit price must be above the stop-loss price.",
        "ko": "매도 OCO에서는 익절 가격이 손절 가격보다 높아야 합니다.",
    },
    "oco.buy_order": {
        "en": "For a buy OCO the take-profit price must be below the stop-loss price.",
        "ko": "매수 OCO에서는 익절 가격이 손절 가격보다 낮아야 합니다.",
    },
    "oco.activation_side": {
        "en": "The trailing stop's activation price must be {where} the take-profit price.",
        "ko": "트레일링 스톱의 활성화 가격은 익절 가격보다 {where}에 있어야 합니다.",
    },
}
MESSAGES.update(
    {
        # --- instruments (sim.domain.instruments, sim.domain.errors) ---
        "symbol.not_trading": {
            "en": "{symbol} is not trading on Binance (status {status}): it cannot be tracked or "
            "traded until Binance lists it as TRADING again.",
            "ko": "{symbol}은(는) 현재 바이낸스에서 거래되지 않습니다(상태 {status}). 바이낸스가 다시 "
            "TRADING으로 표시할 때까지 추적하거나 거래할 수 없습니다.",
        },
    }
)
