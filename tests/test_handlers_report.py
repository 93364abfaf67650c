"""Report, conversation steps, history and edit handlers, called directly with a real session (no HTTP, no LINE).

Today is 15 Feb 2024. Each test works in one session that is rolled back at the end; handlers never commit.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import edit, history, report
from handlers.domain import conversation
from handlers.domain.errors import UserError
from models import ReportVersion
from tests.handler_context import (
    MANAGER,
    NOW,
    OFFICER,
    OFFICER_KK,
    Seen,
    answer,
    context,
    put,
    stored,
    tap,
)

REPORT = "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท"
CHIANG_MAI = "สำนักงานพาณิชย์จังหวัดเชียงใหม่"


@pytest.fixture
def session(handler_session: Session) -> Session:
    """The handler test's session (conftest): one per test, rolled back, never committed."""
    return handler_session


def versions(session: Session) -> list[tuple[int, str, float | None, float | None]]:
    """(version, action, old, new) of every version row."""
    session.flush()
    rows = session.scalars(select(ReportVersion).order_by(ReportVersion.id))
    return [(r.version, r.action, r.old_value, r.new_value) for r in rows]


# -- report ---------------------------------------------------------------------------------------------------


def test_report_drafts_a_confirm_card_and_stores_nothing(session: Session) -> None:
    reply = report.handle(context(session, OFFICER, REPORT))
    seen = Seen(reply)
    assert reply.intent == "report_confirm" and reply.messages[0]["type"] == "flex"
    assert seen.texts == ["ตรวจสอบก่อนบันทึก: มูลค่าการค้า · ม.ค. 2567 · โครงการที่ 3 · 2.50 ล้านบาท"]
    for shown in (CHIANG_MAI, "2.1.1 มูลค่าการค้า", "มกราคม 2567", "2.50 ล้านบาท", "ยังไม่บันทึกจนกว่าจะกดยืนยัน"):
        assert shown in seen.text, shown
    assert seen.quick_labels == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
    step = conversation.load(session, OFFICER)
    assert step is not None and step.name == report.CONFIRM
    assert seen.choices["ยืนยัน"] == f"a=confirm&s={step.nonce}"
    assert [(d["indicator"], d["period"], d["project"], d["value"]) for d in step.data["drafts"]] == [
        ("2.1.1", "2024-01", 3, 2.5)]
    assert stored(session) == []


def test_manager_names_the_province_or_is_asked_which(session: Session) -> None:
    named = Seen(report.handle(context(session, MANAGER, "ยอดขาย จ.ขอนแก่น ม.ค. 67 โครงการ 1 จำนวน 2 ล้านบาท")))
    assert "สำนักงานพาณิชย์จังหวัดขอนแก่น" in named.text and "2.00 ล้านบาท" in named.text
    unnamed = report.handle(context(session, MANAGER, "ยอดขาย ม.ค. 67 โครงการ 7 จำนวน 1 ล้านบาท"))
    assert unnamed.intent == "ask_office"
    assert Seen(unnamed).texts == ["รายงานของจังหวัดใดครับ? พิมพ์ชื่อจังหวัดได้เลย"]
    assert Seen(unnamed).quick_labels == ["ยกเลิก"]
    assert stored(session) == []


def test_officer_naming_another_province_is_refused(session: Session) -> None:
    with pytest.raises(UserError) as refused:
        report.handle(context(session, OFFICER, "ยอดขาย จ.ขอนแก่น ม.ค. 67 โครงการ 1 จำนวน 2 ล้านบาท"))
    assert refused.value.text_th == (f"รายงานได้เฉพาะ{CHIANG_MAI}ครับ (ข้อความระบุจังหวัดขอนแก่น)\n"
                                     "ยังไม่ได้บันทึกข้อมูลครับ")
    assert conversation.load(session, OFFICER) is None
    assert stored(session) == []


