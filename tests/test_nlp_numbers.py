"""Numbers as officers type them: digits, Thai digits, number words, units, and words that only look like numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nlp import parse
from nlp.numbers import read_number
from nlp.text import ascii_lower, normalise
from nlp.values import values_in

TODAY = date(2024, 2, 15)


@pytest.mark.parametrize(("text", "expected"), [
    ("2500000", 2_500_000),
    ("2,500,000", 2_500_000),
    ("๒,๕๐๐,๐๐๐", 2_500_000),
    ("๑,๒๔๐", 1240),
    ("２.５", Decimal("2.5")),
    ("2.5 ล้าน", 2_500_000),
    ("๒.๕ ล้าน", 2_500_000),
    ("12.5 ล้าน", 12_500_000),
    ("3 แสน 5 หมื่น", 350_000),
    ("3แสน5หมื่น", 350_000),
    ("950 พัน", 950_000),
    ("1 ล้าน 2 แสน", 1_200_000),
    ("หนึ่งล้านสองแสนห้าหมื่น", 1_250_000),
    ("สองล้านห้าแสน", 2_500_000),
    ("ห้าแสน", 500_000),
    ("สองจุดห้าล้าน", 2_500_000),
    ("สองล้านครึ่ง", 2_500_000),
    ("2 ล้านครึ่ง", 2_500_000),
    ("แสนครึ่ง", 150_000),
    ("เก้าสิบเอ็ด", 91),
    ("ยี่สิบเอ็ด", 21),
    ("สิบเอ็ดล้าน", 11_000_000),
    ("หนึ่งร้อยเอ็ด", 101),
    ("หนึ่งล้านเอ็ด", 1_000_001),
    ("เก้าสิบจุดห้า", Decimal("90.5")),
    ("เก้าร้อยเก้าสิบเก้าล้านเก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้า", 999_999_999),
    ("ศูนย์", 0),
])
def test_read_number(text: str, expected: int | Decimal) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize("text", ["สามพราน", "ห้างสรรพสินค้า", "ไม่สามารถ", "ล้านนา", "ร้อยเอ็ด", "เรียบร้อย",
                                  "ความผูกพัน", "เชียงแสน", "2 3", "", "abc"])
def test_words_that_are_not_one_number(text: str) -> None:
    assert read_number(text) is None


def _kinds(text: str) -> list[tuple[str, float]]:
    low = ascii_lower(normalise(text))
    return [(v.kind, float(v.amount)) for v in values_in(low, normalise(text))]


@pytest.mark.parametrize(("text", "expected"), [
    ("1,500,000.-", [("money", 1500000.0)]),
    ("1.25 ลบ.", [("money", 1250000.0)]),
    ("1.25 ล.บ.", [("money", 1250000.0)]),
    ("3.2 ล.", [("money", 3200000.0)]),
    ("500 บาทถ้วน", [("money", 500.0)]),
    ("2.5M", [("money", 2500000.0)]),
    ("ร้อยละ 92.5", [("percent", 92.5)]),
    ("92.5%", [("percent", 92.5)]),
    ("92.5 เปอร์เซ็นต์", [("percent", 92.5)]),
    ("ร้อยละเก้าสิบ", [("percent", 90.0)]),
    ("ผู้ตอบ 80 ราย", [("respondents", 80.0)]),
    ("n=80", [("respondents", 80.0)]),
    ("150 คน", [("count", 150.0)]),
    ("4.5 คะแนน", [("points", 4.5)]),
    ("สองบาทห้าสิบสตางค์", [("money", 2.5)]),
    ("2567", []),  # a year on its own is never an amount
    ("สาม", []),  # a lone number word is too weak to be a value
    ("-2 ล้าน", [("money", -2000000.0)]),
])
def test_values_are_typed_by_their_units(text: str, expected: list[tuple[str, float]]) -> None:
    assert _kinds(text) == expected


def _amount(text: str, today: date = TODAY) -> float | None:
    result = parse(text, today)
    values = [r.value for r in result.reports]
    assert len(values) == 1, (text, result)
    return values[0]


@pytest.mark.parametrize(("text", "million"), [
    ("ยอดขาย 2.5 ล้านบาท", 2.5),
    ("ยอดขาย 1,500,000.-", 1.5),
    ("ยอดขาย 3,200,000", 3.2),  # a bare number ≥ 1,000 is baht
    ("ยอดขาย หนึ่งล้านสองแสนห้าหมื่นบาท", 1.25),
    ("ยอดขาย สองจุดห้าล้าน", 2.5),
    ("ยอดขาย 3 แสน 5 หมื่น", 0.35),
    ("ยอดขาย 950 พัน", 0.95),
    ("ยอดขาย 1 ล้าน 2 แสน", 1.2),
    ("ยอดขาย 12.5 ล้าน", 12.5),
    ("ยอดขาย สองล้านครึ่ง", 2.5),
    ("ยอดขาย 1.25 ลบ.", 1.25),
    ("ยอดขาย 1.25 ล.บ.", 1.25),
    ("ยอดขาย 3.2 ล.", 3.2),
    ("ยอดขาย ๒,๕๐๐,๐๐๐ บาทถ้วน", 2.5),
    ("ยอดขาย ２.５ ล้าน", 2.5),
    ("ยอดขาย 2.35 ล้าน", 2.35),  # Decimal arithmetic: no 2.3500000000000001
    ("จ.ร้อยเอ็ด ยอดขายสามแสนบาท", 0.3),  # ร้อยเอ็ด is the province, not 101
    ("ยอดขายที่ห้างสรรพสินค้า 2 ล้าน", 2.0),
    ("ยอดขายอำเภอสามพราน 2 ล้าน", 2.0),
    ("ไม่สามารถส่งได้ทันเวลา ยอดขาย 2 ล้าน", 2.0),
    ("ยอดขายสินค้าล้านนา 2 ล้าน", 2.0),
    ("ยอดขาย ม.ค. 67 จำนวน 2 ล้าน", 2.0),  # the year 67 is not the amount
    ("ยอดขาย ธันวาคม 2566 2 ล้าน", 2.0),
    ("ยอดขาย ปีงบประมาณ 2567 2 ล้าน", 2.0),
    ("โครงการที่ ๓ ยอดขาย 2 ล้าน", 2.0),
    ("เป้าหมาย 2.1 ยอดขาย 2 ล้าน", 2.0),
    ("ข้อ 3 ยอดขาย 2 ล้าน", 2.0),
    ("ยอดขายวันที่ 15 ม.ค. 67 2 ล้าน", 2.0),
    ("ยอดขาย 2 ล้าน โทร 081-234-5678", 2.0),
    ("ยอดขาย 2 ล้าน ติดต่อ 0812345678", 2.0),
    ("ยอดขาย 2 ล้าน (สองล้านบาทถ้วน)", 2.0),  # the same value twice is one value
    ("ยอดขาย ธ.ค. 66 ล้านสองแสนบาท", 1.2),  # 66 is the year, ล้านสองแสน the amount
    ("ยอดขาย ธ.ค. 12 ล้าน", 12.0),  # 12 is not a plausible year: the amount
])
def test_trade_values_are_million_baht(text: str, million: float) -> None:
    assert _amount(text) == million


@pytest.mark.parametrize(("text", "percent"), [
    ("ความพึงพอใจ ร้อยละ 92.5", 92.5),
    ("ความพึงพอใจ 92.5%", 92.5),
    ("ความพึงพอใจ 92.5 เปอร์เซ็นต์", 92.5),
    ("ความพึงพอใจ ร้อยละเก้าสิบ", 90.0),
    ("ความพึงพอใจ 4.6 จาก 5", 92.0),
    ("ความพึงพอใจ 4.25/5", 85.0),
    ("ความพึงพอใจ 4.5 คะแนน (เต็ม 5)", 90.0),
    ("ความพึงพอใจ ค่าเฉลี่ย 4.12 (เต็ม 5)", 82.4),
    ("พึงพอใจ 4.32 จากคะแนนเต็ม 5", 86.4),
    ("ความพึงพอใจ 92", 92.0),  # bare 5 < x ≤ 100 next to a satisfaction word is a percent
])
def test_satisfaction_is_percent(text: str, percent: float) -> None:
    assert _amount(text) == percent


def test_score_is_kept_with_its_maximum() -> None:
    item = parse("ความพึงพอใจ 4.6 จาก 5", TODAY).reports[0]
    assert item.score == (4.6, 5.0)
    assert item.source_text == "4.6 จาก 5"


def test_source_text_is_the_span_read() -> None:
    assert parse("ยอดขาย ๒.๕ ล้านบาท", TODAY).reports[0].source_text == "2.5 ล้านบาท"
    assert parse("ความพึงพอใจ ร้อยละ 92.5", TODAY).reports[0].source_text == "ร้อยละ 92.5"


@pytest.mark.parametrize(("text", "respondents"), [
    ("ความพึงพอใจ 95% ผู้ตอบ 80 ราย", 80),
    ("ความพึงพอใจ 95% 150 คน", 150),
    ("ความพึงพอใจ 95% ผู้ตอบแบบสอบถาม ๑๒๐ ราย", 120),
    ("ความพึงพอใจ 95% n=80", 80),
    ("ความพึงพอใจ 95% (n = 80)", 80),
])
def test_respondents(text: str, respondents: int) -> None:
    assert parse(text, TODAY).reports[0].respondents == respondents


@pytest.mark.parametrize(("text", "detail", "choices"), [
    ("ยอดขาย 2.5", "2.5", ("2.5 ล้านบาท", "2.5 บาท")),
    ("ยอดขาย 950", "950", ("950 ล้านบาท", "950 บาท")),
])
def test_small_number_without_unit_is_a_question(text: str, detail: str, choices: tuple[str, ...]) -> None:
    result = parse(text, TODAY)
    assert result.reports[0].value is None
    problem = result.problem("amount_without_unit")
    assert problem is not None and problem.detail == detail and problem.choices == choices


@pytest.mark.parametrize(("text", "value"), [
    ("ยอดขาย ล้านห้า", 1.5),
    ("ยอดขาย แสนห้า", 0.15),
    ("ยอดขาย 1 ล้าน 5", 1.5),
    ("ยอดขาย สามแสนห้า", 0.35),
])
def test_spoken_amounts_take_the_next_unit(text: str, value: float) -> None:
    """Spoken ล้านห้า is 1,500,000: the lone digit after a unit is the next unit down (issue 12)."""
    result = parse(text, TODAY)
    assert result.reports[0].value == value and not result.problems


def test_baht_makes_the_literal_reading_certain() -> None:
    assert parse("ยอดขาย หนึ่งล้านห้าบาท", TODAY).reports[0].value == 1.000005


@pytest.mark.parametrize("text", ["ความพึงพอใจ 120%", "ความพึงพอใจ 6 จาก 5", "ยอดขาย -2 ล้าน"])
def test_out_of_range_values_are_returned_as_read(text: str) -> None:
    result = parse(text, TODAY)
    assert result.problem("out_of_range") is not None
    assert result.reports[0].value in (120.0, -2.0)


def test_two_different_values_for_one_indicator_conflict() -> None:
    result = parse("ยอดขาย 2 ล้าน หรือ 3 ล้าน", TODAY)
    assert result.reports[0].value is None
    assert result.problem("conflicting_values").choices == ("2 ล้านบาท", "3 ล้านบาท")


def test_respondents_are_returned_as_read() -> None:
    """Zero respondents cannot be stored, but the parser reports what was typed; the conversation explains."""
    assert parse("ความพึงพอใจ ร้อยละ 90 ผู้ตอบ 0 ราย", TODAY).reports[0].respondents == 0
    negative = parse("ความพึงพอใจ ร้อยละ 90 ผู้ตอบ -5 ราย", TODAY)
    assert negative.reports[0].respondents == -5 and negative.problem("out_of_range") is not None
    assert parse("ยอดขาย 2 ล้าน ผู้ตอบ 80 ราย", TODAY).reports[0].respondents is None  # trade values have none


@pytest.mark.parametrize(("text", "choices"), [
    ("ยอดขาย 2-3 ล้าน", ("2 ล้านบาท", "3 ล้านบาท")),
    ("ยอดขาย 2 ถึง 3 ล้านบาท", ("2 ล้านบาท", "3 ล้านบาท")),
    ("ความพึงพอใจ 90-95%", ("ร้อยละ 90", "ร้อยละ 95")),
])
def test_a_range_is_two_values(text: str, choices: tuple[str, ...]) -> None:
    result = parse(text, TODAY)
    assert result.reports[0].value is None
    assert result.problem("conflicting_values").choices == choices


def test_decimal_comma() -> None:
    assert parse("ยอดขาย 2,5 ล้าน", TODAY).reports[0].value == 2.5
    assert parse("ยอดขาย 2,500 บาท", TODAY).reports[0].value == 0.0025


@pytest.mark.parametrize(("text", "province"), [
    ("จ.ลพบุรี ยอดขาย 1.2 ลบ.", "ลพบุรี"),  # ลบ. after a number is ล้านบาท …
    ("สพจ.ลบ. ยอดขาย 1.2 ลบ.", "ลพบุรี"),  # … and after จ./สพจ. it is ลพบุรี's abbreviation
    ("ยอดขาย 1.2 ลบ จ.ลพบุรี", "ลพบุรี"),
])
def test_lb_is_million_baht_only_after_a_number(text: str, province: str) -> None:
    result = parse(text, TODAY)
    assert result.reports[0].value == 1.2
    assert result.province == province


@pytest.mark.parametrize(("text", "value"), [
    ("ยอดขาย 1 250 000 บาท เดือน มค 67 จังหวัดสุรินทร์", 1.25),
    ("ยอดขาย 2.480.000 บาท", 2.48),
    ("ยอดขาย ๑ ๒๕๐ ๐๐๐ บาท", 1.25),
])
def test_dots_and_spaces_as_thousands_separators(text: str, value: float) -> None:
    assert parse(text, TODAY).reports[0].value == value


def test_spaced_digits_without_baht_are_not_joined() -> None:
    assert parse("zoom ID 123 456 789 รหัส 2567", TODAY).reports == ()
