"""คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ: the weighted DITP score of the current round."""

from __future__ import annotations

from datetime import date

from handlers.context import Context
from handlers.domain import thai_format
from handlers.domain.clock import local_today
from handlers.domain.kpi_score import score_round
from handlers.present import flex
from handlers.present.replies import Reply

LEVEL_TH = {50: "ขั้นต้น", 75: "มาตรฐาน", 100: "ขั้นสูง"}


def handle(ctx: Context) -> Reply:
    """Round 1 (6 months) until it has ended, then round 2 (12 months)."""
    today = local_today(ctx.settings, ctx.now)
    first = score_round(ctx.session, 1, today)
    result = first if today <= date.fromisoformat(first.window["end"]) else score_round(ctx.session, 2, today)
    share = 100 * result.total / result.maximum if result.maximum else 0  # coloured against the round's own maximum
    body = [flex.text(f"คะแนนถ่วงน้ำหนักรวม {thai_format.number(result.total)} จาก {result.maximum:g}", weight="bold",
                      color=flex.GREEN if share >= 75 else flex.AMBER if share >= 50 else flex.RED)]
    for kpi in result.kpis:
        if not kpi.measured:
            body.append(flex.separator())
            body.append(flex.text(f"{kpi.code} (น้ำหนัก {kpi.weight:g}) {kpi.title_th}", size="xxs", color=flex.GREY))
            body.append(flex.text(kpi.note or "", size="xs", color=flex.GREY))
            continue
        value = "-" if kpi.value is None else thai_format.value_with_unit(kpi.value, kpi.unit)
        level = LEVEL_TH.get(kpi.level or 0, "ยังไม่ถึงขั้นต้น" if kpi.value is not None else "ยังไม่มีข้อมูล")
        if not kpi.scorable:
            level = "รอข้อมูลประกอบการให้คะแนน"
        body.append(flex.separator())
        body.append(flex.text(f"{kpi.code} (น้ำหนัก {kpi.weight:g}) {kpi.title_th}", size="xxs", color=flex.GREY))
        body.append(flex.text(f"{value} · {level} · {thai_format.number(kpi.score)} คะแนน "
                              f"(ถ่วงน้ำหนัก {thai_format.number(kpi.weighted)})", size="xs"))
        if kpi.note:  # how the score was reached, or what it still needs (an input, a second figure)
            body.append(flex.text(kpi.note, size="xxs", color=flex.GREY))
    start, end = (thai_format.day(date.fromisoformat(result.window[k])) for k in ("start", "end"))
    card = flex.bubble("คะแนน KPI กรมส่งเสริมการค้าระหว่างประเทศ", body,
                       subtitle=f"รอบที่ {result.round} ({start} – {end})")
    return Reply.flex(f"คะแนน KPI DITP รอบที่ {result.round}: {thai_format.number(result.total)} จาก {result.maximum:g}",
                      card,
                      intent="kpi_score")
