"""ความคืบหน้าเป้าหมาย 2.1: the national card for managers, the own-office card for officers."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from handlers.context import Context
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.domain.indicators import goal_code
from handlers.domain.progress import compute, indicators_for
from handlers.present import flex
from handlers.present.chart import chart_url
from handlers.present.line_limits import MAX_CAROUSEL_BUBBLES
from handlers.present.progress_cards import national_card, office_card
from handlers.present.replies import Reply
from models import Goal, Indicator, Plan

# "เป้าหมาย 99", "ตัวชี้วัด 2.1.1.1.1": a number named as a goal or indicator that the parser did not resolve
NAMED_CODE = re.compile(r"(?:เป้าหมาย|ตัวชี้วัด|goal|indicator)(?:ที่)?\s*([0-9]+(?:\.[0-9]+)*)", re.IGNORECASE)


def handle(ctx: Context) -> Reply:
    """One bubble per indicator of the goal asked about (2.1.1 when none is named)."""
    parsed = ctx.parsed
    code = (parsed.indicator or parsed.goal) if parsed else None
    if code is None and (named := NAMED_CODE.search(ctx.incoming.text or "")):
        code = named.group(1)  # a goal the plan does not have (เป้าหมาย 99) is said so, not shown as 2.1.1
    indicators = indicators_for(ctx.session, code)
    if not indicators:
        goals = ctx.session.scalars(select(Goal.code).join(Plan).where(Plan.kind == "action_plan")
                                    .order_by(Goal.id)).all()
        raise UserError(f"ไม่พบเป้าหมายหรือตัวชี้วัด {code} ในแผนครับ\nเป้าหมายในแผน: {', '.join(goals)}")
    today = local_today(ctx.settings, ctx.now)
    user = ctx.user
    assert user is not None
    own = user.office if user.role == "officer" and user.office and user.office.kind == "provincial" else None
    bubbles = []
    for indicator in indicators[:MAX_CAROUSEL_BUBBLES]:
        national = compute(ctx.session, indicator, today)
        if own is not None and indicator.reported_by == "provincial":
            mine = compute(ctx.session, indicator, today, office=own)
            bubbles.append(office_card(mine, own.name_th, national))
        else:
            bubbles.append(national_card(national, goal_code(ctx.session, indicator)))
    first = indicators[0]
    alt = f"ความคืบหน้า {code or first.code}: {first.title_th}"
    contents = flex.carousel(bubbles)
    card = Reply.flex(alt, contents, intent="progress")
    image = _chart_message(ctx, first, today) if own is None and first.aggregation == "sum" else None
    return Reply(messages=(*card.messages, image), intent="progress") if image else card


def _chart_message(ctx: Context, indicator: Indicator, today: date) -> dict | None:
    """LINE's image message for the monthly chart; LINE only fetches https, so no public URL → no image."""
    base = ctx.settings.public_base_url
    if not base or not base.startswith("https://") or not ctx.settings.line_channel_secret:
        return None
    url = chart_url(base, ctx.settings.line_channel_secret, indicator.code, today.isoformat())
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}
