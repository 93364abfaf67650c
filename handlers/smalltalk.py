"""Thanks and greetings: one short friendly line, not the help menu (issue 12)."""

from __future__ import annotations

from handlers.context import Context
from handlers.present.replies import QuickReply, Reply

THANKS_WORDS = ("ขอบคุณ", "ขอบใจ", "thank")


def handle(ctx: Context) -> Reply:
    """ยินดีครับ for thanks, สวัสดีครับ for a greeting, with a chip to the help menu."""
    text = (ctx.incoming.text or "").lower()
    opening = "ยินดีครับ 🙏" if any(word in text for word in THANKS_WORDS) else "สวัสดีครับ 🙏"
    return Reply.text(f"{opening} ส่งผลงานหรือสอบถามความคืบหน้าได้ตลอดเวลาครับ",
                      quick=[QuickReply("วิธีใช้", "วิธีใช้")], intent="smalltalk")
