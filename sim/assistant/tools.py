"""The assistant's functions: each answers from the simulator and returns a :class:`ToolResult`.

The rule-based chat and the language-model path call the same functions (:data:`TOOL_SPECS` are
their OpenAI ``tools`` descriptions). None of them trades: :func:`propose_order` only builds a
:class:`ProposedOrder` with a preview (:meth:`Simulator.preview_order`: the same validation, fill
and fee functions as placing); :func:`confirm` places a proposal the user confirmed.

The order and loss answers, with the definitions :func:`explain_loss` uses, are in
:mod:`sim.assistant.tools_orders`; the forecast answers in :mod:`sim.assistant.tools_forecast`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sim.assistant.formatting import CENT, UNIT, _json, as_json, fmt, fmt_price, fmt_qty, pct
from sim.assistant.replies import say
from sim.assistant.tools_forecast import (
    INDICATORS,
    _record_line,
    explain_indicator,
    get_analysis,
    get_forecast,
    get_track_record,
)
from sim.assistant.tools_orders import confirm, describe, explain_loss, propose_order
from sim.assistant.types import ToolResult

if TYPE_CHECKING:
    from sim.assistant.port import Facade as Simulator


def list_symbols(sim: Simulator) -> ToolResult:
    symbols = sim.symbols()
    return ToolResult(f"I track {', '.join(symbols)}.", {"symbols": symbols})


def get_price(sim: Simulator, symbol: str | None = None, lang: str = "en") -> ToolResult:
    """The latest price (and 24h change) of one symbol, or of every tracked symbol."""
    symbols = [sim.instruments.get_or_raise(symbol).symbol] if symbol else sim.symbols()
    lines, data = [], {}
    for s in symbols:
        t = sim.ticker(s)
        data[s] = t
        if t is None:
            lines.append(say(lang, "no_price", symbol=s))
            continue
        change = say(lang, "change_24h", change=float(t["change_pct"])) if t["change_pct"] is not None else ""
        price = fmt_price(t["price"])
        lines.append(say(lang, "price_line", symbol=s, price=price, change=change, time=t["time"]))
    return ToolResult("\n".join(lines), {"prices": data})


def get_portfolio(sim: Simulator, user_id: int, lang: str = "en") -> ToolResult:
    """Cash, holdings, equity, return and PnL of the user's active account (texts in ``lang``)."""
    pv = sim.portfolio(user_id)
    unrealized = sum((p.unrealized_pnl or Decimal(0) for p in pv.positions), Decimal(0))
    realized = sum((p.realized_pnl for p in pv.positions), Decimal(0))
    fees = sum((p.fees_paid for p in pv.positions), Decimal(0))
    lines = [
        say(
            lang,
            "portfolio_equity",
            equity=fmt(pv.equity),
            ret=float(pv.total_return),
            start=fmt(pv.starting_cash),
            cash=fmt(pv.cash),
            free=fmt(pv.cash_free),
            holdings=fmt(pv.holdings_value),
        ),
        say(lang, "portfolio_pnl", realized=fmt(realized), unrealized=fmt(unrealized), fees=fmt(fees)),
    ]
    held = [p for p in pv.positions if p.quantity > 0]
    for p in held:
        lines.append(
            say(
                lang,
                "portfolio_position",
                symbol=p.symbol,
                qty=fmt_qty(p.quantity),
                avg=fmt_price(p.avg_price),
                last=fmt_price(p.last_price),
                value=fmt(p.market_value),
                unrealized=fmt(p.unrealized_pnl),
            )
        )
    if not held:
        lines.append(say(lang, "portfolio_empty"))
    data = {
        "equity": pv.equity,
        "cash": pv.cash,
        "cash_free": pv.cash_free,
        "holdings_value": pv.holdings_value,
        "total_return": pv.total_return,
        "realized_pnl": realized,
        "unrealized_pnl": unrealized,
        "fees_paid": fees,
        "positions": [
            {
                "symbol": p.symbol,
                "quantity": p.quantity,
                "avg_price": p.avg_price,
                "last_price": p.last_price,
                "market_value": p.market_value,
                "unrealized_pnl": p.unrealized_pnl,
                "realized_pnl": p.realized_pnl,
            }
            for p in pv.positions
        ],
    }
    return ToolResult("\n".join(lines), data)


