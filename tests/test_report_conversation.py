"""Officers report through LINE: transcripts from a signed webhook to what the fake LINE platform received.

Today is 15 Feb 2024 (tests/conftest.py). Every reply is checked against LINE's schema by the fake.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import ReportValue, ReportVersion
from tests.conftest import MANAGER, OFFICER, OFFICER_KK

pytestmark = pytest.mark.usefixtures("people")


def stored(sessions) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(province, indicator, project, period, value, respondents, status, version) of every stored value."""
    with sessions() as session:
        rows = session.scalars(select(ReportValue).order_by(ReportValue.id)).all()
        return [(r.office.province_th, r.indicator.code, r.project.number if r.project else None, r.period,
                 round(r.value, 6), r.respondents, r.status, r.version) for r in rows]


def versions(sessions) -> list[tuple]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        rows = session.scalars(select(ReportVersion).order_by(ReportVersion.id)).all()
        return [(r.version, r.action, r.old_value, r.new_value) for r in rows]


REPORT = "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท"


def test_report_is_echoed_as_a_card_and_stored_only_after_confirm(chat, sessions):
    card = chat.send(REPORT, user=OFFICER)
    assert card.messages[0]["type"] == "flex"
    assert "ตรวจสอบก่อนบันทึก" in card.text
    for shown in ("สำนักงานพาณิชย์จังหวัดเชียงใหม่", "มกราคม 2567", "2.50 ล้านบาท", "โครงการ"):
        assert shown in card.text
    assert {"ยืนยัน", "แก้ไข", "ยกเลิก"} <= set(card.actions)
    assert stored(sessions) == []
    done = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "บันทึกแล้ว" in done.text
    assert stored(sessions) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 2.5, None, "active", 1)]
    assert versions(sessions) == [(1, "create", None, 2.5)]
    # The officer sees the effect: the office's running total and the country's progress against 835.
    assert "สะสม" in done.text and "2.50 ล้านบาท" in done.text
    assert "ทั้งประเทศ 2.50 จาก 835.00 ล้านบาท (ร้อยละ 0.30 ของเป้าหมาย)" in done.text


def test_typed_confirm_works_like_the_button(chat, sessions):
    chat.send(REPORT, user=OFFICER)
    assert "บันทึกแล้ว" in chat.send("ยืนยัน", user=OFFICER).text
    assert len(stored(sessions)) == 1


def test_cancel_stores_nothing(chat, sessions):
    card = chat.send(REPORT, user=OFFICER)
    assert "ยกเลิกแล้ว" in chat.tap(card, "ยกเลิก", user=OFFICER).text
    assert "ไม่มีรายการที่รอยืนยัน" in chat.send("ยืนยัน", user=OFFICER).text
    assert stored(sessions) == []


def test_missing_month_is_asked_with_the_last_two_months(chat, sessions):
    question = chat.send("ยอดขายโครงการที่ 3 จำนวน 2.5 ล้านบาท", user=OFFICER)
    assert "เดือนใด" in question.text
    assert {"ก.พ. 2567", "ม.ค. 2567"} <= set(question.actions)
    card = chat.tap(question, "ม.ค. 2567", user=OFFICER)
    assert "มกราคม 2567" in card.text
    chat.tap(card, "ยืนยัน", user=OFFICER)
    assert stored(sessions)[0][3] == "2024-01"


def test_missing_project_offers_the_projects_of_the_region(chat, sessions):
    question = chat.send("ยอดขาย ม.ค. 67 2.5 ล้านบาท", user=OFFICER)
    assert "โครงการใด" in question.text
    labels = [label for label in question.actions if label[:1].isdigit()]
    assert labels[0].startswith("3.")  # มูลค่าสูง ภาคเหนือ first: เชียงใหม่ is in the north
    assert labels.index("1. ลุ่มแม่น้ำโขง") > labels.index("8. Salesman")  # the northeast's project, after its own
    card = chat.send("3", user=OFFICER)
    assert "2.50 ล้านบาท" in card.text
    chat.tap(card, "ยืนยัน", user=OFFICER)
    assert stored(sessions)[0][2] == 3


