"""Numbers and dates the way Thai officials write them: 2.50 ล้านบาท, ร้อยละ 92.50, ม.ค. 2567."""

from __future__ import annotations

import re
from datetime import date

MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
BE_OFFSET = 543


def number(value: float, decimals: int = 2) -> str:
    """Thousands separators and fixed decimals.

    >>> number(1234567.891)
    '1,234,567.89'
    """
    return f"{value:,.{decimals}f}"


def amount_mb(value: float) -> str:
    """An amount in million baht.

    >>> amount_mb(2.5)
    '2.50 ล้านบาท'
    """
    return f"{number(value)} ล้านบาท"


def percent(value: float) -> str:
    """A percentage, the official way.

    >>> percent(92.5)
    'ร้อยละ 92.50'
    """
    return f"ร้อยละ {number(value)}"


def value_with_unit(value: float, unit: str) -> str:
    """Any indicator value with its catalogue unit.

    >>> value_with_unit(87.5, "คะแนน")
    '87.50 คะแนน'
    >>> value_with_unit(3, "งาน")
    '3 งาน'
    """
    if unit == "ล้านบาท":
        return amount_mb(value)
    if unit == "ร้อยละ":
        return percent(value)
    if unit in ("งาน", "กระบวนการ", "ราย", "คน") and float(value).is_integer():
        return f"{int(value):,} {unit}"
    return f"{number(value)} {unit}"


def month(period: str, full: bool = False) -> str:
    """A Gregorian YYYY-MM as a Thai month with its Buddhist-era year.

    >>> month("2024-01")
    'ม.ค. 2567'
    >>> month("2023-10", full=True)
    'ตุลาคม 2566'
    """
    year, mon = (int(part) for part in period.split("-"))
    names = MONTHS_FULL if full else MONTHS_ABBR
    return f"{names[mon - 1]} {year + BE_OFFSET}"


def day(value: date) -> str:
    """A date as 31 พ.ค. 2567.

    >>> day(date(2024, 5, 31))
    '31 พ.ค. 2567'
    """
    return f"{value.day} {MONTHS_ABBR[value.month - 1]} {value.year + BE_OFFSET}"


def period_of(value: date) -> str:
    """The YYYY-MM period a date falls in."""
    return f"{value.year:04d}-{value.month:02d}"


def is_period(text: str) -> bool:
    """True for a real month written YYYY-MM (as the bot stores periods).

    >>> is_period("2024-02"), is_period("2024-00"), is_period("2024-13"), is_period("2024-2")
    (True, False, False, False)
    """
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12


def shift_period(period: str, months: int) -> str:
    """Move a YYYY-MM period by a number of months.

    >>> shift_period("2024-01", -1)
    '2023-12'
    """
    year, mon = (int(part) for part in period.split("-"))
    index = year * 12 + (mon - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_from(first: str, last: str) -> list[str]:
    """Every YYYY-MM period from `first` to `last`, both included ([] when last comes first).

    >>> months_from("2023-11", "2024-01")
    ['2023-11', '2023-12', '2024-01']
    """
    months, current = [], first
    while current <= last:
        months.append(current)
        current = shift_period(current, 1)
    return months


_LEADING_VOWEL = re.compile(r"([เแโใไ])([ก-ฮ])")


def sort_key(text: str) -> str:
    """Thai dictionary order: a leading vowel sorts after the consonant it is written before, so เชียงใหม่ sits
    under ช, where people look for it (plain code-point order puts every เ… name after ฮ)."""
    return _LEADING_VOWEL.sub(r"\2\1", text)
