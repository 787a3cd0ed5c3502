"""Messages of the competition area (see :mod:`sim.domain.messages`): one English and one Korean template
per key, with the same fields; Korean is polite (합니다/해 주세요)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "competition.no_reset": {
        "en": "A competition account cannot be reset: it keeps the season's starting balance to the end, "
        "like every other member's.",
        "ko": "대회 계정은 초기화할 수 없습니다. "
        "다른 참가자와 마찬가지로 시즌 시작 잔고를 끝까지 유지합니다.",
    },
    "competition.fixed_costs": {
        "en": "A competition account trades at the competition's fees and slippage; they cannot be "
        "changed for one member.",
        "ko": "대회 계정은 대회의 수수료와 슬리피지로 거래하므로 참가자 한 명만 바꿀 수 없습니다.",
    },
    "competition.removed": {
        "en": "The host removed you from season {season} of {name!r}.",
        "ko": "주최자가 {name!r} 시즌 {season}에서 회원님을 내보냈습니다.",
    },
    "competition.joined_twice": {
        "en": "You already joined season {season} of {name!r}.",
        "ko": "이미 {name!r} 시즌 {season}에 참가했습니다.",
    },
    # --- competition rules (sim.domain.competition) ---
    "competition.name_missing": {"en": "A competition needs a name.", "ko": "대회 이름을 입력해 주세요."},
    "competition.name_long": {
        "en": "A competition's name is at most 64 characters.",
        "ko": "대회 이름은 최대 64자까지 쓸 수 있습니다.",
    },
    "competition.name_characters": {
        "en": "A competition's name may not contain '<', '>' or control characters.",
        "ko": "대회 이름에는 '<', '>'나 제어 문자를 쓸 수 없습니다.",
    },
    "competition.code_format": {
        "en": "An invite code is 6 to 20 letters, digits or '-', starting with a letter or digit.",
        "ko": "초대 코드는 문자, 숫자, '-'로 된 6~20자이며 문자나 숫자로 시작해야 합니다.",
    },
    "competition.balance_range": {
        "en": "The starting balance must be from {lo} to {hi} USDT with at most 8 decimals.",
        "ko": "시작 잔고는 {lo}부터 {hi} USDT까지, 소수점 아래 8자리까지만 입력할 수 있습니다.",
    },
    "competition.min_trades_range": {
        "en": "The minimum number of trades is a whole number from 0 to {most}.",
        "ko": "최소 거래 횟수는 0부터 {most}까지의 정수여야 합니다.",
    },
    "competition.symbols_not_list": {
        "en": "Allowed symbols are a list such as ['BTCUSDT', 'ETHUSDT'].",
        "ko": "허용 심볼은 ['BTCUSDT', 'ETHUSDT'] 같은 목록으로 입력해 주세요.",
    },
    "competition.symbol_format": {
        "en": "A symbol is letters and digits such as BTCUSDT, got {item!r}.",
        "ko": "심볼은 BTCUSDT처럼 영문자와 숫자로만 이루어져야 합니다. 입력값: {item!r}.",
    },
    "competition.time_no_zone": {
        "en": "Competition times must carry a time zone (UTC), e.g. 2024-01-08T00:00Z.",
        "ko": "대회 시각에는 시간대(UTC)를 붙여 주세요. 예: 2024-01-08T00:00Z.",
    },
    "competition.end_before_start": {
        "en": "The end ({end}) must come after the start ({start}).",
        "ko": "종료 시각({end})은 시작 시각({start})보다 뒤여야 합니다.",
    },
    "competition.start_past": {
        "en": "The start ({start}) is in the past; it is {now} in market time.",
        "ko": "시작 시각({start})이 이미 지났습니다. 현재 시장 시각은 {now}입니다.",
    },
    "competition.not_yet_open": {
        "en": "This competition account can trade from {start}; it is {now} in market time, so the order "
        "was refused.",
        "ko": "이 대회 계정은 {start}부터 거래할 수 있습니다. 현재 시장 시각이 {now}이므로 주문이 "
        "거부되었습니다.",
    },
    "competition.ended": {
        "en": "This competition ended at {end}: its standings are final and orders are refused.",
        "ko": "이 대회는 {end}에 끝났습니다: 순위가 확정되어 주문을 받을 수 없습니다.",
    },
    "competition.symbol_not_allowed": {
        "en": "{symbol} is not traded in this competition; it allows {allowed}.",
        "ko": "{symbol}은(는) 이 대회에서 거래할 수 없습니다. 거래할 수 있는 심볼: {allowed}.",
    },
    # --- who may do what, times typed in (sim.service_layer.competition_access) ---
    "competition.time_format_got": {
        "en": "The {name} must be a time such as 2024-01-08T00:00Z, got {value!r}.",
        "ko": "{name} 값은 2024-01-08T00:00Z 같은 시각으로 입력해 주세요. 입력값: {value!r}.",
    },
    "competition.time_format": {
        "en": "The {name} must be a time such as 2024-01-08T00:00Z.",
        "ko": "{name} 값은 2024-01-08T00:00Z 같은 시각으로 입력해 주세요.",
    },
    "competition.time_zone": {
        "en": "The {name} must carry a time zone (UTC), e.g. 2024-01-08T00:00Z.",
        "ko": "{name} 값에는 시간대(UTC)를 붙여 주세요. 예: 2024-01-08T00:00Z.",
    },
    "competition.entry_cannot": {
        "en": "A competition account cannot do this; use your own account.",
        "ko": "대회 계정으로는 이 작업을 할 수 없습니다. 본인 계정을 사용해 주세요.",
    },
    "competition.none": {
        "en": "There is no competition {competition}.",
        "ko": "대회 {competition}이(가) 없습니다.",
    },
    "competition.no_season": {
        "en": "{name!r} has no season {number}; it has {count}.",
        "ko": "{name!r}에는 시즌 {number}이(가) 없습니다. 시즌은 {count}개입니다.",
    },
    "competition.host_only": {
        "en": "Only the host of {name!r} (or the admin) may do this.",
        "ko": "{name!r}의 주최자(또는 관리자)만 이 작업을 할 수 있습니다.",
    },
    "competition.members_only": {
        "en": "Only the members, the host and the admin see {name!r}; join with its invite code.",
        "ko": "{name!r}은(는) 참가자, 주최자, 관리자만 볼 수 있습니다. 초대 코드로 참가해 주세요.",
    },
    "competition.no_account": {
        "en": "You have no competition account {trader}.",
        "ko": "회원님에게는 대회 계정 {trader}이(가) 없습니다.",
    },
    # --- hosting, joining and seasons (sim.service_layer.competitions) ---
    "competition.holdings_flag": {
        "en": "show_holdings_after_end is True or False.",
        "ko": "show_holdings_after_end 값은 True 또는 False여야 합니다.",
    },
    "competition.unknown_settings": {
        "en": "Unknown competition setting(s): {names}.",
        "ko": "알 수 없는 대회 설정입니다: {names}.",
    },
    "competition.code_taken": {
        "en": "The invite code {code} is taken; choose another.",
        "ko": "초대 코드 {code}은(는) 이미 쓰이고 있습니다. 다른 코드를 골라 주세요.",
    },
    "competition.no_free_code": {
        "en": "No free invite code was found; try again.",
        "ko": "사용할 수 있는 초대 코드를 찾지 못했습니다. 다시 시도해 주세요.",
    },
    "competition.code_unknown": {
        "en": "No competition has the invite code {code!r}; check it with the host.",
        "ko": "초대 코드 {code!r}에 해당하는 대회가 없습니다. 주최자에게 확인해 주세요.",
    },
    "competition.season_ended_join": {
        "en": "Season {number} of {name!r} ended at {end}; it can no longer be joined. The host may open "
        "the next season.",
        "ko": "{name!r} 시즌 {number}은(는) {end}에 끝나 더 이상 참가할 수 없습니다. "
        "주최자가 다음 시즌을 열 수 있습니다.",
    },
    "competition.season_started": {
        "en": "Season {number} of {name!r} started at {start}: its settings can no longer change (the host "
        "may still remove a member or end it early).",
        "ko": "{name!r} 시즌 {number}은(는) {start}에 시작되어 설정을 더 이상 바꿀 수 없습니다"
        "(주최자는 참가자를 내보내거나 시즌을 일찍 끝낼 수는 있습니다).",
    },
    "competition.season_final": {
        "en": "Season {number} of {name!r} has ended; its standings are final.",
        "ko": "{name!r} 시즌 {number}은(는) 끝났습니다. 순위가 확정되었습니다.",
    },
    "competition.not_member": {
        "en": "User {member} is not a member of season {number} of {name!r}.",
        "ko": "사용자 {member}은(는) {name!r} 시즌 {number}의 참가자가 아닙니다.",
    },
    "competition.not_started": {
        "en": "Season {number} of {name!r} has not started (it starts at {start}); change its dates instead.",
        "ko": "{name!r} 시즌 {number}은(는) 아직 시작하지 않았습니다({start} 시작). 대신 날짜를 바꿔 주세요.",
    },
    "competition.already_ended": {
        "en": "Season {number} of {name!r} has already ended.",
        "ko": "{name!r} 시즌 {number}은(는) 이미 끝났습니다.",
    },
    "competition.season_running": {
        "en": "Season {number} of {name!r} runs until {end}; end it (or wait for its end) before opening "
        "season {next}.",
        "ko": "{name!r} 시즌 {number}은(는) {end}까지 진행됩니다. 시즌 {next}을(를) 열기 전에 "
        "이 시즌을 끝내거나 끝날 때까지 기다려 주세요.",
    },
    "competition.season_taken": {
        "en": "Season {next} of {name!r} was just opened by someone else.",
        "ko": "{name!r} 시즌 {next}은(는) 방금 다른 사람이 열었습니다.",
    },
    # --- standings and their valuation (sim.domain.ranking, sim.standings) ---
    "ranking.balance_not_positive": {
        "en": "A starting balance must be positive, got {starting}.",
        "ko": "시작 잔고는 0보다 커야 합니다. 입력값: {starting}.",
    },
    "ranking.no_price": {
        "en": "No price of {symbol} to value the holding at.",
        "ko": "보유 자산을 평가할 {symbol} 가격이 없습니다.",
    },
    "ranking.order_by": {
        "en": "A leaderboard is ordered by 'score' or 'return', not {by!r}.",
        "ko": "순위표는 'score' 또는 'return'으로만 정렬할 수 있습니다. 입력값: {by!r}.",
    },
    "competition.freezes_at": {
        "en": "Season {number} of {name!r} ends at {end}; its standings freeze then.",
        "ko": "{name!r} 시즌 {number}은(는) {end}에 끝나며, 그때 순위가 확정됩니다.",
    },
    "competition.holdings_private": {
        "en": "The host of {name!r} keeps members' holdings private.",
        "ko": "{name!r}의 주최자가 참가자들의 보유 자산을 공개하지 않습니다.",
    },
    "competition.holdings_after_end": {
        "en": "Members' holdings are shown after the end of season {number} ({end}).",
        "ko": "참가자들의 보유 자산은 시즌 {number}이(가) 끝난 뒤({end})에 공개됩니다.",
    },
}
