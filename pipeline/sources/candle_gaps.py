"""Finding the holes in a series of candle open times.

Assumptions:
- Candles of one symbol and interval open on a fixed grid (``open_time + k * interval``); the
  interval has a fixed length (not ``"1M"``).
- A gap is reported as ``(first_missing_open_time, last_missing_open_time)``, both inclusive,
  which is exactly the ``startTime``/``endTime`` pair the REST klines endpoint takes.
- Some gaps are real (Binance outages): filling asks the exchange, which then returns nothing for
  them, and nothing is invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise

from sim.market import interval_delta


def find_gaps(
    open_times: Iterable[datetime],
    interval: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[tuple[datetime, datetime]]:
    """Missing open-time ranges in ``open_times`` (any order, duplicates allowed).

    ``start``/``end`` (inclusive open times) also report a missing head or tail of the range.
    """
    step = interval_delta(interval)
    times = sorted(set(open_times))
    if start is not None:
        times = [t for t in times if t >= start]
    if end is not None:
        times = [t for t in times if t <= end]
    if not times:
        return [] if start is None or end is None or end < start else [(start, end)]
    gaps = []
    if start is not None and times[0] - start >= step:
        gaps.append((start, times[0] - step))
    for before, after in pairwise(times):
        if after - before > step:
            gaps.append((before + step, after - step))
    if end is not None and end - times[-1] >= step:
        gaps.append((times[-1] + step, end))
    return gaps
