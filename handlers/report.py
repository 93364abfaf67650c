"""A report message: turn what was understood into drafts, ask for what is missing, show the card.

The conversation is a small state machine (handlers/report-conversation.mmd): `advance` looks at the
drafts, asks for the first missing piece (office → indicator → value → month → project), refuses
what can never be stored, and otherwise shows the confirmation card. Nothing is stored here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from handlers.context import Context
from handlers.domain import conversation, thai_format
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.domain.indicators import (
    indicator_by_code,
    may_report,
    periods_in_window,
    projects_for_office,
    projects_of,
    short_name,
)
from handlers.domain.offices import office_for
from handlers.domain.reports import Draft, existing, implausible_reason, impossible_reason
from handlers.present.cards import confirm_card, draft_lines
from handlers.present.line_limits import MAX_QUICK_REPLY_ITEMS
from handlers.present.replies import QuickReply, Reply
from models import Indicator, Office
from nlp import Parse, Problem

ASK = "ask"
CONFIRM = "confirm_report"
NOT_STORED = "ยังไม่ได้บันทึกข้อมูลครับ"

QUESTION_TH = {
    "office": "รายงานของจังหวัดใดครับ? พิมพ์ชื่อจังหวัดได้เลย",
    "indicator": "เป็นรายงานตัวชี้วัดใดครับ?",
    "value": "กรุณาพิมพ์ตัวเลขพร้อมหน่วย เช่น 2.5 ล้านบาท หรือ ร้อยละ 92.5",
    "period": "เป็นผลของเดือนใดครับ? เช่น ม.ค. 67",
    "project": "เป็นยอดของโครงการใดครับ? พิมพ์เลขโครงการ 1–8 ได้",
    # the satisfaction figure is weighted by it: a row without it would count in no figure
    "respondents": "มีผู้ตอบแบบสอบถามกี่คนครับ? พิมพ์จำนวนคน เช่น 120",
}


def ttl(ctx: Context) -> timedelta:
    """How long a draft waits."""
    return timedelta(minutes=ctx.settings.draft_ttl_minutes)


def handle(ctx: Context) -> Reply:
    """Start a report from a parsed message (replacing any draft still open)."""
    parsed = ctx.parsed
    assert parsed is not None and ctx.user is not None
    refusal = _refusing_problem(parsed.problems)
    if refusal:
        raise UserError(f"{refusal}\n{NOT_STORED}")
    office, office_question = _office_for(ctx, parsed)
    drafts = [
        Draft(indicator=item.indicator, value=item.value, period=item.period,
              office_id=office.id if office else None, project=item.project, respondents=item.respondents,
              source_text=item.source_text, score=list(item.score) if item.score else None,
              numerator=getattr(item, "numerator", None),
              denominator=getattr(item, "denominator", None))
        for item in parsed.reports
    ] or [Draft(indicator=None, value=None, period=parsed.period, office_id=office.id if office else None)]  # type: ignore[arg-type]
    data: dict[str, Any] = {"drafts": [d.to_dict() for d in drafts], "source": ctx.incoming.text,
                            "event_id": ctx.incoming.event_id, "options": {}}
    _note_problems(data, parsed.problems)
    if office_question is not None:
        data["options"]["office"] = office_question
    return advance(ctx, data)


def _refusing_problem(problems: tuple[Problem, ...]) -> str | None:
    for problem in problems:
        if problem.code == "bangkok":
            return "กรุงเทพมหานครไม่มีสำนักงานพาณิชย์จังหวัด จึงรายงานในระบบนี้ไม่ได้ครับ"
        if problem.code == "unknown_project":
            return f"ไม่พบโครงการ {problem.detail} (มีโครงการที่ 1–8)"
        if problem.code == "unreadable_number":
            return (f"อ่านตัวเลข {problem.detail[:40]} ไม่ได้ กรุณาพิมพ์เป็นตัวเลขธรรมดา เช่น 2.5 ล้านบาท "
                    "หรือ 2,500,000 บาท")
        if problem.code == "out_of_range":
            if "บาท" in problem.detail or "ล้าน" in problem.detail:  # a money figure: the reason is its sign
                return f"มูลค่า {problem.detail} เป็นไปไม่ได้ (มูลค่าต้องไม่ติดลบ เดือนที่ไม่มียอดขายพิมพ์ 0 ได้)"
            return f"ค่า {problem.detail} เป็นไปไม่ได้ (ร้อยละต้องไม่เกิน 100 คะแนนเฉลี่ยต้องไม่เกินคะแนนเต็ม)"
    return None


def _note_problems(data: dict[str, Any], problems: tuple[Problem, ...]) -> None:
    """Keep the parser's candidates so the question offers them as choices."""
    for problem in problems:
        if problem.code in ("amount_without_unit", "conflicting_values") and problem.choices:
            data["options"]["value"] = list(problem.choices)
        elif problem.code == "conflicting_months" and problem.choices:
            data["options"]["period"] = list(problem.choices)
            for draft in data["drafts"]:
                draft["period"] = None