def test_number_without_a_unit_is_asked_about(chat, sessions):
    question = chat.send("ยอดขาย ม.ค. 67 โครงการ 3 ได้ 2.5", user=OFFICER)
    assert "2.5 ล้านบาท" in question.actions
    card = chat.tap(question, "2.5 ล้านบาท", user=OFFICER)
    chat.tap(card, "ยืนยัน", user=OFFICER)
    assert stored(sessions)[0][4] == 2.5


def test_same_value_again_is_already_stored(chat, sessions):
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    again = chat.send(REPORT, user=OFFICER)
    assert "บันทึกไว้แล้ว" in again.text
    assert versions(sessions) == [(1, "create", None, 2.5)]


def test_different_value_asks_replace_or_add(chat, sessions):
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    card = chat.send("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 3 ล้านบาท", user=OFFICER)
    assert {"แทนค่าเดิม", "บวกเพิ่ม", "ยกเลิก"} <= set(card.actions)
    assert "มีค่าเดิม" in card.text
    chat.tap(card, "แทนค่าเดิม", user=OFFICER)
    assert stored(sessions)[0][4:] == (3.0, None, "active", 2)
    card = chat.send("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 1 ล้านบาท", user=OFFICER)
    chat.tap(card, "บวกเพิ่ม", user=OFFICER)
    assert stored(sessions)[0][4:] == (4.0, None, "active", 3)
    assert versions(sessions) == [(1, "create", None, 2.5), (2, "replace", 2.5, 3.0), (3, "add", 3.0, 4.0)]
    with sessions() as session:
        sources = session.scalars(select(ReportVersion.source_message)).all()
    assert sources[-1] == "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 1 ล้านบาท"


def test_several_reports_in_one_message_share_one_card(chat, sessions):
    card = chat.send("สรุปผล ม.ค. 67\nยอดขายโครงการ 3: 1.2 ล้านบาท\nความพึงพอใจ ร้อยละ 92.5 ผู้ตอบ 80 ราย",
                     user=OFFICER)
    assert card.text.count("ตัวชี้วัด") >= 2
    assert "ร้อยละ 92.50" in card.text and "1.20 ล้านบาท" in card.text
    chat.tap(card, "ยืนยัน", user=OFFICER)
    assert stored(sessions) == [
        ("เชียงใหม่", "2.1.1", 3, "2024-01", 1.2, None, "active", 1),
        ("เชียงใหม่", "2.2.1", None, "2024-01", 92.5, 80, "active", 1),
    ]


@pytest.mark.parametrize(("text", "why"), [
    ("ความพึงพอใจ ม.ค. 67 ร้อยละ 120", "100"),
    ("ความพึงพอใจ ม.ค. 67 คะแนน 5.5 จาก 5", ""),
    ("ยอดขาย ม.ค. 67 โครงการ 3 ติดลบ 2 ล้านบาท", ""),  # (0 is a valid month with no sales: issue 13)
    ("ความพึงพอใจ ม.ค. 67 ร้อยละ 90 ผู้ตอบ 0 ราย", "ผู้ตอบ"),
    ("ยอดขาย มี.ค. 67 โครงการ 3 จำนวน 2 ล้านบาท", "ยังมาไม่ถึง"),
    ("ยอดขาย ก.ย. 66 โครงการ 3 จำนวน 2 ล้านบาท", "นอกช่วงแผน"),
])
def test_impossible_values_are_refused_whatever_the_answer(chat, sessions, text, why):
    answer = chat.send(text, user=OFFICER)
    assert "ยังไม่ได้บันทึก" in answer.text or "ไม่ได้บันทึก" in answer.text
    assert why in answer.text
    chat.send("ยืนยัน", user=OFFICER)
    assert stored(sessions) == []


