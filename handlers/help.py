"""What the bot can do, for the sender's role."""

from __future__ import annotations

from handlers.context import Context
from handlers.present.replies import Reply
from handlers.present.texts import HOW_TO_REGISTER

OFFICER_HELP = (
    "วิธีใช้งาน (เจ้าหน้าที่)\n"
    "• รายงานผล: พิมพ์ตามที่พูดได้เลย เช่น\n"
    "  ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท\n"
    "  ความพึงพอใจ ร้อยละ 92.5 ผู้ตอบ 80 ราย\n"
    "• ดูความคืบหน้า: ความคืบหน้าเป้าหมาย 2.1\n"
    "• ดูประวัติการรายงาน: ประวัติ"
)
MANAGER_HELP = (
    "วิธีใช้งาน (ผู้บริหาร)\n"
    "• ความคืบหน้าเป้าหมาย 2.1\n"
    "• ภาพรวม\n"
    "• สรุปจังหวัดนครราชสีมา\n"
    "• จังหวัดไหนยังไม่ส่ง"
)


def handle(ctx: Context) -> Reply:
    """Role-specific help; unregistered users learn how to register."""
    if not ctx.registered:
        return Reply.text(HOW_TO_REGISTER, intent="help")
    assert ctx.user is not None
    text = OFFICER_HELP if ctx.user.role == "officer" else MANAGER_HELP
    return Reply.text(text, intent="help")
