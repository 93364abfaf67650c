"""Issue 13: an office may report any project; one outside its usual area gets a note, and its chips list its
own area's projects first. The areas are data in the plan file (applies_to), read by `catalogue load`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.domain.indicators import indicator_by_code, projects_for_office
from models import Office, ReportValue
from tests.conftest import OFFICER

pytestmark = pytest.mark.usefixtures("people")


def chips(sessions, province):  # type: ignore[no-untyped-def]
    with sessions() as session:
        office = session.scalars(select(Office).where(Office.province_th == province)).one()
        return [p.number for p in projects_for_office(session, indicator_by_code(session, "2.1.1"), office)]


def test_each_office_is_offered_every_project_its_own_area_first(sessions):
    assert chips(sessions, "ชลบุรี") == [2, 6, 7, 8, 1, 3, 4, 5]  # East: the EEC project and the 4-region central
    assert chips(sessions, "พิษณุโลก") == [3, 6, 7, 8, 1, 2, 4, 5]  # lower north: ภาคเหนือ's project too
    assert chips(sessions, "เชียงใหม่") == [3, 7, 8, 1, 2, 4, 5, 6]


def test_a_project_outside_the_usual_area_is_a_note_not_a_refusal(chat, sessions):
    card = chat.send("ยอดขาย ม.ค. 67 โครงการที่ 4 จำนวน 1.5 ล้านบาท", user=OFFICER)  # เชียงใหม่, a southern project
    assert "โครงการที่ 4 ปกติเป็นของภาคใต้ กรุณาตรวจสอบเลขโครงการก่อนยืนยัน" in card.text
    done = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "บันทึกแล้ว" in done.text
    with sessions() as session:
        assert [(r.project.number, r.value) for r in session.scalars(select(ReportValue))] == [(4, 1.5)]


def test_a_project_of_the_office_own_area_has_no_note(chat):
    card = chat.send("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 1.5 ล้านบาท", user=OFFICER)
    assert "ยืนยัน" in card.actions and "ปกติเป็นของ" not in card.text


def test_the_project_question_lists_the_office_area_first(chat):
    asked = chat.send("ยอดขาย ม.ค. 67 จำนวน 1.5 ล้านบาท", user=OFFICER)
    labels = [label for label in asked.actions if label[:1].isdigit()]
    assert [label.split(".")[0] for label in labels] == ["3", "7", "8", "1", "2", "4", "5", "6"]
