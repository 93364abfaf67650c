"""Scheduled jobs: reminder ladder, monthly summary, window milestones.

Each job is a module-level function `(services, now) -> JobReport`, safe to run at any moment and any
number of times: it works out from the date what is due, sends only to those who still need it, and
records every recipient before sending (bot/push.py). Nothing is pushed outside working hours, on
weekends or on Thai public holidays; the next working morning's run sends what is due then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import recovery
from bot.line.push import send_once
from bot.privacy import run_privacy
from bot.schedule.audience import reachable_users
from bot.schedule.deadline_reminders import deadline_sends
from bot.schedule.job_report import JobReport, local
from bot.services import Services
from handlers.domain import thai_format
from handlers.domain.deadlines import due_day
from handlers.domain.figures import reported_office_ids
from handlers.domain.indicators import indicator_by_code, periods_in_window, report_word, window_of
from handlers.domain.plan_files import read_yaml
from handlers.domain.workdays import first_working_day, holiday_name, in_working_hours, next_working_day
from handlers.present.line_limits import MAX_TEXT
from handlers.present.replies import QuickReply
from handlers.present.summary import summary_indicators, summary_messages
from models import Indicator, Office, Plan, User

log = logging.getLogger(__name__)


def schedule() -> dict[str, Any]:
    """bot/schedule/schedule.yaml (the reminder ladder and job hours), read once."""
    return read_yaml(Path(__file__).resolve().parent / "schedule.yaml")


def _closed(services: Services, job: str, now: datetime) -> JobReport | None:
    moment = local(services, now)
    hours = tuple(schedule()["working_hours"])
    if in_working_hours(moment, hours):  # type: ignore[arg-type]
        return None
    why = holiday_name(moment.date()) or ("weekend" if moment.weekday() >= 5 else "outside working hours")
    return JobReport(job, moment.isoformat(), note=f"nothing sent: {why}")


# -- reminders ----------------------------------------------------------------------------------------

def reporting_month(today: date) -> str:
    """Reports for a month are due in the next one: in February we chase January."""
    return thai_format.shift_period(thai_format.period_of(today), -1)


def ladder(period: str) -> list[tuple[str, str, date]]:
    """(step, audience, working day it is sent) for a reporting month."""
    year, month = (int(x) for x in thai_format.shift_period(period, 1).split("-"))
    due = date(year, month, due_day())  # the progress engine's deadline (handlers/domain/data/reporting.yaml)
    return [(s["step"], s["audience"], next_working_day(due + timedelta(days=s["offset_days"])))
            for s in schedule()["reminders"]]


def current_steps(period: str, today: date) -> dict[str, str]:
    """Audience → the latest ladder step due by today. Earlier steps are superseded, never sent late;
    officers and managers are separate ladders, so two steps moved onto the same day both go out."""
    due: dict[str, str] = {}
    for step, audience, day in ladder(period):
        if day <= today:
            due[audience] = step
    return due


def missing_by_office(session: Session, period: str) -> dict[int, list[Indicator]]:
    """Provincial offices → the reminded indicators they have not reported for the month."""
    indicators = [i for code in schedule()["reminded_indicators"] if (i := indicator_by_code(session, code))
                  and period in periods_in_window(i)]
    offices = session.scalars(select(Office).where(Office.kind == "provincial")).all()
    reported = {i.id: reported_office_ids(session, i, period) for i in indicators}  # the progress card's test
    result: dict[int, list[Indicator]] = {}
    for office in offices:
        lacking = [i for i in indicators if office.id not in reported[i.id]]
        if lacking:
            result[office.id] = lacking
    return result


STEP_TEXT = {
    "gentle": "แจ้งเตือนล่วงหน้า: กำหนดส่งผลของเดือน {month} คือวันที่ {due}",
    "due": "วันนี้ ({due}) เป็นวันครบกำหนดส่งผลของเดือน {month}",
    "overdue": "เลยกำหนดส่งผลของเดือน {month} แล้ว (กำหนด {due})",
}


def run_reminders(services: Services, now: datetime) -> JobReport:
    """Send today's ladder steps: to officers of offices that have not reported, and to managers."""
    if closed := _closed(services, "reminders", now):
        return closed
    today = local(services, now).date()
    period = reporting_month(today)
    steps = current_steps(period, today)
    report = JobReport("reminders", local(services, now).isoformat())
    due_on = next(day for s, _, day in ladder(period) if s == "due")
    sends: list[tuple[str, list[str], list[dict[str, Any]]]] = []
    with services.sessions() as session:
        # the indicators with their own due dates (DITP rounds, KPI-5's 15th, year-end): their units only
        sends += deadline_sends(session, schedule()["reminders"], today)
        missing = missing_by_office(session, period) if steps else {}
        users = reachable_users(session)
        if "managers" in steps and missing:
            managers = [u.line_user_id for u in users if u.role == "manager"]
            sends.append((f"{period}:{steps['managers']}", managers, [_managers_note(session, missing, period)]))
        if "officers" in steps:
            # Officers whose office lacks the same indicators get the same message: one multicast per group.
            by_missing: dict[tuple[str, ...], list[str]] = {}
            for user in users:
                if user.role == "officer" and user.office_id in missing:
                    codes = tuple(i.code for i in missing[user.office_id])
                    by_missing.setdefault(codes, []).append(user.line_user_id)
            step = steps["officers"]
            sends += [(f"{period}:{step}", ids, [_officer_reminder(session, step, period, due_on, codes)])
                      for codes, ids in sorted(by_missing.items())]
    for key, recipients, messages in sends:
        report.tally.add(send_once(services, "reminders", key, recipients, messages))
    monthly = ", ".join(f"step {step} to {audience}" for audience, step in sorted(steps.items(), reverse=True))
    others = sorted({key.split(":")[0] for key, _, _ in sends if not key.startswith(period)})
    report.note = (f"{period} {monthly}" if steps else f"no reminder due yet for {period}") + (
        f"; due dates: {', '.join(others)}" if others else "")
    _after(services, report)
    return report


