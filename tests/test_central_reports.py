"""Central units report their own indicators through the same conversation; the catalogue decides who reports what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ReportValue
from tests.conftest import OFFICER, add_user

ITA_UNIT = "U" + "0" * 31 + "d"  # an officer of ศปท. (responsible for 3.1.5, ITA)
DITP_UNIT = "U" + "0" * 31 + "e"  # an officer of สค. (กรมส่งเสริมการค้าระหว่างประเทศ)


@pytest.fixture
def central(sessions, people):  # type: ignore[no-untyped-def]
    add_user(sessions, ITA_UNIT, "officer")
    add_user(sessions, DITP_UNIT, "officer")
    from bot.db import transaction
    from models import Office, User

    with transaction(sessions) as session:
        for line_id, code in ((ITA_UNIT, "ศปท."), (DITP_UNIT, "สค.")):
            user = session.scalars(select(User).where(User.line_user_id == line_id)).one()
            user.office_id = session.scalars(select(Office.id).where(Office.code == code)).one()


def stored(sessions) -> list[tuple]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(r.office.code, r.indicator.code, r.period, round(r.value, 2), r.numerator, r.denominator)
                for r in session.scalars(select(ReportValue).order_by(ReportValue.id))]


def test_ita_unit_reports_its_score(chat, sessions, central):
    card = chat.send("คะแนน ITA ม.ค. 67 ได้ 87.5 คะแนน", user=ITA_UNIT)
    assert "3.1.5" in card.text and "87.50 คะแนน" in card.text
    chat.tap(card, "ยืนยัน", user=ITA_UNIT)
    assert stored(sessions) == [("ศปท.", "3.1.5", "2024-01", 87.5, None, None)]


def test_ditp_reports_a_ratio_kpi_with_both_figures(chat, sessions, central):
    card = chat.send("มูลค่าเจรจาการค้า 175,364.61 ล้านบาท งบประมาณ 540.92 ล้านบาท เดือน ม.ค. 67", user=DITP_UNIT)
    text = card.text
    assert "KPI-2" in text and "175,364.61 ล้านบาท" in text and "540.92 ล้านบาท" in text and "324.20 เท่า" in text
    chat.tap(card, "ยืนยัน", user=DITP_UNIT)
    assert stored(sessions) == [("สค.", "KPI-2", "2024-01", 324.2, 175364.61, 540.92)]
    score = chat.send("คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ", user=DITP_UNIT).text
    assert "มาตรฐาน" in score or "ขั้นสูง" in score  # round 1 thresholds 97.26 / 113.47 / 129.68: ขั้นสูง


def test_units_cannot_report_what_the_catalogue_gives_to_others(chat, sessions, central):
    wrong = chat.send("คะแนน ITA ม.ค. 67 ได้ 87.5 คะแนน", user=DITP_UNIT)
    assert "ไม่ได้เป็นผู้รายงานตัวชี้วัด 3.1.5" in wrong.text
    provincial = chat.send("คะแนน ITA ม.ค. 67 ได้ 87.5 คะแนน", user=OFFICER)
    assert "ไม่ได้เป็นผู้รายงานตัวชี้วัด 3.1.5" in provincial.text
    assert stored(sessions) == []


def test_a_step_kpi_takes_only_a_step_of_its_criteria(chat, sessions, central):
    """Issue 13: KPI-5's criteria are three steps; "ระดับ 4" is no step of them, so nothing is stored."""
    asked = chat.send("KPI 5 ได้ระดับ 4", user=DITP_UNIT)
    assert "เดือนใด" in asked.text
    refused = chat.send("ม.ค. 67", user=DITP_UNIT)
    assert "KPI-5 ให้คะแนนตามขั้นของเกณฑ์: รายงานขั้นที่ทำได้ตามเกณฑ์ 0–3 (ได้รับ 4.00)" in refused.text
    assert stored(sessions) == []