def test_implausible_value_needs_a_second_confirmation(chat, sessions):
    card = chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 150 ล้านบาท", user=OFFICER)
    assert "สูงผิดปกติ" in card.text
    again = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "ยืนยันค่านี้" in again.actions
    assert stored(sessions) == []
    chat.tap(again, "ยืนยันค่านี้", user=OFFICER)
    assert stored(sessions)[0][4] == 150.0


def test_value_far_above_the_office_history_needs_a_second_confirmation(chat, sessions):
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    card = chat.send("ยอดขาย ธ.ค. 66 โครงการ 3 จำนวน 25 ล้านบาท", user=OFFICER)
    assert "10 เท่า" in card.text
    again = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "ยืนยันค่านี้" in again.actions and len(stored(sessions)) == 1
    assert "ยกเลิกแล้ว" in chat.tap(again, "ยกเลิก", user=OFFICER).text
    assert len(stored(sessions)) == 1


def test_officer_reports_only_for_their_own_office(chat, sessions):
    answer = chat.send("ยอดขาย จ.ขอนแก่น ม.ค. 67 โครงการ 1 จำนวน 2 ล้านบาท", user=OFFICER)
    assert "รายงานได้เฉพาะสำนักงานพาณิชย์จังหวัดเชียงใหม่" in answer.text
    assert stored(sessions) == []


def test_manager_reports_for_a_named_office_or_is_asked_which(chat, sessions):
    card = chat.send("ยอดขาย จ.ขอนแก่น ม.ค. 67 โครงการ 1 จำนวน 2 ล้านบาท", user=MANAGER)
    chat.tap(card, "ยืนยัน", user=MANAGER)
    assert stored(sessions)[0][:2] == ("ขอนแก่น", "2.1.1")
    question = chat.send("ยอดขาย ม.ค. 67 โครงการ 7 จำนวน 1 ล้านบาท", user=MANAGER)
    assert "จังหวัดใด" in question.text
    card = chat.send("โคราช", user=MANAGER)
    chat.tap(card, "ยืนยัน", user=MANAGER)
    assert stored(sessions)[1][:2] == ("นครราชสีมา", "2.1.1")


def test_unknown_province_offers_did_you_mean(chat, sessions):
    question = chat.send("ยอดขาย จ.ระยอน ม.ค. 67 โครงการ 6 จำนวน 2 ล้านบาท", user=MANAGER)
    assert {"ระยอง", "ระนอง"} <= set(question.actions)
    card = chat.tap(question, "ระยอง", user=MANAGER)
    chat.tap(card, "ยืนยัน", user=MANAGER)
    assert stored(sessions)[0][0] == "ระยอง"


def test_late_confirm_after_expiry_stores_nothing(chat, sessions, app):
    import dataclasses

    services = app.extensions["bot"]
    app.extensions["bot"] = dataclasses.replace(services, settings=dataclasses.replace(
        services.settings, draft_ttl_minutes=0))
    card = chat.send(REPORT, user=OFFICER)
    late = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "หมดเวลายืนยัน" in late.text
    assert stored(sessions) == []


def test_draft_survives_a_restart(chat, sessions, settings, fake_line):
    from bot import create_app
    from tests.chat import Chat

    card = chat.send(REPORT, user=OFFICER)
    restarted = create_app(settings)
    try:
        done = Chat(restarted.test_client(), fake_line, chat.secret).tap(card, "ยืนยัน", user=OFFICER)
    finally:
        restarted.extensions["bot"].gateway.close()
        restarted.extensions["bot"].engine.dispose()
    assert "บันทึกแล้ว" in done.text
    assert len(stored(sessions)) == 1