def _officer_reminder(session: Session, step: str, period: str, due: date, codes: tuple[str, ...]) -> dict[str, Any]:
    names = [i for c in codes if (i := indicator_by_code(session, c))]
    lines = "\n".join(f"• {i.code} {i.title_th}" for i in names)
    head = STEP_TEXT[step].format(month=thai_format.month(period), due=thai_format.day(due))
    quick = [QuickReply(f"รายงาน{report_word(i)}", f"{report_word(i)} {thai_format.month(period)}") for i in names]
    text = (f"{head}\nสำนักงานของท่านยังไม่ได้รายงาน:\n{lines}\n"
            "แตะปุ่มด้านล่างหรือพิมพ์ผลได้เลยครับ (หยุดการแจ้งเตือน: พิมพ์ หยุดเตือน)")
    return {"type": "text", "text": text, "quickReply": {"items": [q.to_item() for q in quick]}}


def _managers_note(session: Session, missing: dict[int, list[Indicator]], period: str) -> dict[str, Any]:
    """Who has not sent, per indicator: the same count as the progress card's "ยังไม่รายงาน" for that indicator."""
    offices = {o.id: o for o in session.scalars(select(Office).where(Office.id.in_(missing))).all()}
    indicators = {i.id: i for lacking in missing.values() for i in lacking}
    lines = [f"สรุปการส่งรายงานเดือน {thai_format.month(period)}"]
    for indicator in sorted(indicators.values(), key=lambda i: i.position):
        names = sorted((offices[o].province_th or offices[o].code for o, lacking in missing.items()
                        if indicator in lacking), key=thai_format.sort_key)
        lines.append(f"ยังไม่ส่ง{report_word(indicator)} {thai_format.month(period)}: {len(names)} จังหวัด\n"
                     + ", ".join(names))
    return {"type": "text", "text": "\n".join(lines)[:MAX_TEXT]}


# -- monthly summary ----------------------------------------------------------------------------------

def run_monthly_summary(services: Services, now: datetime, *, force: bool = False) -> JobReport:
    """On the first working day of a month: the progress cards to managers, own-office cards to officers."""
    if closed := _closed(services, "monthly_summary", now):
        return closed
    today = local(services, now).date()
    report = JobReport("monthly_summary", local(services, now).isoformat())
    if not force and today != first_working_day(today.year, today.month):
        report.note = "not the first working day of the month"
        return report
    key = thai_format.period_of(today)
    with services.sessions() as session:
        managers, by_office = _audiences(session)
        indicators = summary_indicators(session, today)
        manager_messages = summary_messages(session, indicators, today, None)
        office_messages = {office_id: summary_messages(session, indicators, today, session.get(Office, office_id))
                           for office_id in by_office}
    report.tally.add(send_once(services, "monthly_summary", key, managers, manager_messages))
    for office_id, ids in by_office.items():
        if office_messages[office_id]:
            report.tally.add(send_once(services, "monthly_summary", key, ids, office_messages[office_id]))
    report.note = f"summary {key}"
    _after(services, report)
    return report


