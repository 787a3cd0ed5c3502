"""The market time a report is built as of: the end of its day, or the clock if that is earlier.

A report for day ``D`` (its id, ``YYYY-MM-DD``, UTC) covers market time up to the end of ``D``
(``D + 1`` at 00:00 UTC) and no further: fills made later and candles closing later are left out,
and the report is stamped ``as_of`` with that market time, never with the wall clock. When the
market clock has not reached the end of ``D`` yet (a replay behind it, or the day still running),
the report is as of the clock, like the app at that moment. So rebuilding a day that has ended
gives the same rows whenever it runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sim.domain import dates
from sim.reports.words import word


def day_end(report_id: str) -> datetime:
    """The end of the report's day: the next day at 00:00 UTC."""
    return datetime.combine(date.fromisoformat(report_id), time(), UTC) + timedelta(days=1)


def report_as_of(sim: Any, report_id: str) -> datetime:
    """``min(market clock, end of the day)`` (see the module docstring)."""
    return min(sim.now(), day_end(report_id))


def note(as_of: datetime, report_id: str, lang: str = "en") -> list[str]:
    """A line for the report, in ``lang``, when the market clock had not reached the end of its day."""
    if as_of >= day_end(report_id):
        return []
    day = dates.day(date.fromisoformat(report_id), lang)
    return [word(lang, "note_as_of", day=day, moment=dates.when(as_of, lang))]
