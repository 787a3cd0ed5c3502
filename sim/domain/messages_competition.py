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
}