@pytest.mark.parametrize(("text", "reason"), [
    ("ความพึงพอใจ ม.ค. 67 ร้อยละ 120",
     "ค่า ร้อยละ 120 เป็นไปไม่ได้ (ร้อยละต้องไม่เกิน 100 คะแนนเฉลี่ยต้องไม่เกินคะแนนเต็ม)"),
    ("ยอดขาย มี.ค. 67 โครงการ 3 จำนวน 2 ล้านบาท",
     "บันทึกไม่ได้ครับ: เดือน มี.ค. 2567 ยังมาไม่ถึง รายงานได้เฉพาะเดือนที่ผ่านมาแล้ว"),
    ("ยอดขาย กรุงเทพ ม.ค. 67 โครงการ 3 จำนวน 2 ล้านบาท",
     "กรุงเทพมหานครไม่มีสำนักงานพาณิชย์จังหวัด จึงรายงานในระบบนี้ไม่ได้ครับ"),
])
def test_impossible_reports_are_refused_with_the_reason(session: Session, text: str, reason: str) -> None:
    with pytest.raises(UserError) as refused:
        report.handle(context(session, OFFICER, text))
    assert refused.value.text_th == f"{reason}\nยังไม่ได้บันทึกข้อมูลครับ"
    assert conversation.load(session, OFFICER) is None
    assert stored(session) == []


# -- steps ----------------------------------------------------------------------------------------------------


def test_missing_month_is_asked_and_the_answer_fills_the_draft(session: Session) -> None:
    question = report.handle(context(session, OFFICER, "ยอดขายโครงการที่ 3 จำนวน 2.5 ล้านบาท"))
    assert question.intent == "ask_period"
    assert Seen(question).texts == ["เป็นผลของเดือนใดครับ? เช่น ม.ค. 67"]
    assert Seen(question).quick_labels == ["ก.พ. 2567", "ม.ค. 2567", "ยกเลิก"]
    card = answer(session, OFFICER, "ม.ค. 67")
    assert card is not None and card.intent == "report_confirm"
    assert "มกราคม 2567" in Seen(card).text
    step = conversation.load(session, OFFICER)
    assert step is not None and step.data["drafts"][0]["period"] == "2024-01"
    assert stored(session) == []


@pytest.mark.parametrize("month", ["2024-00", "2023-99", "2024-1"])
def test_a_forged_month_button_is_not_an_answer(session: Session, month: str) -> None:
    """Postback data is written by the client: a month that does not exist is read like a typed one."""
    question = report.handle(context(session, OFFICER, "ยอดขายโครงการที่ 3 จำนวน 2.5 ล้านบาท"))
    nonce = conversation.load(session, OFFICER).nonce  # type: ignore[union-attr]
    unclear = answer(session, OFFICER, postback=f"a=set&s={nonce}&v={month}")
    assert unclear is not None and unclear.intent == "ask_period"
    assert Seen(unclear).texts[0].startswith("ปุ่มนี้ไม่ใช่ตัวเลือกของคำถามนี้ครับ")
    step = conversation.load(session, OFFICER)
    assert step is not None and step.data["drafts"][0]["period"] is None and question.intent == "ask_period"
    assert stored(session) == []


def test_missing_project_offers_the_region_s_projects_and_a_tap_fills_it(session: Session) -> None:
    question = report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 2.5 ล้านบาท"))
    seen = Seen(question)
    assert seen.texts == ["รายการ: มูลค่าการค้า · ม.ค. 2567 · 2.50 ล้านบาท\n"
                          "เป็นยอดของโครงการใดครับ? พิมพ์เลขโครงการ 1–8 ได้"]
    numbers = [label.split(".")[0] for label in seen.quick_labels[:-1]]
    # เชียงใหม่ is in the north: its area's projects first, then the others (any project may be reported)
    assert numbers == ["3", "7", "8", "1", "2", "4", "5", "6"]
    card = tap(session, OFFICER, question, "7. ร่วมค้า")
    assert card is not None and "7. โครงการร่วมค้าเพื่อพัฒนาเศรษฐกิจชุมชน" in Seen(card).text


