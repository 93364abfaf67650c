"""จังหวัดไหนยังไม่ส่ง [เดือน]: offices that have not reported, grouped by region."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from handlers.domain import plan_files, thai_format
from handlers.domain.breakdowns import completeness
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.domain.indicators import indicator_by_code, periods_in_window, provincial_indicators
from handlers.domain.progress import reporting_period
from handlers.present import flex
from handlers.present.replies import Reply
from models import Indicator, Office


def handle(ctx: Context) -> Reply:
    """One bubble per provincial indicator: who has not reported the month, by region."""
    parsed = ctx.parsed
    if parsed and parsed.indicator:
        named = indicator_by_code(ctx.session, parsed.indicator)
        indicators = [named] if named is not None and named.reported_by == "provincial" else []
    else:
        indicators = provincial_indicators(ctx.session)
    if not indicators:
        raise UserError("ตัวชี้วัดนี้รายงานโดยหน่วยงานส่วนกลาง ไม่ได้รายงานรายจังหวัดครับ")
    today = local_today(ctx.settings, ctx.now)
    regions = {r["code"]: r["name_th"] for r in plan_files.read(plan_files.OFFICES_FILE)["regions"]}
    offices = {o.province_th: o for o in ctx.session.scalars(select(Office).where(Office.kind == "provincial"))}
    bubbles = []
    for indicator in indicators:
        period = (parsed.period if parsed else None) or reporting_period(periods_in_window(indicator), today)
        if period is None:
            raise UserError("ยังไม่ถึงเดือนแรกของแผนครับ")
        bubbles.append(_bubble(ctx, indicator, period, regions, offices))
    contents = flex.carousel(bubbles)
    return Reply.flex("จังหวัดที่ยังไม่รายงาน", contents, intent="missing_reports")


def _bubble(ctx: Context, indicator: Indicator, period: str, regions: dict[str, str],
            offices: dict[str | None, Office]) -> dict:
    reported, missing = completeness(ctx.session, indicator, period)
    body = [flex.text(f"รายงานแล้ว {len(reported)} · ยังไม่รายงาน {len(missing)} จาก {len(offices)} จังหวัด",
                      size="sm", weight="bold", color=flex.RED if missing else flex.GREEN)]
    for code, name in regions.items():
        names = [p for p in missing if offices[p].region == code]
        if names:
            body.append(flex.text(f"{name} ({len(names)})", size="sm", weight="bold"))
            body.append(flex.text(", ".join(names), size="xs", color=flex.GREY))
    if not missing:
        body.append(flex.text("ทุกจังหวัดรายงานครบแล้ว", size="sm"))
    return flex.bubble(f"ยังไม่รายงาน {thai_format.month(period)}", body,
                       subtitle=f"{indicator.code} {indicator.title_th}")
