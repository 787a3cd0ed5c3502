"""How the assistant writes numbers: money to the cent, prices, quantities, percentages, JSON."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from sim.assistant.types import ToolResult

CENT = Decimal("0.01")
UNIT = Decimal("0.00000001")

# --- formatting -------------------------------------------------------------------------------------


def fmt(value: Decimal | float | None, places: int = 2) -> str:
    """A number with thousands separators (``-`` for None)."""
    if value is None:
        return "-"
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places)):,}"


def fmt_price(value: Decimal | float | None) -> str:
    if value is None:
        return "-"
    v = abs(float(value))
    return fmt(value, 2 if v >= 100 else 4 if v >= 1 else 6)


def fmt_qty(value: Decimal | None) -> str:
    return "-" if value is None else f"{value.normalize():f}"


def pct(value: float | Decimal | None, places: int = 1) -> str:
    return "-" if value is None else f"{float(value):.{places}%}"


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if hasattr(value, "to_dict"):
        return _json(value.to_dict())
    return value


def as_json(result: ToolResult) -> str:
    """A tool result for the language model: its text and data as JSON (Decimals as strings)."""
    body: dict[str, Any] = {"answer": result.text, "data": _json(result.data)}
    if result.proposal is not None:
        body["proposal"] = _json(result.proposal.to_dict())
        body["note"] = "Proposed only: the user must press Confirm; nothing was traded."
    return json.dumps(body, default=str)


# --- market -----------------------------------------------------------------------------------------
