"""The cards of the report conversation: what was understood, and what was stored."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.indicators import in_usual_area, indicator_by_code, projects_of, short_name, usual_area_th
from handlers.domain.reports import Draft
from handlers.present import flex
from handlers.present.replies import QuickReply, Reply
from models import Office


def indicator_label(session: Session, code: str | None) -> str:
    """A short Thai name for an indicator code."""
    if code is None:
        return "ไม่ทราบตัวชี้วัด"
    indicator = indicator_by_code(session, code)
    return short_name(indicator) if indicator else code


def value_label(session: Session, draft: Draft) -> str:
    """The value with its unit, the way officials write it."""
    if draft.value is None:
        return "-"
    indicator = indicator_by_code(session, draft.indicator) if draft.indicator else None
    shown = thai_format.value_with_unit(draft.value, indicator.unit if indicator else "")
    if draft.score:  # how the figure was read: "4.35 จาก 5 = ร้อยละ 87.00"
        mean, top = draft.score
        return f"{mean:g} จาก {top:g} = {shown}"
    return shown


def project_label(session: Session, draft: Draft) -> str | None:
    """'โครงการที่ 3 …' for trade values, None when the indicator has no projects."""
    if draft.project is None:
        return None
    indicator = indicator_by_code(session, draft.indicator)
    projects = projects_of(session, indicator) if indicator else []
    project = next((p for p in projects if p.number == draft.project), None)
    return f"{draft.project}. {project.title_th}" if project else f"โครงการที่ {draft.project}"


def draft_lines(session: Session, draft: Draft) -> str:
    """One line describing a draft, for plain-text replies."""
    parts = [indicator_label(session, draft.indicator)]
    if draft.period:
        parts.append(thai_format.month(draft.period))
    if draft.project is not None:
        parts.append(f"โครงการที่ {draft.project}")
    parts.append(value_label(session, draft))
    parts += [f"{title} ร้อยละ {thai_format.number(figure)}" for title, figure in part_labels(session, draft)]
    return " · ".join(parts)


def part_labels(session: Session, draft: Draft) -> list[tuple[str, float]]:
    """A step-scored KPI's further figures with the plan file's names (KPI-6: the registration share)."""
    if not draft.parts:
        return []
    indicator = indicator_by_code(session, draft.indicator)
    named = (((indicator.details or {}) if indicator else {}).get("steps") or {}).get("parts") or {}
    return [(named.get(key, {}).get("title_th", key), figure) for key, figure in draft.parts.items()]


def _outside_area(session: Session, office: Office | None, drafts: list[Draft]) -> list[str]:
    """A project outside the office's usual area is allowed, with a note to check the number (issue 13)."""
    if office is None or office.kind != "provincial":
        return []
    notes = []
    for draft in drafts:
        indicator = indicator_by_code(session, draft.indicator) if draft.project is not None else None
        project = next((p for p in projects_of(session, indicator) if p.number == draft.project), None) \
            if indicator else None
        if project is not None and not in_usual_area(project, office):
            notes.append(f"⚠️ โครงการที่ {project.number} ปกติเป็นของ{usual_area_th(project)} "
                         "กรุณาตรวจสอบเลขโครงการก่อนยืนยัน")
    return notes


def confirm_card(session: Session, drafts: list[Draft], old_values: dict[str, float], warnings: list[str],
                 nonce: str, *, already: list[Draft]) -> Reply:
    """Everything understood, with ยืนยัน · แก้ไข · ยกเลิก (or แทนค่าเดิม · บวกเพิ่ม · ยกเลิก)."""
    office = session.get(Office, drafts[0].office_id) if drafts[0].office_id else None
    body: list[dict] = [flex.row("สำนักงาน", office.name_th if office else "-")]
    for index, draft in enumerate(drafts):
        body.append(flex.separator())
        body.append(flex.row("ตัวชี้วัด", f"{draft.indicator} {indicator_label(session, draft.indicator)}"))
        if (project := project_label(session, draft)) is not None:
            body.append(flex.row("โครงการ", project))
        body.append(flex.row("เดือน", thai_format.month(draft.period, full=True) if draft.period else "-"))
        if draft.numerator is not None and draft.denominator is not None:
            indicator = indicator_by_code(session, draft.indicator)
            parts = ((indicator.details or {}).get("ratio") or {}) if indicator else {}
            top = (parts.get("numerator") or {}).get("title_th", "ตัวตั้ง")
            bottom = (parts.get("denominator") or {}).get("title_th", "ตัวหาร")
            body.append(flex.row("ตัวตั้ง", f"{thai_format.amount_mb(draft.numerator)} ({top})"))
            body.append(flex.row("ตัวหาร", f"{thai_format.amount_mb(draft.denominator)} ({bottom})"))
        body.append(flex.row("ค่า", value_label(session, draft)))
        if draft.respondents:
            body.append(flex.row("ผู้ตอบ", f"{draft.respondents:,} ราย"))
        for title, figure in part_labels(session, draft):
            body.append(flex.row("ค่าประกอบ", f"{title} ร้อยละ {thai_format.number(figure)}"))
        if str(index) in old_values:
            old = Draft(**{**draft.to_dict(), "value": old_values[str(index)]})
            body.append(flex.text(f"มีค่าเดิมบันทึกไว้แล้ว {value_label(session, old)}", size="sm", color=flex.AMBER))
    for draft in already:
        body.append(flex.text(f"บันทึกไว้แล้ว (ค่าเดิมตรงกัน): {draft_lines(session, draft)}", size="xs",
                              color=flex.GREY))
    for warning in warnings:
        body.append(flex.text(f"⚠️ ค่าสูงผิดปกติ: {warning}", size="sm", color=flex.RED))
    for note in _outside_area(session, office, drafts):
        body.append(flex.text(note, size="sm", color=flex.AMBER))
    if old_values:
        footer = [flex.button("แทนค่าเดิม", f"a=replace&s={nonce}", primary=True)]
        quick = [QuickReply("แทนค่าเดิม", "แทนค่าเดิม", f"a=replace&s={nonce}")]
        if all(indicator_by_code(session, d.indicator).value_kind == "amount_mb" for d in drafts):  # type: ignore[union-attr]
            footer.append(flex.button("บวกเพิ่ม", f"a=add&s={nonce}"))
            quick.append(QuickReply("บวกเพิ่ม", "บวกเพิ่ม", f"a=add&s={nonce}"))
        title = "มีค่าเดิมอยู่แล้ว"
    else:
        footer = [flex.button("ยืนยัน", f"a=confirm&s={nonce}", primary=True),
                  flex.button("แก้ไข", f"a=edit&s={nonce}")]
        quick = [QuickReply("ยืนยัน", "ยืนยัน", f"a=confirm&s={nonce}"),
                 QuickReply("แก้ไข", "แก้ไข", f"a=edit&s={nonce}")]
        title = "ตรวจสอบก่อนบันทึก"
    footer.append(flex.button("ยกเลิก", f"a=cancel&s={nonce}"))
    quick.append(QuickReply("ยกเลิก", "ยกเลิก", f"a=cancel&s={nonce}"))
    card = flex.bubble(title, body, footer=footer, colour=flex.AMBER if old_values or warnings else flex.GREEN,
                       subtitle="ยังไม่บันทึกจนกว่าจะกดยืนยัน")
    alt = f"{title}: " + "; ".join(draft_lines(session, d) for d in drafts)
    return Reply.flex(alt, card, quick=quick, intent="report_confirm")