def test_double_tap_and_redelivered_confirm_store_once(chat, sessions, fake_line):
    from bot.dev import line_events

    card = chat.send(REPORT, user=OFFICER)
    first = chat.tap(card, "ยืนยัน", user=OFFICER)
    second = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "บันทึกแล้ว" in first.text and "บันทึกไว้แล้ว" in second.text
    token = fake_line.issue_reply_token(OFFICER)
    event = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    assert chat.post([event]) == 200 and chat.post([event]) == 200
    assert stored(sessions) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 2.5, None, "active", 1)]
    assert len(versions(sessions)) == 1


def test_two_confirms_racing_in_two_threads_store_once(app, chat, sessions, fake_line):
    import threading

    from bot.dev import line_events
    from tests.chat import Chat

    card = chat.send(REPORT, user=OFFICER)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def confirm() -> None:
        client = Chat(app.test_client(), fake_line, chat.secret)
        event = line_events.postback_event(OFFICER, card.actions["ยืนยัน"],
                                           reply_token=fake_line.issue_reply_token(OFFICER))
        barrier.wait()
        statuses.append(client.post([event]))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    assert len(stored(sessions)) == 1 and len(versions(sessions)) == 1


def test_history_lists_versions_and_void_excludes_from_totals(chat, sessions):
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 3 ล้านบาท", user=OFFICER), "แทนค่าเดิม", user=OFFICER)
    history = chat.send("ประวัติ", user=OFFICER)
    assert "ฉบับที่ 2" in history.text and "3.00 ล้านบาท" in history.text
    confirm = chat.tap(history, "ยกเลิกรายการ 1", user=OFFICER)
    assert "ยืนยันยกเลิก" in confirm.actions
    done = chat.tap(confirm, "ยืนยันยกเลิก", user=OFFICER)
    assert "ยกเลิกรายการแล้ว" in done.text
    assert stored(sessions)[0][6:] == ("void", 3)
    assert [v[1] for v in versions(sessions)] == ["create", "replace", "void"]
    assert "ยกเลิกแล้ว" in chat.send("ประวัติ", user=OFFICER).text


def test_edit_corrects_the_latest_entry(chat, sessions):
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    question = chat.send("แก้ไข", user=OFFICER)
    assert "แก้ไขรายการล่าสุด" in question.text
    card = chat.send("2.8 ล้านบาท", user=OFFICER)
    chat.tap(card, "แทนค่าเดิม", user=OFFICER)
    assert stored(sessions)[0][4:] == (2.8, None, "active", 2)


def test_officer_cannot_void_another_office_entry(chat, sessions):
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    with sessions() as session:
        report_id = session.scalar(select(func.min(ReportValue.id)))
    answer = chat.postback(f"a=void&id={report_id}", user=OFFICER_KK)
    assert "เฉพาะรายการของสำนักงานตนเอง" in answer.text
    assert stored(sessions)[0][6] == "active"


def test_group_chat_reply_goes_to_the_group_and_counts_for_the_sender(chat, sessions):
    group = "C" + "5" * 32
    card = chat.send(REPORT, user=OFFICER, group=group)
    assert "ตรวจสอบก่อนบันทึก" in card.text
    chat.tap(card, "ยืนยัน", user=OFFICER, group=group)
    assert stored(sessions)[0][0] == "เชียงใหม่"


def test_stale_button_from_an_older_card_does_nothing(chat, sessions):
    old = chat.send(REPORT, user=OFFICER)
    chat.send("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.6 ล้านบาท", user=OFFICER)
    answer = chat.tap(old, "ยืนยัน", user=OFFICER)
    assert "รายการก่อนหน้า" in answer.text
    assert stored(sessions) == []


def test_revoked_user_is_treated_as_unregistered(chat, sessions):
    from models import User

    with sessions.begin() as session:
        user = session.scalars(select(User).where(User.line_user_id == OFFICER)).one()
        user.active = False
    answer = chat.send(REPORT, user=OFFICER)
    assert "ยังไม่ได้ลงทะเบียน" in answer.text
    assert stored(sessions) == []