def test_typed_confirm_stores_exactly_one_value_and_a_second_tap_stores_nothing(session: Session) -> None:
    card = report.handle(context(session, OFFICER, REPORT))
    done = answer(session, OFFICER, "ยืนยัน")
    assert done is not None and done.intent == "report_stored"
    assert Seen(done).texts == [
        "✅ บันทึกแล้ว: มูลค่าการค้า · ม.ค. 2567 · โครงการที่ 3 · 2.50 ล้านบาท\n"
        f"มูลค่าการค้าสะสมของ{CHIANG_MAI}: 2.50 ล้านบาท\n"
        "ทั้งประเทศ 2.50 จาก 835.00 ล้านบาท (ร้อยละ 0.30 ของเป้าหมาย)"]
    assert stored(session) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 2.5, None, "active", 1)]
    again = tap(session, OFFICER, card, "ยืนยัน")
    assert again is not None and again.intent == "already_confirmed"
    assert Seen(again).text.startswith("บันทึกไว้แล้วครับ\nบันทึกแล้ว: มูลค่าการค้า")
    assert versions(session) == [(1, "create", None, 2.5)]


def test_cancel_stores_nothing_and_closes_the_step(session: Session) -> None:
    card = report.handle(context(session, OFFICER, REPORT))
    cancelled = tap(session, OFFICER, card, "ยกเลิก")
    assert cancelled is not None and Seen(cancelled).texts == ["ยกเลิกแล้วครับ ไม่มีการบันทึกข้อมูล"]
    assert conversation.load(session, OFFICER) is None
    assert stored(session) == []


def test_a_new_value_for_a_stored_month_asks_replace_or_add(session: Session) -> None:
    put(session, "เชียงใหม่", "2.1.1", "2024-01", 2.5, project=3)
    card = report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 3 ล้านบาท"))
    assert "มีค่าเดิมบันทึกไว้แล้ว 2.50 ล้านบาท" in Seen(card).text
    assert Seen(card).quick_labels == ["แทนค่าเดิม", "บวกเพิ่ม", "ยกเลิก"]
    choose = answer(session, OFFICER, "ยืนยัน")
    assert choose is not None and choose.intent == "choose_replace_or_add"
    assert stored(session)[0][4] == 2.5
    added = tap(session, OFFICER, choose, "บวกเพิ่ม")
    assert added is not None and "5.50 ล้านบาท" in Seen(added).text
    assert stored(session) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 5.5, None, "active", 2)]
    assert versions(session)[-1] == (2, "add", 2.5, 5.5)


def test_implausible_value_needs_a_second_confirmation(session: Session) -> None:
    card = report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 150 ล้านบาท"))
    assert "⚠️ ค่าสูงผิดปกติ: สูงกว่าเพดานที่ตั้งไว้ (100.00 ล้านบาท ต่อรายการ)" in Seen(card).text
    again = tap(session, OFFICER, card, "ยืนยัน")
    assert again is not None and again.intent == "confirm_implausible"
    assert Seen(again).quick_labels == ["ยืนยันค่านี้", "ยกเลิก"]
    assert stored(session) == []
    done = tap(session, OFFICER, again, "ยืนยันค่านี้")
    assert done is not None and done.intent == "report_stored"
    assert stored(session)[0][4] == 150.0


def test_stale_button_and_expired_draft_store_nothing(session: Session) -> None:
    old = report.handle(context(session, OFFICER, REPORT))
    report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.6 ล้านบาท"))
    stale = tap(session, OFFICER, old, "ยืนยัน")
    assert stale is not None
    assert Seen(stale).texts == ["ปุ่มนี้เป็นของรายการก่อนหน้า ใช้ปุ่มในข้อความล่าสุดได้เลยครับ"]
    late = answer(session, OFFICER, "ยืนยัน", now=NOW + timedelta(minutes=31))
    assert late is not None and Seen(late).texts == [
        "รายการนี้หมดเวลายืนยันแล้ว (เกิน 30 นาที) จึงยังไม่ได้บันทึก กรุณาส่งรายการใหม่อีกครั้งครับ"]
    assert conversation.load(session, OFFICER) is None
    assert stored(session) == []


