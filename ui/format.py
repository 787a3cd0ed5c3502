"""How numbers, times, sides and order types read on every page (no I/O; words and headers in the
session's language through :func:`ui.i18n.t`, English outside a session).

Assumptions:
- Prices are shown at the symbol's tick size and quantities at its step size (from the
  simulator's :class:`~sim.domain.instruments.Instruments`); quote amounts (USDT) at 2 decimals,
  fees at 4. Without an instrument, prices get the decimals they need (2 above 100, 4 above 1,
  else 6).
- Every time on the pages is UTC, the market clock's zone, written ``YYYY-MM-DD HH:MM:SS`` with no
  offset; column headers say "(UTC)".
- Tables hold display strings (right-aligned numbers are not needed for reading; sorting by a
  column of such strings is by text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from sim.domain.values import decimals_of
from ui.i18n import lang, t
from ui.locales import CATALOGS

ZONE = "UTC"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
UP_COLOR, DOWN_COLOR = "#26a69a", "#ef5350"
#: the order types a ticket offers, in its order (their words: the catalogs' ``type.<TYPE>``)
ORDER_TYPES = ("MARKET", "LIMIT", "STOP_LOSS", "TAKE_PROFIT", "TRAILING_STOP", "OCO", "OCO_TRAILING")


def _word(prefix: str, value: str) -> str | None:
    """The catalog's word for ``<prefix>.<value>`` (``type.MARKET``, ``side.BUY``,
    ``status.FILLED``) in the session's language, or None when the catalogs have no such key."""
    key = f"{prefix}.{value}"
    return t(key) if key in CATALOGS["en"] else None


def num(value: Decimal | float | int | None, places: int = 2) -> str:
    """``1,234.57``; ``-`` for None."""
    if value is None:
        return "-"
    return f"{Decimal(str(value)):,.{places}f}" if isinstance(value, float) else f"{value:,.{places}f}"


def auto_places(value: Decimal | float) -> int:
    v = abs(float(value))
    return 2 if v >= 100 else 4 if v >= 1 else 6


def price(value: Decimal | float | None, tick: Decimal | None = None) -> str:
    """A price at the tick's decimals (``0.01`` -> 2), or with the decimals it needs."""
    if value is None:
        return "-"
    return num(value, decimals_of(tick) if tick is not None else auto_places(value))


def qty(value: Decimal | float | None, step: Decimal | None = None) -> str:
    """A quantity at the step's decimals, or as written without trailing zeros."""
    if value is None:
        return "-"
    if step is not None:
        return num(value, decimals_of(step))
    d = Decimal(str(value)).normalize()
    return f"{d:,f}"


def money(value: Decimal | float | None, unit: str = "", places: int = 2) -> str:
    """``388.19 USDT``: a quote amount at cents."""
    text = num(value, places)
    return f"{text} {unit}".rstrip() if value is not None else text


def big(value: Decimal | float | int | None, unit: str = "") -> str:
    """Large amounts short and readable: ``38.38 M``, ``9.00 M``, ``12,345`` (never ``9E+6``)."""
    if value is None:
        return "-"
    v = float(value)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(v) >= size:
            text = f"{v / size:,.2f} {suffix}"
            break
    else:
        text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"
    return f"{text} {unit}".rstrip()


