"""Properties: any number written in digits, Thai digits or Thai words reads back exactly; no input breaks parse.

The robustness properties call `nlp.parser.understand`, the parser without parse()'s last-resort safety net, so an
internal error fails the test instead of being hidden behind an UNKNOWN result.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pythainlp.util import arabic_digit_to_thai_digit, bahttext, num_to_thaiword

from nlp import Parse, parse
from nlp.number_words import DIGIT_WORDS
from nlp.numbers import read_number
from nlp.parser import understand

TODAY = date(2024, 2, 15)
INTEGERS = st.integers(min_value=0, max_value=999_999_999)
DECIMALS = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False,
                       allow_infinity=False)
QUICK = settings(max_examples=150, deadline=None)
_DIGIT_NAMES = {v: k for k, v in DIGIT_WORDS.items() if k not in ("เอ็ด", "ยี่")}


def _written(n: int) -> list[str]:
    return [str(n), f"{n:,}", arabic_digit_to_thai_digit(f"{n:,}"), arabic_digit_to_thai_digit(str(n)),
            num_to_thaiword(n)]


def _million(amount: Decimal | int) -> float:
    return float(Decimal(amount) / Decimal(1_000_000))


@QUICK
@given(INTEGERS)
def test_integers_read_back(n: int) -> None:
    for text in _written(n):
        assert read_number(text) == n, text


@QUICK
@given(INTEGERS)
def test_integers_in_a_report_read_back_as_million_baht(n: int) -> None:
    for text in [*_written(n), bahttext(n)]:
        message = f"ยอดขาย {text}" if text.endswith("บาทถ้วน") else f"ยอดขาย {text} บาท"
        result = parse(message, TODAY)
        assert [r.value for r in result.reports] == [_million(n)], message
        assert not result.problems, (message, result.problems)


@QUICK
@given(DECIMALS)
def test_decimals_read_back(d: Decimal) -> None:
    integer, _, fraction = f"{d:.2f}".partition(".")
    words = num_to_thaiword(int(integer)) + "จุด" + "".join(_DIGIT_NAMES[int(ch)] for ch in fraction)
    for text in (f"{d}", f"{d:,}", arabic_digit_to_thai_digit(f"{d:,}"), words):
        assert read_number(text) == d, text


@QUICK
@given(DECIMALS)
def test_decimal_baht_in_words_reads_back(d: Decimal) -> None:
    message = f"ยอดขาย {bahttext(float(d))}"  # สองบาทห้าสิบสตางค์
    assert [r.value for r in parse(message, TODAY).reports] == [_million(d)], message


@QUICK
@given(st.integers(min_value=0, max_value=100), st.sampled_from(["ร้อยละ {}", "{}%", "{} เปอร์เซ็นต์"]))
def test_percents_read_back(n: int, template: str) -> None:
    message = "ความพึงพอใจ " + template.format(n)
    assert [r.value for r in parse(message, TODAY).reports] == [float(n)], message


def _robust(text: str) -> None:
    result = understand(text, TODAY)
    assert isinstance(result, Parse)
    json.dumps(result.to_json(), ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses(text: str) -> None:
    _robust(text)


# Pieces of real messages, shuffled: reaches far more of the parser than random code points do.
PIECES = [
    "ยอดขาย", "มูลค่าการค้า", "ความพึงพอใจ", "ร้อยละ", "ผู้ตอบ", "ราย", "คน", "จ.", "จังหวัด", "สพจ.", "เชียงใหม่",
    "เชียงไหม่", "ร้อยเอ็ด", "เลย", "ตาก", "ระยอน", "กทม.", "โคราช", "ม.ค.", "ต.ค", "ธันวาคม", "เดือนที่แล้ว", "67",
    "2566", "2.5", "1,500,000", ".-", "ล้าน", "แสน", "หมื่น", "พัน", "บาท", "ลบ.", "ล.", "%", "/", "5", "4.6",
    "จาก", "เต็ม", "คะแนน", "(", ")", "หนึ่ง", "ห้า", "จุด", "ครึ่ง", "โครงการที่", "๓", "9", "เป้าหมาย", "2.1",
    "2.1.1", "ตัวชี้วัด", "-", "ติดลบ", "ไหม", "?", "สรุป", "ยังไม่ส่ง", "ใคร", "ยืนยัน", "ยกเลิก", "\n", " ",
    "n=", "EEC", "Salesman", "sales", "million", "Chiang Mai", "Jan", "2024", "ลงทะเบียน", "ครับ", "ไม่ใช่",
    "0812345678", "15/01/2567", "13.30 น.", "ข้อ", "ล้านห้า", "สตางค์",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.sampled_from(["", " "]))
def test_message_like_text_parses(pieces: list[str], glue: str) -> None:
    _robust(glue.join(pieces))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=200).map(lambda t: (t * (10_000 // len(t) + 1))[:10_000]))
def test_ten_thousand_characters_parse(text: str) -> None:
    assert len(text) == 10_000
    _robust(text)


def test_long_repetitive_messages_parse() -> None:
    for piece in PIECES:
        _robust((piece + " ") * (10_000 // (len(piece) + 1)))
        _robust(piece * (10_000 // len(piece)))
