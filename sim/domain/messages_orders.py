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
MESSAGES.update(
    {
        "symbol.no_entry": {
            "en": "exchangeInfo has no entry for {symbols}.",
            "ko": "exchangeInfo에 {symbols} 항목이 없습니다.",
        },
        "symbol.unknown": {
            "en": "Unknown symbol {symbol!r}. Tracked symbols: {known}.",
            "ko": "알 수 없는 심볼 {symbol!r}입니다. 추적 중인 심볼: {known}.",
        },
        "symbol.unknown_many": {
            "en": "Unknown symbol {symbol!r}: it is not among the {count} tradable symbols of the "
            "exchangeInfo snapshot (refresh it with `python -m pipeline symbols refresh`).",
            "ko": "알 수 없는 심볼 {symbol!r}입니다. exchangeInfo 스냅샷의 거래 가능한 심볼 {count}개 중에 "
            "없습니다(`python -m pipeline symbols refresh`로 새로 받으세요).",
        },
        "symbol.no_candles": {
            "en": "{symbol} has no candles to replay here: import a Binance monthly kline dump of it "
            "(`python -m pipeline import {symbol}-1h-YYYY-MM.zip`) or trade it on the live feed.",
            "ko": "여기에는 {symbol}의 재생할 캔들이 없습니다. 바이낸스 월별 캔들 파일을 가져오거나"
            "(`python -m pipeline import {symbol}-1h-YYYY-MM.zip`) 실시간 시세로 거래해 주세요.",
        },
        "symbol.bad_rules": {
            "en": "{symbol} cannot be traded: its exchange rules are invalid ({error})",
            "ko": "{symbol}은(는) 거래할 수 없습니다. 거래소 규칙이 올바르지 않습니다({error})",
        },
        "snapshot.missing": {
            "en": "There is no exchangeInfo snapshot at {path}. Refresh it with "
            "`python -m pipeline symbols refresh` (or `--from FILE` offline).",
            "ko": "{path}에 exchangeInfo 스냅샷이 없습니다. `python -m pipeline symbols refresh`로 "
            "새로 받아 주세요(오프라인이면 `--from FILE`).",
        },
        "snapshot.unreadable": {
            "en": "The exchangeInfo snapshot {path} is unreadable ({error}). Refresh it with "
            "`python -m pipeline symbols refresh` (or `--from FILE` offline).",
            "ko": "exchangeInfo 스냅샷 {path}을(를) 읽을 수 없습니다({error}). "
            "`python -m pipeline symbols refresh`로 새로 받아 주세요(오프라인이면 `--from FILE`).",
        },
        "snapshot.no_symbols": {
            "en": "The exchangeInfo snapshot {path} has no symbols list. Refresh it with "
            "`python -m pipeline symbols refresh` (or `--from FILE` offline).",
            "ko": "exchangeInfo 스냅샷 {path}에 심볼 목록이 없습니다. `python -m pipeline symbols refresh`로 "
            "새로 받아 주세요(오프라인이면 `--from FILE`).",
        },
        "rules.no_symbols": {
            "en": "The exchangeInfo document has no symbols list.",
            "ko": "exchangeInfo 문서에 심볼 목록이 없습니다.",
        },
        "price.off_grid": {
            "en": "{field} {value} is off the {symbol} price grid: it must be a multiple of the tick size "
            "{tick} (at most {decimals} decimals).",
            "ko": "{field} {value}은(는) {symbol} 가격 단위에 맞지 않습니다. 호가 단위 {tick}의 배수여야 "
            "합니다(소수점 최대 {decimals}자리).",
        },
        "price.below_min": {
            "en": "{field} {value} is below the minimum of {low} for {symbol}.",
            "ko": "{field} {value}은(는) {symbol}의 최솟값 {low}보다 작습니다.",
        },
        "price.out_of_range": {
            "en": "{field} {value} is outside the allowed range for {symbol}: {low} to {high}.",
            "ko": "{field} {value}은(는) {symbol}의 허용 범위({low} ~ {high})를 벗어납니다.",
        },
        "quantity.decimals": {
            "en": "{field} {value} has too many decimals for {symbol}: at most {places} (step size {step}).",
            "ko": "{field} {value}의 소수 자릿수가 {symbol}에 비해 너무 많습니다. 최대 {places}자리입니다"
            "(수량 단위 {step}).",
        },
        "quantity.off_grid": {
            "en": "{field} {value} is off the {symbol} quantity grid: it must be a multiple of the step "
            "size {step}.",
            "ko": "{field} {value}은(는) {symbol} 수량 단위에 맞지 않습니다. "
            "수량 단위 {step}의 배수여야 합니다.",
        },
        "quantity.below_min": {
            "en": "{field} {value} is below the minimum of {low} {asset} for {symbol}.",
            "ko": "{field} {value}은(는) {symbol}의 최소 수량 {low} {asset}보다 작습니다.",
        },
        "quantity.above_max": {
            "en": "{field} {value} is above the maximum of {high} {asset} for {symbol}.",
            "ko": "{field} {value}은(는) {symbol}의 최대 수량 {high} {asset}보다 큽니다.",
        },
        "notional.below_min": {
            "en": "Order value {notional} {quote} is below the minimum of {low} {quote} for {symbol}.",
            "ko": "주문 금액 {notional} {quote}이(가) {symbol}의 최소 주문 금액 {low} {quote}보다 작습니다.",
        },
        "notional.above_max": {
            "en": "Order value {notional} {quote} is above the maximum of {high} {quote} for {symbol}.",
            "ko": "주문 금액 {notional} {quote}이(가) {symbol}의 최대 주문 금액 {high} {quote}보다 큽니다.",
        },
    }
)
MESSAGES.update(
    {
        # --- funds and holdings (sim.domain.account, sim.service_layer.decisions) ---
        "funds.needs": {
            "en": "Not enough free {asset}: this order needs {need}, you have {free} free.",
            "ko": "사용 가능한 {asset}가 부족합니다: 필요 {need}, 사용 가능 {free}.",
        },
        "funds.costs": {
            "en": "Not enough free {asset}: this order costs {cost} with fees, you have {free} free.",
            "ko": "사용 가능한 {asset}가 부족합니다: 수수료 포함 필요 {cost}, 사용 가능 {free}.",
        },
        "funds.sell": {
            "en": "Not enough free {asset}: you want to sell {want}, you have {free} free.",
            "ko": "사용 가능한 {asset}가 부족합니다: 매도 요청 {want}, 사용 가능 {free}.",
        },
        "funds.holding_too_large": {
            "en": "This order would bring your {asset} holding to {holding}, above the largest quantity "
            "the simulator holds ({most}). Buy less, or sell some first.",
            "ko": "이 주문이 체결되면 {asset} 보유량이 {holding}이(가) 되어 시뮬레이터가 보유할 수 있는 최대 "
            "수량({most})을 넘습니다. 더 적게 매수하거나 먼저 일부를 매도해 주세요.",
        },
        "funds.quote_too_small": {
            "en": "{amount} {quote} is not enough to buy the minimum of {low} {base} with fees.",
            "ko": "{amount} {quote}로는 수수료를 포함해 최소 수량 {low} {base}을(를) 살 수 없습니다.",
        },
        # --- fees and slippage (sim.domain.costs) ---
        "costs.range": {
            "en": "The {name} must be between {lo} and {hi}{unit} with at most 8 decimals.",
            "ko": "{name} 값은 {lo}에서 {hi}{unit} 사이여야 하며 소수점 이하는 최대 8자리입니다.",
        },
        "costs.percent": {
            "en": "The {name} must be a percentage with at most 6 decimals.",
            "ko": "{name} 값은 소수점 이하 최대 6자리의 백분율이어야 합니다.",
        },
        # --- market prices and the book (sim.domain.fills) ---
        "price.none_yet_retry": {
            "en": "There is no market price for {symbol} yet; try again in a moment.",
            "ko": "아직 {symbol}의 시장 가격이 없습니다. 잠시 후 다시 시도해 주세요.",
        },
        "price.none_yet": {
            "en": "There is no market price for {symbol} yet.",
            "ko": "아직 {symbol}의 시장 가격이 없습니다.",
        },
        "price.stale": {
            "en": "The latest {symbol} price is {age} s old (limit {limit} s): the feed looks stale, so "
            "market orders are paused.",
            "ko": "최신 {symbol} 가격이 {age}초 전 것입니다(한도 {limit}초). 시세가 멈춘 것으로 보여 시장가 "
            "주문을 잠시 멈췄습니다.",
        },
        "book.no_liquidity": {
            "en": "The {symbol} order book has no liquidity for this order.",
            "ko": "{symbol} 호가창에 이 주문을 체결할 물량이 없습니다.",
        },
        # --- trailing stops (sim.domain.trailing) ---
        "trailing.not_whole": {
            "en": "trailing delta must be a whole number of basis points, got {value!r}.",
            "ko": "트레일링 간격은 베이시스 포인트 단위의 정수여야 합니다. 입력값: {value!r}.",
        },
        "trailing.out_of_range": {
            "en": "trailing delta {delta} bps is outside the {symbol} TRAILING_DELTA filter for a {side} "
            "stop: {low} to {high} bps ({low_pct}% to {high_pct}%).",
            "ko": "트레일링 간격 {delta} bps는 {symbol}의 {side} 스톱 TRAILING_DELTA 필터 범위를 벗어납니다: "
            "{low} ~ {high} bps({low_pct}% ~ {high_pct}%).",
        },
    }
)
MESSAGES.update(
    {
        # --- the service layer's order path (decisions, trading, orders, matching) ---
        "order.triggers_now": {
            "en": "This {type} order would trigger immediately: the last {symbol} price is {last}. Use a "
            "market order, or move the stop price.",
            "ko": "이 {type} 주문은 바로 발동됩니다. 최근 {symbol} 가격이 {last}입니다. 시장가 주문을 "
            "쓰거나 스톱 가격을 옮겨 주세요.",
        },
        "trailing.activation_reached": {
            "en": "The activation price {activation} is already reached: the last {symbol} price is {last}. "
            "Set it {where} the market, or leave it out to trail from the last price.",
            "ko": "활성화 가격 {activation}에 이미 도달했습니다. 최근 {symbol} 가격이 {last}입니다. "
            "시장가보다 {where}로 정하거나, 비워 두어 최근 가격부터 추적하게 해 주세요.",
        },
        "trailing.no_fresh_price": {
            "en": "A trailing stop without an activation price starts from the last {symbol} price, and "
            "there is no fresh one; try again in a moment, or give an activation price.",
            "ko": "활성화 가격이 없는 트레일링 스톱은 최근 {symbol} 가격에서 시작하는데, 최신 가격이 "
            "없습니다. 잠시 후 다시 시도하거나 활성화 가격을 입력해 주세요.",
        },
        "order.not_yours": {
            "en": "You have no order {order}.",
            "ko": "주문 {order}을(를) 찾을 수 없습니다.",
        },
        "order.cannot_cancel": {
            "en": "Order {order} is already {status}; it cannot be canceled.",
            "ko": "주문 {order}은(는) 이미 {status} 상태라서 취소할 수 없습니다.",
        },
        "replay.live_feed": {
            "en": "This simulator runs on a live feed; there is nothing to advance.",
            "ko": "이 시뮬레이터는 실시간 시세로 돌아가고 있어 앞으로 넘길 것이 없습니다.",
        },
    }
)
