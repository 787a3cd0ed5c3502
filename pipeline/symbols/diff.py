"""What a refresh changes: symbols added, removed, and per symbol the status and filter values.

Assumptions:
- Only what the simulator reads is compared: ``status``, ``baseAsset``, ``quoteAsset`` and the
  fields of the filters in :data:`sim.domain.filters.USED_FILTERS`. Other fields (permissions,
  order types, rate limits) may change without being reported.
- Numbers are compared as Decimals, so ``"0.01000000"`` and ``"0.01"`` are the same value; they are
  shown in plain digits (``0.00000001``, never ``1E-8``). A filter that appears or disappears is
  shown as ``(none)`` on its missing side.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.symbols.universe import symbols_of
from sim.domain.filters import USED_FILTERS, plain

NONE = "(none)"
_FIELDS = ("status", "baseAsset", "quoteAsset")


@dataclass(frozen=True, slots=True)
class Change:
    symbol: str
    what: str  # "status" or "LOT_SIZE maxQty"
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.symbol} {self.what}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class SnapshotDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changes)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        result = Decimal(value)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _same(old: object, new: object) -> bool:
    a, b = _number(old), _number(new)
    return a == b if a is not None and b is not None else old == new


def _show(value: object) -> str:
    if value is None:
        return NONE
    number = _number(value)
    if number is not None:
        return plain(number)
    return value if isinstance(value, str) else json.dumps(value)


def _filters(entry: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    raw = entry.get("filters")
    if not isinstance(raw, list):
        return {}
    return {f["filterType"]: f for f in raw if isinstance(f, Mapping) and f.get("filterType") in USED_FILTERS}


def _symbol_changes(symbol: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = [
        Change(symbol, name, _show(old.get(name)), _show(new.get(name)))
        for name in _FIELDS
        if not _same(old.get(name), new.get(name))
    ]
    old_f, new_f = _filters(old), _filters(new)
    for kind in USED_FILTERS:
        a, b = old_f.get(kind), new_f.get(kind)
        if a is None and b is None:
            continue
        if a is None or b is None:
            shown = (NONE if a is None else "present", NONE if b is None else "present")
            changes.append(Change(symbol, kind, *shown))
            continue
        for name in sorted((set(a) | set(b)) - {"filterType"}):
            if not _same(a.get(name), b.get(name)):
                changes.append(Change(symbol, f"{kind} {name}", _show(a.get(name)), _show(b.get(name))))
    return changes


def diff_snapshots(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> SnapshotDiff:
    """Compare two snapshot documents; ``old`` None (no snapshot yet) makes every symbol added."""
    before = symbols_of(old) if old is not None else {}
    after = symbols_of(new)
    changes = [c for s in sorted(set(before) & set(after)) for c in _symbol_changes(s, before[s], after[s])]
    return SnapshotDiff(
        added=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
        changes=changes,
    )
