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
}