def test_the_kpi_card_says_what_a_score_still_needs(chat, sessions, central):
    from bot.db import transaction
    from tests.test_kpi_score import put_kpi

    with transaction(sessions) as session:
        put_kpi(session, "KPI-4", "2024-01", value=120)
    card = chat.send("คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ", user=DITP_UNIT).text
    assert "120 ราย · รอข้อมูลประกอบการให้คะแนน · 0.00 คะแนน" in card
    assert "ยังให้คะแนนไม่ได้: ยังไม่มีเป้าหมายจำนวนผู้ประกอบการ SMEs ที่ได้รับการพัฒนาและส่งเสริม ปี 2567" in card


def test_kpi6_asks_for_the_registration_share_when_the_quality_share_could_reach_a_higher_step(chat, sessions,
                                                                                                central):
    """Issue 13: KPI-6's criteria need two figures; the bot asks for the second only when it decides the step."""
    asked = chat.send("KPI-6 ร้อยละ 100 ม.ค. 67", user=DITP_UNIT)
    assert "ร้อยละของชุดข้อมูลเปิดที่ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ เท่าไรครับ? พิมพ์ร้อยละ เช่น 90" in asked.text
    card = chat.send("ร้อยละ 90", user=DITP_UNIT)  # a share, not a satisfaction report
    assert "ค่าประกอบ" in card.text and "ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ ร้อยละ 90.00" in card.text
    done = chat.tap(card, "ยืนยัน", user=DITP_UNIT)
    assert "บันทึกแล้ว" in done.text and "ร้อยละ 90.00" in done.text
    with sessions() as session:
        [row] = session.scalars(select(ReportValue)).all()
        assert (row.indicator.code, row.value, row.parts) == ("KPI-6", 100, {"registered": 90})


def test_kpi6_does_not_ask_what_cannot_change_the_step(chat, central):
    card = chat.send("KPI-6 ร้อยละ 95 ม.ค. 67", user=DITP_UNIT)  # below 100: ขั้นต้น whatever is registered
    assert "ยืนยัน" in card.actions and "เท่าไรครับ" not in card.text


def test_the_consolidating_unit_sees_its_own_total_after_reporting(chat, sessions, people):
    """Issue 13: กบภ.'s own 2.1.1 figure is kept apart from the provinces' total, and its confirmation shows it."""
    from bot.db import transaction
    from models import Office, User

    unit = "U" + "0" * 31 + "9"
    add_user(sessions, unit, "officer")
    with transaction(sessions) as session:
        user = session.scalars(select(User).where(User.line_user_id == unit)).one()
        user.office_id = session.scalars(select(Office.id).where(Office.code == "กบภ.")).one()
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 5 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    card = chat.send("ยอดขาย ม.ค. 67 โครงการ 7 จำนวน 10 ล้านบาท", user=unit)
    done = chat.tap(card, "ยืนยัน", user=unit)
    assert "มูลค่าการค้าสะสมของกบภ.: 10.00 ล้านบาท" in done.text
    assert "ทั้งประเทศ 5.00 จาก 835.00 ล้านบาท" in done.text  # the provinces' total: กบภ.'s 10 is not added


def test_export_growth_may_be_negative(chat, sessions, central):
    """KPI-1 is a growth rate (exports shrank 6.5% in 2563): a negative figure is a figure, not an error."""
    card = chat.send("KPI-1 อัตราการขยายตัว -3.5% ม.ค. 67", user=DITP_UNIT)
    done = chat.tap(card, "ยืนยัน", user=DITP_UNIT)
    assert "บันทึกแล้ว" in done.text
    assert stored(sessions) == [("สค.", "KPI-1", "2024-01", -3.5, None, None)]
    refused = chat.send("KPI-1 อัตราการขยายตัว -130% ธ.ค. 66", user=DITP_UNIT)
    assert "เป็นไปไม่ได้" in refused.text and len(stored(sessions)) == 1
