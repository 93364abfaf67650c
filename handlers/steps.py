"""Answers to an open conversation step: a missing piece, ยืนยัน / แก้ไข / ยกเลิก, แทนค่าเดิม / บวกเพิ่ม.

`handle` returns None when the message is not an answer to the open step, so the dispatcher can
route it as a fresh message (the step stays open until it expires).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers import history, report, revise
from handlers.answers import read_answer
from handlers.context import Context
from handlers.domain import conversation, thai_format
from handlers.domain.bounds import outside_bounds
from handlers.domain.clock import local_today
from handlers.domain.conversation import Step
from handlers.domain.errors import UserError
from handlers.domain.figures import standing
from handlers.domain.indicators import indicator_by_code, target_of
from handlers.domain.offices import may_act_for
from handlers.domain.reports import Draft, impossible_reason, store
from handlers.present.cards import draft_lines, indicator_label
from handlers.present.replies import QuickReply, Reply
from models import Office
from nlp import Intent

IMPLAUSIBLE = "confirm_implausible"
REVISE = "revise_draft"
TYPED_ACTIONS = {"แทนค่าเดิม": "replace", "แทนที่": "replace", "บวกเพิ่ม": "add", "รวมเพิ่ม": "add",
                 "ยืนยันค่านี้": "confirm"}


def action_of(ctx: Context) -> tuple[str | None, dict[str, str]]:
    """The action a postback or typed word asks for: confirm, cancel, edit, replace, add, set."""
    if ctx.postback:
        return ctx.postback.get("a"), ctx.postback
    text = (ctx.incoming.text or "").strip()
    if text in TYPED_ACTIONS:
        return TYPED_ACTIONS[text], {}
    intent = ctx.parsed.intent if ctx.parsed else None
    return {Intent.CONFIRM: "confirm", Intent.CANCEL: "cancel", Intent.CORRECT: "edit"}.get(intent), {}  # type: ignore[arg-type]


# Returned by a step function for a message that is clearly something else (a new report): not an answer.
LEAVE = Reply(messages=(), intent="leave_step")
LEFT_TH = {history.VOID_STEP: "ไม่ได้ยกเลิกรายการครับ"}
LEFT_DEFAULT = "ปิดรายการที่ค้างไว้แล้วครับ (ยังไม่ได้บันทึก)"


def handle(ctx: Context, step: Step) -> Reply | None:
    """Route a message to the open step's function, or None if it is not an answer to it."""
    action, params = action_of(ctx)
    if params.get("s") is not None and params["s"] != step.nonce:
        return Reply.text("ปุ่มนี้เป็นของรายการก่อนหน้า ใช้ปุ่มในข้อความล่าสุดได้เลยครับ", intent="stale_button")
    answer = STEPS.get(step.name, _open)(ctx, step, action, params)
    return None if answer is LEAVE else answer


def leave(ctx: Context, step: Step) -> str | None:
    """Close a step the message did not answer, when the message is clearly something else; the one line to say.

    A message that is not an answer and is not clearly anything (small talk, unknown) leaves the step open.
    """
    if step.name == conversation.DONE or step.expired(ctx.now) or ctx.parsed is None:
        return None
    if ctx.parsed.intent in (Intent.UNKNOWN, Intent.CONFIRM, Intent.CANCEL, Intent.CORRECT, Intent.HELP,
                             Intent.SMALLTALK):
        return None
    conversation.close(ctx.session, ctx.sender, ctx.now)
    return LEFT_TH.get(step.name, LEFT_DEFAULT)


