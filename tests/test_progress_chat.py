"""Managers and officers ask about progress in LINE; every card passes LINE's schema (checked by the fake)."""

from __future__ import annotations

import pytest

from bot.db import transaction
from tests.conftest import MANAGER, OFFICER
from tests.test_progress import put

pytestmark = pytest.mark.usefixtures("people")


@pytest.fixture
def reported(sessions):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2023-10", 100, project=3)
        put(session, "เชียงใหม่", "2.1.1", "2023-11", 50, project=3)
        put(session, "ขอนแก่น", "2.1.1", "2023-12", 150, project=1)
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 100, project=1)
        put(session, "นครราชสีมา", "2.1.1", "2024-02", 20, project=1)
        put(session, "ขอนแก่น", "2.2.1", "2024-01", 92.5, respondents=80)


def test_manager_progress_card(chat, reported):
    answer = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER)
    assert answer.messages[0]["type"] == "flex"
    text = answer.text
    for shown in ("835.00 ล้านบาท", "420.00 ล้านบาท", "ร้อยละ 50.30 ของเป้าหมาย", "417.50 ล้านบาท", "ตามแผน",
                  "800.00 ล้านบาท", "20.00 ล้านบาท", "103.75 ล้านบาท", "1. ขอนแก่น 250.00 ล้านบาท",
                  "ยังไม่รายงาน ม.ค. 2567: 75 จังหวัด", "15 ก.พ. 2567"):
        assert shown in text, shown


def test_officer_gets_their_own_office_by_default(chat, reported):
    answer = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=OFFICER)
    text = answer.text
    assert "สำนักงานพาณิชย์จังหวัดเชียงใหม่" in text
    assert "150.00 ล้านบาท" in text and "อันดับ" in text and "2 จาก 3 ที่รายงาน" in text
    assert "ร้อยละ 35.71 ของประเทศ" in text
    assert "ธ.ค. 2566" in text  # a month of the window not reported yet


def test_overview_has_one_bubble_per_goal(chat, reported):
    answer = chat.send("ภาพรวม", user=MANAGER)
    carousel = answer.messages[0]["contents"]
    assert carousel["type"] == "carousel" and len(carousel["contents"]) == 5
    assert "เป้าหมาย 2.1" in answer.text and "เป้าหมาย 3.2" in answer.text


def test_province_summary(chat, reported):
    answer = chat.send("สรุปจังหวัดขอนแก่น", user=MANAGER)
    text = answer.text
    assert "สำนักงานพาณิชย์จังหวัดขอนแก่น" in text and "250.00 ล้านบาท" in text and "1 จาก 3 ที่รายงาน" in text
    assert "ร้อยละ 92.50" in text


def test_missing_reports_grouped_by_region(chat, reported):
    answer = chat.send("จังหวัดไหนยังไม่ส่ง", user=MANAGER)
    text = answer.text
    assert "ยังไม่รายงาน ม.ค. 2567" in text
    assert "ภาคเหนือ (9)" in text  # เชียงใหม่ reported December… not January: all 9 northern offices missing
    assert "ภาคตะวันออกเฉียงเหนือ (19)" in text  # ขอนแก่น reported January


def test_kpi_score_card(chat, sessions):
    from tests.test_kpi_score import put_kpi

    with transaction(sessions) as session:
        put_kpi(session, "KPI-2", "2024-01", numerator=113.47 * 100, denominator=100)
    answer = chat.send("คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ", user=MANAGER)
    text = answer.text
    assert "รอบที่ 1" in text and "มาตรฐาน" in text
    assert "คะแนนถ่วงน้ำหนักรวม 18.75 จาก 70" in text  # KPI 2 (weight 25) at 75; KPIs 5-9 are measured in round 2


@pytest.mark.parametrize("text", ["ความคืบหน้าเป้าหมาย 99", "ความคืบหน้าตัวชี้วัด 2.1.1.1.1"])
def test_a_goal_the_plan_does_not_have_is_said_so(chat, text):
    """The attacker's finding: these showed the 2.1.1 card, as if asked about it."""
    answer = chat.send(text, user=MANAGER)
    assert "ไม่พบเป้าหมายหรือตัวชี้วัด" in answer.text and "เป้าหมายในแผน: 1.1, 2.1, 2.2" in answer.text
