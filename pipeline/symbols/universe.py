"""Cut an exchangeInfo answer to the symbols the simulator can use, checking every one kept.

Assumptions:
- The simulator's accounts hold USDT, so by default only symbols quoted in USDT are kept
  (``quotes``; None keeps every quote asset). Symbols named in ``keep`` (the tracked ``SYMBOLS``)
  are kept whatever their quote, so a refresh never drops a tracked symbol Binance still lists.
- Symbols whose status is not TRADING (BREAK, HALT, ...) are kept with their status: the
  simulator then refuses them by name and status instead of calling them unknown.
- Every kept entry must pass :func:`sim.domain.filters.read_symbol_rules`; one failure refuses the
  whole document (the message lists the problems), so a bad answer never replaces a good snapshot.
  Entries not kept are not checked: a malformed pair quoted in another asset does not matter here
  (an entry without a quote asset cannot be told apart, so it is checked, and refused).
- The snapshot keeps Binance's layout (``timezone``, ``serverTime`` when sent, ``rateLimits``,
  ``exchangeFilters``, ``symbols``), entries unedited, sorted by symbol so diffs are stable.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sim.domain.errors import InvalidExchangeRules
from sim.domain.filters import read_symbol_rules

MAX_PROBLEMS_SHOWN = 10


def _entries(info: object) -> list[Any]:
    symbols = info.get("symbols") if isinstance(info, Mapping) else None
    if not isinstance(symbols, list):
        raise InvalidExchangeRules(
            "The document has no symbols list: it is not a GET /api/v3/exchangeInfo answer."
        )
    return symbols


def _kept(entry: object, quotes: Collection[str] | None, keep: Collection[str]) -> bool:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("quoteAsset"), str):
        return True  # cannot be told apart: checked, and refused, below
    return quotes is None or entry["quoteAsset"] in quotes or entry.get("symbol") in keep


def build_snapshot(
    info: object, quotes: Collection[str] | None = ("USDT",), keep: Collection[str] = ()
) -> dict[str, Any]:
    """The snapshot document for ``info`` (see the module docstring), or InvalidExchangeRules."""
    chosen = [e for e in _entries(info) if _kept(e, quotes, keep)]
    problems: list[str] = []
    seen: set[str] = set()
    for entry in chosen:
        try:
            rules = read_symbol_rules(entry)
        except InvalidExchangeRules as exc:
            problems.append(str(exc))
            continue
        if rules.symbol in seen:
            problems.append(f"{rules.symbol}: listed twice.")
        seen.add(rules.symbol)
    if problems:
        shown = "\n  ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more." if more > 0 else ""
        raise InvalidExchangeRules(
            f"exchangeInfo fails the checks for {len(problems)} symbol(s):\n  {shown}{tail}"
        )
    if not chosen:
        which = "any symbol" if quotes is None else f"no symbol quoted in {', '.join(sorted(quotes))}"
        raise InvalidExchangeRules(f"exchangeInfo lists {which}: an empty snapshot would track nothing.")
    assert isinstance(info, Mapping)
    doc: dict[str, Any] = {"timezone": info.get("timezone", "UTC")}
    if isinstance(info.get("serverTime"), int):
        doc["serverTime"] = info["serverTime"]
    doc["rateLimits"] = info.get("rateLimits", [])
    doc["exchangeFilters"] = info.get("exchangeFilters", [])
    doc["symbols"] = sorted(chosen, key=lambda e: str(e["symbol"]))
    return doc


def symbols_of(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``{symbol: entry}`` of a snapshot document (entries without a symbol name are skipped)."""
    return {
        e["symbol"]: e
        for e in doc.get("symbols", [])
        if isinstance(e, Mapping) and isinstance(e.get("symbol"), str)
    }
