"""A correction with no open draft (แก้ไข, ขอแก้ยอด ม.ค. เป็น 3 ล้าน): change the entry it names, else the latest.

The new value replaces the stored one with a version row, through the same confirm card as a report; the card is
preceded by a line naming the entry that will change, so nothing is stored before the officer has seen which.
"""

from __future__ import annotations

from sqlalchemy import ScalarResult, select

from handlers import report
from handlers.context import Context
from handlers.domain import thai_format
from handlers.domain.indicators import indicator_by_code
from handlers.history import as_draft, office_of
from handlers.present.cards import draft_lines, indicator_label
from handlers.present.replies import Reply
from models import Office, Project, ReportValue
from nlp import ReportItem


def handle(ctx: Context) -> Reply:
    """Ask for (or take) the new value of the named entry, or of the latest one when nothing is named."""
    office = office_of(ctx)
    named = next((r for r in (ctx.parsed.reports if ctx.parsed else ()) if r.indicator or r.period or r.project), None)
    if named is None:
        entry = _active(ctx, office).first()
        if entry is None:
            return Reply.text("ยังไม่มีรายการให้แก้ไขครับ", intent="edit")
        return _correct(ctx, entry, None, "แก้ไขรายการล่าสุด")
    entries = _matching(ctx, office, named)
    if not entries:
        return Reply.text(f"ไม่พบรายการ{_describe(ctx, named)} ของ{office.name_th}ครับ\n"
                          "พิมพ์ ประวัติ เพื่อดูรายการที่บันทึกไว้", intent="edit_not_found")
    if len(entries) > 1:
        lines = "\n".join(f"• {draft_lines(ctx.session, as_draft(e))}" for e in entries[:5])
        return Reply.text(f"มีหลายรายการ{_describe(ctx, named)} กรุณาระบุเดือนและโครงการที่จะแก้ไขครับ\n{lines}",
                          intent="edit_which")
    return _correct(ctx, entries[0], named.value, "แก้ไขรายการ")


def _active(ctx: Context, office: Office) -> ScalarResult[ReportValue]:
    return ctx.session.scalars(select(ReportValue).where(ReportValue.office_id == office.id,
                                                        ReportValue.status == "active")
                               .order_by(ReportValue.reported_at.desc(), ReportValue.id.desc()))


def _matching(ctx: Context, office: Office, named: ReportItem) -> list[ReportValue]:
    """The office's active entries that agree with every piece the correction states."""
    indicator = indicator_by_code(ctx.session, named.indicator) if named.indicator else None
    found = []
    for entry in _active(ctx, office):
        project: Project | None = entry.project
        if ((indicator is None or entry.indicator_id == indicator.id)
                and (named.period is None or entry.period == named.period)
                and (named.project is None or (project is not None and project.number == named.project))):
            found.append(entry)
    return found


def _describe(ctx: Context, named: ReportItem) -> str:
    parts = [indicator_label(ctx.session, named.indicator)] if named.indicator else []
    if named.period:
        parts.append(thai_format.month(named.period))
    if named.project:
        parts.append(f"โครงการ {named.project}")
    return (" " + " ".join(parts)) if parts else ""


def _correct(ctx: Context, entry: ReportValue, value: float | None, heading: str) -> Reply:
    draft = as_draft(entry)
    shown = draft_lines(ctx.session, draft)
    draft.value = value  # None: the conversation asks for the new value
    data = {"drafts": [draft.to_dict()], "source": ctx.incoming.text, "event_id": ctx.incoming.event_id,
            "options": {}}
    question = report.advance(ctx, data)
    return Reply(messages=({"type": "text", "text": f"{heading}: {shown}"}, *question.messages), intent="edit")