def _office_for(ctx: Context, parsed: Parse) -> tuple[Office | None, list[str] | None]:
    """Whose report this is: an officer's own office; a manager names one. Returns (office, choices)."""
    user = ctx.user
    assert user is not None
    named = parsed.province or next((r.province for r in parsed.reports if r.province), None)
    unresolved = next((p for p in parsed.problems if p.code in ("unknown_province", "ambiguous_province")), None)
    office = office_for(ctx.session, user, named, action="รายงาน", example="", required=False, note=NOT_STORED)
    if office is not None:
        return office, None
    return None, list(unresolved.choices) if unresolved else None


def advance(ctx: Context, data: dict[str, Any]) -> Reply:
    """Ask for the first missing piece, refuse the impossible, or show the confirmation card."""
    drafts = [Draft.from_dict(d) for d in data["drafts"]]
    for field in ("office", "indicator", "value", "period", "project", "respondents", "parts"):
        for index, draft in enumerate(drafts):
            if field == "parts" and (key := missing_part(ctx, draft)):
                return _ask(ctx, data, f"part:{key}", index, drafts)
            if field != "parts" and _missing(ctx, draft, field):
                return _ask(ctx, data, field, index, drafts)
    today = local_today(ctx.settings, ctx.now)
    for draft in drafts:
        reason = impossible_reason(ctx.session, draft, today)
        if reason:
            conversation.close(ctx.session, ctx.sender, ctx.now)
            raise UserError(f"บันทึกไม่ได้ครับ: {reason}\n{NOT_STORED}")
    fresh, same, conflicts = [], [], []
    for draft in drafts:
        current = existing(ctx.session, draft)
        if current is None or current.status == "void":
            fresh.append(draft)
        elif (current.value == draft.value and draft.respondents in (None, current.respondents)
              and (draft.parts or None) == (current.parts or None)):
            same.append(draft)
        else:
            conflicts.append((draft, current.value))
    if not fresh and not conflicts:
        conversation.close(ctx.session, ctx.sender, ctx.now)
        lines = "\n".join(draft_lines(ctx.session, d) for d in same)
        return Reply.text(f"บันทึกไว้แล้วครับ ค่าเดิมตรงกัน ไม่มีการเปลี่ยนแปลง\n{lines}", intent="report_unchanged")
    kept = fresh + [d for d, _ in conflicts]
    # Index in `kept` → the value stored now, for the drafts that would change a stored figure.
    old_values = {str(i): old for i, (_, old) in enumerate(conflicts, start=len(fresh))}
    warnings = [w for d in kept if (w := implausible_reason(ctx.session, d, ctx.settings.implausible_factor))]
    data = {**data, "drafts": [d.to_dict() for d in kept], "conflicts": old_values, "implausible": warnings}
    data.pop("asking", None)
    nonce = ctx.save_step(CONFIRM, data, ttl(ctx))
    return confirm_card(ctx.session, kept, old_values, warnings, nonce, already=same)


def missing_part(ctx: Context, draft: Draft) -> str | None:
    """The further figure a step-scored KPI needs before it can be judged (KPI-6: the registration share once
    the quality share could reach a higher step), None when the figures given decide the step."""
    indicator = indicator_by_code(ctx.session, draft.indicator) if draft.indicator else None
    steps = ((indicator.details or {}) if indicator else {}).get("steps")
    if not steps or not steps.get("parts") or draft.value is None:
        return None
    figures = {steps["reported"]["key"]: draft.value, **(draft.parts or {})}
    for step in steps["levels"]:
        unknown = [k for k in step["needs"] if k not in figures]
        if unknown:
            known_hold = all(figures[k] >= v for k, v in step["needs"].items() if k in figures)
            return unknown[0] if known_hold else None
        if not all(figures[k] >= v for k, v in step["needs"].items()):
            return None
    return None


