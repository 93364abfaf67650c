"""Reports by central units: the other OPS indicators and the DITP KPIs, named the way their staff write them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nlp import Intent, ReportItem, parse

TODAY = date(2024, 10, 15)


def rep(indicator: str, value: float | None, unit: str, period: str | None = None, *,
        numerator: float | None = None, denominator: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"indicator": indicator, "value": value, "unit": unit, "period": period,
                           "province": None, "project": None, "respondents": None}
    if numerator is not None:
        out["numerator"] = numerator
    if denominator is not None:
        out["denominator"] = denominator
    return out


KPI2 = {"numerator": 175364.61, "denominator": 540.92}
KPI2_VALUE = 324.196942  # 175,364.61 / 540.92, rounded to 6 decimals by to_json()

# (message, reports, problem codes)
CASES: list[tuple[str, list[dict[str, Any]], list[str]]] = [
    # 3.1.5 ITA (คะแนน)
    ("คะแนน ITA 87.5", [rep("3.1.5", 87.5, "คะแนน")], []),
    ("คะแนน ITA ปี 67 ได้ 87.5 คะแนน", [rep("3.1.5", 87.5, "คะแนน")], []),
    ("ผลประเมิน ITA ก.ย. 67 = ๘๗.๕", [rep("3.1.5", 87.5, "คะแนน", "2024-09")], []),
    ("ITA 2567 = 92.31 คะแนน", [rep("3.1.5", 92.31, "คะแนน")], []),
    ("ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ปีงบ 67 ได้ 91.44", [rep("3.1.5", 91.44, "คะแนน")], []),
    ("ตัวชี้วัด 3.1.5 ได้ 87.5", [rep("3.1.5", 87.5, "คะแนน")], []),
    ("ITA 105", [rep("3.1.5", 105.0, "คะแนน")], ["out_of_range"]),
    ("คะแนน ITA 87.5 และ 90", [rep("3.1.5", None, "คะแนน")], ["conflicting_values"]),
    # 3.1.4 engagement (ร้อยละ); ความผูกพัน ends in พัน, which must not swallow the number after it
    ("ดัชนีความผูกพันของบุคลากร สป. ปี 67 ร้อยละ ๗๘.๒๕", [rep("3.1.4", 78.25, "ร้อยละ")], []),
    ("ดัชนีความผูกพัน 78", [rep("3.1.4", 78.0, "ร้อยละ")], []),
    ("ดัชนีความผูกพัน 3.8", [rep("3.1.4", None, "ร้อยละ")], ["amount_without_unit"]),
    # 3.1.3 training
    ("ผลการฝึกอบรม ผู้เข้าอบรมมีความรู้เพิ่มขึ้น ร้อยละ 92", [rep("3.1.3", 92.0, "ร้อยละ")], []),
    ("ผู้เข้าอบรมมีความรู้ 88.5%", [rep("3.1.3", 88.5, "ร้อยละ")], []),
    # 3.1.2 values
    ("พฤติกรรมที่พึงประสงค์ตามค่านิยม สป. ร้อยละ 85 เดือน มี.ค. 67", [rep("3.1.2", 85.0, "ร้อยละ", "2024-03")], []),
    ("ค่านิยม สป. ๙๐%", [rep("3.1.2", 90.0, "ร้อยละ")], []),
    # 3.1.1 certified work / awards (งาน, a count)
    ("งานที่ได้รับการรับรองมาตรฐาน/รางวัล 2 งาน", [rep("3.1.1", 2.0, "งาน")], []),
    ("ได้รับรางวัล 1 งาน ก.พ. 67", [rep("3.1.1", 1.0, "งาน", "2024-02")], []),
    ("งานที่ได้รับการรับรอง 2.5 งาน", [rep("3.1.1", 2.5, "งาน")], ["out_of_range"]),
    # 3.2.1 satisfaction of system users (not 2.2.1)
    ("ความพึงพอใจของผู้ใช้ระบบเทคโนโลยีดิจิทัล ร้อยละ 86.4", [rep("3.2.1", 86.4, "ร้อยละ")], []),
    ("ความพึงพอใจผู้ใช้ระบบสารสนเทศ 4.35/5", [rep("3.2.1", 87.0, "ร้อยละ")], []),
    ("ความพึงพอใจ ผู้ใช้ระบบ 85%", [rep("3.2.1", 85.0, "ร้อยละ")], []),
    # 3.2.2 digitised processes (กระบวนการ, a count)
    ("กระบวนการให้บริการที่ปรับเป็นดิจิทัล 3 กระบวนการ", [rep("3.2.2", 3.0, "กระบวนการ")], []),
    ("กระบวนการที่ปรับเป็นดิจิทัล ๕ กระบวนการ ส.ค. 67", [rep("3.2.2", 5.0, "กระบวนการ", "2024-08")], []),
    # 1.1.1 / 1.1.2
    ("ความสำเร็จของการบรรลุเป้าหมายตามแผน ร้อยละ 80", [rep("1.1.1", 80.0, "ร้อยละ")], []),
    ("แผนงาน/โครงการที่ถูกนำไปปฏิบัติ ร้อยละ 85.71", [rep("1.1.2", 85.71, "ร้อยละ")], []),
    ("ตัวชี้วัด 1.1.2 ร้อยละ 90", [rep("1.1.2", 90.0, "ร้อยละ")], []),
    # KPI-1 export growth
    ("อัตราการขยายตัวของมูลค่าการส่งออก ม.ค. 67 ร้อยละ 3.2", [rep("KPI-1", 3.2, "ร้อยละ", "2024-01")], []),
    ("การส่งออกขยายตัว 2.1%", [rep("KPI-1", 2.1, "ร้อยละ")], []),
    # KPI-2 / 3 / 4: ratio KPIs, figures in ล้านบาท
    ("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท งบประมาณ 540.92 ล้านบาท", [rep("KPI-2", KPI2_VALUE, "เท่า", **KPI2)], []),
    ("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท งบประมาณ 540.92 ล้านบาท เดือน มี.ค. 67",
     [rep("KPI-2", KPI2_VALUE, "เท่า", "2024-03", **KPI2)], []),
    ("งบประมาณ 540.92 ล้านบาท มูลค่าเจรจาการค้า 175,364.61 ล้านบาท", [rep("KPI-2", KPI2_VALUE, "เท่า", **KPI2)], []),
    ("มูลค่าเจรจาการค้า ๑๗๕,๓๖๔.๖๑ งบประมาณ ๕๔๐.๙๒", [rep("KPI-2", KPI2_VALUE, "เท่า", **KPI2)], []),
    ("ตัวชี้วัดที่ 2 ของกรม มูลค่า 175,364.61 ล้านบาท งบ 540.92 ล้านบาท",
     [rep("KPI-2", KPI2_VALUE, "เท่า", **KPI2)], []),
    ("สัดส่วน KPI 2 ได้ 324.20 เท่า", [rep("KPI-2", 324.2, "เท่า")], []),
    ("KPI-2 324.20 เท่า ก.ย. 67", [rep("KPI-2", 324.2, "เท่า", "2024-09")], []),
    ("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท", [rep("KPI-2", None, "เท่า", numerator=175364.61)], ["no_value"]),
    ("งบประมาณ KPI 2 540.92 ล้านบาท", [rep("KPI-2", None, "เท่า", denominator=540.92)], ["no_value"]),
    ("KPI 3 มูลค่าการซื้อขายผ่าน Thaitrade 1,234.56 ล้านบาท งบประมาณ 12.5 ล้านบาท",
     [rep("KPI-3", 98.7648, "เท่า", numerator=1234.56, denominator=12.5)], []),
    ("ไทยเทรด 98.76 เท่า", [rep("KPI-3", 98.76, "เท่า")], []),
    ("มูลค่าการสั่งซื้อเพื่อส่งออกของ SME 150 ล้านบาท งบประมาณ 30 ล้านบาท",
     [rep("KPI-4", 5.0, "เท่า", numerator=150.0, denominator=30.0)], []),
    ("มูลค่าการสั่งซื้อของ SME 145,980,000 บาท งบ 31,790,000 บาท",
     [rep("KPI-4", 4.59201, "เท่า", numerator=145.98, denominator=31.79)], []),
    # KPI-5 … KPI-9
    ("งานบริการ Agenda ได้ระดับ 4", [rep("KPI-5", 4.0, "ระดับ")], []),
    ("ผล Agenda เม.ย. 67 ระดับ 5", [rep("KPI-5", 5.0, "ระดับ", "2024-04")], []),
    ("KPI 5 ได้ระดับ 3", [rep("KPI-5", 3.0, "ระดับ")], []),
    ("ชุดข้อมูลเปิดผ่านมาตรฐาน ร้อยละ 100", [rep("KPI-6", 100.0, "ร้อยละ")], []),
    ("GD Catalog 95%", [rep("KPI-6", 95.0, "ร้อยละ")], []),
    ("ระดับความพร้อมรัฐบาลดิจิทัล 5 Pillar", [rep("KPI-7", 5.0, "Pillar")], []),
    ("KPI 7 ได้ 6 Pillar", [rep("KPI-7", 6.0, "Pillar")], []),
    ("คะแนนความพร้อมรัฐบาลดิจิทัล 78.45 คะแนน", [rep("KPI-8", 78.45, "คะแนน")], []),
    ("PMQA 4.0 ได้ 461.45 คะแนน", [rep("KPI-9", 461.45, "คะแนน")], []),
    ("ตัวชี้วัดที่ 9 ของกรม 420 คะแนน", [rep("KPI-9", 420.0, "คะแนน")], []),
    # the provincial indicators are unchanged
    ("ความพึงพอใจ 85%", [rep("2.2.1", 85.0, "ร้อยละ")], []),
    ("ความพึงพอใจ ร้อยละ 92 ผู้ตอบ 80 ราย", [{**rep("2.2.1", 92.0, "ร้อยละ"), "respondents": 80}], []),
    ("มูลค่าการค้า 2.5 ล้านบาท", [rep("2.1.1", 2.5, "ล้านบาท")], []),
]


@pytest.mark.parametrize(("text", "reports", "problems"), CASES, ids=[c[0] for c in CASES])
def test_central_report(text: str, reports: list[dict[str, Any]], problems: list[str]) -> None:
    result = parse(text, TODAY).to_json()
    assert result["intent"] == "report"
    assert result["reports"] == reports
    assert [p["code"] for p in result["problems"]] == problems


def test_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("text", "intent", "indicator"), [
    ("ITA ปีนี้เท่าไหร่", Intent.PROGRESS, "3.1.5"),
    ("คะแนน ITA ปีนี้", Intent.PROGRESS, "3.1.5"),
    ("KPI 3 ได้เท่าไหร่", Intent.KPI_SCORE, "KPI-3"),
    ("ระดับความพร้อมรัฐบาลดิจิทัลได้เท่าไหร่", Intent.KPI_SCORE, "KPI-7"),
    ("PMQA 4.0 ปีนี้ได้กี่คะแนน", Intent.KPI_SCORE, "KPI-9"),
])
def test_questions_are_not_reports(text: str, intent: Intent, indicator: str) -> None:
    result = parse(text, TODAY)
    assert result.intent is intent
    assert result.indicator == indicator
    assert result.reports == ()


def test_a_budget_question_is_not_a_report() -> None:
    assert parse("งบประมาณโครงการปีนี้ 23.68 ล้านบาทใช่ไหมครับ", TODAY).intent is Intent.UNKNOWN


def test_ratio_value_is_unrounded_and_figures_absent_from_json_when_unknown() -> None:
    item = parse("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท งบประมาณ 540.92 ล้านบาท", TODAY).reports[0]
    assert item.value == pytest.approx(175364.61 / 540.92, rel=1e-12)
    assert (item.numerator, item.denominator) == (175364.61, 540.92)
    only = parse("สัดส่วน KPI 2 ได้ 324.20 เท่า", TODAY).reports[0]
    assert (only.numerator, only.denominator) == (None, None)
    assert "numerator" not in only.to_json() and "denominator" not in only.to_json()


def test_missing_figure_is_named() -> None:
    result = parse("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท", TODAY)
    assert result.problem("no_value").detail == "งบประมาณ"  # type: ignore[union-attr]
    result = parse("งบประมาณ KPI 2 540.92 ล้านบาท", TODAY)
    assert result.problem("no_value").detail == "มูลค่าเจรจาการค้า"  # type: ignore[union-attr]


def test_report_item_new_fields_default_to_none_at_the_end() -> None:
    item = ReportItem("2.1.1", 2.5, "ล้านบาท", "2024-01", "เชียงใหม่", 3, None)
    assert (item.numerator, item.denominator) == (None, None)
    assert list(item.to_json()) == ["indicator", "value", "unit", "period", "province", "project", "respondents"]
    full = ReportItem("KPI-2", 2.0, "เท่า", None, None, None, None, None, None, 10.0, 5.0)
    assert full.to_json()["numerator"] == 10.0 and full.to_json()["denominator"] == 5.0
