"""แก้ไข with no open draft: correct the office's latest entry (the new value replaces it, with a version)."""

from __future__ import annotations

from sqlalchemy import select

from handlers import report
from handlers.context import Context
from handlers.history import as_draft, office_of
from handlers.present.cards import draft_lines
from handlers.present.replies import Reply
from models import ReportValue


def handle(ctx: Context) -> Reply:
    """Ask for the new value of the latest active entry; the report conversation does the rest."""
    office = office_of(ctx)
    latest = ctx.session.scalars(select(ReportValue).where(ReportValue.office_id == office.id,
                                                           ReportValue.status == "active")
                                 .order_by(ReportValue.reported_at.desc(), ReportValue.id.desc())).first()
    if latest is None:
        return Reply.text("ยังไม่มีรายการให้แก้ไขครับ", intent="edit")
    draft = as_draft(latest)
    shown = draft_lines(ctx.session, draft)
    draft.value = None
    data = {"drafts": [draft.to_dict()], "source": ctx.incoming.text, "event_id": ctx.incoming.event_id,
            "options": {}}
    question = report.advance(ctx, data)
    return Reply(messages=({"type": "text", "text": f"แก้ไขรายการล่าสุด: {shown}"}, *question.messages),
                 intent="edit")
