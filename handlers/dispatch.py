"""Pick exactly one handler for an event, in a written order, and return its Reply.

Order: event kind (follow/join, non-text) → registration → unregistered sender → an open
conversation step → a button from a card → the intent table → help.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session

from handlers import (
    edit,
    follow,
    help,
    history,
    kpi,
    media,
    missing,
    overview,
    preferences,
    progress,
    province_summary,
    register,
    report,
    smalltalk,
    steps,
    unregistered,
)
from handlers.context import Context, Settings
from handlers.domain import catalogue_cache, conversation
from handlers.domain.clock import local_today
from handlers.domain.errors import UserError
from handlers.incoming import Incoming
from handlers.present.line_limits import MAX_MESSAGES, MAX_TEXT
from handlers.present.replies import Reply
from nlp import Intent, Parse, parse

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]

MAX_TEXT_LENGTH = 2000


def _nothing_pending(ctx: Context) -> Reply:
    return Reply.text("ไม่มีรายการที่รอยืนยันครับ ส่งรายการใหม่ได้เลย", intent="nothing_pending")


def _not_understood(ctx: Context) -> Reply:
    return help.handle(ctx)


# One explicit table: the intent of a registered user's message → the handler that answers it.
HANDLERS: dict[Intent, Handler] = {
    Intent.REPORT: report.handle,
    Intent.PROGRESS: progress.handle,
    Intent.PROVINCE_SUMMARY: province_summary.handle,
    Intent.MISSING_REPORTS: missing.handle,
    Intent.OVERVIEW: overview.handle,
    Intent.KPI_SCORE: kpi.handle,
    Intent.PAUSE_REMINDERS: preferences.pause,
    Intent.RESUME_REMINDERS: preferences.resume,
    Intent.SEND_SUMMARY: preferences.send_summary,
    Intent.HISTORY: history.handle,
    Intent.CORRECT: edit.handle,
    Intent.CONFIRM: _nothing_pending,
    Intent.CANCEL: _nothing_pending,
    Intent.HELP: help.handle,
    Intent.SMALLTALK: smalltalk.handle,
    Intent.REGISTER: register.handle,
    Intent.UNKNOWN: _not_understood,
}


def dispatch(session: Session, settings: Settings, incoming: Incoming, now: datetime) -> Reply | None:
    """Route one event to its handler; None means nothing to say (e.g. unfollow)."""
    user = None
    conversation.forget(session)  # a step read for an earlier event of this transaction may have been rolled back
    if incoming.line_user_id:
        user = conversation.user_and_step(session, incoming.line_user_id)
        shared = catalogue_cache.of(session)
        if user is not None and user.office_id is not None and shared is not None:
            shared.office(session, user.office_id)  # user.office and session.get(Office, …) then need no SQL
    parsed = _parse(incoming, settings, now)
    postback = dict(parse_qsl(incoming.postback_data or "", keep_blank_values=True))
    ctx = Context(session=session, settings=settings, incoming=incoming, user=user, now=now, parsed=parsed,
                  postback=postback)
    if incoming.kind in ("follow", "join"):
        return follow.handle(ctx)
    if incoming.kind == "unfollow":
        if ctx.user is not None and ctx.user.unfollowed_at is None:
            ctx.user.unfollowed_at = now  # no pushes to someone who blocked the bot, until they follow again
        return None
    if incoming.kind in ("other", "standby"):
        return None
    if incoming.kind in ("sticker", "image", "location", "media"):
        return media.handle(ctx)
    if incoming.kind == "text":
        text = (incoming.text or "").strip()
        if not text:
            return Reply.text("ไม่พบข้อความครับ พิมพ์ วิธีใช้ เพื่อดูตัวอย่าง", intent="empty")
        if len(text) > MAX_TEXT_LENGTH:
            return Reply.text(f"ข้อความยาวเกินไปครับ (เกิน {MAX_TEXT_LENGTH:,} ตัวอักษร) กรุณาส่งทีละรายการ",
                              intent="too_long")
        if parsed is not None and parsed.intent is Intent.REGISTER:
            return register.handle(ctx)
    if not ctx.registered or incoming.line_user_id is None:
        return unregistered.handle(ctx)
    step = conversation.load(session, incoming.line_user_id)
    if step is not None and not conversation.belongs(step, incoming.chat_id):
        if incoming.kind == "postback" and ctx.postback.get("s") == step.nonce:
            return Reply.text("รายการนี้เปิดไว้ในห้องแชทอื่นครับ กรุณายืนยันหรือแก้ไขในห้องเดิม", intent="other_chat")
        step = None  # typed here, the message is a request of its own; the other chat's draft stays there
    left = None
    if step is not None:
        answer = steps.handle(ctx, step)
        if answer is not None:
            return answer
        left = steps.leave(ctx, step)
    if incoming.kind == "postback":
        return _button(ctx)
    assert parsed is not None
    if left is None:
        return HANDLERS.get(parsed.intent, _not_understood)(ctx)
    try:
        return _after_line(left, HANDLERS.get(parsed.intent, _not_understood)(ctx))
    except UserError as problem:  # the refusal still says the open step was closed
        raise UserError(f"{left}\n{problem.text_th}") from problem


def _after_line(line: str, reply: Reply) -> Reply:
    """The reply with one line before it (in its first text, or as a text of its own while LINE allows one more)."""
    first = reply.messages[0] if reply.messages else None
    if first is not None and first.get("type") == "text":
        return Reply(messages=({**first, "text": f"{line}\n{first['text']}"[:MAX_TEXT]}, *reply.messages[1:]),
                     intent=reply.intent)
    if len(reply.messages) < MAX_MESSAGES:
        return Reply(messages=({"type": "text", "text": line}, *reply.messages), intent=reply.intent)
    return reply


def _parse(incoming: Incoming, settings: Settings, now: datetime) -> Parse | None:
    if incoming.kind != "text" or not incoming.text or len(incoming.text) > MAX_TEXT_LENGTH:
        return None
    return parse(incoming.text, local_today(settings, now))


def _button(ctx: Context) -> Reply:
    """A tap on a card's button with no step open for it."""
    action = ctx.postback.get("a")
    if action == "void" and ctx.postback.get("id", "").isdigit() and len(ctx.postback["id"]) <= 9:  # a row id
        return history.ask_void(ctx, int(ctx.postback["id"]))
    return Reply.text("ปุ่มนี้หมดอายุแล้วครับ ส่งรายการใหม่ได้เลย", intent="stale_button")
