"""ภาพรวม: one bubble per goal of the OPS plan, each indicator with its status."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from handlers.domain import thai_format
from handlers.domain.clock import local_today
from handlers.domain.progress import compute
from handlers.present import flex
from handlers.present.progress_cards import STATUS_COLOURS, fmt, progress_bar
from handlers.present.replies import Reply
from models import Goal, Plan


def handle(ctx: Context) -> Reply:
    """A carousel over the goals of the action plan."""
    today = local_today(ctx.settings, ctx.now)
    plan = ctx.session.scalars(select(Plan).where(Plan.kind == "action_plan")).first()
    assert plan is not None
    goals = ctx.session.scalars(select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.code)).all()
    bubbles = []
    for goal in goals:
        body = []
        for indicator in goal.indicators:
            p = compute(ctx.session, indicator, today)
            colour = STATUS_COLOURS.get(p.status, flex.GREY)
            body.append(flex.text(f"{indicator.code} {indicator.title_th}", size="xs", weight="bold"))
            body.append(flex.text(f"{fmt(p.actual, p.unit)} / เป้า {fmt(p.target, p.unit)} · {p.status}", size="xs",
                                  color=colour))
            if p.percent is not None:
                body.append(progress_bar(p.percent, None, colour))
            if p.coverage:  # what the status stands on
                body.append(flex.text(f"รายงานแล้ว {p.coverage['reported']} จาก {p.coverage['of']} จังหวัด", size="xxs",
                                      color=flex.GREY))
        bubbles.append(flex.bubble(f"เป้าหมาย {goal.code}", body, subtitle=goal.title_th[:60]))
    alt = f"ภาพรวมแผนปฏิบัติราชการ ณ {thai_format.day(today)}"
    return Reply.flex(alt, flex.carousel(bubbles, always=True), intent="overview")
