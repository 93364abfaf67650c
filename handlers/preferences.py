"""หยุดเตือน / เตือนต่อ: a user's own reminder preference; ส่งสรุปตอนนี้: a manager's summary on demand."""

from __future__ import annotations

from handlers.context import Context
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.present.replies import QuickReply, Reply
from handlers.present.summary import summary_indicators, summary_messages


def pause(ctx: Context) -> Reply:
    """Stop scheduled reminders and summaries for this user."""
    assert ctx.user is not None
    ctx.user.reminders_paused = True
    return Reply.text("หยุดการแจ้งเตือนแล้วครับ จะไม่ส่งข้อความเตือนและสรุปรายเดือนถึงท่านอีก\n"
                      "ต้องการกลับมารับการแจ้งเตือน พิมพ์ เตือนต่อ", quick=[QuickReply("เตือนต่อ", "เตือนต่อ")],
                      intent="pause_reminders")


def resume(ctx: Context) -> Reply:
    """Turn scheduled reminders and summaries back on."""
    assert ctx.user is not None
    ctx.user.reminders_paused = False
    return Reply.text("เปิดการแจ้งเตือนแล้วครับ", intent="resume_reminders")


def send_summary(ctx: Context) -> Reply:
    """The monthly summary, now, as a reply (free of quota) rather than a push."""
    user = ctx.user
    assert user is not None
    today = local_today(ctx.settings, ctx.now)
    indicators = summary_indicators(ctx.session, today)
    if user.role == "officer":
        messages = summary_messages(ctx.session, indicators, today, user.office)
    else:
        messages = summary_messages(ctx.session, indicators, today, None)
    if not messages:
        raise UserError("ยังไม่มีข้อมูลสำหรับสรุปครับ")
    return Reply(messages=tuple(messages), intent="send_summary")
