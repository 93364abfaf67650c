"""Ways of writing that blind batches brought in (issue 12): a word per line, English typos, dialect yes and no,
central units' percents with the counts they come from. Each case is a rule, not the message that showed it."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import parse
from nlp.intents import register_code

TODAY = date(2024, 3, 5)


def _rows(text: str) -> list[tuple]:
    return [(r.indicator, r.value, r.period, r.province, r.project) for r in parse(text, TODAY).reports]


@pytest.mark.parametrize(("text", "rows"), [
    ("ลำพูน\nมกราคม\n2567\nยอดขาย\n1.6\nล้านบาท\nโครงการ\n3", [("2.1.1", 1.6, "2024-01", "ลำพูน", 3)]),
    ("Korat\nFeb\n67\n2.8\nMB", [("2.1.1", 2.8, "2024-02", "นครราชสีมา", None)]),
    ("Chanthaburi Janaury 2024 sales 1.1M", [("2.1.1", 1.1, "2024-01", "จันทบุรี", None)]),
    ("Sakon Nakhon Febuary sales 1.0M", [("2.1.1", 1.0, "2024-02", "สกลนคร", None)]),
    ("Sakon Nakhon May sales 1.0M", [("2.1.1", 1.0, "2023-05", "สกลนคร", None)]),
    ("กาญจนบุรี ยอดขาย 1/67 2.15 ลบ.", [("2.1.1", 2.15, "2024-01", "กาญจนบุรี", None)]),
    ("สพจ.ลำปาง งวด 03/2024 ยอด 2.2 ล้าน", [("2.1.1", 2.2, "2024-03", "ลำปาง", None)]),
    ("ศรีสะเกษ ยอดขาย ก.พ.67\nคก.1 1.1 ล้าน\nคก.7 4 แสน",
     [("2.1.1", 1.1, "2024-02", "ศรีสะเกษ", 1), ("2.1.1", 0.4, "2024-02", "ศรีสะเกษ", 7)]),
    ("กยผ. ตัวชี้วัด 1.1.1 เมษายน 2567 บรรลุ 33 จาก 40 ตัวชี้วัด คิดเป็นร้อยละ 82.5",
     [("1.1.1", 82.5, "2024-04", None, None)]),
    ("สิงห์บุรี โครงการส่งเสริมพัฒนาขีดความสามารถ SMEs ก.พ.67 ยอดขาย 1.12 ล้านบาท",
     [("2.1.1", 1.12, "2024-02", "สิงห์บุรี", 6)]),
    # numbers in words, one month a line (the lines have no digit, and are results all the same)
    ("ยอดขาย\nม.ค. ห้าแสน\nก.พ. หกแสน\nมี.ค. เจ็ดแสนห้าหมื่น",
     [("2.1.1", 0.5, "2024-01", None, None), ("2.1.1", 0.6, "2024-02", None, None),
      ("2.1.1", 0.75, "2024-03", None, None)]),
    ("ความพึงพอใจ\nม.ค. 92%\nก.พ. 94%\nมี.ค. 4.5 จาก 5",
     [("2.2.1", 92.0, "2024-01", None, None), ("2.2.1", 94.0, "2024-02", None, None),
      ("2.2.1", 90.0, "2024-03", None, None)]),
])
def test_ways_of_writing_a_result(text: str, rows: list[tuple]) -> None:
    assert _rows(text) == rows


def test_may_is_not_a_month_in_an_english_sentence() -> None:
    assert parse("you may send the figures later", TODAY).intent == "unknown"


@pytest.mark.parametrize(("text", "intent"), [
    ("แม่นแล้วเด้อ", "confirm"), ("บ่แม่น", "cancel"), ("looks good, submit it 👍", "confirm"),
    ("no, don't save it", "cancel"), ("turn the reminders back on", "resume_reminders"),
    ("send the monthly summary now", "send_summary"), ("Did my report go through?", "history"),
    ("ได้รับข้อความไหมครับ", "history"), ("จังหวัดไหนยังบ่ส่งความพึงพอใจเดือนนี้", "missing_reports"),
    ("What can this bot do?", "help"), ("บอทนี้ใช้ยังไงเด้อ", "help"),
    ("ตราดตอนนี้ทำได้เท่าไหร่แล้วครับ", "province_summary"),
    ("Can you book a car for the Nong Khai trip tomorrow?", "unknown"),
    ("ผลงานของอุบลฯ เดือนที่แล้วเป็นยังไงบ้าง", "province_summary"),  # the question word inside a longer cue
    ("list provinces with no report for Dec 2023", "missing_reports"), ("overall KPI status", "overview"),
    ("สรุปผลแบบสอบถามความพึงพอใจ ม.ค. จ.อุดรธานี คะแนนเฉลี่ย 4.61 จาก 5", "report"),  # not inside the survey's name
    ("แจ้งประชุม ผอ.สพจ. ทุกจังหวัด วันที่ 22 ก.พ. 67 เวลา 13.30 น. ผ่าน Zoom", "unknown"),
])
def test_intents_however_worded(text: str, intent: str) -> None:
    assert parse(text, TODAY).intent == intent


@pytest.mark.parametrize("text", ["ลงทะเบียนเจ้า รหัส Cmi889x", "ลงทะเบียนค่ะ รหัส Cmi889x", "register Cmi889x"])
def test_a_register_code_after_a_particle_is_kept_as_typed(text: str) -> None:
    assert register_code(text) == "Cmi889x"


def test_a_question_quoting_the_plan_s_money_target_is_about_its_goal() -> None:
    result = parse("เหลืออีกกี่ล้านถึงจะครบ 835", TODAY)
    assert (result.intent, result.goal, result.reports) == ("progress", "2.1", ())
