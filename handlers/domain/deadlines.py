"""When a month's report is due (data/reporting.yaml): the one calendar the progress engine and the reminders use."""

from __future__ import annotations

from datetime import date
from functools import cache

from handlers.domain import plan_files, thai_format
from handlers.domain.workdays import next_working_day

_FILE = "reporting.yaml"


@cache
def due_day() -> int:
    """The day of the next month a month's reports are due on (before moving to a working day)."""
    return int(plan_files.read(_FILE)["due_day"])


def due_date(period: str) -> date:
    """The working day a month's reports are due: January's on 5 Feb 2024 (a Monday).

    >>> due_date("2023-11")  # 5 Dec is a public holiday
    datetime.date(2023, 12, 6)
    """
    year, month = (int(x) for x in thai_format.shift_period(period, 1).split("-"))
    return next_working_day(date(year, month, due_day()))


def months_due(periods: list[str], as_of: date) -> list[str]:
    """The window months whose reports are due by `as_of` (the deadline day itself included)."""
    return [p for p in periods if due_date(p) <= as_of]
