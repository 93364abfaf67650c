"""ประวัติ: an office's recent entries with their versions, and voiding one (kept in history)."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from handlers.domain import conversation, thai_format
from handlers.domain.errors import UserError
from handlers.domain.reports import Draft, void
from handlers.present import flex
from handlers.present.cards import draft_lines
from handlers.present.replies import QuickReply, Reply
from handlers.report import ttl
from models import Office, ReportValue

VOID_STEP = "void_confirm"
SHOWN = 10
VOID_BUTTONS = 5


def office_of(ctx: Context) -> Office:
    """The office whose history to show: the officer's own; a manager names one."""
    return ctx.office_about(action="ดูประวัติ", example="ประวัติ จ.เชียงใหม่")


def as_draft(report: ReportValue) -> Draft:
    """A stored value in the shape the cards describe."""
    return Draft(indicator=report.indicator.code, value=report.value, period=report.period,
                 office_id=report.office_id, project=report.project.number if report.project else None,
                 respondents=report.respondents)


def handle(ctx: Context) -> Reply:
    """The latest entries, newest first, each with its version and what changed."""
    office = office_of(ctx)
    reports = ctx.session.scalars(select(ReportValue).where(ReportValue.office_id == office.id)
                                  .order_by(ReportValue.reported_at.desc(), ReportValue.id.desc()).limit(SHOWN)).all()
    if not reports:
        return Reply.text(f"{office.name_th} ยังไม่มีรายการที่บันทึกครับ", intent="history")
    body = []
    footer = []
    for number, report in enumerate(reports, start=1):
        line = f"{number}) {draft_lines(ctx.session, as_draft(report))}"
        if report.version > 1:
            last = report.versions[-1]
            change = {"replace": "แก้ไข", "add": "บวกเพิ่ม", "void": "ยกเลิก", "create": "บันทึกใหม่"}.get(
                last.action, last.action)
            before = thai_format.number(last.old_value) if last.old_value is not None else "-"
            line += f"\n   ฉบับที่ {report.version}: {change} (เดิม {before})"
        colour = flex.GREY if report.status == "void" else None
        body.append(flex.text(line + (" · ยกเลิกแล้ว" if report.status == "void" else ""), size="sm",
                              color=colour))
        if report.status == "active" and len(footer) < VOID_BUTTONS:
            footer.append(flex.button(f"ยกเลิกรายการ {number}", f"a=void&id={report.id}",
                                      display=f"ยกเลิกรายการ {number}"))
    card = flex.bubble("ประวัติการรายงาน", body, footer=footer, subtitle=office.name_th)
    return Reply.flex(f"ประวัติการรายงานของ{office.name_th} {len(reports)} รายการล่าสุด", card, intent="history")


def ask_void(ctx: Context, report_id: int) -> Reply:
    """Ask once more before voiding an entry."""
    report = ctx.session.get(ReportValue, report_id)
    if report is None or report.status != "active":
        return Reply.text("ไม่พบรายการนี้ หรือถูกยกเลิกไปแล้วครับ", intent="void")
    user = ctx.user
    assert user is not None
    if user.role == "officer" and report.office_id != user.office_id:
        raise UserError("ยกเลิกได้เฉพาะรายการของสำนักงานตนเองครับ")
    nonce = ctx.save_step(VOID_STEP, {"report_id": report.id}, ttl(ctx))
    return Reply.text(f"ยืนยันยกเลิกรายการนี้หรือไม่ครับ?\n{draft_lines(ctx.session, as_draft(report))}\n"
                      "(รายการยังอยู่ในประวัติ แต่ไม่นับรวมในยอด)", quick=[
                          QuickReply("ยืนยันยกเลิก", "ยืนยันยกเลิกรายการ", f"a=void_confirm&s={nonce}"),
                          QuickReply("ไม่ยกเลิก", "ไม่ยกเลิก", f"a=cancel&s={nonce}"),
                      ], intent="void")


def confirm_void(ctx: Context, step: conversation.Step) -> Reply:
    """Void the entry the open step names."""
    report = ctx.session.get(ReportValue, int(step.data["report_id"]))
    conversation.close(ctx.session, ctx.sender, ctx.now)
    if report is None or report.status != "active":
        return Reply.text("รายการนี้ถูกยกเลิกไปแล้วครับ", intent="void")
    void(ctx.session, report, ctx.user, ctx.now, ctx.incoming.text or "ยกเลิกรายการ", ctx.incoming.event_id)
    return Reply.text(f"ยกเลิกรายการแล้วครับ\n{draft_lines(ctx.session, as_draft(report))}\n"
                      "รายการยังอยู่ในประวัติ และไม่นับรวมในยอดอีกต่อไป", intent="void_done")

