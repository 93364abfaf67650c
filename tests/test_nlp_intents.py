"""Intents: what the user wants, from short commands to questions that contain numbers."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import Intent, parse
from nlp.intents import command_intent, register_code

TODAY = date(2024, 2, 15)


@pytest.mark.parametrize(("text", "intent"), [
    # confirm / cancel
    ("ยืนยัน", Intent.CONFIRM), ("ยืนยันค่ะ", Intent.CONFIRM), ("ตกลง", Intent.CONFIRM), ("ok", Intent.CONFIRM),
    ("OK ครับ", Intent.CONFIRM), ("ใช่", Intent.CONFIRM), ("ใช่แล้วครับ", Intent.CONFIRM),
    ("ถูกต้อง", Intent.CONFIRM), ("ถูกต้องครับ", Intent.CONFIRM), ("yes", Intent.CONFIRM),
    ("ยกเลิก", Intent.CANCEL), ("ยกเลิกครับ", Intent.CANCEL), ("ไม่ใช่", Intent.CANCEL), ("cancel", Intent.CANCEL),
    ("ไม่ใช่ ยกเลิก", Intent.CANCEL),
    # help, history, edit, overview, KPI
    ("วิธีใช้", Intent.HELP), ("ช่วยเหลือ", Intent.HELP), ("help", Intent.HELP), ("เมนู", Intent.HELP),
    ("?", Intent.HELP), ("ใช้งานยังไงครับ", Intent.HELP),
    ("ประวัติ", Intent.HISTORY), ("ประวัติการรายงาน", Intent.HISTORY), ("history", Intent.HISTORY),
    ("ดูประวัติรายงานของฉัน", Intent.HISTORY), ("show my report history", Intent.HISTORY),
    ("แก้ไข", Intent.CORRECT), ("แก้ไขรายการล่าสุด", Intent.CORRECT), ("ขอแก้", Intent.CORRECT), ("edit", Intent.CORRECT),
    ("ภาพรวม", Intent.OVERVIEW), ("ภาพรวมทุกเป้าหมาย", Intent.OVERVIEW), ("overview", Intent.OVERVIEW),
    ("dashboard", Intent.OVERVIEW),
    ("คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ", Intent.KPI_SCORE), ("คะแนน KPI DITP", Intent.KPI_SCORE),
    ("DITP score", Intent.KPI_SCORE), ("คะแนน KPI ของ DITP ตอนนี้เท่าไหร่", Intent.KPI_SCORE),
    ("ระดับความพร้อมรัฐบาลดิจิทัลได้เท่าไหร่", Intent.KPI_SCORE),
    # reminders and summaries
    ("หยุดเตือน", Intent.PAUSE_REMINDERS), ("ปิดการแจ้งเตือน", Intent.PAUSE_REMINDERS),
    ("stop reminders", Intent.PAUSE_REMINDERS), ("ช่วยหยุดเตือนด้วยค่ะ", Intent.PAUSE_REMINDERS),
    ("เตือนต่อ", Intent.RESUME_REMINDERS), ("เปิดการแจ้งเตือน", Intent.RESUME_REMINDERS),
    ("resume reminders", Intent.RESUME_REMINDERS),
    ("ส่งสรุปตอนนี้", Intent.SEND_SUMMARY), ("send the summary now", Intent.SEND_SUMMARY),
    # progress: a number in a question is not a report
    ("ความคืบหน้าเป้าหมาย 2.1", Intent.PROGRESS), ("ความคืบหน้าเป้าหมายที่ ๒.๑", Intent.PROGRESS),
    ("ตอนนี้ได้กี่เปอร์เซ็นต์ของเป้าแล้ว", Intent.PROGRESS), ("เป้า 835 ล้าน ได้เท่าไหร่แล้ว", Intent.PROGRESS),
    ("progress of goal 2.1", Intent.PROGRESS), ("ยอดขายสะสมถึง 500 ล้านหรือยังคะ", Intent.PROGRESS),
    ("ความพึงพอใจตอนนี้ได้ร้อยละเท่าไหร่", Intent.PROGRESS), ("How are we doing on goal 2.1?", Intent.PROGRESS),
    ("ความผูกพันของบุคลากรเป็นอย่างไร", Intent.PROGRESS),
    # province summary
    ("สรุปจังหวัดนครราชสีมา", Intent.PROVINCE_SUMMARY), ("summary for Khon Kaen", Intent.PROVINCE_SUMMARY),
    ("สรุปผลโคราชหน่อยครับ", Intent.PROVINCE_SUMMARY), ("ผลงานจังหวัดภูเก็ตเป็นไงบ้าง", Intent.PROVINCE_SUMMARY),
    ("ภาพรวมจังหวัดเชียงใหม่", Intent.PROVINCE_SUMMARY),
    # missing reports
    ("จังหวัดไหนยังไม่ส่ง", Intent.MISSING_REPORTS), ("ใครยังไม่รายงาน ม.ค.", Intent.MISSING_REPORTS),
    ("which provinces have not reported?", Intent.MISSING_REPORTS),
    ("ขอรายชื่อจังหวัดที่ยังไม่รายงาน ต.ค. 66", Intent.MISSING_REPORTS),
    # registration
    ("ลงทะเบียน K7QM-4XPD-92HT", Intent.REGISTER), ("register K7QM-4XPD-92HT", Intent.REGISTER),
    # reports
    ("ยอดขาย ม.ค. 2.5 ล้าน", Intent.REPORT), ("ความพึงพอใจ 92%", Intent.REPORT), ("2.5 ล้าน", Intent.REPORT),
    ("รายงานยอดขายเดือน ม.ค.", Intent.REPORT),
])
def test_intent(text: str, intent: Intent) -> None:
    assert parse(text, TODAY).intent is intent


@pytest.mark.parametrize("text", [
    "ยังไม่ส่งเลย", "ส่งแล้วนะคะ", "ทานข้าวหรือยังครับ", "👍", "555+",
    "ใครว่างบ้าง ไปกินข้าวกัน", "ราคาไข่ไก่ฟองละ 4 บาท แพงขึ้นอีกแล้ว", "ค่าน้ำมัน 1,500 บาท เบิกได้ไหมครับ",
    "งบประมาณโครงการปีนี้ 23.68 ล้านบาทใช่ไหมครับ", "มีผู้ประกอบการมาร่วมงาน 35 ราย", "ห้อง 305 ชั้น 3 อาคาร 2",
    "เลขที่หนังสือ พณ 0210/1234 ลงวันที่ 3 ต.ค. 66", "zoom ID 123 456 7890 รหัส 2567",
    "โทร 081-234-5678 ครับ", "15 ม.ค. 67", "ประชุมวันที่ 20 ก.พ. 67 เวลา 13.30 น. ห้องประชุม 2",
    "ส่งรายงานภายในวันที่ 5 ของทุกเดือนนะครับ", "ไม่สามารถเข้าระบบได้ครับ", "",
])
def test_not_reports(text: str) -> None:
    result = parse(text, TODAY)
    assert result.intent is Intent.UNKNOWN
    assert result.reports == ()


@pytest.mark.parametrize("text", ["สวัสดีครับ", "ขอบคุณมากค่ะ 😊", "ขอบคุณหลายๆ เด้อ", "thank you so much", "hello",
                                  "สวัสดีปีใหม่ 2567 ครับ 🎉"])
def test_thanks_and_greetings_are_small_talk(text: str) -> None:
    result = parse(text, TODAY)
    assert result.intent is Intent.SMALLTALK and result.reports == ()


@pytest.mark.parametrize(("text", "intent"), [
    ("ยกเลิกก่อนค่ะ ตัวเลขยังไม่นิ่ง", Intent.CANCEL),
    ("บ่เอาอันนี้เด้อ ยกเลิกไปก่อน", Intent.CANCEL),
    ("โอเค ถูกต้องแล้ว ส่งได้เลยเด้อ", Intent.CONFIRM),
    ("ส่งรายงานยังไงคะ ต้องพิมพ์แบบไหนบอทถึงจะเข้าใจ", Intent.HELP),
    ("ขอตัวอย่างการพิมพ์ยอดความพึงพอใจหน่อยเจ้า", Intent.HELP),
    ("how do I submit a report?", Intent.HELP),
    ("หยุดส่งแจ้งเตือนก่อนครับ", Intent.PAUSE_REMINDERS),
    ("ความพึงพอใจเดือน ก.พ. ยังขาดจังหวัดไหนบ้างคะ", Intent.MISSING_REPORTS),
    ("overall KPI status?", Intent.OVERVIEW),
])
def test_paraphrased_commands(text: str, intent: Intent) -> None:
    assert parse(text, TODAY).intent is intent


@pytest.mark.parametrize("text", [
    "เป้า 835 ล้าน ได้เท่าไหร่แล้ว", "ยอดขายเดือนนี้ได้ 2 ล้านหรือยัง", "ความพึงพอใจ 90% แล้วหรือยัง",
    "ทั้ง 8 โครงการได้ยอดรวมกี่ล้านแล้ว",
])
def test_questions_with_numbers_are_not_reports(text: str) -> None:
    result = parse(text, TODAY)
    assert result.intent is not Intent.REPORT
    assert result.reports == ()


@pytest.mark.parametrize(("text", "code"), [
    ("ลงทะเบียน K7QM-4XPD-92HT", "K7QM-4XPD-92HT"),
    ("ลงทะเบียน: AB12-CD34", "AB12-CD34"),
    ("ลงทะเบียน X9Y8-Z7W6-V5U4 ครับ", "X9Y8-Z7W6-V5U4"),
    ("ลงทะเบียน รหัส K7QM-4XPD-92HT", "K7QM-4XPD-92HT"),
    ("register k7qm-4xpd-92ht", "k7qm-4xpd-92ht"),  # as typed: the invite check decides
    ("ลงทะเบียน", ""),
    ("ลงทะเบียนครับ", ""),
])
def test_register_code(text: str, code: str) -> None:
    assert register_code(text) == code
    result = parse(text, TODAY)
    assert result.intent is Intent.REGISTER and result.register_code == code
    assert result.to_json()["register_code"] == code


def test_dispatch_helpers_keep_working() -> None:
    assert register_code("ยอดขาย 3 แสน") is None
    assert command_intent("ยืนยันครับ 🙏") is Intent.CONFIRM
    assert command_intent("ยืนยันยอดขาย 2 ล้าน") is None


@pytest.mark.parametrize(("text", "language", "reply"), [
    ("ยอดขาย 2 ล้าน", "th", "th"),
    ("summary for Khon Kaen", "en", "th"),
    ("ok", "en", "th"),
    ("which provinces have not reported?", "en", "th"),
    ("ความคืบหน้าเป้าหมาย 2.1 ตอบเป็นภาษาอังกฤษ", "th", "en"),
    ("progress of goal 2.1 in English please", "en", "en"),
])
def test_language(text: str, language: str, reply: str) -> None:
    result = parse(text, TODAY)
    assert (result.language, result.reply_language) == (language, reply)


@pytest.mark.parametrize(("text", "fields"), [
    ("ความคืบหน้าเป้าหมาย 2.1", {"goal": "2.1", "indicator": None}),
    ("เป้า 835 ล้าน ได้เท่าไหร่แล้ว", {"goal": "2.1"}),
    ("ความพึงพอใจตอนนี้ได้ร้อยละเท่าไหร่", {"goal": "2.2", "indicator": "2.2.1"}),
    ("ความคืบหน้าตัวชี้วัด 2.1.1 ถึงสิ้น ธ.ค. 66", {"indicator": "2.1.1", "period": "2023-12"}),
    ("ความคืบหน้าเป้าหมาย 2.1 ของ จ.เชียงราย", {"goal": "2.1", "province": "เชียงราย"}),
    ("ตอนนี้ได้กี่เปอร์เซ็นต์ของเป้าแล้ว", {"goal": None, "indicator": None}),
    ("สรุป สพจ.ขอนแก่น เดือน ม.ค. 67", {"province": "ขอนแก่น", "period": "2024-01"}),
    ("ใครยังไม่รายงาน ม.ค.", {"period": "2024-01"}),
    ("ตัวชี้วัด 3.1.5 คะแนนเท่าไหร่", {"goal": "3.1", "indicator": "3.1.5"}),
    ("KPI 3 ได้เท่าไหร่", {"indicator": "KPI-3"}),
])
def test_question_fields(text: str, fields: dict[str, str | None]) -> None:
    result = parse(text, TODAY)
    for key, value in fields.items():
        assert getattr(result, key) == value, key


def _catalogue_indicators() -> list[tuple[str, str]]:
    from nlp.vocabulary import vocabulary

    return [(code, info.title_th) for code, info in vocabulary().indicators.items()]


@pytest.mark.parametrize(("code", "title"), _catalogue_indicators())
def test_every_indicator_is_recognised_by_its_name(code: str, title: str) -> None:
    result = parse(f"{title} ได้เท่าไหร่แล้ว", TODAY)
    assert result.indicator == code
    assert result.intent is (Intent.KPI_SCORE if code.startswith("KPI-") else Intent.PROGRESS)


def test_the_catalogue_has_11_ops_indicators_and_9_ditp_kpis() -> None:
    codes = [code for code, _ in _catalogue_indicators()]
    assert len([c for c in codes if not c.startswith("KPI-")]) == 11
    assert len([c for c in codes if c.startswith("KPI-")]) == 9


def test_a_code_that_is_not_in_the_catalogue_names_no_indicator() -> None:
    result = parse("ตัวชี้วัด 2.1.3 ได้เท่าไหร่แล้ว", TODAY)
    assert result.intent is Intent.PROGRESS
    assert result.indicator is None


@pytest.mark.parametrize(("text", "intent"), [
    ("คะแนน ITA ปีนี้", Intent.PROGRESS),  # offices never report it: naming it asks about it
    ("ตอนนี้มีกี่จังหวัดที่ส่งแล้ว", Intent.MISSING_REPORTS),
    ("ใครส่งแล้วบ้าง", Intent.MISSING_REPORTS),
    ("ขอยอดรวมเดือนที่แล้ว", Intent.PROGRESS),
    ("แก้ยอดขาย ม.ค. เป็น 3 ล้าน", Intent.CORRECT),
])
def test_more_questions_and_requests(text: str, intent: Intent) -> None:
    assert parse(text, TODAY).intent is intent


def test_an_edit_carries_the_corrected_value() -> None:
    result = parse("ขอแก้ไขความพึงพอใจเดือน ธ.ค. เป็น 91%", TODAY)
    assert result.intent is Intent.CORRECT
    assert [(r.indicator, r.value, r.period) for r in result.reports] == [("2.2.1", 91.0, "2023-12")]
    assert result.to_json()["reports"][0]["value"] == 91.0


def test_applicants_are_not_a_registration() -> None:
    assert register_code("สมัคร AB12-CD34") == "AB12-CD34"
    assert register_code("สมัครครับ") == ""
    assert register_code("สมัครเข้าร่วมงาน 30 ราย") is None
