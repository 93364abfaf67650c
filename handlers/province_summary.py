"""สรุปจังหวัด X: the office's own figures for every indicator it reports, rank and months missing."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.domain.indicators import may_report
from handlers.domain.progress import compute
from handlers.present import flex
from handlers.present.line_limits import MAX_CAROUSEL_BUBBLES
from handlers.present.progress_cards import office_card
from handlers.present.replies import Reply
from models import Indicator


def handle(ctx: Context) -> Reply:
    """A carousel: one bubble per indicator the office reports."""
    office = ctx.office_about(action="ดูสรุป", example="สรุปจังหวัดนครราชสีมา")
    today = local_today(ctx.settings, ctx.now)
    indicators = [i for i in ctx.session.scalars(select(Indicator).order_by(Indicator.plan_id, Indicator.position))
                  if may_report(office, i)]
    bubbles = [office_card(compute(ctx.session, i, today, office=office), office.name_th,
                           compute(ctx.session, i, today)) for i in indicators[:MAX_CAROUSEL_BUBBLES]]
    if not bubbles:
        raise UserError(f"{office.name_th} ไม่มีตัวชี้วัดที่ต้องรายงานครับ")
    contents = flex.carousel(bubbles)
    return Reply.flex(f"สรุป{office.name_th}", contents, intent="province_summary")
