"""Messages of the smaller areas (see :mod:`sim.domain.messages`): languages, webhooks, the
watchlist, ids and Binance's exchange rules. One English and one Korean template per key, with the
same fields; Korean is polite (합니다/해 주세요)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the app's language (sim.domain.language) ---
    "language.unknown": {
        "en": "Language must be one of {languages}; got {value!r}.",
        "ko": "언어는 {languages} 중 하나여야 합니다. 입력값: {value!r}.",
    },
    # --- webhooks (sim.domain.webhooks) ---
    "webhook.format": {
        "en": "Unknown webhook format {value!r}; use one of {names}.",
        "ko": "알 수 없는 웹훅 형식 {value!r}입니다. {names} 중 하나를 사용해 주세요.",
    },
    "webhook.url_missing": {
        "en": "Enter the webhook's URL (https://...).",
        "ko": "웹훅 URL(https://...)을 입력해 주세요.",
    },
    "webhook.url_long": {
        "en": "The webhook URL is too long ({length} characters; at most {most}).",
        "ko": "웹훅 URL이 너무 깁니다({length}자, 최대 {most}자).",
    },
    "webhook.url_scheme": {
        "en": "A webhook URL starts with https:// or http:// and names a host, got {text!r}.",
        "ko": "웹훅 URL은 https:// 또는 http://로 시작하고 호스트를 포함해야 합니다. 입력값: {text!r}.",
    },
    "webhook.url_credentials": {
        "en": "Put no user name or password in the webhook URL; use a secret path instead.",
        "ko": "웹훅 URL에 사용자 이름이나 비밀번호를 넣지 말고, 대신 비밀 경로를 사용해 주세요.",
    },
    "webhook.private_host": {
        "en": "Webhooks to this machine or a private network ({host}) are not allowed here.",
        "ko": "이 컴퓨터나 사설 네트워크({host})로 보내는 웹훅은 여기서 허용되지 않습니다.",
    },
    # --- the watchlist (sim.watch_api) ---
    "watch.symbol_format": {
        "en": "A symbol is letters and digits such as DOGEUSDT, got {value!r}.",
        "ko": "심볼은 DOGEUSDT처럼 영문자와 숫자로만 이루어져야 합니다. 입력값: {value!r}.",
    },
    "watch.full": {
        "en": "Your watchlist is full: it holds at most {most} symbols. Remove one to add {name}.",
        "ko": "관심 목록이 가득 찼습니다: 심볼은 최대 {most}개까지 담을 수 있습니다. "
        "{name}을(를) 추가하려면 하나를 지워 주세요.",
    },
    "watch.not_listed": {
        "en": "{name} is not on your watchlist.",
        "ko": "{name}은(는) 관심 목록에 없습니다.",
    },
    # --- ids passed in (sim.domain.ids) ---
    "id.not_whole": {
        "en": "{field} must be a whole number from 1 to {most}, got {shown}.",
        "ko": "{field} 값은 1부터 {most}까지의 정수여야 합니다. 입력값: {shown}.",
    },
    # --- Binance's exchange rules (sim.domain.filters): read by the operator; the problem a filter
    # reader names (``problem``) is English in every language ---
    "rules.filter_problem": {
        "en": "{symbol}: {name} {problem}",
        "ko": "{symbol}: 거래소 규칙의 {name} 필터에 문제가 있습니다: {problem}",
    },
    "rules.text_missing": {
        "en": "{symbol}: {field} is missing or empty: {value!r}.",
        "ko": "{symbol}: {field} 값이 없거나 비어 있습니다: {value!r}.",
    },
    "rules.entry_not_object": {
        "en": "a symbols[] entry is not an object: {entry!r}.",
        "ko": "symbols[] 항목이 객체가 아닙니다: {entry!r}.",
    },
    "rules.entry_no_symbol": {
        "en": "a symbols[] entry has no valid symbol name: {symbol!r}.",
        "ko": "symbols[] 항목에 올바른 심볼 이름이 없습니다: {symbol!r}.",
    },
    "rules.filters_not_list": {
        "en": "{symbol}: filters must be a list of objects with a filterType.",
        "ko": "{symbol}: filters는 filterType이 있는 객체들의 목록이어야 합니다.",
    },
    "rules.filter_missing": {
        "en": "{symbol}: the {name} filter is missing.",
        "ko": "{symbol}: {name} 필터가 없습니다.",
    },
    # --- opening the simulator (sim.bootstrap) ---
    "setup.symbol_not_in_snapshot": {
        "en": "{problem} (snapshot {path}). Refresh it with `python -m pipeline symbols refresh` "
        "(or `--from FILE` offline).",
        "ko": "{problem} (스냅샷 {path}). `python -m pipeline symbols refresh`로 스냅샷을 새로 받아 "
        "주세요(오프라인이면 `--from FILE`).",
    },
    "setup.replay_no_candles": {
        "en": "The offline replay has no candles for {symbols} in {folder}. Track it with live prices "
        "(REDIS_URL and the pipeline's Binance feed) or leave it out of SYMBOLS.",
        "ko": "오프라인 재생에 쓸 {symbols} 캔들이 {folder}에 없습니다. 실시간 시세(REDIS_URL과 "
        "파이프라인의 바이낸스 피드)로 추적하거나 SYMBOLS에서 빼 주세요.",
    },
}
