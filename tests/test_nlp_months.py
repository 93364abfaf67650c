"""Report months: Thai and English names, BE and AD years, relative months, and the boundary traps."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import parse
from nlp.months import find_months, resolve_year
from nlp.text import ascii_lower, normalise

TODAY = date(2024, 2, 15)


def _periods(text: str, today: date = TODAY) -> list[str]:
    return [m.period for m in find_months(ascii_lower(normalise(text)), today)]


@pytest.mark.parametrize(("text", "period"), [
    ("ต.ค. 66", "2023-10"),
    ("ตุลาคม 2566", "2023-10"),
    ("ตุลา 66", "2023-10"),
    ("ตค 66", "2023-10"),
    ("ต.ค 2566", "2023-10"),
    ("ต. ค. 66", "2023-10"),
    ("ม.ค.67", "2024-01"),
    ("มค.67", "2024-01"),
    ("ก.ค.๖๖", "2023-07"),
    ("มีนาคม พ.ศ. 2567", "2024-03"),
    ("มี.ค. 67", "2024-03"),
    ("เม.ย. 66", "2023-04"),
    ("มิ.ย. 66", "2023-06"),
    ("กรกฎาคม 2566", "2023-07"),
    ("กรกฏาคม 2566", "2023-07"),  # the common misspelling
    ("พ.ย. 2023", "2023-11"),  # a Gregorian year
    ("พฤศจิกายน 2566", "2023-11"),
    ("ธันวาคม 66", "2023-12"),
    ("Jan 2024", "2024-01"),
    ("January 2024", "2024-01"),
    ("Oct. 2023", "2023-10"),
    ("May 2023", "2023-05"),
    ("2024-01", "2024-01"),
    ("01/2567", "2024-01"),
    ("เดือน 1/67", "2024-01"),
    ("15/01/2567", "2024-01"),
    ("15 ม.ค. 67", "2024-01"),
    ("วันที่ 20 ก.พ. 2567", "2024-02"),
    ("เดือนตุลาส่งยอดแล้ว", "2023-10"),
])
def test_month_and_year(text: str, period: str) -> None:
    assert _periods(text) == [period]


@pytest.mark.parametrize(("text", "period"), [
    ("ธ.ค.", "2023-12"),  # the latest December not after today
    ("มกราคม", "2024-01"),
    ("ก.พ.", "2024-02"),  # this month is not after today
    ("มีนาคม", "2023-03"),
    ("ยอดตุลา 2 ล้าน", "2023-10"),
    ("january", "2024-01"),
])
def test_month_without_year_is_the_latest_not_after_today(text: str, period: str) -> None:
    assert _periods(text) == [period]


@pytest.mark.parametrize(("text", "period"), [
    ("เดือนนี้", "2024-02"),
    ("เดือนที่แล้ว", "2024-01"),
    ("เดือนก่อน", "2024-01"),
    ("เดือนที่ผ่านมา", "2024-01"),
    ("เดือนล่าสุด", "2024-01"),  # the latest month that has ended
    ("2 เดือนก่อน", "2023-12"),
    ("this month", "2024-02"),
    ("last month", "2024-01"),
    ("3 months ago", "2023-11"),
])
def test_relative_months(text: str, period: str) -> None:
    assert _periods(text) == [period]


def test_relative_months_cross_the_year() -> None:
    assert _periods("เดือนที่แล้ว", date(2024, 1, 3)) == ["2023-12"]


@pytest.mark.parametrize("text", [
    "ความคืบหน้า",  # มค inside ควา|มค|ืบ
    "ศาลตุลาการ",  # ตุลา inside ตุลาการ
    "สำนักงาน ก.พ.ร.",  # an agency, not February
    "ส.ค.ส.",  # a New Year card
    "may I ask",  # English "may"
    "สมุทรสาคร",
    "ยอดขาย 2 ล้าน",
])
def test_not_months(text: str) -> None:
    assert _periods(text) == []


@pytest.mark.parametrize(("digits", "year"), [
    ("2566", 2023), ("2567", 2024), ("2024", 2024), ("2023", 2023),
    ("66", 2023), ("67", 2024), ("62", 2019), ("72", 2029),  # within ±5 of 67: Buddhist era
    ("24", 2024), ("23", 2023),  # otherwise 20xx AD
])
def test_year_rules(digits: str, year: int) -> None:
    assert resolve_year(digits, None, TODAY) == year


def test_explicit_era_wins() -> None:
    assert resolve_year("67", "พ.ศ.", TODAY) == 2024
    assert resolve_year("24", "ค.ศ.", TODAY) == 2024


def test_amount_after_a_month_is_not_its_year() -> None:
    assert _periods("ธ.ค. 12 ล้าน") == ["2023-12"]
    assert parse("ยอดขาย ธ.ค. 12 ล้าน", TODAY).reports[0].value == 12.0


def test_two_different_months_conflict() -> None:
    result = parse("ยอดขาย ม.ค. 67 2 ล้าน (ข้อมูล ธ.ค. 66)", TODAY)
    assert result.period is None and result.reports[0].period is None
    assert result.problem("conflicting_months").choices == ("2024-01", "2023-12")


def test_the_same_month_twice_is_one_month() -> None:
    result = parse("ยอดขาย ม.ค. 67 (มกราคม 2567) 2 ล้าน", TODAY)
    assert result.period == "2024-01" and not result.problems


def test_the_parser_never_guesses_a_month() -> None:
    result = parse("ยอดขาย 2 ล้าน จ.ตาก", TODAY)
    assert result.period is None and result.reports[0].period is None