def test_expired_draft_leaves_the_export_empty(chat, sessions, app, database_url, monkeypatch, capsys):
    import dataclasses

    from bot.cli import main

    services = app.extensions["bot"]
    app.extensions["bot"] = dataclasses.replace(services, settings=dataclasses.replace(
        services.settings, draft_ttl_minutes=0))
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    monkeypatch.setenv("DATABASE_URL", database_url)
    capsys.readouterr()
    assert main(["export", "reports"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        "office,province,indicator,project,period,value,unit,respondents,reported_by,reported_at,version,"
        "numerator,denominator,parts"]


def test_manager_registers_with_a_manager_code(chat, sessions):
    from handlers.domain.invites import create_invite
    from models import User

    with sessions.begin() as session:
        code, _ = create_invite(session, "manager", None)
    answer = chat.send(f"ลงทะเบียน {code}", user="U" + "7" * 32)
    assert "ผู้บริหาร" in answer.text
    with sessions() as session:
        assert session.scalars(select(User.role).where(User.line_user_id == "U" + "7" * 32)).one() == "manager"


def test_stored_reply_shows_the_office_total_and_its_share_of_the_nation(chat, sessions):
    from bot.db import transaction
    from tests.test_progress import put

    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-12", 1.5, project=1)
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 6.0, project=2)
        put(session, "ขอนแก่น", "2.2.1", "2024-01", 80.0, respondents=300)
        put(session, "เชียงใหม่", "2.2.1", "2023-12", 90.0, respondents=100)
        put(session, "เชียงใหม่", "2.1.1", "2023-09", 50.0, project=1)  # before the window: not counted
    card = chat.send("สรุปผล ม.ค. 67\nยอดขายโครงการ 3: 2.5 ล้านบาท\nความพึงพอใจ ร้อยละ 95 ผู้ตอบ 100 ราย",
                     user=OFFICER)
    answer = chat.tap(card, "ยืนยัน", user=OFFICER).text
    # 1.5 + 2.5 = 4.00 of 10.00 nationally; satisfaction weighted by respondents: (90×100 + 95×100) / 200.
    assert "มูลค่าการค้าสะสมของสำนักงานพาณิชย์จังหวัดเชียงใหม่: 4.00 ล้านบาท\nทั้งประเทศ 10.00 จาก 835.00 ล้านบาท" in answer
    national = (90 * 100 + 95 * 100 + 80 * 300) / 500
    assert f"เฉลี่ยของสำนักงานพาณิชย์จังหวัดเชียงใหม่: ร้อยละ 92.50 (ทั้งประเทศ ร้อยละ {national:.2f})" in answer