def pct(value: Decimal | float | None, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{float(value):+.{places}f}%"


def trail(delta_bps: int, level: Decimal | None, activation: Decimal | None, tick: Decimal | None) -> str:
    """A trailing stop's level: ``stop 39,400.00 (trails 1.5%)``, or ``activates at 42,000.00
    (trails 1.5%)`` before it starts tracking."""
    width = t("trail.width", pct=f"{Decimal(delta_bps) / 100:f}")
    if level is not None:
        return t("trail.stop", price=price(level, tick), width=width)
    return t("trail.activates", price=price(activation, tick), width=width)


def when(value: datetime | pd.Timestamp | None) -> str:
    """A time in UTC without an offset: ``2023-06-01 12:00:05``."""
    if value is None:
        return "-"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(ZONE)
    return ts.strftime(TIME_FORMAT)


def order_type(kind: str, list_id: str | None = None) -> str:
    """``Stop-loss (OCO)`` for ``STOP_LOSS`` in an order list."""
    text = _word("type", kind) or kind.replace("_", " ").capitalize()
    return t("type.in_oco", type=text) if list_id else text


def side(value: str) -> str:
    return _word("side", value.upper()) or value.capitalize()


def side_color(value: str) -> str:
    """The CSS colour of a side's text (buys green, sells red), in either language."""
    return f"color: {UP_COLOR}" if value in ("Buy", "BUY", side("BUY")) else f"color: {DOWN_COLOR}"


def side_markdown(value: str) -> str:
    """A side in colour for ``st.markdown`` (``:green[Buy]``)."""
    return f":green[{side(value)}]" if value.upper() == "BUY" else f":red[{side(value)}]"


def status(value: str) -> str:
    return _word("status", value.upper()) or value.replace("_", " ").lower().capitalize()


def liquidity(value: object) -> str:
    """``maker`` / ``taker`` in the session's language."""
    text = str(value).lower()
    return {"maker": t("liquidity.maker"), "taker": t("liquidity.taker")}.get(text, text)


def _inst(instruments: Mapping[str, Any] | None, symbol: str) -> tuple[Decimal | None, Decimal | None]:
    inst = instruments.get(symbol) if instruments is not None else None
    return (inst.tick_size, inst.step_size) if inst is not None else (None, None)


def trades_table(fills: Iterable[Any], instruments: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The user's fills (``FillView``) as display rows with human headers."""
    columns = [
        t("col.time", zone=ZONE),
        t("col.symbol"),
        t("col.side"),
        t("col.quantity"),
        t("col.price"),
        t("col.total"),
        t("col.fee"),
        t("col.liquidity"),
        t("col.realized"),
    ]
    rows = []
    for f in fills:
        tick, step = _inst(instruments, f.symbol)
        cells = [
            when(f.time),
            f.symbol,
            side(f.side),
            qty(f.quantity, step),
            price(f.price, tick),
            num(f.total_amount),
            num(f.fee, 4),
            liquidity(f.liquidity),
            num(f.realized_pnl),
        ]
        rows.append(dict(zip(columns, cells, strict=True)))
    return pd.DataFrame(rows, columns=columns)


OPEN_ORDER_HEADERS = ("Order", "Symbol", "Side", "Type", "Quantity", "Limit / stop", "Status", "")


def open_order_headers() -> tuple[str, ...]:
    """:data:`OPEN_ORDER_HEADERS` in the session's language."""
    return (
        t("col.order"),
        t("col.symbol"),
        t("col.side"),
        t("col.type"),
        t("col.quantity"),
        t("col.limit_stop"),
        t("col.status"),
        "",
    )


def open_order_cells(order: Any, instruments: Mapping[str, Any] | None = None) -> list[str]:
    """One open order (``OrderView``) as the cells under :data:`OPEN_ORDER_HEADERS` (side as
    colour markdown, no cancel cell)."""
    tick, step = _inst(instruments, order.symbol)
    limit = order.price if order.price is not None else order.stop_price
    shown = price(limit, tick)
    if getattr(order, "trailing_delta", None) is not None:
        shown = trail(order.trailing_delta, order.stop_level, order.stop_price, tick)
    return [
        f"#{order.id}",
        order.symbol,
        side_markdown(order.side),
        order_type(order.type, order.list_id),
        qty(order.quantity, step) if order.quantity is not None else money(order.quote_amount, "USDT"),
        shown,
        status(order.status),
    ]


def orders_table(orders: Iterable[Any], instruments: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Open orders as display rows (for read-only lists, e.g. the Portfolio)."""
    heads, placed = open_order_headers()[:7], t("col.placed")
    rows = []
    for o in orders:
        cells = open_order_cells(o, instruments)
        cells[2] = side(o.side)
        rows.append(dict(zip(heads, cells, strict=True)) | {placed: when(o.created_at)})
    return pd.DataFrame(rows, columns=[*heads, placed])


def holdings_table(portfolio: Any, instruments: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Positions of a ``PortfolioView`` as display rows with human headers."""
    columns = [
        t("col.symbol"),
        t("col.quantity"),
        t("col.locked"),
        t("col.avg_price"),
        t("col.last_price"),
        t("col.market_value"),
        t("col.unrealized"),
        t("col.unrealized_pct"),
        t("col.realized"),
        t("col.fees_paid"),
    ]
    rows = []
    for p in getattr(portfolio, "positions", ()):
        tick, step = _inst(instruments, p.symbol)
        cells = [
            p.symbol,
            qty(p.quantity, step),
            qty(p.qty_locked, step),
            price(p.avg_price, tick) if p.quantity else "-",
            price(p.last_price, tick),
            num(p.market_value),
            num(p.unrealized_pnl),
            pct(p.unrealized_pnl / p.cost_basis * 100)
            if p.unrealized_pnl is not None and p.cost_basis
            else "-",
            num(p.realized_pnl),
            num(p.fees_paid, 4),
        ]
        rows.append(dict(zip(columns, cells, strict=True)))
    return pd.DataFrame(rows, columns=columns)


def styled_sides(frame: pd.DataFrame, column: str | None = None) -> Any:
    """A pandas Styler colouring the side column (``st.dataframe`` draws Styler colours); the
    column is the side's header in the session's language unless named."""
    column = t("col.side") if column is None else column
    if column not in frame.columns or frame.empty:
        return frame
    return frame.style.map(side_color, subset=[column])


COLUMN_NAMES = {
    "time": f"Time ({ZONE})",
    "pnl": "PnL",
    "realized_pnl": "Realized PnL",
    "fee": "Fee (USDT)",
    "notional": "Notional (USDT)",
    "client_order_id": "Client order id",
    "order_id": "Order",
}


def column_name(name: object) -> str:
    """``realized_pnl`` -> "Realized PnL"; other snake_case names -> words, capitalised."""
    text = str(name)
    return COLUMN_NAMES.get(text, text.replace("_", " ").capitalize() if text.islower() else text)


def humanize(frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """``frame`` with readable column names and times written in UTC without an offset; the names
    in ``language`` (the session's by default): English as :func:`column_name` writes them, another
    language from :func:`sim.analytics.labels.column` (the English rule for a column it lacks)."""
    from sim.analytics.labels import column as header

    chosen = language or lang()
    names = [header(c, chosen) or column_name(c) for c in frame.columns]
    out = frame.copy()
    # two names reading the same (``quantity`` beside ``Quantity``) keep the original
    out.columns = [n if names.count(n) == 1 else str(c) for n, c in zip(names, frame.columns, strict=True)]
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(when)
    return out


def stats_table(table: pd.DataFrame) -> pd.DataFrame:
    """A statistics table already formatted as text (rows = statistics, columns = runs or fill
    models) with the rows and columns named for people: :mod:`sim.analytics.labels`'s English, or
    the catalogs' ``stat.<name>`` / ``fill.<name>`` in another language (the name when missing)."""
    from sim.analytics.labels import fill_model, stat

    if lang() == "en":
        out = table.rename(index=stat, columns=fill_model)
    else:
        words = CATALOGS[lang()]
        out = table.rename(
            index=lambda n: words.get(f"stat.{n}") or stat(n),
            columns=lambda n: words.get(f"fill.{n}") or fill_model(n),
        )
    out.index.name = t("lab.statistic")
    return out