# --- forecasts --------------------------------------------------------------------------------------


_SYMBOL = {"type": "string", "description": "ticker such as BTCUSDT, or a name such as bitcoin"}
TOOL_SPECS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }
    for name, description, props, required in (
        ("list_symbols", "The symbols the simulator tracks.", {}, []),
        ("get_price", "Latest price and 24h change of a symbol (or all).", {"symbol": _SYMBOL}, []),
        ("get_portfolio", "The user's cash, holdings, equity and PnL.", {}, []),
        (
            "get_forecast",
            "Direction forecast (down/flat/up probabilities) with validation and live track record.",
            {"symbol": _SYMBOL, "horizon": {"type": "integer", "description": "hours ahead (1 or 4)"}},
            ["symbol"],
        ),
        (
            "get_track_record",
            "Hit rate and Brier score of past forecasts vs baselines.",
            {"symbol": _SYMBOL, "horizon": {"type": "integer"}},
            [],
        ),
        (
            "get_analysis",
            "Trend, momentum, volatility regime, support and resistance.",
            {"symbol": _SYMBOL},
            ["symbol"],
        ),
        (
            "explain_loss",
            "Breakdown of the user's fills of one symbol: fees, entry vs exit, realized PnL, slippage.",
            {"symbol": _SYMBOL},
            [],
        ),
        (
            "explain_indicator",
            "What an indicator means (rsi, macd, bollinger, volatility, sma, momentum, trend, levels, "
            "volume, brier, baseline, band), with its value for a symbol.",
            {"name": {"type": "string"}, "symbol": _SYMBOL},
            ["name"],
        ),
        (
            "propose_order",
            "Propose (never place) an order; the user confirms it in the app.",
            {
                "symbol": _SYMBOL,
                "side": {"type": "string", "enum": ["BUY", "SELL"]},
                "quantity": {"type": "string", "description": "base-asset quantity, e.g. '0.01'"},
                "quote_amount": {"type": "string", "description": "USDT to spend (market buys)"},
                "fraction": {"type": "string", "description": "share of free position/cash, '0.5' = half"},
                "price": {"type": "string", "description": "limit price; omit for a market order"},
            },
            ["symbol", "side"],
        ),
    )
]


def registry(sim: Simulator, user_id: int) -> dict[str, Callable[..., ToolResult]]:
    """The tools bound to one user (the language model never chooses the user)."""
    from sim.assistant.text import normalize, resolve_symbols

    def sym(value: object) -> str:
        text = str(value or "")
        found = resolve_symbols(normalize(text), sim.symbols())
        return found[0] if found else sim.instruments.get_or_raise(text).symbol

    def opt_sym(value: object) -> str | None:
        return sym(value) if value else None

    return {
        "list_symbols": lambda: list_symbols(sim),
        "get_price": lambda symbol=None: get_price(sim, opt_sym(symbol)),
        "get_portfolio": lambda: get_portfolio(sim, user_id),
        "get_forecast": lambda symbol, horizon=1: get_forecast(sim, sym(symbol), int(horizon)),
        "get_track_record": lambda symbol=None, horizon=None: get_track_record(
            sim, opt_sym(symbol), int(horizon) if horizon else None
        ),
        "get_analysis": lambda symbol: get_analysis(sim, sym(symbol)),
        "explain_loss": lambda symbol=None: explain_loss(sim, user_id, opt_sym(symbol)),
        "explain_indicator": lambda name, symbol=None: explain_indicator(sim, str(name), opt_sym(symbol)),
        "propose_order": lambda symbol, side, quantity=None, quote_amount=None, fraction=None, price=None: (
            propose_order(sim, user_id, sym(symbol), str(side), quantity, quote_amount, fraction, price)
        ),
    }


__all__ = [
    "CENT",
    "INDICATORS",
    "TOOL_SPECS",
    "UNIT",
    "_json",
    "_record_line",
    "as_json",
    "confirm",
    "describe",
    "explain_indicator",
    "explain_loss",
    "fmt",
    "fmt_price",
    "fmt_qty",
    "get_analysis",
    "get_forecast",
    "get_portfolio",
    "get_price",
    "get_track_record",
    "list_symbols",
    "pct",
    "propose_order",
    "registry",
]