def test_the_khon_kaen_sequence_a_correction_and_new_reports_never_hit_the_wrong_entry(chat, sessions):
    """Issue 12: an officer whose latest entry is satisfaction corrects a trade figure, then sends new reports."""
    chat.send("ความพึงพอใจ ม.ค. 67 ร้อยละ 92.5 ผู้ตอบ 80 คน", user=OFFICER_KK)
    chat.send("ยืนยัน", user=OFFICER_KK)
    nothing = chat.send("ขอแก้ยอด ม.ค. 67 โครงการ 1 เป็น 3 ล้านบาทครับ", user=OFFICER_KK)
    assert "ไม่พบรายการ มูลค่าการค้า ม.ค. 2567 โครงการ 1" in nothing.text  # not the satisfaction entry
    chat.send("ยอดขาย ม.ค. 67 โครงการ 1 2 ล้านบาท", user=OFFICER_KK)
    chat.send("ยืนยัน", user=OFFICER_KK)
    card = chat.send("ขอแก้ยอด ม.ค. 67 โครงการ 1 เป็น 3 ล้านบาทครับ", user=OFFICER_KK)
    assert card.texts[0].startswith("แก้ไขรายการ: มูลค่าการค้า · ม.ค. 2567")
    assert "มีค่าเดิมบันทึกไว้แล้ว 2.00 ล้านบาท" in card.text
    chat.tap(card, "แทนค่าเดิม", user=OFFICER_KK)
    # A bare แก้ไข edits the latest entry; a money amount typed for a percent is asked again, never offered as a
    # replacement of the stored ร้อยละ 92.50.
    chat.send("ความพึงพอใจ ก.พ. 67 ร้อยละ 90 ผู้ตอบ 40 คน", user=OFFICER_KK)
    chat.send("ยืนยัน", user=OFFICER_KK)
    question = chat.send("แก้ไข", user=OFFICER_KK)
    assert question.texts[0].startswith("แก้ไขรายการล่าสุด: ความพึงพอใจ · ก.พ. 2567")
    again = chat.send("1.2 ล้าน", user=OFFICER_KK)
    assert "แต่รายการนี้เป็นความพึงพอใจ" in again.text and "แทนค่าเดิม" not in again.actions
    # A complete new report leaves the open step, says so, and becomes its own draft.
    new = chat.send("ธ.ค. 66 โครงการ 2 ขายได้ 1.2 ล้านบาท", user=OFFICER_KK)
    assert new.texts[0] == "ปิดรายการที่ค้างไว้แล้วครับ (ยังไม่ได้บันทึก)"
    assert "1.20 ล้านบาท" in new.text and "ร้อยละ 1.20" not in new.text
    chat.send("ยืนยัน", user=OFFICER_KK)
    assert stored(sessions) == [
        ("ขอนแก่น", "2.2.1", None, "2024-01", 92.5, 80, "active", 1),
        ("ขอนแก่น", "2.1.1", 1, "2024-01", 3.0, None, "active", 2),
        ("ขอนแก่น", "2.2.1", None, "2024-02", 90.0, 40, "active", 1),
        ("ขอนแก่น", "2.1.1", 2, "2023-12", 1.2, None, "active", 1),
    ]


def test_a_question_during_an_open_draft_leaves_it_and_is_answered(chat, sessions):
    chat.send(REPORT, user=OFFICER)
    answer = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=OFFICER)
    assert answer.texts[0] == "ปิดรายการที่ค้างไว้แล้วครับ (ยังไม่ได้บันทึก)" and answer.messages[1]["type"] == "flex"
    assert "ไม่มีรายการที่รอยืนยัน" in chat.send("ยืนยัน", user=OFFICER).text
    assert stored(sessions) == []


def test_edit_on_a_card_keeps_what_is_known_and_changes_only_what_is_stated(chat, sessions):
    card = chat.send("ความพึงพอใจ ม.ค. 67 ร้อยละ 91 ผู้ตอบ 80 ราย", user=OFFICER)
    ask = chat.tap(card, "แก้ไข", user=OFFICER)
    assert "พิมพ์เฉพาะส่วนที่ต้องแก้" in ask.text
    again = chat.send("93%", user=OFFICER)
    assert "ร้อยละ 93.00" in again.text and "มกราคม 2567" in again.text  # the month and respondents stay
    chat.send("ยืนยัน", user=OFFICER)
    assert stored(sessions) == [("เชียงใหม่", "2.2.1", None, "2024-01", 93.0, 80, "active", 1)]


def test_a_typed_correction_on_an_open_card_changes_just_that(chat, sessions):
    chat.send(REPORT, user=OFFICER)
    again = chat.send("แก้เป็น 2.4 ล้าน", user=OFFICER)
    assert "2.40 ล้านบาท" in again.text and "มกราคม 2567" in again.text and "โครงการ" in again.text
    chat.send("ยืนยัน", user=OFFICER)
    assert stored(sessions) == [("เชียงใหม่", "2.1.1", 3, "2024-01", 2.4, None, "active", 1)]
