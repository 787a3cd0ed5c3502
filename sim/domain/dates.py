"""Dates and times as people read them, per language (pure; the sim twin of ``ui.i18n.day/when``).

Assumptions: the moment is printed as it is (the simulator's times are market time, UTC; the caller
adds " UTC" where the text says so); an unknown language reads as English; Korean writes a date
``2023년 12월 1일`` and a time to the minute ``2023년 12월 1일 00:00``, English ISO style
``2023-12-01`` / ``2023-12-01 00:00``; a duration ``21 days 09:00:00`` / ``21일 09:00:00``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def day(moment: date | datetime, lang: str = "en") -> str:
    """A date: ``2023-12-01`` / ``2023년 12월 1일``."""
    if lang == "ko":
        return f"{moment.year}년 {moment.month}월 {moment.day}일"
    return f"{moment:%Y-%m-%d}"


def when(moment: datetime, lang: str = "en") -> str:
    """A date and time to the minute: ``2023-12-01 00:00`` / ``2023년 12월 1일 00:00``."""
    return f"{day(moment, lang)} {moment:%H:%M}"


def duration(span: timedelta, lang: str = "en") -> str:
    """A non-negative span of whole seconds: ``21 days 09:00:00`` (as pandas prints a Timedelta) /
    ``21일 09:00:00``."""
    hours, rest = divmod(span.seconds, 3600)
    clock = f"{hours:02}:{rest // 60:02}:{rest % 60:02}"
    return f"{span.days}일 {clock}" if lang == "ko" else f"{span.days} days {clock}"