def test_a_different_request_is_not_an_answer_to_the_open_question(session: Session) -> None:
    report.handle(context(session, OFFICER, "ยอดขายโครงการที่ 3 จำนวน 2.5 ล้านบาท"))
    assert answer(session, OFFICER, "ภาพรวม") is None  # dispatch then routes it as a fresh message
    unclear = answer(session, OFFICER, "สวัสดี")
    assert unclear is not None and Seen(unclear).texts == ["ยังไม่เข้าใจคำตอบครับ\nเป็นผลของเดือนใดครับ? เช่น ม.ค. 67"]
    step = conversation.load(session, OFFICER)
    assert step is not None and step.name == report.ASK  # the question stays open


# -- history --------------------------------------------------------------------------------------------------


def test_history_lists_the_office_s_values_with_versions(session: Session) -> None:
    put(session, "เชียงใหม่", "2.1.1", "2024-01", 2.5, project=3)
    report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 3 ล้านบาท"))
    answer(session, OFFICER, "แทนค่าเดิม")
    put(session, "ขอนแก่น", "2.1.1", "2024-01", 9.0, project=1)
    reply = history.handle(context(session, OFFICER, "ประวัติ"))
    seen = Seen(reply)
    assert seen.texts == [f"ประวัติการรายงานของ{CHIANG_MAI} 1 รายการล่าสุด"]
    assert "1) มูลค่าการค้า · ม.ค. 2567 · โครงการที่ 3 · 3.00 ล้านบาท\n   ฉบับที่ 2: แก้ไข (เดิม 2.50)" in seen.text
    assert "9.00" not in seen.text  # ขอนแก่น's value is not this office's
    assert list(seen.choices) == ["ยกเลิกรายการ 1"]
    theirs = Seen(history.handle(context(session, OFFICER_KK, "ประวัติ"))).text
    assert "โครงการที่ 1 · 9.00 ล้านบาท" in theirs and "3.00" not in theirs


def test_manager_names_the_office_whose_history_to_show(session: Session) -> None:
    with pytest.raises(UserError) as refused:
        history.handle(context(session, MANAGER, "ประวัติ"))
    assert refused.value.text_th == "กรุณาระบุจังหวัด เช่น ประวัติ จ.เชียงใหม่"
    reply = history.handle(context(session, MANAGER, "ประวัติ จ.ขอนแก่น"))
    assert Seen(reply).texts == ["สำนักงานพาณิชย์จังหวัดขอนแก่น ยังไม่มีรายการที่บันทึกครับ"]


def test_void_asks_first_then_confirm_void_marks_it_void(session: Session) -> None:
    value = put(session, "เชียงใหม่", "2.1.1", "2024-01", 2.5, project=3)
    with pytest.raises(UserError) as refused:
        history.ask_void(context(session, OFFICER_KK, postback=f"a=void&id={value.id}"), value.id)
    assert refused.value.text_th == "ยกเลิกได้เฉพาะรายการของสำนักงานตนเองครับ"
    question = history.ask_void(context(session, OFFICER, postback=f"a=void&id={value.id}"), value.id)
    assert Seen(question).texts == ["ยืนยันยกเลิกรายการนี้หรือไม่ครับ?\n"
                                    "มูลค่าการค้า · ม.ค. 2567 · โครงการที่ 3 · 2.50 ล้านบาท\n"
                                    "(รายการยังอยู่ในประวัติ แต่ไม่นับรวมในยอด)"]
    assert Seen(question).quick_labels == ["ยืนยันยกเลิก", "ไม่ยกเลิก"]
    assert stored(session)[0][6] == "active"
    step = conversation.load(session, OFFICER)
    assert step is not None and step.name == history.VOID_STEP
    done = history.confirm_void(context(session, OFFICER, postback=Seen(question).choices["ยืนยันยกเลิก"]), step)
    assert Seen(done).texts[0].startswith("ยกเลิกรายการแล้วครับ\n")
    assert stored(session) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 2.5, None, "void", 2)]
    assert [v[1] for v in versions(session)] == ["create", "void"]
    listed = Seen(history.handle(context(session, OFFICER, "ประวัติ")))
    assert "1) มูลค่าการค้า · ม.ค. 2567 · โครงการที่ 3 · 2.50 ล้านบาท\n   ฉบับที่ 2: ยกเลิก (เดิม 2.50) · ยกเลิกแล้ว" in listed.text
    assert listed.choices == {}  # a void entry has no ยกเลิก button


