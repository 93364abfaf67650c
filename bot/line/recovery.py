"""The outbox job's half of the inbox: events recorded but never handled are handled late, or given up on.

A worker can die between recording an event and handling it, or the database can fail mid-way. Such an event is
picked up here after RECOVERY_GRACE, at most MAX_RECOVERY_ATTEMPTS times; an event that cannot be handled is marked
failed and its sender is asked, in Thai, to send it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.db import reading, transaction
from bot.line.inbox import ANSWERED_KINDS, process_event, send_planned
from bot.line.outbound_log import possible_repeat
from bot.line.push import SendTally
from bot.services import Services
from handlers.domain import thai_format
from handlers.incoming import Incoming
from models import InboundEvent, OutboundMessage, utcnow

log = logging.getLogger(__name__)

# A recorded event is normally handled within a second; after this the outbox job takes it over.
RECOVERY_GRACE = timedelta(seconds=30)
# An event still unhandled after this long is not handled any more: its sender is told to send it again.
RECOVERY_GIVE_UP = timedelta(hours=6)
# The outbox job's tries per event; an event that fails this often is given up the same way.
MAX_RECOVERY_ATTEMPTS = 5

REPLY_GRACE = timedelta(seconds=90)  # a reply token lives about a minute; after that only push can deliver
REPLY_GIVE_UP = timedelta(hours=6)  # an answer this late would confuse more than help


@dataclass
class Recovery:
    """What one recovery pass did."""

    handled: int = 0
    retry_later: int = 0
    given_up: list[str] = field(default_factory=list)  # event ids whose senders were asked to resend


def recover(services: Services) -> Recovery:
    """Handle events recorded at least RECOVERY_GRACE ago and never handled; give up on hopeless ones."""
    result = Recovery()
    now = utcnow()
    with reading(services.sessions) as session:
        stuck = session.execute(select(InboundEvent.id, InboundEvent.received_at, InboundEvent.attempts,
                                       InboundEvent.payload).where(
            InboundEvent.status == "received", InboundEvent.received_at <= now - RECOVERY_GRACE,
        ).order_by(InboundEvent.id).limit(200)).all()
    for event_id, received_at, attempts, payload in stuck:
        if payload is None or received_at < now - RECOVERY_GIVE_UP or attempts >= MAX_RECOVERY_ATTEMPTS:
            if _give_up(services, event_id, payload, received_at, attempts):
                result.given_up.append(str((payload or {}).get("event_id", event_id)))
            continue
        with transaction(services.sessions) as session:
            # Count the try before making it: an event that kills its worker is still given up in the end.
            claimed = session.execute(update(InboundEvent).where(
                InboundEvent.id == event_id, InboundEvent.status == "received", InboundEvent.attempts == attempts,
            ).values(attempts=attempts + 1)).rowcount
        if not claimed:
            continue
        incoming = Incoming.from_dict(payload)
        try:
            planned = process_event(services, incoming)
        except Exception:
            log.exception("event %s: try %d of %d failed", incoming.event_id, attempts + 1, MAX_RECOVERY_ATTEMPTS)
            result.retry_later += 1
            continue
        result.handled += 1
        if planned is not None:
            send_planned(services, planned)
    return result


def _give_up(services: Services, row_id: int, payload: dict[str, Any] | None, received_at: datetime,
             attempts: int) -> bool:
    """Mark an event failed and ask its sender to send it again; True if this pass did so."""
    why = (f"not handled after {attempts} tries" if attempts >= MAX_RECOVERY_ATTEMPTS
           else "not handled within the give-up time")
    with transaction(services.sessions) as session:
        marked = session.execute(update(InboundEvent).where(
            InboundEvent.id == row_id, InboundEvent.status == "received",
        ).values(status="failed", error=why)).rowcount
    if not marked:
        return False
    incoming = Incoming.from_dict(payload) if payload else None
    log.error("event %s given up: %s", incoming.event_id if incoming else row_id, why)
    if incoming is None or incoming.kind not in ANSWERED_KINDS or not incoming.chat_id:
        return True
    notice = resend_notice(incoming, received_at.astimezone(ZoneInfo(services.settings.timezone)))
    services.gateway.push(incoming.chat_id, [{"type": "text", "text": notice}],
                          dedupe_key=f"event-given-up:{incoming.event_id}", source_event_id=incoming.event_id)
    return True


def resend_notice(incoming: Incoming, received_local: datetime) -> str:
    """Thai: the message sent at that (local) time was not handled; please send it again."""
    when = f"{thai_format.day(received_local.date())} เวลา {received_local:%H:%M} น."
    what = f" “{incoming.text[:60]}”" if incoming.text else ""
    return f"ขออภัยครับ ข้อความที่ส่งเมื่อ {when}{what} ยังไม่ได้ดำเนินการเพราะระบบขัดข้อง กรุณาส่งใหม่อีกครั้ง"


def push_unsent_replies(services: Services, tally: SendTally) -> int:
    """Push replies that never went out (a dead worker, a client that hung up), once each; returns how many.

    A reply never attempted is pushed as it is. One whose call was under way when its worker died has an
    unknown outcome (LINE may have delivered it): it is pushed once, marked as a possible repeat.
    """
    # Outbound rows are stamped with the real clock, even when the bot's calendar is pinned (BOT_TODAY).
    now = utcnow()
    never = (OutboundMessage.status == "pending") & (OutboundMessage.attempts == 0) & (
        OutboundMessage.attempted_at.is_(None)) & (OutboundMessage.created_at <= now - REPLY_GRACE)
    unknown = (OutboundMessage.status == "sending") & (OutboundMessage.attempted_at <= now - REPLY_GRACE)
    with services.sessions() as session:
        stale = session.scalars(select(OutboundMessage).where(
            OutboundMessage.kind == "reply", never | unknown, OutboundMessage.created_at >= now - REPLY_GIVE_UP,
        ).order_by(OutboundMessage.id).limit(500)).all()
        pending = [(row.id, row.status, (row.recipients or [None])[0], list(row.payload)) for row in stale]
    for row_id, status, chat_id, payload in pending:
        with transaction(services.sessions) as session:
            # Claim the row first, so a redelivery arriving now does not send it as a reply as well.
            claimed = session.execute(update(OutboundMessage).where(
                OutboundMessage.id == row_id, OutboundMessage.status == status,
            ).values(status="superseded", last_error="reply never sent; pushed instead" if status == "pending"
                     else "reply cut off mid-call; pushed once as a possible repeat")).rowcount
        if not claimed or not chat_id:
            continue
        tally.calls += 1
        messages = payload if status == "pending" else possible_repeat(payload)
        result = services.gateway.push(chat_id, messages, dedupe_key=f"reply-fallback:{row_id}")
        if result.ok:
            tally.sent += 1
        else:
            tally.failed += 1
    return len(pending)


# A failed answer is pushed again after these waits (doubling), each a full run of the gateway's tries;
# after the last the sender is told, in Thai, that the answer could not be delivered.
ANSWER_RETRY_WAIT = timedelta(minutes=1)
ANSWER_RETRY_RUNS = 3


def retry_failed_answers(services: Services, tally: SendTally) -> int:
    """Answers to a person's message whose send failed (LINE erroring, a slow LINE, an expired token with the
    push failing too): pushed again with backoff, and when every run has failed, a last Thai push telling the
    sender. A failed reply becomes one push; a failed push is sent again with its own retry key, so LINE
    answers 409 for one it did accept and no copy is delivered twice. Scheduled pushes are not here: their jobs
    resend them. Returns how many rows were worked on."""
    now = utcnow()
    with services.sessions() as session:
        failed = session.execute(select(
            OutboundMessage.id, OutboundMessage.kind, OutboundMessage.recipients, OutboundMessage.attempted_at,
            OutboundMessage.source_event_id, OutboundMessage.last_error, OutboundMessage.created_at,
            OutboundMessage.attempts).where(
            OutboundMessage.status == "failed", OutboundMessage.kind.in_(("reply", "push")),
            OutboundMessage.source_event_id.is_not(None), OutboundMessage.created_at >= now - REPLY_GIVE_UP,
            OutboundMessage.dedupe_key.is_(None) | OutboundMessage.dedupe_key.like("answer-retry:%")
            | OutboundMessage.dedupe_key.like("reply-fallback:%"),
        ).order_by(OutboundMessage.id).limit(200)).all()
    worked = 0
    tries = max(1, services.settings.line_max_attempts)
    for row_id, kind, recipients, attempted_at, event_id, last_error, created_at, attempts in failed:
        runs = 0 if kind == "reply" else attempts // tries  # push runs made so far (each a full set of tries)
        if attempted_at and now < attempted_at + ANSWER_RETRY_WAIT * (2 ** max(runs - 1, 0)):
            continue  # backing off
        chat_id = (recipients or [None])[0]
        worked += 1
        if runs >= ANSWER_RETRY_RUNS or not chat_id:
            _answer_given_up(services, row_id, chat_id, event_id, created_at, tally)
            continue
        tally.calls += 1
        if kind == "push":
            result = services.gateway.send_logged(row_id)  # the same retry key: never a second copy
        else:
            result = _reply_as_push(services, row_id, chat_id, event_id, "delivered" in (last_error or ""))
        if result is not None:
            tally.sent += result.ok
            tally.failed += not result.ok
            log.warning("answer %s (event %s) sent again: %s", row_id, event_id, "sent" if result.ok else "failed")
    return worked


def _reply_as_push(services: Services, row_id: int, chat_id: str, event_id: str, maybe_sent: bool) -> Any:
    with transaction(services.sessions) as session:
        row = session.get(OutboundMessage, row_id)
        if row is None or row.status != "failed":
            return None
        row.status = "superseded"  # the push below takes over (and, if it fails, is retried in its turn)
        payload = list(row.payload)
    return services.gateway.push(chat_id, possible_repeat(payload) if maybe_sent else payload,
                                 dedupe_key=f"answer-retry:{row_id}", source_event_id=event_id)


def _answer_given_up(services: Services, row_id: int, chat_id: str | None, event_id: str, created_at: datetime,
                     tally: SendTally) -> None:
    with transaction(services.sessions) as session:
        marked = session.execute(update(OutboundMessage).where(
            OutboundMessage.id == row_id, OutboundMessage.status == "failed",
        ).values(status="given_up")).rowcount
    if not marked or not chat_id:
        return
    log.error("answer to event %s could not be delivered; the sender is told", event_id)
    when = created_at.astimezone(ZoneInfo(services.settings.timezone))
    text = (f"ขออภัยครับ คำตอบของข้อความที่ส่งเมื่อ {thai_format.day(when.date())} เวลา {when:%H:%M} น. "
            "ส่งถึงท่านไม่สำเร็จเพราะระบบ LINE ขัดข้อง กรุณาส่งข้อความนั้นอีกครั้ง")
    tally.calls += 1
    result = services.gateway.push(chat_id, [{"type": "text", "text": text}],
                                   dedupe_key=f"answer-given-up:{event_id}", source_event_id=event_id)
    tally.sent += result.ok
    tally.failed += not result.ok
