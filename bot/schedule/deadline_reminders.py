"""Reminders for the indicators without a monthly rhythm (handlers/domain/data/reporting.yaml `deadlines`).

Each due date runs the officer steps of the schedule's ladder (gentle, due, overdue), timed from that date, and
goes only to the people of a responsible unit that has not reported the indicator for it. A step is sent at
most once (its key names the deadline and the step); a deadline more than GRACE_DAYS past its last step is
left alone, so a bot started late never chases a closed round.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.schedule.audience import reachable_users
from handlers.domain import thai_format
from handlers.domain.deadlines import Deadline, other_deadlines, units_missing
from handlers.domain.workdays import next_working_day
from handlers.present.line_limits import MAX_TEXT
from models import Indicator, User

GRACE_DAYS = 10  # a step missed by a stopped scheduler still goes out within this; older ones never
STEP_TEXT = {
    "gentle": "แจ้งเตือนล่วงหน้า: กำหนดส่ง{name} คือวันที่ {due}",
    "due": "วันนี้ ({due}) เป็นวันครบกำหนดส่ง{name}",
    "overdue": "เลยกำหนดส่ง{name}แล้ว (กำหนด {due})",
}


def current_step(deadline: Deadline, steps: list[dict[str, Any]], today: date) -> str | None:
    """The latest officer step of the ladder due by today for this deadline (None before the first step or
    long after the last)."""
    days = [(s["step"], next_working_day(deadline.due + timedelta(days=s["offset_days"])))
            for s in steps if s["audience"] == "officers" and s["step"] in STEP_TEXT]
    if not days or today > max(day for _, day in days) + timedelta(days=GRACE_DAYS):
        return None
    reached = [step for step, day in days if day <= today]
    return reached[-1] if reached else None


def deadline_sends(session: Session, steps: list[dict[str, Any]], today: date
                   ) -> list[tuple[str, list[str], list[dict[str, Any]]]]:
    """(send key, recipients, messages) for every deadline with a step due today and a unit still owing it."""
    users = reachable_users(session, User.office_id.is_not(None))
    sends = []
    for deadline in other_deadlines(session):
        step = current_step(deadline, steps, today)
        if step is None:
            continue
        for office_id, lacking in sorted(units_missing(session, deadline).items()):
            people = [u.line_user_id for u in users if u.office_id == office_id and u.role in ("officer", "manager")]
            if people:
                sends.append((f"{deadline.key}:{office_id}:{step}", people, [_reminder(deadline, step, lacking)]))
    return sends


def _reminder(deadline: Deadline, step: str, lacking: list[Indicator]) -> dict[str, Any]:
    head = STEP_TEXT[step].format(name=deadline.name_th, due=thai_format.day(deadline.due))
    lines = "\n".join(f"• {i.code} {i.title_th}" for i in lacking)
    text = (f"{head}\nหน่วยงานของท่านยังไม่ได้รายงาน:\n{lines}\n"
            "พิมพ์ผลได้เลยครับ (หยุดการแจ้งเตือน: พิมพ์ หยุดเตือน)")
    return {"type": "text", "text": text[:MAX_TEXT]}
