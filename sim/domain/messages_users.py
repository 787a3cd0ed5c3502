"""Messages of the users area (see :mod:`sim.domain.messages`): one English and one Korean template
per key, with the same fields; Korean is polite (합니다/해 주세요)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
