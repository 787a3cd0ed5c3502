"""Rules of competitions and seasons (pure): names, invite codes, settings, the trading window.

A competition has a host, a name, an invite code, a starting balance, allowed symbols (None: every
tradable symbol), fee and slippage settings, a minimum number of trades to be ranked and whether
holdings are shown after the end. It runs in **seasons**: season 1 is opened with the competition,
season N+1 by the host once N has ended. Each member trades a season through an **entry**: a
trader of its own (a ``users`` row owned by the member, named with :data:`ENTRY_PREFIX`, which
registration refuses, and with no password), whose one account holds the starting balance and
carries the season's **trading window** and allowed symbols. Times are market time.

The window is ``[start, end)``: an order placed at a market time before the start or at/after the
end is refused (:func:`check_can_trade`), and a resting order is never filled by a trade dated at
or after the end (:func:`window_open_at`). Ending early moves the end to the moment the host ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sim.domain.errors import CompetitionClosed, InvalidInput, SymbolNotAllowed
from sim.domain.values import to_decimal

ENTRY_PREFIX = "~"  # registration's username rule refuses it (a name starts with a letter or digit)
ENTRY_PASSWORD_HASH = "!"  # not a bcrypt hash: no password matches, and logins skip entries anyway
MAX_MIN_TRADES = 10_000
BALANCE_RANGE = (Decimal(1), Decimal(10**9))
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,19}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class SeasonState(StrEnum):
    UPCOMING = "upcoming"
    RUNNING = "running"
    ENDED = "ended"


def entry_username(season_id: int, member_id: int) -> str:
    """The username of a member's entry in a season: ``~s<season>m<member>`` (never registrable)."""
    return f"{ENTRY_PREFIX}s{season_id}m{member_id}"


def when(t: datetime) -> str:
    """A market time as people read it: ``2024-01-08 00:00 UTC``."""
    return f"{t:%Y-%m-%d %H:%M} UTC"


def check_name(value: object) -> str:
    """A competition's name: 1 to 64 printable characters without ``<`` or ``>``."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput.of("competition.name_missing")
    if len(text) > 64:
        raise InvalidInput.of("competition.name_long")
    if any(c in "<>" for c in text) or not text.isprintable():
        raise InvalidInput.of("competition.name_characters")
    return text


def check_invite_code(value: object) -> str:
    """An invite code: 6 to 20 letters, digits or '-', case-insensitive (kept upper-case)."""
    text = value.strip().upper() if isinstance(value, str) else ""
    if not _CODE.match(text):
        raise InvalidInput.of("competition.code_format")
    return text


def check_balance(value: object) -> Decimal:
    """A starting balance in USDT: 1 to 1,000,000,000 with at most 8 decimals."""
    amount = to_decimal(value, "starting balance")
    exponent = amount.as_tuple().exponent
    lo, hi = BALANCE_RANGE
    if not lo <= amount <= hi or not isinstance(exponent, int) or exponent < -8:
        raise InvalidInput.of("competition.balance_range", lo=lo, hi=f"{hi:,}")
    return amount


def check_min_trades(value: object) -> int:
    """The minimum number of trades to be ranked: a whole number from 0 to 10,000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MIN_TRADES:
        raise InvalidInput.of("competition.min_trades_range", most=f"{MAX_MIN_TRADES:,}")
    return value


def check_symbols(value: object) -> tuple[str, ...] | None:
    """Allowed symbols as Binance writes them (a list, or text separated by commas); None or an
    empty list: every tradable symbol. Whether each exists is the caller's check."""
    if value is None:
        return None
    items: Iterable[object] = value.split(",") if isinstance(value, str) else value  # type: ignore[assignment]
    if not isinstance(items, Iterable):
        raise InvalidInput.of("competition.symbols_not_list")
    names: list[str] = []
    for item in items:
        text = item.strip().upper() if isinstance(item, str) else ""
        if not text and isinstance(item, str):
            continue
        if not text.isascii() or not text.isalnum() or len(text) > 20:
            raise InvalidInput.of("competition.symbol_format", item=item)
        names.append(text)
    return tuple(dict.fromkeys(names)) or None


def symbols_text(symbols: tuple[str, ...] | None) -> str | None:
    """How allowed symbols are stored (``BTCUSDT,ETHUSDT``; None: every symbol)."""
    return ",".join(symbols) if symbols else None


def symbols_of(text: str | None) -> tuple[str, ...] | None:
    return tuple(text.split(",")) if text else None


def check_dates(start: datetime, end: datetime, now: datetime) -> None:
    """A season's start and end: aware times, the end after the start and after now, the start
    not in the past (a season that starts now is written with ``start = now``)."""
    for t in (start, end):
        if t.tzinfo is None:
            raise InvalidInput.of("competition.time_no_zone")
    if end <= start:
        raise InvalidInput.of("competition.end_before_start", end=when(end), start=when(start))
    if start < now:
        raise InvalidInput.of("competition.start_past", start=when(start), now=when(now))


@dataclass(frozen=True, slots=True)
class Window:
    """A season's timing: its start, its planned end and, when the host ended it early, when."""

    start: datetime
    end: datetime
    ended_early_at: datetime | None = None

    @property
    def effective_end(self) -> datetime:
        return self.ended_early_at if self.ended_early_at is not None else self.end

    def state(self, now: datetime) -> SeasonState:
        if now < self.start:
            return SeasonState.UPCOMING
        return SeasonState.RUNNING if now < self.effective_end else SeasonState.ENDED


def window_open_at(trade_from: datetime | None, trade_until: datetime | None, t: datetime) -> bool:
    """Whether an account with this trading window (None: no bound) may trade at ``t``."""
    return (trade_from is None or t >= trade_from) and (trade_until is None or t < trade_until)


def check_can_trade(
    trade_from: datetime | None, trade_until: datetime | None, symbols: str | None, symbol: str, now: datetime
) -> None:
    """Refuse an order of a competition account outside its window or on a symbol not allowed
    (:class:`CompetitionClosed`, :class:`SymbolNotAllowed`); an ordinary account has no window."""
    if trade_from is not None and now < trade_from:
        raise CompetitionClosed.of("competition.not_yet_open", start=when(trade_from), now=when(now))
    if trade_until is not None and now >= trade_until:
        raise CompetitionClosed.of("competition.ended", end=when(trade_until))
    allowed = symbols_of(symbols)
    if allowed is not None and symbol not in allowed:
        raise SymbolNotAllowed.of("competition.symbol_not_allowed", symbol=symbol, allowed=", ".join(allowed))
