"""Pick exactly one handler for an event, in a written order, and return its Reply.

Order: event kind (follow/join, non-text) → registration → an open conversation step →
unregistered sender → the intent table → help.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.incoming import Incoming
from bot.replies import Reply
from bot.settings import Settings
from handlers import follow, help, media, register, unregistered
from handlers.context import Context
from models import User
from nlp.intents import Intent, is_help, register_code

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]

# One explicit table: the intent a registered user's text carries → the handler that answers it.
HANDLERS: dict[Intent, Handler] = {
    Intent.HELP: help.handle,
    Intent.REGISTER: register.handle,
    Intent.UNKNOWN: help.handle,
}

MAX_TEXT_LENGTH = 2000


def classify(text: str) -> Intent:
    """The intent of a text message (the full Thai parser plugs in here)."""
    if register_code(text) is not None:
        return Intent.REGISTER
    if is_help(text):
        return Intent.HELP
    return Intent.UNKNOWN


def dispatch(session: Session, settings: Settings, incoming: Incoming, now: datetime) -> Reply | None:
    """Route one event to its handler; None means nothing to say (e.g. unfollow)."""
    user = None
    if incoming.line_user_id:
        user = session.scalars(select(User).where(User.line_user_id == incoming.line_user_id)).first()
    ctx = Context(session=session, settings=settings, incoming=incoming, user=user, now=now)
    if incoming.kind in ("follow", "join"):
        return follow.handle(ctx)
    if incoming.kind in ("unfollow", "other"):
        return None
    if incoming.kind in ("sticker", "image", "location", "media"):
        return media.handle(ctx)
    if incoming.kind == "postback":
        return help.handle(ctx) if ctx.registered else unregistered.handle(ctx)
    text = (incoming.text or "").strip()
    if not text:
        return Reply.text("ไม่พบข้อความครับ พิมพ์ วิธีใช้ เพื่อดูตัวอย่าง", intent="empty")
    if len(text) > MAX_TEXT_LENGTH:
        return Reply.text(f"ข้อความยาวเกินไปครับ (เกิน {MAX_TEXT_LENGTH:,} ตัวอักษร) กรุณาส่งทีละรายการ",
                          intent="too_long")
    intent = classify(text)
    if intent is Intent.REGISTER:
        return HANDLERS[Intent.REGISTER](ctx)
    if not ctx.registered:
        return unregistered.handle(ctx)
    return HANDLERS.get(intent, help.handle)(ctx)
