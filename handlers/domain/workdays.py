"""Thai working days: weekends, public holidays and government-only holidays (from the maintained `holidays`
package: the GOVERNMENT category closes ministries on days such as the Royal Ploughing Ceremony) are off."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays


@cache
def _thai_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Thailand(years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT))


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a Thai public holiday (substitution days included).

    >>> is_working_day(date(2024, 4, 15))  # Songkran
    False
    >>> is_working_day(date(2024, 4, 17))
    True
    >>> is_working_day(date(2024, 5, 10))  # Royal Ploughing Ceremony: offices of the government are closed
    False
    """
    return day.weekday() < 5 and day not in _thai_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def first_working_day(year: int, month: int) -> date:
    """The first working day of a month.

    >>> first_working_day(2024, 1)  # 1 Jan is New Year's Day
    datetime.date(2024, 1, 2)
    """
    return next_working_day(date(year, month, 1))


def holiday_name(day: date) -> str | None:
    """The holiday's name, for logs."""
    return _thai_holidays(day.year).get(day)


def in_working_hours(moment: datetime, hours: tuple[int, int]) -> bool:
    """True on a working day between the configured hours (local time)."""
    return is_working_day(moment.date()) and hours[0] <= moment.hour < hours[1]
