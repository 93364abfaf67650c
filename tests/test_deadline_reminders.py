"""Issue 13: indicators without a monthly rhythm are reminded on their own due dates (reporting.yaml), and only
to the responsible unit that has not reported: the DITP rounds, KPI-5's 15th, year-end for the OPS central
indicators. Driven at chosen moments against the fake LINE platform."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.schedule.jobs import run_reminders
from models import Office, User
from tests.conftest import OFFICER
from tests.test_jobs import at, texts_to
from tests.test_kpi_score import put_kpi

pytestmark = pytest.mark.usefixtures("people")
DITP = "U" + "0" * 31 + "e"  # an officer of สค. (กรมส่งเสริมการค้าระหว่างประเทศ)
EXPORT_POLICY = "U" + "0" * 31 + "f"  # an officer of สนค. (shares KPI-1 with สค.)
ITA = "U" + "0" * 31 + "d"  # an officer of ศปท. (3.1.5)


@pytest.fixture
def units(sessions):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        for line_id, code in ((DITP, "สค."), (EXPORT_POLICY, "สนค."), (ITA, "ศปท.")):
            office = session.scalars(select(Office).where(Office.code == code)).one()
            session.add(User(line_user_id=line_id, role="officer", office_id=office.id, active=True))


def test_round_one_is_reminded_to_the_units_that_owe_it(services, fake_line, units):
    # Round 1 (Oct-Mar) is due like its last month, on 5 Apr 2024; the gentle step goes 3 days before.
    report = run_reminders(services, at("2024-04-02T09:00"))
    assert "due dates: ditp-round-1" in report.note
    [ditp] = texts_to(fake_line, DITP)
    assert ditp.startswith("แจ้งเตือนล่วงหน้า: กำหนดส่งผลการดำเนินงานรอบ 6 เดือน คือวันที่ 5 เม.ย. 2567")
    assert all(f"• KPI-{n} " in ditp for n in (1, 2, 3, 4)) and "KPI-5" not in ditp  # KPI-5 is not in round 1
    [policy] = texts_to(fake_line, EXPORT_POLICY)
    assert "• KPI-1 " in policy and "KPI-2" not in policy  # สนค. is responsible for KPI-1 only
    assert texts_to(fake_line, ITA) == []
    [monthly] = texts_to(fake_line, OFFICER)  # a province gets its own monthly reminder, no DITP round
    assert "ผลของเดือน มี.ค. 2567" in monthly and "KPI" not in monthly


def test_a_unit_that_reported_drops_off_and_nothing_goes_twice(services, fake_line, sessions, units):
    with transaction(sessions) as session:
        for code in ("KPI-1", "KPI-2", "KPI-3"):
            put_kpi(session, code, "2024-03", value=1)
        put_kpi(session, "KPI-4", "2023-12", value=120)
    run_reminders(services, at("2024-04-02T09:00"))
    assert texts_to(fake_line, DITP) == []
    assert len(texts_to(fake_line, EXPORT_POLICY)) == 1  # สค.'s KPI-1 report is not สนค.'s
    run_reminders(services, at("2024-04-02T11:00"))
    assert len(texts_to(fake_line, EXPORT_POLICY)) == 1
    run_reminders(services, at("2024-04-05T09:00"))  # the due-day step is a new message
    assert texts_to(fake_line, EXPORT_POLICY)[-1].startswith("วันนี้ (5 เม.ย. 2567) เป็นวันครบกำหนดส่งผลการดำเนินงาน")


def test_kpi5_is_due_every_month_by_the_15th(services, fake_line, sessions, units):
    run_reminders(services, at("2024-02-15T09:00"))
    [due] = texts_to(fake_line, DITP)
    assert due.startswith("วันนี้ (15 ก.พ. 2567) เป็นวันครบกำหนดส่งความก้าวหน้ารายเดือนถึงสำนักงาน ก.พ.ร. ม.ค. 2567")
    assert "• KPI-5 " in due
    with transaction(sessions) as session:
        put_kpi(session, "KPI-5", "2024-01", value=1)
    fake_line.clear()
    run_reminders(services, at("2024-02-19T09:00"))  # the overdue step: KPI-5 January has been reported
    assert texts_to(fake_line, DITP) == []


def test_year_end_indicators_are_reminded_after_the_fiscal_year(services, fake_line, units):
    # 3.1.5 (ITA) is measured at fiscal-year end: September is due on 5 Oct 2024, a Saturday, so on Monday the 7th.
    run_reminders(services, at("2024-10-04T09:00"))
    [ita] = texts_to(fake_line, ITA)
    assert ita.startswith("แจ้งเตือนล่วงหน้า: กำหนดส่งผล ณ สิ้นปีงบประมาณ คือวันที่ 7 ต.ค. 2567") and "• 3.1.5 " in ita


def test_a_closed_round_is_never_chased_by_a_late_start(services, fake_line, units):
    report = run_reminders(services, at("2025-01-06T09:00"))
    assert report.tally.sent == 0 and "due dates" not in report.note


def test_the_first_working_day_summary_counts_only_due_months(services, fake_line, sessions):
    """On 1 Mar 2024 February is not due (5 Mar): the summary lists who is missing January, and its pace counts
    4 due months, not 5."""
    from bot.schedule.jobs import run_monthly_summary
    from tests.conftest import MANAGER
    from tests.test_progress import put

    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2024-01", 12.5, project=3)
        put(session, "เชียงใหม่", "2.1.1", "2024-02", 5, project=3)
    run_monthly_summary(services, at("2024-03-01T09:00"))
    card = str(fake_line.messages_to(MANAGER))
    assert "ยังไม่รายงาน ม.ค. 2567: 75 จังหวัด" in card and "ยังไม่รายงาน ก.พ. 2567" not in card
    assert "ควรถึง 417.50 ล้านบาท ตามแผน ณ เดือนที่ 4" in card  # 835 × 4 ÷ 8
    assert "ยอดที่ยังไม่ถึงกำหนดส่ง" in card  # February's 5 so far is shown apart, not in the forecast
