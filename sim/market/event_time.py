"""When a bus message says it happened, and the rule for messages dated ahead of their arrival.

A message whose event time is more than a few seconds (``MAX_TRADE_AHEAD_SECONDS``, default 5)
ahead of the moment the consumer received it is refused: it goes to the dead-letter topic with
:func:`ahead_reason` and moves nothing (not the market clock, the forming candle or the last price),
and the matcher fills nothing with it. Assumptions: the consumer's host clock is right to within
that margin (NTP); the exchange's clock may run a little ahead of ours, which the margin absorbs.
A message older than what was applied is not refused here: the live stores keep the last price
and the clock from going backwards (see :mod:`sim.adapters.live`).
"""

from __future__ import annotations

from sim.market.messages import BookTop, Candle, Message, MiniTicker, Trade, datetime_to_ms


def event_ms(m: Message) -> int | None:
    """The event time of ``m`` in epoch ms; ``None`` when it has none.

    Trades and 24h tickers have an event time; a book top may have one; a candle counts from its
    open time (a candle cannot open after it was sent). Depth snapshots carry no time, and a gap
    describes data already missed, so neither is checked.
    """
    if isinstance(m, Trade | MiniTicker):
        return datetime_to_ms(m.time)
    if isinstance(m, BookTop):
        return None if m.time is None else datetime_to_ms(m.time)
    if isinstance(m, Candle):
        return datetime_to_ms(m.open_time)
    return None


def ahead_reason(event: int, received_ms: int, max_ahead_ms: int) -> str:
    """The dead-letter reason for a message dated ``event`` (ms) that arrived at ``received_ms``."""
    return (
        f"event time {(event - received_ms) / 1000:.1f} s ahead of receive time "
        f"(at most {max_ahead_ms / 1000:g} s is allowed)"
    )
