"""Progress, overview, province summary, missing reports, KPI score and preferences, called directly with a session.

Figures are stored through the domain (`put`); today is 15 Feb 2024, month 4 of the 8-month window (Oct–May),
so the expected pace of 2.1.1 (835 million baht) is 417.5.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers import kpi, missing, overview, preferences, progress, province_summary
from handlers.domain.errors import UserError
from handlers.domain.indicators import indicator_by_code
from handlers.domain.reports import Draft, store
from models import Office, User
from tests.handler_context import (
    MANAGER,
    NOW,
    OFFICER,
    SETTINGS,
    Seen,
    bubble_text,
    context,
    office,
    people,
    person,
    put,
)

KHON_KAEN = "สำนักงานพาณิชย์จังหวัดขอนแก่น"
CHIANG_MAI = "สำนักงานพาณิชย์จังหวัดเชียงใหม่"


@pytest.fixture
def session(handler_session: Session) -> Session:
    """One session for the whole test with 420 million baht of trade and one satisfaction figure; rolled back."""
    put(handler_session, "เชียงใหม่", "2.1.1", "2023-10", 100, project=3)
    put(handler_session, "เชียงใหม่", "2.1.1", "2023-11", 50, project=3)
    put(handler_session, "ขอนแก่น", "2.1.1", "2023-12", 150, project=1)
    put(handler_session, "ขอนแก่น", "2.1.1", "2024-01", 100, project=1)
    put(handler_session, "นครราชสีมา", "2.1.1", "2024-02", 20, project=1)
    put(handler_session, "ขอนแก่น", "2.2.1", "2024-01", 92.5, respondents=80)
    return handler_session


# -- progress -------------------------------------------------------------------------------------------------


def test_manager_sees_the_national_card(session: Session) -> None:
    reply = progress.handle(context(session, MANAGER, "ความคืบหน้าเป้าหมาย 2.1"))
    seen = Seen(reply)
    assert [m["type"] for m in reply.messages] == ["flex"]  # no public https address: no chart image
    assert seen.texts == ["ความคืบหน้า 2.1: มูลค่าการค้าสินค้าและบริการในชุมชนที่ได้รับการส่งเสริม"]
    for shown in ("เป้าหมาย 2.1 · 2.1.1", "835.00 ล้านบาท", "420.00 ล้านบาท", "ร้อยละ 50.30 ของเป้าหมาย",
                  "ขีดดำ = ควรถึง 417.50 ล้านบาท ตามแผน ณ เดือนที่ 4", "คาดการณ์สิ้นสุด\n800.00 ล้านบาท",
                  "ยอดที่ยังไม่ถึงกำหนดส่ง\n20.00 ล้านบาท", "103.75 ล้านบาท", "ตามแผน",
                  "1. ขอนแก่น 250.00 ล้านบาท\n2. เชียงใหม่ 150.00 ล้านบาท\n3. นครราชสีมา 20.00 ล้านบาท",
                  "ยังไม่รายงาน ม.ค. 2567: 75 จังหวัด", "ข้อมูล ณ 15 ก.พ. 2567"):
        assert shown in seen.text, shown


def test_officer_sees_only_their_own_office(session: Session) -> None:
    reply = progress.handle(context(session, OFFICER, "ความคืบหน้าเป้าหมาย 2.1"))
    [bubble] = Seen(reply).bubbles()
    text = bubble_text(bubble)
    assert text.startswith(CHIANG_MAI)
    for shown in ("150.00 ล้านบาท", "ร้อยละ 35.71 ของประเทศ", "2 จาก 3 ที่รายงาน (ในภาค 1)",
                  "420.00 ล้านบาท / เป้า 835.00 ล้านบาท", "ต.ค. 2566, พ.ย. 2566", "ธ.ค. 2566, ม.ค. 2567"):
        assert shown in text, shown
    assert "ขอนแก่น" not in text and "250.00" not in text  # no ranking of the other offices


def test_chart_image_follows_the_card_when_the_bot_has_a_public_https_address(session: Session) -> None:
    public = dataclasses.replace(SETTINGS, public_base_url="https://kpi.example.go.th")
    reply = progress.handle(context(session, MANAGER, "ความคืบหน้า 2.1.1", settings=public))
    assert [m["type"] for m in reply.messages] == ["flex", "image"]
    image = reply.messages[1]
    assert image["originalContentUrl"].startswith("https://kpi.example.go.th/charts/")
    assert image["originalContentUrl"] == image["previewImageUrl"]
    officer = progress.handle(context(session, OFFICER, "ความคืบหน้า 2.1.1", settings=public))
    assert [m["type"] for m in officer.messages] == ["flex"]  # an office card has no national chart


# -- overview -------------------------------------------------------------------------------------------------


def test_overview_has_one_bubble_per_goal_with_each_indicator_s_status(session: Session) -> None:
    reply = overview.handle(context(session, MANAGER, "ภาพรวม"))
    seen = Seen(reply)
    assert seen.texts == ["ภาพรวมแผนปฏิบัติราชการ ณ 15 ก.พ. 2567"]
    bubbles = seen.bubbles()
    assert [bubble_text(b).split("\n")[0] for b in bubbles] == [
        "เป้าหมาย 1.1", "เป้าหมาย 2.1", "เป้าหมาย 2.2", "เป้าหมาย 3.1", "เป้าหมาย 3.2"]
    # 3 and 1 of 76 offices have reported: no verdict on so little (issue 13)
    assert "420.00 ล้านบาท / เป้า 835.00 ล้านบาท · ข้อมูลยังไม่พอประเมิน" in bubble_text(bubbles[1])
    assert "ร้อยละ 92.50 / เป้า ร้อยละ 90.00 · ข้อมูลยังไม่พอประเมิน" in bubble_text(bubbles[2])
    assert "รายงานแล้ว 1 จาก 76 จังหวัด" in bubble_text(bubbles[2])
    assert "- / เป้า 85.00 คะแนน · ยังไม่มีข้อมูล" in bubble_text(bubbles[3])


def test_overview_is_a_carousel_even_before_any_report(db: sessionmaker[Session]) -> None:
    with db() as session:
        people(session)
        reply = overview.handle(context(session, MANAGER, "ภาพรวม"))
        contents = reply.messages[0]["contents"]
        assert contents["type"] == "carousel" and len(contents["contents"]) == 5
        assert "- / เป้า 835.00 ล้านบาท · ยังไม่มีข้อมูล" in bubble_text(contents["contents"][1])
        session.rollback()


# -- province summary -----------------------------------------------------------------------------------------


def test_manager_summary_of_a_named_province(session: Session) -> None:
    reply = province_summary.handle(context(session, MANAGER, "สรุปจังหวัดขอนแก่น"))
    seen = Seen(reply)
    assert seen.texts == [f"สรุป{KHON_KAEN}"]
    trade, satisfaction = (bubble_text(b) for b in seen.bubbles())
    assert "250.00 ล้านบาท" in trade and "ร้อยละ 59.52 ของประเทศ" in trade and "1 จาก 3 ที่รายงาน" in trade
    assert "ต.ค. 2566, พ.ย. 2566" in trade  # months of the window not reported yet
    assert "ร้อยละ 92.50" in satisfaction and "ม.ค. 2567" in satisfaction


def test_manager_must_name_a_province_and_an_officer_may_not_name_another(session: Session) -> None:
    with pytest.raises(UserError) as unnamed:
        province_summary.handle(context(session, MANAGER, "สรุปจังหวัด"))
    assert unnamed.value.text_th == "กรุณาระบุจังหวัด เช่น สรุปจังหวัดนครราชสีมา"
    with pytest.raises(UserError) as other:
        province_summary.handle(context(session, OFFICER, "สรุปจังหวัดขอนแก่น"))
    assert other.value.text_th == f"ดูสรุปได้เฉพาะ{CHIANG_MAI}ครับ (ข้อความระบุจังหวัดขอนแก่น)"


def test_officer_summary_is_their_own_office(session: Session) -> None:
    reply = province_summary.handle(context(session, OFFICER, "สรุปจังหวัด"))
    assert Seen(reply).texts == [f"สรุป{CHIANG_MAI}"]
    trade, satisfaction = (bubble_text(b) for b in Seen(reply).bubbles())
    assert "150.00 ล้านบาท" in trade and "2 จาก 3 ที่รายงาน" in trade
    assert "ต.ค. 2566, พ.ย. 2566, ธ.ค. 2566, ม.ค. 2567" in satisfaction  # nothing reported for 2.2.1


# -- missing reports ------------------------------------------------------------------------------------------


def test_missing_reports_for_the_last_month_grouped_by_region(session: Session) -> None:
    reply = missing.handle(context(session, MANAGER, "จังหวัดไหนยังไม่ส่ง"))
    assert Seen(reply).texts == ["จังหวัดที่ยังไม่รายงาน"]
    trade, satisfaction = (bubble_text(b) for b in Seen(reply).bubbles())
    assert trade.startswith("ยังไม่รายงาน ม.ค. 2567\n2.1.1 ")
    assert "รายงานแล้ว 1 · ยังไม่รายงาน 75 จาก 76 จังหวัด" in trade
    assert "ภาคเหนือ (9)" in trade and "ภาคตะวันออกเฉียงเหนือ (19)" in trade  # ขอนแก่น reported January
    assert "ขอนแก่น" not in trade.split("ภาคตะวันออกเฉียงเหนือ (19)\n")[1].split("\n")[0]
    assert satisfaction.startswith("ยังไม่รายงาน ม.ค. 2567\n2.2.1 ")


def test_missing_reports_for_a_named_indicator_and_month(session: Session) -> None:
    reply = missing.handle(context(session, MANAGER, "จังหวัดไหนยังไม่ส่ง ธ.ค. 66"))
    trade, satisfaction = (bubble_text(b) for b in Seen(reply).bubbles())
    assert trade.startswith("ยังไม่รายงาน ธ.ค. 2566")
    assert "ภาคตะวันออกเฉียงเหนือ (19)" in trade
    assert "รายงานแล้ว 0 · ยังไม่รายงาน 76 จาก 76 จังหวัด" in satisfaction
    assert "ภาคตะวันออกเฉียงเหนือ (20)" in satisfaction
    only = missing.handle(context(session, MANAGER, "จังหวัดไหนยังไม่ส่ง ความพึงพอใจ"))
    assert len(Seen(only).bubbles()) == 1 and "2.2.1" in Seen(only).text


def test_missing_reports_refuse_a_central_indicator(session: Session) -> None:
    with pytest.raises(UserError) as refused:
        missing.handle(context(session, MANAGER, "จังหวัดไหนยังไม่ส่ง ITA"))
    assert refused.value.text_th == "ตัวชี้วัดนี้รายงานโดยหน่วยงานส่วนกลาง ไม่ได้รายงานรายจังหวัดครับ"


# -- KPI score ------------------------------------------------------------------------------------------------


def test_kpi_score_without_figures(session: Session) -> None:
    reply = kpi.handle(context(session, MANAGER, "คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ"))
    seen = Seen(reply)
    assert seen.texts == ["คะแนน KPI DITP รอบที่ 1: 0.00 จาก 70"]
    assert "รอบที่ 1 (1 ต.ค. 2566 – 31 มี.ค. 2567)" in seen.text
    assert "คะแนนถ่วงน้ำหนักรวม 0.00 จาก 70" in seen.text
    # KPIs 1-4 are measured in round 1 and have no data yet; KPIs 5-9 say when they are measured
    assert seen.text.count("- · ยังไม่มีข้อมูล · 0.00 คะแนน (ถ่วงน้ำหนัก 0.00)") == 4
    assert seen.text.count("วัดผลในรอบที่ 2") == 3 and seen.text.count("วัดผลในรอบสุดท้าย (12 เดือน)") == 2


def test_kpi_score_weighs_a_reported_ratio(session: Session) -> None:
    draft = Draft(indicator="KPI-2", value=113.47, period="2024-01", office_id=office(session, "สค.").id,
                  numerator=11_347, denominator=100)
    store(session, draft, None, mode="new", now=NOW, source_message="test", source_event_id=None)
    seen = Seen(kpi.handle(context(session, MANAGER, "คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ")))
    assert seen.texts == ["คะแนน KPI DITP รอบที่ 1: 18.75 จาก 70"]  # KPI 2 (weight 25) at level 75; round 1 is out of 70
    assert "113.47 เท่า · มาตรฐาน · 75.00 คะแนน (ถ่วงน้ำหนัก 18.75)" in seen.text


# -- preferences ----------------------------------------------------------------------------------------------


def paused_in_database(session: Session, line_user_id: str) -> bool:
    """The stored flag (the session flushes first), not the object the handler changed."""
    return bool(session.scalar(select(User.reminders_paused).where(User.line_user_id == line_user_id)))


def test_pause_and_resume_flip_the_user_s_flag(session: Session) -> None:
    paused = preferences.pause(context(session, OFFICER, "หยุดเตือน"))
    assert Seen(paused).texts == ["หยุดการแจ้งเตือนแล้วครับ จะไม่ส่งข้อความเตือนและสรุปรายเดือนถึงท่านอีก\n"
                                  "ต้องการกลับมารับการแจ้งเตือน พิมพ์ เตือนต่อ"]
    assert Seen(paused).choices == {"เตือนต่อ": "เตือนต่อ"}
    assert paused_in_database(session, OFFICER) is True
    assert Seen(preferences.resume(context(session, OFFICER, "เตือนต่อ"))).texts == ["เปิดการแจ้งเตือนแล้วครับ"]
    assert paused_in_database(session, OFFICER) is False
    assert paused_in_database(session, MANAGER) is False


def test_officer_summary_is_their_office_s_cards(session: Session) -> None:
    reply = preferences.send_summary(context(session, OFFICER, "ส่งสรุปตอนนี้"))
    title = "สรุปความคืบหน้าประจำเดือน ณ 15 ก.พ. 2567"
    assert Seen(reply).texts == [title, title]
    bubbles = Seen(reply).bubbles(1)
    assert len(bubbles) == 2 and all(bubble_text(b).startswith(CHIANG_MAI) for b in bubbles)
    assert "ร้อยละ 35.71 ของประเทศ" in bubble_text(bubbles[0])


def test_manager_summary_is_national_and_a_central_officer_gets_none(session: Session) -> None:
    reply = preferences.send_summary(context(session, MANAGER, "ส่งสรุปตอนนี้"))
    bubbles = Seen(reply).bubbles(1)
    assert len(bubbles) == 11  # the action plan's indicators whose window has begun
    assert "ร้อยละ 50.30 ของเป้าหมาย" in bubble_text(bubbles[2])
    person(session, "U-ita", "officer", "ศปท.")
    with pytest.raises(UserError) as nothing:
        preferences.send_summary(context(session, "U-ita", "ส่งสรุปตอนนี้"))
    assert nothing.value.text_th == "ยังไม่มีข้อมูลสำหรับสรุปครับ"


def test_a_goal_not_in_the_plan_says_so_and_lists_the_plan_s_goals(session: Session) -> None:
    from handlers.domain.errors import UserError

    with pytest.raises(UserError) as refused:
        progress.handle(context(session, MANAGER, "ความคืบหน้าเป้าหมาย 9.9"))
    text = refused.value.text_th
    assert text.startswith("ไม่พบเป้าหมายหรือตัวชี้วัด 9.9 ในแผนครับ\nเป้าหมายในแผน: ")
    assert "2.1" in text.split("\n")[1] and "2.2" in text.split("\n")[1] and "9.9" not in text.split("\n")[1]


def test_the_national_card_ranks_without_repeats_and_shows_a_consolidated_figure_apart(session: Session) -> None:
    for province, value in (("ตราด", 5), ("ลำปาง", 4), ("ภูเก็ต", 3), ("น่าน", 2)):
        put(session, province, "2.1.1", "2024-01", value, project=1)
    trade = indicator_by_code(session, "2.1.1")
    unit = next(o for o in session.scalars(select(Office).where(Office.kind == "central"))
                if o.code in trade.responsible_units)
    put(session, unit.code, "2.1.1", "2024-01", 500, project=1)
    [bubble] = Seen(progress.handle(context(session, MANAGER, "ความคืบหน้าเป้าหมาย 2.1"))).bubbles()[:1]
    text = bubble_text(bubble)
    assert "ผลงาน\n434.00 ล้านบาท" in text  # 420 + 14 from the provinces; the unit's 500 is not added
    assert "ตัวเลขรวบรวมส่วนกลาง\n500.00 ล้านบาท" in text and "ต่างจากผลรวมจังหวัด 66.00 ล้านบาท" in text
    top = text.split("สูงสุด 5 จังหวัด\n")[1].split("\n")[:5]
    bottom = text.split("ต่ำสุด 5 จังหวัด (ที่รายงานแล้ว)\n")[1].split("\n")[:2]
    assert top == ["1. ขอนแก่น 250.00 ล้านบาท", "2. เชียงใหม่ 150.00 ล้านบาท", "3. นครราชสีมา 20.00 ล้านบาท",
                   "4. ตราด 5.00 ล้านบาท", "5. ลำปาง 4.00 ล้านบาท"]
    assert bottom == ["6. ภูเก็ต 3.00 ล้านบาท", "7. น่าน 2.00 ล้านบาท"]  # 7 reported: no office twice