# -- edit -----------------------------------------------------------------------------------------------------


def test_edit_with_nothing_stored(session: Session) -> None:
    assert Seen(edit.handle(context(session, OFFICER, "แก้ไข"))).texts == ["ยังไม่มีรายการให้แก้ไขครับ"]


def test_edit_asks_for_the_latest_entry_s_new_value_and_replaces_it(session: Session) -> None:
    put(session, "เชียงใหม่", "2.1.1", "2024-01", 2.5, project=3)
    put(session, "เชียงใหม่", "2.2.1", "2024-01", 90.0, respondents=50)
    question = edit.handle(context(session, OFFICER, "แก้ไข"))
    assert Seen(question).texts == [
        "แก้ไขรายการล่าสุด: ความพึงพอใจ · ม.ค. 2567 · ร้อยละ 90.00",
        "รายการ: ความพึงพอใจ · ม.ค. 2567 · -\nกรุณาพิมพ์ตัวเลขพร้อมหน่วย เช่น 2.5 ล้านบาท หรือ ร้อยละ 92.5"]
    card = answer(session, OFFICER, "ร้อยละ 95")
    assert card is not None and "มีค่าเดิมบันทึกไว้แล้ว ร้อยละ 90.00" in Seen(card).text
    assert Seen(card).quick_labels == ["แทนค่าเดิม", "ยกเลิก"]  # บวกเพิ่ม is only for amounts
    tap(session, OFFICER, card, "แทนค่าเดิม")
    assert stored(session)[1] == ("เชียงใหม่", "2.2.1", None, "2024-01", 95.0, 50, "active", 2)


def test_a_correction_that_names_its_entry_changes_that_entry_not_the_latest(session: Session) -> None:
    """The ขอนแก่น case: the latest entry is satisfaction, the correction names the trade value of ม.ค. project 1."""
    put(session, "ขอนแก่น", "2.1.1", "2024-01", 2.0, project=1)
    put(session, "ขอนแก่น", "2.1.1", "2024-01", 1.0, project=2)
    put(session, "ขอนแก่น", "2.2.1", "2024-01", 92.5, respondents=80)
    card = edit.handle(context(session, OFFICER_KK, "ขอแก้ยอด ม.ค. 67 โครงการ 1 เป็น 3 ล้านบาทครับ"))
    seen = Seen(card)
    assert seen.texts[0].startswith("แก้ไขรายการ: มูลค่าการค้า · ม.ค. 2567") and "2.00 ล้านบาท" in seen.texts[0]
    assert "มีค่าเดิมบันทึกไว้แล้ว 2.00 ล้านบาท" in seen.text and "ร้อยละ" not in seen.texts[0]
    assert stored(session)[0][4] == 2.0  # nothing changes before the officer chooses
    tap(session, OFFICER_KK, card, "แทนค่าเดิม")
    trade = [row for row in stored(session) if row[1] == "2.1.1"]
    assert [(row[2], row[4]) for row in trade] == [(1, 3.0), (2, 1.0)]
    assert [row[4] for row in stored(session) if row[1] == "2.2.1"] == [92.5]


