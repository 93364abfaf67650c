"""แก้ไข on a confirm card: the new message changes only what it states; month, project, respondents stay.

An officer who typed "ยอดขาย ม.ค. 67 โครงการ 3 2.5 ล้าน" and then "แก้เป็น 2.4 ล้าน" means the same entry with
another value, not a new report that must ask for the month and project again (issue 12).
"""

from __future__ import annotations

from handlers import report
from handlers.context import Context
from handlers.domain.conversation import Step
from handlers.present.replies import Reply


def revised(ctx: Context, step: Step) -> Reply | None:
    """The draft with only what the message states changed (value, month, project, respondents), shown again as
    a card; None when the message states none of them. Another indicator named is a new report, not a revision."""
    parsed = ctx.parsed
    items = [r for r in (parsed.reports if parsed else ()) if r.value is not None or r.period or r.project
             or r.respondents]
    if len(items) != 1:
        return None
    item, data = items[0], step.data
    draft = dict(data["drafts"][0])
    if item.indicator and item.indicator != draft.get("indicator") and item.value is not None:
        return None
    for key in ("value", "period", "project", "respondents"):
        if getattr(item, key) is not None:
            draft[key] = getattr(item, key)
    if item.value is not None:
        draft["score"] = list(item.score) if item.score else None
    return report.advance(ctx, {**data, "drafts": [draft], "conflicts": {}, "implausible": []})
