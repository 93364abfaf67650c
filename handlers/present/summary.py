"""The monthly progress summary: pushed by the scheduler on the first working day, or asked for (ส่งสรุปตอนนี้)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.indicators import window_of
from handlers.domain.progress import compute
from handlers.present import flex
from handlers.present.progress_cards import national_card, office_card
from models import Indicator, Office, Plan


def summary_indicators(session: Session, today: date) -> list[Indicator]:
    """The action plan's indicators whose window has begun by today."""
    plan = session.scalars(select(Plan).where(Plan.kind == "action_plan")).first()
    if plan is None:
        return []
    return [i for i in plan.indicators if window_of(i)[0] <= today]


def summary_messages(session: Session, indicators: list[Indicator], today: date,
                     office: Office | None) -> list[dict[str, Any]]:
    """A carousel of progress cards (national, or one office's own), ready to push."""
    bubbles = []
    for indicator in indicators:
        national = compute(session, indicator, today)
        if office is None:
            bubbles.append(national_card(national, indicator.goal.code if indicator.goal else None))
        elif indicator.reported_by == "provincial" and office.kind == "provincial":
            bubbles.append(office_card(compute(session, indicator, today, office=office), office.name_th, national))
    if not bubbles:
        return []
    title = f"สรุปความคืบหน้าประจำเดือน ณ {thai_format.day(today)}"
    contents = flex.carousel(bubbles)
    return [{"type": "text", "text": title}, {"type": "flex", "altText": title, "contents": contents}]