def test_a_correction_naming_nothing_stored_says_so_and_opens_nothing(session: Session) -> None:
    put(session, "ขอนแก่น", "2.2.1", "2024-01", 92.5, respondents=80)
    reply = edit.handle(context(session, OFFICER_KK, "ขอแก้ยอด ธ.ค. 66 โครงการ 4 เป็น 3 ล้านบาท"))
    assert reply.intent == "edit_not_found"
    assert Seen(reply).texts == ["ไม่พบรายการ มูลค่าการค้า ธ.ค. 2566 โครงการ 4 ของ"
                                 "สำนักงานพาณิชย์จังหวัดขอนแก่นครับ\nพิมพ์ ประวัติ เพื่อดูรายการที่บันทึกไว้"]
    assert conversation.load(session, OFFICER_KK) is None


def test_a_five_point_mean_is_shown_as_read_on_the_card(session: Session) -> None:
    card = report.handle(context(session, OFFICER, "ความพึงพอใจ ก.พ. 67 คะแนนเฉลี่ย 4.35 ผู้ตอบ 60 ราย"))
    assert "4.35 จาก 5 = ร้อยละ 87.00" in Seen(card).text
    assert stored(session) == []


def test_a_satisfaction_report_without_a_respondent_count_asks_for_it(session: Session) -> None:
    """The national satisfaction is weighted by respondents (issue 13): the count is a missing piece like the
    month, and what the officer answers is on the card."""
    asked = report.handle(context(session, OFFICER, "ความพึงพอใจ ม.ค. 67 ร้อยละ 92.5"))
    assert asked.intent == "ask_respondents"
    assert Seen(asked).texts == ["รายการ: ความพึงพอใจ · ม.ค. 2567 · ร้อยละ 92.50\n"
                                 "มีผู้ตอบแบบสอบถามกี่คนครับ? พิมพ์จำนวนคน เช่น 120"]
    again = answer(session, OFFICER, "ยังไม่ทราบ")
    assert again is not None and again.intent == "ask_respondents" and stored(session) == []
    card = answer(session, OFFICER, "120 คน")
    assert card is not None and card.intent == "report_confirm"
    assert "120 ราย" in Seen(card).text and stored(session) == []
    done = tap(session, OFFICER, card, "ยืนยัน")
    assert done is not None and done.intent == "report_stored"
    assert stored(session) == [("เชียงใหม่", "2.2.1", None, "2024-01", 92.5, 120, "active", 1)]
    # the confirmation's figures are the progress card's: this office's weighted mean and the nation's
    assert "ความพึงพอใจเฉลี่ยของสำนักงานพาณิชย์จังหวัดเชียงใหม่: ร้อยละ 92.50 (ทั้งประเทศ ร้อยละ 92.50)" in Seen(done).text


def test_a_month_with_no_sales_is_a_report_of_zero_and_counts_as_reported(session: Session) -> None:
    """Issue 13: an office with no sales that month reports 0 (confirmed like any figure), and is then not missing."""
    from handlers.domain.breakdowns import completeness
    from handlers.domain.indicators import indicator_by_code

    card = report.handle(context(session, OFFICER, "ม.ค. 67 โครงการ 3 ไม่มียอดขายครับ"))
    assert card.intent == "report_confirm" and "0.00 ล้านบาท" in Seen(card).text
    done = tap(session, OFFICER, card, "ยืนยัน")
    assert done is not None and done.intent == "report_stored"
    assert stored(session) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 0.0, None, "active", 1)]
    reported, missing = completeness(session, indicator_by_code(session, "2.1.1"), "2024-01")
    assert "เชียงใหม่" in reported and "เชียงใหม่" not in missing


def test_a_negative_amount_is_still_refused(session: Session) -> None:
    with pytest.raises(UserError, match="ติดลบ"):
        report.handle(context(session, OFFICER, "ยอดขาย ม.ค. 67 โครงการ 3 ติดลบ 2 ล้านบาท"))
    assert stored(session) == []
