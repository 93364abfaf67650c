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
    """Push replies stored but never sent (a dead worker, a client that hung up), once each; returns how many."""
    # Outbound rows are stamped with the real clock, even when the bot's calendar is pinned (BOT_TODAY).
    now = utcnow()
    with services.sessions() as session:
        stale = session.scalars(select(OutboundMessage).where(
            OutboundMessage.kind == "reply", OutboundMessage.status == "pending", OutboundMessage.attempts == 0,
            OutboundMessage.created_at <= now - REPLY_GRACE, OutboundMessage.created_at >= now - REPLY_GIVE_UP,
        ).order_by(OutboundMessage.id).limit(500)).all()
        pending = [(row.id, (row.recipients or [None])[0], list(row.payload)) for row in stale]
    for row_id, chat_id, payload in pending:
        with transaction(services.sessions) as session:
            # Claim the row first, so a redelivery arriving now does not send it as a reply as well.
            claimed = session.execute(update(OutboundMessage).where(
                OutboundMessage.id == row_id, OutboundMessage.status == "pending", OutboundMessage.attempts == 0,
            ).values(status="superseded", last_error="reply never sent; pushed instead")).rowcount
        if not claimed or not chat_id:
            continue
        tally.calls += 1
        result = services.gateway.push(chat_id, payload, dedupe_key=f"reply-fallback:{row_id}")
        if result.ok:
            tally.sent += 1
        else:
            tally.failed += 1
    return len(pending)
