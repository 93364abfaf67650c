"""Stickers, images, locations and other non-text messages: a short pointer to what works."""

from __future__ import annotations

from handlers.context import Context
from handlers.present.replies import Reply
from handlers.present.texts import HELP_QUICK

_KIND_TH = {"sticker": "สติกเกอร์", "image": "รูปภาพ", "location": "ตำแหน่งที่ตั้ง"}


def handle(ctx: Context) -> Reply:
    """Explain that reports are typed as text."""
    what = _KIND_TH.get(ctx.incoming.kind, "ข้อความประเภทนี้")
    return Reply.text(f"ขอบคุณครับ บอทยังอ่าน{what}ไม่ได้ กรุณาพิมพ์เป็นข้อความ หรือพิมพ์ วิธีใช้",
                      quick=HELP_QUICK, intent="media")