def _done(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    if action in ("confirm", "replace", "add"):
        return Reply.text(f"บันทึกไว้แล้วครับ\n{step.data.get('result', '')}".strip(), intent="already_confirmed")
    return None


def _open(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    """What every open step answers the same way: expiry, ยกเลิก, แก้ไข; None when the step should go on."""
    if step.expired(ctx.now):
        conversation.close(ctx.session, ctx.sender, ctx.now)
        if action is None and not ctx.postback:
            return None
        minutes = ctx.settings.draft_ttl_minutes
        return Reply.text(f"รายการนี้หมดเวลายืนยันแล้ว (เกิน {minutes} นาที) จึงยังไม่ได้บันทึก "
                          "กรุณาส่งรายการใหม่อีกครั้งครับ", intent="draft_expired")
    if action == "cancel":
        conversation.close(ctx.session, ctx.sender, ctx.now)
        return Reply.text("ยกเลิกแล้วครับ ไม่มีการบันทึกข้อมูล", intent="cancel")
    if action == "edit":
        if step.name in (report.CONFIRM, IMPLAUSIBLE) and len(step.data.get("drafts") or ()) == 1:
            revised = revise.revised(ctx, step)  # "แก้เป็น 2.4 ล้าน" on the card: change just that
            if revised is not None:
                return revised
            ctx.save_step(REVISE, step.data, report.ttl(ctx))
            return Reply.text("พิมพ์เฉพาะส่วนที่ต้องแก้ได้เลยครับ เช่น 2.4 ล้าน หรือ ก.พ. 67 ส่วนอื่นคงเดิม "
                              "รายการยังไม่ถูกบันทึก", intent="edit_draft")
        return Reply.text("พิมพ์รายการที่ถูกต้องส่งมาใหม่ได้เลยครับ รายการเดิมยังไม่ถูกบันทึก", intent="edit_draft")
    return None


def _revising(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    if (common := _open(ctx, step, action, params)) is not None or step.expired(ctx.now):
        return common
    revised = revise.revised(ctx, step)
    if revised is not None or action is not None or (ctx.parsed and ctx.parsed.intent is not Intent.UNKNOWN):
        return revised  # None: a different request, which leaves the step
    return Reply.text("ยังไม่เข้าใจครับ พิมพ์เฉพาะส่วนที่ต้องแก้ เช่น 2.4 ล้าน หรือ ก.พ. 67", intent="edit_draft")


def _ask(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    if (common := _open(ctx, step, action, params)) is not None or step.expired(ctx.now):
        return common
    return _answer(ctx, step, params)


def _confirm_card(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    if (common := _open(ctx, step, action, params)) is not None or step.expired(ctx.now):
        return common
    if action in ("confirm", "replace", "add"):
        return _confirm(ctx, step, action)
    return None


def _void(ctx: Context, step: Step, action: str | None, params: dict[str, str]) -> Reply | None:
    # The void question has no expiry of its own: its nonce already ties the tap to this one question.
    if action == "void_confirm":
        return history.confirm_void(ctx, step)
    return _open(ctx, step, action, params)


StepFunction = Callable[[Context, Step, "str | None", dict[str, str]], "Reply | None"]

# The open step's name → the function that reads the answer (see report-conversation.mmd beside this file).
# A step not named here answers only the common words (expiry, ยกเลิก, แก้ไข).
STEPS: dict[str, StepFunction] = {
    conversation.DONE: _done,          # a late second tap on ยืนยัน is answered, never stored twice
    report.ASK: _ask,                  # a report with a missing piece: the answer fills it
    report.CONFIRM: _confirm_card,     # the confirm card: ยืนยัน / แทนค่าเดิม / บวกเพิ่ม / แก้ไข / ยกเลิก
    IMPLAUSIBLE: _confirm_card,        # ยืนยันค่านี้ after the far-too-large warning
    history.VOID_STEP: _void,          # ยืนยันยกเลิก / ไม่ยกเลิก from ประวัติ
    REVISE: _revising,                 # after แก้ไข on a card: what the answer states replaces just that
}


def _answer(ctx: Context, step: Step, params: dict[str, str]) -> Reply | None:
    data = step.data
    asking: dict[str, Any] = data.get("asking") or {}
    field, index = asking.get("field"), int(asking.get("index", 0))
    raw = params.get("v") if params.get("a") == "set" else ctx.incoming.text
    if raw is None:
        return None
    # (a share asked for a KPI's part, "ร้อยละ 90", is an answer even though it reads like a satisfaction figure)
    if (not params and not str(field).startswith("part:")
            and (other := _other_indicator(ctx, data["drafts"][index].get("indicator"))) is not None):
        return other
    if "v" in params and field and params["v"] not in report.offered(ctx, data, field, index):
        # postback data is written by the client: a button value the question never offered is no answer
        question = report.question_for(ctx, field, Draft.from_dict(data["drafts"][index]))
        return Reply.text(f"ปุ่มนี้ไม่ใช่ตัวเลือกของคำถามนี้ครับ\n{question}", intent=f"ask_{field}")
    value = read_answer(ctx, field, raw, from_button="v" in params)
    if value is None:
        if ctx.parsed and ctx.parsed.intent not in (Intent.UNKNOWN, Intent.SMALLTALK) and not params:
            return None  # a different request: dispatch leaves the step and handles it
        question = report.question_for(ctx, field, Draft.from_dict(data["drafts"][index]))
        return Reply.text(f"ยังไม่เข้าใจคำตอบครับ\n{question}", intent=f"ask_{field}")
    drafts = data["drafts"]
    targets = range(len(drafts)) if field in ("office", "period") else [index]
    if field.startswith("part:"):  # a step-scored KPI's further figure joins the draft's parts
        drafts[index]["parts"] = {**(drafts[index].get("parts") or {}), field[5:]: value}
        targets = range(0)
    for i in targets:
        key = {"office": "office_id"}.get(field, field)
        if field in ("office", "period") and drafts[i].get(key) is not None:
            continue
        drafts[i][key] = value
    data.pop("asking", None)
    data.get("options", {}).pop(field, None)
    return report.advance(ctx, data)


def _other_indicator(ctx: Context, asked: str | None) -> Reply | None:
    """A typed figure of another indicator is never an answer for this draft (a money amount where a percent is
    asked): a complete report of its own (with its month) is handled as a new message, a bare figure is asked
    again. None when the message is not such a figure."""
    parsed = ctx.parsed
    if asked is None or parsed is None or parsed.intent is not Intent.REPORT:
        return None
    other = next((r for r in parsed.reports if r.indicator and r.indicator != asked and r.value is not None), None)
    if other is None:
        return None
    if other.period is not None or len(parsed.reports) > 1:
        return LEAVE  # a new report: dispatch closes this step, says so, and handles the message
    return Reply.text(f"ค่าที่พิมพ์เป็นของ{indicator_label(ctx.session, other.indicator)} แต่รายการนี้เป็น"
                      f"{indicator_label(ctx.session, asked)} จึงยังไม่ได้ใช้ค่านี้ครับ\n{report.QUESTION_TH['value']}",
                      intent="ask_value")


def _confirm(ctx: Context, step: Step, action: str) -> Reply:
    data = step.data
    drafts = [Draft.from_dict(d) for d in data["drafts"]]
    conflicts: dict[str, float] = data.get("conflicts") or {}
    if conflicts and action == "confirm":
        return Reply.text("มีค่าเดิมบันทึกไว้แล้ว กรุณาเลือก แทนค่าเดิม หรือ บวกเพิ่ม หรือ ยกเลิก ครับ", quick=[
            QuickReply("แทนค่าเดิม", "แทนค่าเดิม", f"a=replace&s={step.nonce}"),
            QuickReply("บวกเพิ่ม", "บวกเพิ่ม", f"a=add&s={step.nonce}"),
            QuickReply("ยกเลิก", "ยกเลิก", f"a=cancel&s={step.nonce}"),
        ], intent="choose_replace_or_add")
    today = local_today(ctx.settings, ctx.now)
    for draft in drafts:
        # who may act for the draft's office is asked again now: the sender may have been moved since
        if ctx.user is None or not may_act_for(ctx.user, draft.office_id):
            conversation.close(ctx.session, ctx.sender, ctx.now)
            office = ctx.session.get(Office, draft.office_id) if draft.office_id else None
            raise UserError(f"บัญชีนี้รายงานแทน{office.name_th if office else 'สำนักงานนี้'}ไม่ได้แล้วครับ "
                            f"กรุณาส่งรายการใหม่\n{report.NOT_STORED}")
        if reason := impossible_reason(ctx.session, draft, today):
            conversation.close(ctx.session, ctx.sender, ctx.now)
            raise UserError(f"บันทึกไม่ได้ครับ: {reason}\n{report.NOT_STORED}")
    if action == "add" and any(indicator_by_code(ctx.session, d.indicator).value_kind != "amount_mb"  # type: ignore[union-attr]
                               for d in drafts):
        return Reply.text("บวกเพิ่มได้เฉพาะยอดมูลค่าครับ กรุณาเลือก แทนค่าเดิม หรือ ยกเลิก", intent="choose_replace")
    if action == "add" and (reason := _sum_outside_bounds(ctx, drafts, conflicts)):
        conversation.close(ctx.session, ctx.sender, ctx.now)  # a sum is bounded like a single figure
        raise UserError(f"บวกเพิ่มไม่ได้ครับ: {reason}\n{report.NOT_STORED}")
    if data.get("implausible") and step.name != IMPLAUSIBLE:
        nonce = ctx.save_step(IMPLAUSIBLE, {**data, "pending_action": action}, report.ttl(ctx))
        warnings = "\n".join(f"• {w}" for w in data["implausible"])
        return Reply.text(f"⚠️ ค่านี้สูงผิดปกติ\n{warnings}\nตรวจสอบแล้วถูกต้อง กด ยืนยันค่านี้ อีกครั้งครับ", quick=[
            QuickReply("ยืนยันค่านี้", "ยืนยันค่านี้", f"a={action}&s={nonce}"),
            QuickReply("ยกเลิก", "ยกเลิก", f"a=cancel&s={nonce}"),
        ], intent="confirm_implausible")
    mode = {"confirm": "new", "replace": "replace", "add": "add"}[action]
    lines = []
    for index, draft in enumerate(drafts):
        try:
            stored = store(ctx.session, draft, ctx.user, mode=mode if str(index) in conflicts else "new",
                           now=ctx.now, source_message=data.get("source"), source_event_id=ctx.incoming.event_id)
        except ValueError as exc:
            # Someone stored a different figure for the same month and project since the card was shown.
            raise UserError("ระหว่างนี้มีการบันทึกค่าของรายการเดียวกันแล้ว กรุณาพิมพ์ ประวัติ เพื่อตรวจสอบ "
                            f"แล้วส่งใหม่ครับ\n{report.NOT_STORED}") from exc
        final = Draft(**{**draft.to_dict(), "value": stored.value})
        lines.append(("บันทึกแล้ว" if stored.action != "unchanged" else "บันทึกไว้แล้ว") + ": "
                     + draft_lines(ctx.session, final))
    result = "\n".join(lines)
    conversation.close(ctx.session, ctx.sender, ctx.now, result=result, nonce=step.nonce)
    return Reply.text(f"✅ {result}\n{_standing_lines(ctx, drafts)}".strip(), intent="report_stored")


def _sum_outside_bounds(ctx: Context, drafts: list[Draft], conflicts: dict[str, float]) -> str | None:
    """Why adding a figure to the stored one would make a value no report can have, or None."""
    for index, draft in enumerate(drafts):
        indicator = indicator_by_code(ctx.session, draft.indicator)
        if str(index) in conflicts and indicator is not None and draft.value is not None:
            total = conflicts[str(index)] + draft.value
            if reason := outside_bounds(indicator.value_kind, total, indicator.unit):
                return f"ผลรวม{reason[3:] if reason.startswith('ค่า ') else reason}"
    return None


def _standing_lines(ctx: Context, drafts: list[Draft]) -> str:
    """The office's running total for the window and its share of the national figure."""
    lines = []
    office = ctx.session.get(Office, drafts[0].office_id)
    for code in dict.fromkeys(d.indicator for d in drafts):
        indicator = indicator_by_code(ctx.session, code)
        if indicator is None or office is None:
            continue
        figures = standing(ctx.session, office.id, indicator, local_today(ctx.settings, ctx.now))
        if figures.office_value is None:
            continue
        name = indicator_label(ctx.session, code)
        if indicator.aggregation == "sum":
            # what an officer wants to know: the office's total so far, and the country's against its target
            lines.append(f"{name}สะสมของ{office.name_th}: "
                         f"{thai_format.value_with_unit(figures.office_value, indicator.unit)}")
            target = target_of(indicator)
            if target is not None and target.value and figures.national_value is not None:
                lines.append(f"ทั้งประเทศ {thai_format.number(figures.national_value)} จาก "
                             f"{thai_format.value_with_unit(target.value, indicator.unit)} (ร้อยละ "
                             f"{thai_format.number(100 * figures.national_value / target.value)} ของเป้าหมาย)")
        else:
            national = (f" (ทั้งประเทศ {thai_format.value_with_unit(figures.national_value, indicator.unit)})"
                        if figures.national_value is not None else "")
            lines.append(f"{name}เฉลี่ยของ{office.name_th}: "
                         f"{thai_format.value_with_unit(figures.office_value, indicator.unit)}{national}")
    return "\n".join(lines)


