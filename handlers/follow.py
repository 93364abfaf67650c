"""A user adds the bot as a friend, or the bot joins a group: greet and say how to start."""

from __future__ import annotations

from handlers.context import Context
from handlers.present.replies import Reply
from handlers.present.texts import GREETING, HELP_QUICK, HOW_TO_REGISTER


def handle(ctx: Context) -> Reply:
    """Greeting with registration instructions (or a welcome back for registered users)."""
    if ctx.user is not None and ctx.incoming.kind == "follow":
        ctx.user.unfollowed_at = None  # following again resumes reminders (a หยุดเตือน stays as chosen)
    if ctx.registered:
        assert ctx.user is not None
        return Reply.text(f"{GREETING}\n\nยินดีต้อนรับกลับครับ พิมพ์ วิธีใช้ เพื่อดูคำสั่งทั้งหมด",
                          quick=HELP_QUICK, intent="follow")
    if ctx.incoming.kind == "join":
        return Reply.text(f"{GREETING}\n\nสมาชิกแต่ละคนต้องลงทะเบียนก่อนรายงาน: พิมพ์ ลงทะเบียน <รหัส>",
                          intent="follow")
    return Reply.text(f"{GREETING}\n\n{HOW_TO_REGISTER}", intent="follow")
