"""Handling recorded events a chunk at a time (queue mode): one transaction for many events.

Handled one per transaction, an event cost three to five commits and as many reads of the same rows (the sender's
recent events, its own row, its reply's marks): under load most of a handler's CPU went to that bookkeeping rather
than to the answer (bench/README.md, issue 15). Here a chunk of events is handled in one transaction: their rows
are locked and checked in one statement, each event runs its handler inside its own savepoint (one that fails
leaves nothing half-written and never undoes another), their rows are marked and their replies logged, and the
chunk commits once. The caller sends the replies after the commit (bot/line/handler.py).

If the database refuses the chunk as a whole, the caller handles its events again one at a time
(`inbox.handle_recorded`), so an event the database cannot take never holds up the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import OperationalError

from bot import db
from bot.db import is_write_conflict, transaction
from bot.line.inbox import (
    ANSWERED_KINDS,
    OPTIMISTIC_TRIES,
    RATE_WINDOW_SECONDS,
    PlannedReply,
    log_handled,
    rate_limit_notice,
    recent_in,
    run_handler,
    unsent_reply,
)
from bot.services import Services
from handlers.incoming import Incoming
from models import InboundEvent, OutboundMessage, utcnow

log = logging.getLogger(__name__)

EVENTS = InboundEvent.__table__
OUTBOUND = OutboundMessage.__table__
_MARK = update(EVENTS).where(EVENTS.c.id == bindparam("row_id")).values(
    status=bindparam("new_status"), error=bindparam("new_error"), intent=bindparam("new_intent"))


@dataclass(frozen=True)
class Waiting:
    """A recorded event not yet handled: its row id and the event."""

    row_id: int
    incoming: Incoming


@dataclass
class Window:
    """One sender's events received in the last minute, as the rate limit counts them: (event id, status,
    occurred_at) in the order they were sent. Statuses change here as the pass handles them."""

    rows: list[list[Any]] = field(default_factory=list)

    def recent(self, incoming: Incoming, statuses: dict[str, str]) -> Any:
        """`inbox.Recent` for one event, with the statuses this chunk has given so far."""
        # (no payloads: the pass handles every waiting event of the sender in order, so none is "earlier")
        return recent_in([(r[0], statuses.get(r[0], r[1]), r[2], None) for r in self.rows], incoming)


def split(rows: Sequence[Any]) -> tuple[dict[str, list[Waiting]], dict[str, Window]]:
    """A pass's claimed rows (claim.claimed): each sender's waiting events (oldest first) and last minute's events,
    senders in the order they sent their first waiting event."""
    since = utcnow() - timedelta(seconds=RATE_WINDOW_SECONDS)
    waiting: dict[str, list[Waiting]] = {}
    windows: dict[str, Window] = {}
    for row_id, event_id, sender, status, occurred_at, received_at, payload in rows:
        if received_at >= since:
            windows.setdefault(sender, Window()).rows.append([event_id, status, occurred_at])
        if status == "received" and payload is not None:
            waiting.setdefault(sender, []).append(Waiting(row_id, Incoming.from_dict(payload)))
    return waiting, windows


def handle_chunk(services: Services, chunk: Sequence[Waiting], windows: dict[str, Window]) -> list[PlannedReply]:
    """Handle a chunk of events in one transaction; returns the replies to send, in the events' order.

    Raises if the database fails; nothing of the chunk is then kept and its events stay `received`.
    """
    for tries in range(1, OPTIMISTIC_TRIES + 1):
        try:
            return _chunk_once(services, chunk, windows, optimistic=tries < OPTIMISTIC_TRIES, tries=tries)
        except OperationalError as exc:
            if not is_write_conflict(exc) or tries == OPTIMISTIC_TRIES:
                raise
            log.debug("chunk of %d events: another writer came first; handling it again", len(chunk))
    raise AssertionError("unreachable")


def _chunk_once(services: Services, chunk: Sequence[Waiting], windows: dict[str, Window], *, optimistic: bool,
                tries: int) -> list[PlannedReply]:
    statuses: dict[str, str] = {}  # what this try gave each event, for the rate limit of the ones after it
    lines: list[tuple[Incoming, str | None, str, float]] = []
    with transaction(services.sessions) as session:
        # Recomputable: the events stay recorded (durably, by the webhook) and are handled again if a power loss
        # takes this commit (bot/db.py recomputable()).
        if optimistic:
            db.optimistic(session, recomputable=True)
        else:
            db.recomputable(session)
        # Locked and checked in one statement (PostgreSQL: row locks, in id order so two handlers never deadlock);
        # an event someone else handled meanwhile (the outbox job) is only answered if its reply never went out.
        current = dict(session.execute(select(EVENTS.c.id, EVENTS.c.status).where(
            EVENTS.c.id.in_([w.row_id for w in chunk])).order_by(EVENTS.c.id).with_for_update()).all())
        marks: list[dict[str, Any]] = []
        fresh: list[tuple[Incoming, list[dict[str, Any]]]] = []  # replies to log now
        slots: list[PlannedReply | int] = []  # every reply in the events' order: a logged one, or an index in fresh
        for waiting in chunk:
            incoming, started = waiting.incoming, time.perf_counter()
            status = current.get(waiting.row_id)
            if status != "received":
                if status is not None and (planned := unsent_reply(session, incoming)) is not None:
                    slots.append(planned)
                continue
            window = windows.get(incoming.line_user_id or "") or Window()
            recent = window.recent(incoming, statuses)
            if incoming.kind in ANSWERED_KINDS and recent.count > services.settings.rate_limit_per_minute:
                reply, status, error = rate_limit_notice(incoming, recent), "rate_limited", None
            else:
                reply, status, error = run_handler(services, session, incoming)
            statuses[incoming.event_id] = status
            intent = reply.intent if reply is not None else None
            marks.append({"row_id": waiting.row_id, "new_status": status, "new_error": error, "new_intent": intent})
            if reply is not None and incoming.reply_token:
                slots.append(len(fresh))
                fresh.append((incoming, reply.as_list()))
            lines.append((incoming, intent, status, time.perf_counter() - started))
        if marks:
            session.execute(_MARK, marks)
        logged = _log_replies(session, fresh)
    ordered = [slot if isinstance(slot, PlannedReply) else logged[slot] for slot in slots]
    for incoming, intent, status, seconds in lines:  # after the commit: what was handled, as inbox logs it
        log_handled(incoming, intent, status, seconds, tries, len(chunk))
    for incoming in (w.incoming for w in chunk):
        if incoming.event_id in statuses:
            window = windows.get(incoming.line_user_id or "")
            for row in window.rows if window else ():
                if row[0] == incoming.event_id:
                    row[1] = statuses[incoming.event_id]
    return ordered


def _log_replies(session: Any, replies: list[tuple[Incoming, list[dict[str, Any]]]]) -> list[PlannedReply]:
    """The reply rows, in the chunk's transaction (one statement), already marked as being sent: the calls follow
    the commit at once, and one transaction fewer a chunk is worth what a crash between the two costs (those replies
    are pushed later marked as possible repeats, bot/line/recovery.py, rather than plainly)."""
    if not replies:
        return []
    now: datetime = utcnow()
    ids = session.execute(insert(OUTBOUND).returning(OUTBOUND.c.id, sort_by_parameter_order=True), [
        {"kind": "reply", "reply_token": incoming.reply_token, "payload": messages,
         "recipients": [incoming.chat_id] if incoming.chat_id else [], "status": "sending", "created_at": now,
         "attempted_at": now, "source_event_id": incoming.event_id, "attempts": 0}
        for incoming, messages in replies]).scalars().all()
    return [PlannedReply(row_id, incoming.reply_token or "", incoming.chat_id, messages, incoming.event_id, True)
            for row_id, (incoming, messages) in zip(ids, replies, strict=True)]