def question_for(ctx: Context, field: str, draft: Draft) -> str:
    """The question that asks for a field (a step-scored KPI's part: the plan file's own wording)."""
    if field.startswith("part:"):
        indicator = indicator_by_code(ctx.session, draft.indicator)
        part = (((indicator.details or {}) if indicator else {}).get("steps") or {}).get("parts", {}).get(field[5:], {})
        return f"{part.get('title_th', field[5:])} เท่าไรครับ? พิมพ์ร้อยละ เช่น 90"
    return QUESTION_TH[field]


def _missing(ctx: Context, draft: Draft, field: str) -> bool:
    if field == "office":
        return draft.office_id is None
    if field == "indicator":
        return draft.indicator is None
    if field == "value":
        return draft.value is None
    if field == "period":
        return draft.period is None
    indicator = indicator_by_code(ctx.session, draft.indicator)
    if field == "respondents":
        return bool(indicator and indicator.aggregation == "weighted_mean") and draft.respondents is None
    return bool(indicator and projects_of(ctx.session, indicator)) and draft.project is None


def _ask(ctx: Context, data: dict[str, Any], field: str, index: int, drafts: list[Draft]) -> Reply:
    """Save the step and ask one precise question, with the likely answers as quick replies."""
    data = {**data, "asking": {"field": field, "index": index}}
    nonce = ctx.save_step(ASK, data, ttl(ctx))
    choices = _choices(ctx, data, field, drafts[index])
    quick = [QuickReply(label, label, f"a=set&s={nonce}&v={value}") for label, value in choices]
    quick.append(QuickReply("ยกเลิก", "ยกเลิก", f"a=cancel&s={nonce}"))
    prefix = ""
    if len(drafts) > 1 or field in ("value", "project", "respondents") or field.startswith("part:"):
        prefix = f"รายการ: {draft_lines(ctx.session, drafts[index])}\n"
    intent = "ask_part" if field.startswith("part:") else f"ask_{field}"
    return Reply.text(prefix + question_for(ctx, field, drafts[index]), quick=quick, intent=intent)


def offered(ctx: Context, data: dict[str, Any], field: str, index: int) -> set[str]:
    """The button values the question for this field offers (what a tapped answer must be one of)."""
    return {value for _, value in _choices(ctx, data, field, Draft.from_dict(data["drafts"][index]))}


def _choices(ctx: Context, data: dict[str, Any], field: str, draft: Draft) -> list[tuple[str, str]]:
    """(label, postback value) pairs for a question."""
    options = data.get("options", {}).get(field) or []
    if field == "office":
        rows = ctx.session.scalars(select(Office).where(Office.province_th.in_(options))).all()
        return [(o.province_th or o.code, o.code) for o in rows]
    if field == "value":
        return [(label, label) for label in options]
    if field == "respondents":
        return []
    if field == "indicator":
        office = ctx.session.get(Office, draft.office_id) if draft.office_id else None
        indicators = ctx.session.scalars(select(Indicator).order_by(Indicator.plan_id, Indicator.position)).all()
        fitting = [i for i in indicators if office is None or may_report(office, i)]
        return [(short_name(i, default=i.code), i.code) for i in fitting[:MAX_QUICK_REPLY_ITEMS - 1]]  # + ยกเลิก
    if field == "period":
        if options:
            return [(thai_format.month(p), p) for p in options]
        indicator = indicator_by_code(ctx.session, draft.indicator)
        today = thai_format.period_of(local_today(ctx.settings, ctx.now))
        allowed = [p for p in periods_in_window(indicator) if p <= today] if indicator else []
        return [(thai_format.month(p), p) for p in allowed[-2:][::-1]]
    indicator = indicator_by_code(ctx.session, draft.indicator)
    office = ctx.session.get(Office, draft.office_id) if draft.office_id else None
    if indicator is None or office is None:
        return []
    return [(f"{p.number}. {(p.keywords or [p.title_th])[0]}", str(p.number))
            for p in projects_for_office(ctx.session, indicator, office)]


