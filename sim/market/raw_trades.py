"""The consumer's batch decoder: trades in :func:`~sim.market.codec.encode`'s exact form, fast.

:func:`decode_batch` parses such trades with msgspec (C) into :class:`RawTrade`, which keeps the
decimal strings as they came (no Decimal, no datetime per message); everything else, and every
refusal, goes through :func:`sim.market.codec.decode`, so both accept the same messages and give
the same reasons. Two refusals are the batch's own, not :func:`decode`'s: a record with no value (a
null value or a tombstone, e.g. ``kcat -Z``), and, when the caller says when the batch was received,
a message whose event time is more than ``max_ahead_ms`` ahead of that (see :mod:`sim.market.event_time`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Final

import msgspec

from sim.market.codec import decode
from sim.market.event_time import ahead_reason, event_ms
from sim.market.messages import (
    MAX_MESSAGE_BYTES,
    SYMBOL_PATTERN,
    MalformedMessage,
    Message,
    Trade,
    datetime_to_ms,
    ms_to_datetime,
)

_MAX_MS: Final = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last millisecond datetime holds
_TRADE_PREFIX: Final = b'{"kind":"trade",'
# Canonical plain decimals, one per line: no sign, exponent, leading zero or bare dot, so that
# format(Decimal(s), "f") == s. A price also needs a non-zero digit (> 0).
_QTYS: Final = re.compile(r"(?:(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?\n)*+")
_PRICES: Final = re.compile(r"(?:(?=[0-9.]*[1-9])(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?\n)*+")


class RawTrade(
    msgspec.Struct, frozen=True, gc=False, forbid_unknown_fields=True, tag_field="kind", tag="trade"
):
    """A :class:`Trade` as it came off the bus, validated but not converted.

    ``price`` and ``quantity`` are the wire strings in canonical plain notation (``"102571.17000000"``;
    ``format(Decimal(s), "f") == s``), ``time`` is epoch milliseconds. :func:`decode_batch` only
    returns one after the same checks :class:`Trade` makes (price > 0, quantity >= 0, ids >= 0, a
    tracked symbol). The live store writes the strings as they are; :meth:`to_trade` gives the Decimal
    and datetime form to code that computes with them.
    """

    symbol: str
    trade_id: Annotated[int, msgspec.Meta(ge=0)]
    price: str
    quantity: str
    time: Annotated[int, msgspec.Meta(ge=0, le=_MAX_MS)]
    is_buyer_maker: bool

    def to_trade(self) -> Trade:
        return Trade(
            self.symbol,
            self.trade_id,
            Decimal(self.price),
            Decimal(self.quantity),
            ms_to_datetime(self.time),
            self.is_buyer_maker,
        )

    @classmethod
    def from_trade(cls, t: Trade) -> RawTrade:
        return cls(
            t.symbol,
            t.trade_id,
            format(t.price, "f"),
            format(t.quantity, "f"),
            datetime_to_ms(t.time),
            t.is_buyer_maker,
        )


Decoded = Message | RawTrade
_RAW_TRADE: Final = msgspec.json.Decoder(RawTrade)
NO_VALUE: Final = "the record has no value (a null value or a tombstone), so it holds no message"


def decode_batch(
    values: Sequence[bytes | None],
    *,
    symbols: frozenset[str] | None = None,
    max_bytes: int = MAX_MESSAGE_BYTES,
    received_ms: int | None = None,
    max_ahead_ms: int = 0,
) -> tuple[list[Decoded], list[tuple[int, MalformedMessage]]]:
    """Decode many bus values: the accepted messages in order, and ``(index, refusal)`` pairs.

    A value that starts like :func:`encode`'s trades is parsed by msgspec into a :class:`RawTrade`
    (JSON syntax, the exact field set and their types checked in C), then its symbol is checked
    against ``symbols`` and its decimal strings with one regular expression per batch. Whatever this
    fast path does not accept, for any reason, is decoded again by :func:`decode`, whose answer (a
    message or the reason for refusing it) is the one kept. The fast path accepts a subset of what
    :func:`decode` accepts (only canonical decimals, times from 1970 to 9999, 64-bit ids), so which
    messages are refused, and why, is decided by :func:`decode` alone.

    A ``None`` value (a null record or a tombstone) is refused with :data:`NO_VALUE`. With
    ``received_ms`` (when the batch arrived, epoch ms), a message that :func:`decode` accepts but
    whose event time is more than ``max_ahead_ms`` later is refused too, saying by how much
    (:func:`sim.market.event_time.ahead_reason`); a malformed one keeps :func:`decode`'s reason.
    """
    ahead = None if received_ms is None else (received_ms, max_ahead_ms)
    good, refused, fast = _decode_many(values, symbols, max_bytes, False, ahead)
    if fast and not (
        _PRICES.fullmatch("\n".join([t.price for t in fast]) + "\n")
        and _QTYS.fullmatch("\n".join([t.quantity for t in fast]) + "\n")
    ):  # some decimal is not in canonical form: again, checking each trade's own
        good, refused, fast = _decode_many(values, symbols, max_bytes, True, ahead)
    return good, refused


def _decode_many(
    values: Sequence[bytes | None],
    symbols: frozenset[str] | None,
    max_bytes: int,
    each: bool,
    ahead: tuple[int, int] | None,
) -> tuple[list[Decoded], list[tuple[int, MalformedMessage]], list[RawTrade]]:
    good: list[Decoded] = []
    refused: list[tuple[int, MalformedMessage]] = []
    fast: list[RawTrade] = []
    tracked = symbols if symbols is None else frozenset(s for s in symbols if SYMBOL_PATTERN.match(s))
    parse = _RAW_TRADE.decode
    limit = _MAX_MS if ahead is None else ahead[0] + ahead[1]
    for i, v in enumerate(values):
        if v is None:
            refused.append((i, MalformedMessage(NO_VALUE)))
            continue
        if len(v) <= max_bytes and v.startswith(_TRADE_PREFIX):
            try:
                t = parse(v)
            except (msgspec.MsgspecError, ValueError):
                pass
            else:
                if (t.symbol in tracked if tracked is not None else SYMBOL_PATTERN.match(t.symbol)) and (
                    not each or (_PRICES.fullmatch(t.price + "\n") and _QTYS.fullmatch(t.quantity + "\n"))
                ):
                    if t.time <= limit:
                        good.append(t)
                        fast.append(t)
                        continue
                    if (
                        ahead is not None
                        and _PRICES.fullmatch(t.price + "\n")
                        and _QTYS.fullmatch(t.quantity + "\n")
                    ):
                        refused.append((i, MalformedMessage(ahead_reason(t.time, *ahead))))
                        continue  # else decode below says what else is wrong with it first
        try:
            m = decode(v, symbols=symbols, max_bytes=max_bytes)
        except MalformedMessage as exc:
            refused.append((i, exc))
            continue
        when = event_ms(m) if ahead is not None else None
        if when is not None and ahead is not None and when > limit:
            refused.append((i, MalformedMessage(ahead_reason(when, *ahead))))
            continue
        good.append(m)
    return good, refused, fast
