"""Numbers that are not the result never become a report value (issue 12): changes, budgets, old values, targets."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import parse

TODAY = date(2024, 2, 15)
BASES = [
    "ยอดขาย ม.ค. 67 จ.สระแก้ว 1.9 ล้านบาท",
    "สพจ.ขอนแก่น ยอดขาย ธ.ค. 66 โครงการ 1 จำนวน 2,500,000 บาท",
    "ความพึงพอใจ ม.ค. 67 ร้อยละ 92.5 ผู้ตอบ 80 ราย จ.ตาก",
]
DISTRACTORS = [
    "เป้าจังหวัด 5 ล้าน",
    "งบกิจกรรม 120,000 บาท",
    "(เพิ่มขึ้น 15% จากเดือนก่อน)",
    "ลดลง 2% จากเดือนที่แล้ว",
    "งบประมาณที่ได้รับ 250,000 บาท",
    "ได้รับจัดสรรงบ 180,000 บาท",
    "เติบโต 12 เปอร์เซ็นต์",
    "โทร 081-234-5678",
]


def _reports(text: str) -> list[dict]:
    return [r.to_json() for r in parse(text, TODAY).reports]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("distractor", DISTRACTORS)
def test_a_distractor_clause_does_not_change_the_reports(base: str, distractor: str) -> None:
    assert _reports(f"{base} {distractor}") == _reports(base)
    assert _reports(f"{base}\n{distractor}") == _reports(base)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(BASES), st.lists(st.sampled_from(DISTRACTORS), min_size=1, max_size=3),
       st.sampled_from(["", " ครับ", " ค่ะ", " 🙏", " นะคะ"]))
def test_distractors_and_particles_never_change_the_reports(base: str, extra: list[str], particle: str) -> None:
    assert _reports(" ".join([base, *extra]) + particle) == _reports(base)


@pytest.mark.parametrize(("text", "value"), [
    ("กำแพงเพชร ขอแก้โครงการ 3 เดือน ม.ค. จาก 800,000 เป็น 1,080,000 บาทครับ", 1.08),
    ("พิมพ์ผิดค่ะ ความพึงพอใจ ก.พ. ของลำพูนต้องเป็น 93% ไม่ใช่ 39%", 93.0),
])
def test_a_correction_s_old_value_is_not_the_value(text: str, value: float) -> None:
    [report] = parse(text, TODAY).reports
    assert report.value == value


def test_a_budget_alone_is_no_report_value() -> None:
    result = parse("งบประมาณโครงการ 1 ปีนี้ได้รับจัดสรร 2.5 ล้านบาท", TODAY)
    assert all(r.value is None for r in result.reports)


@pytest.mark.parametrize(("text", "period", "value"), [
    ("มุกดาหาร เม.ย.67 ยอดขาย 2.9 ล้าน เพิ่มขึ้นจาก มี.ค. 12%", "2024-04", 2.9),
    ("ระยอง ม.ค. ผลความพึงพอใจ ร้อยละ 92.5 ผู้ตอบ 104 ราย เพิ่มขึ้นจาก ธ.ค. ร้อยละ 2", "2024-01", 92.5),
])
def test_the_month_a_change_is_compared_with_is_not_the_report_s(text: str, period: str, value: float) -> None:
    [report] = parse(text, date(2024, 5, 3)).reports
    assert (report.period, report.value) == (period, value)


@pytest.mark.parametrize(("text", "value"), [
    ("ยอดขายเดือนมกราคม สองพันห้าร้อยหกสิบเจ็ด ได้ สองล้าน สามแสนห้าหมื่นบาท สพจ.ชลบุรี", 2.35),  # a spelled year
    ("เรียนท่าน สพจ.บุรีรัมย์ขอรายงานว่าเดือนมีนาคม 2567 มีมูลค่าการค้า 4.35 ล้านบาท เพิ่มขึ้นจากเดือนกุมภาพันธ์ร้อยละ 18",
     4.35),
    ("สพจ.ราชบุรี ก.พ. 67 ยอดขายทันที 650,000 บาท มูลค่าเจรจาธุรกิจ 1,350,000 บาท รวมทั้งสิ้น 2,000,000 บาท", 2.0),
    ("สระแก้ว ยอดขาย ก.พ. 67 = 1,380,000 บาท (ตัวเลขเบื้องต้น) สอบถามโทร 037-425-118", 1.38),
    ("ยอดขาย ม.ค. 67 1.2 ล้านค่ะ ได้รับไหมคะ", 1.2),  # asking for a receipt does not make it a question
])
def test_numbers_around_a_report_are_not_its_value(text: str, value: float) -> None:
    result = parse(text, date(2024, 4, 5))
    assert result.intent == "report"
    assert [(r.indicator, r.value) for r in result.reports] == [("2.1.1", value)]


def test_a_budget_alone_is_no_report() -> None:
    result = parse("สพจ.ชุมพร ได้รับจัดสรรงบประมาณโครงการ 4 จำนวน 350,000 บาทแล้วนะคะ", date(2024, 1, 18))
    assert result.intent != "report" and not result.reports