def _audiences(session: Session) -> tuple[list[str], dict[int, list[str]]]:
    users = reachable_users(session)
    managers = [u.line_user_id for u in users if u.role in ("manager", "admin")]
    by_office: dict[int, list[str]] = {}
    for user in users:
        if user.role == "officer" and user.office_id:
            by_office.setdefault(user.office_id, []).append(user.line_user_id)
    return managers, by_office


# -- milestones ---------------------------------------------------------------------------------------

def run_milestones(services: Services, now: datetime) -> JobReport:
    """After a window closes (31 May 2024; 30 Sep 2024 for the year-end indicators): a closing summary."""
    if closed := _closed(services, "milestones", now):
        return closed
    today = local(services, now).date()
    report = JobReport("milestones", local(services, now).isoformat())
    with services.sessions() as session:
        plan = session.scalars(select(Plan).where(Plan.kind == "action_plan")).first()
        ends = sorted({window_of(i)[1] for i in plan.indicators}) if plan else []
        due = [end for end in ends if next_working_day(end + timedelta(days=1)) <= today <= end + timedelta(days=31)]
        batches = []
        for end in due:
            indicators = [i for i in plan.indicators if window_of(i)[1] == end]  # type: ignore[union-attr]
            managers, _ = _audiences(session)
            messages = summary_messages(session, indicators, end, None)
            messages[0] = {"type": "text", "text": f"ปิดรอบการวัดผล ณ {thai_format.day(end)}: สรุปผลตัวชี้วัด "
                                                   + ", ".join(i.code for i in indicators)}
            batches.append((f"window:{end.isoformat()}", managers, messages))
    for key, recipients, messages in batches:
        report.tally.add(send_once(services, "milestones", key, recipients, messages))
    report.note = ", ".join(k for k, _, _ in batches) or "no window closed recently"
    _after(services, report)
    return report


def _after(services: Services, report: JobReport) -> None:
    log.info(report.line())
    if report.tally.quota_exhausted:
        notify_admins(services, f"⚠️ โควตาข้อความรายเดือนของ LINE หมดระหว่างงาน {report.job} "
                                f"ยังไม่ได้ส่ง {len(report.tally.unsent)} คน จะส่งต่อเมื่อโควตาพร้อม")


def notify_admins(services: Services, text: str) -> None:
    """Tell the admins; with the quota gone LINE may refuse this too, so it is also logged as an error."""
    log.error(text)
    with services.sessions() as session:
        admins = list(session.scalars(select(User.line_user_id).where(User.role == "admin", User.active.is_(True))))
    for admin in admins:
        try:
            services.gateway.push(admin, [{"type": "text", "text": text}])
        except Exception:
            log.exception("could not notify admin %s", admin)


# -- outbox -------------------------------------------------------------------------------------------

def run_outbox(services: Services, now: datetime) -> JobReport:
    """Handle events recorded but never handled, then push replies stored but never sent.

    Both happen when a worker dies (or a client hangs up) between recording and answering.

    Runs every minute at any hour: these answer a message the user just sent, so they are not scheduled
    pushes. Each goes out once: its dedupe key is the reply's own row.
    """
    report = JobReport("outbox", local(services, now).isoformat())
    handled = recovery.recover(services)
    unsent = recovery.push_unsent_replies(services, report.tally)
    retried = recovery.retry_failed_answers(services, report.tally)
    report.note = (f"{unsent} unsent repl{'y' if unsent == 1 else 'ies'}; {retried} failed answer(s) retried; "
                   f"{handled.handled} unhandled event(s) handled, {handled.retry_later} to retry, "
                   f"{len(handled.given_up)} given up")
    return report


JobFunction = Callable[[Services, datetime], JobReport]

# Explicit ids → functions; the scheduler and `python -m bot jobs` use exactly this table.
JOBS: dict[str, JobFunction] = {
    "reminders": run_reminders,
    "monthly_summary": run_monthly_summary,
    "milestones": run_milestones,
    "outbox": run_outbox,
    "privacy": run_privacy,  # bot/privacy.py: what is past retention is cleared, every working morning
}
