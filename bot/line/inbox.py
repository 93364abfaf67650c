"""Inbound events, each handled exactly once: recorded before LINE gets its 200, handled afterwards.

LINE only needs to know that an event arrived. It waits at most 2 seconds, and it redelivers only if
the channel has redelivery turned on (it is off by default). So the webhook records each event
(insert-if-absent by webhookEventId, with everything needed to handle it) in one short transaction
and answers. Handling runs after the answer has gone out, one event per transaction; that
transaction also marks the event handled and stores its pending reply.

An event that was recorded but never handled (the worker died, the database failed mid-way) is
handled later by a redelivery or by the outbox job (`recover`), whichever comes first. The row lock
and the status check make sure only one of them does it (bot.line.recovery).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from bot import db
from bot.db import is_write_conflict, transaction
from bot.services import Services
from handlers.dispatch import dispatch
from handlers.domain import clock
from handlers.domain.errors import UserError
from handlers.incoming import Incoming
from handlers.present.replies import Reply
from handlers.present.texts import APOLOGY
from models import InboundEvent, OutboundMessage, utcnow

log = logging.getLogger(__name__)

# A reply row older than this that was never attempted belongs to a worker that died before sending.
STALE_REPLY_SECONDS = 5
# The per-user rate limit counts a user's events over this many seconds.
RATE_WINDOW_SECONDS = 60
# Optimistic tries on SQLite before the last one, which takes the write lock up front (bot/db.py).
OPTIMISTIC_TRIES = 3
# Kinds of event a person sent and expects an answer to (not follow/unfollow/join).
ANSWERED_KINDS = ("text", "postback", "sticker", "image", "location", "media")


@dataclass(frozen=True)
class PlannedReply:
    """A reply stored as pending with its event, to be sent once the transaction has committed."""

    outbound_id: int
    reply_token: str
    chat_id: str | None
    messages: list[dict[str, Any]]
    event_id: str
    marked: bool = False  # already marked as being sent (status "sending"), in the transaction that logged it


# -- recording (inside the webhook request) -----------------------------------------------------------

# Insert-if-absent by webhookEventId, per dialect, built once (every webhook runs it).
_RECORD = {dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(InboundEvent.__table__).on_conflict_do_nothing(
    index_elements=["webhook_event_id"]) for dialect in (postgresql, sqlite)}


def record(services: Services, incomings: list[Incoming]) -> None:
    """Store each event once; a repeat of a stored event changes nothing.

    Raises if the database fails, so the webhook answers 500 and LINE may redeliver. A batch need not be stored all
    or nothing: its redelivery skips the events already stored. (On SQLite it is one transaction anyway; on
    PostgreSQL each insert commits by itself, sparing the two round trips of a BEGIN and a COMMIT.)
    """
    if not incomings:
        return
    now = utcnow()
    rows = [{"webhook_event_id": i.event_id, "event_type": i.kind, "line_user_id": i.line_user_id,
             "chat_id": i.chat_id, "is_redelivery": i.is_redelivery, "occurred_at": i.occurred_at,
             "received_at": now, "status": "received", "payload": i.to_dict(), "attempts": 0} for i in incomings]
    # A plain connection, no ORM session: this is the only database work LINE waits for.
    with services.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(_RECORD["postgresql"], rows)
            return
        with conn.begin():
            conn.execute(_RECORD[conn.dialect.name], rows)


# -- handling (after the answer) ---------------------------------------------------------------------

def handle_recorded(services: Services, incomings: list[Incoming]) -> None:
    """Handle each recorded event in order and send its reply; failures are logged, never raised.

    An event whose handling failed stays `received`, for a redelivery or the outbox job.
    """
    for incoming in incomings:
        try:
            recent = recent_events(services, incoming)
        except Exception:
            log.exception("event %s could not be handled now; it stays recorded and will be retried",
                          incoming.event_id)
            continue
        # Each event in its own try: one that cannot be handled now (left for the outbox job) never holds up
        # the sender's later messages, which are answered at once.
        for event, seen in (*((earlier, None) for earlier in recent.earlier), (incoming, recent)):
            try:
                _handle_and_reply(services, event, seen)
            except Exception:
                log.exception("event %s could not be handled now; it stays recorded and will be retried",
                              event.event_id)


def _handle_and_reply(services: Services, incoming: Incoming, recent: Recent | None) -> None:
    planned = process_event(services, incoming, recent)
    if planned is not None:
        send_planned(services, planned)


@dataclass(frozen=True)
class Recent:
    """The sender's events of the last minute, as seen just before handling one of them."""

    count: int  # all of them, this one included: the rate limit
    refused: int  # those refused for the rate limit: the notice is given once per burst
    earlier: list[Incoming]  # not handled yet and sent before this one, oldest first


def recent_events(services: Services, incoming: Incoming) -> Recent:
    """One read, outside the write lock, for the rate limit and for answering in order.

    A person's messages are answered in the order they were sent (LINE's timestamp), even when the
    next webhook reaches another worker before the previous one has been handled: earlier unhandled
    events are handled first. Whoever handles an event first wins; the other finds it done.
    """
    if not incoming.line_user_id:
        return Recent(0, 0, [])
    events = InboundEvent.__table__.c
    with db.read_connection(services.engine) as conn:
        rows = conn.execute(select(events.webhook_event_id, events.status, events.occurred_at, events.payload).where(
            events.line_user_id == incoming.line_user_id,
            events.received_at >= utcnow() - timedelta(seconds=RATE_WINDOW_SECONDS),
        ).order_by(events.occurred_at, events.id)).all()
    return recent_in(rows, incoming)


def recent_in(rows: Sequence[Any], incoming: Incoming) -> Recent:
    """`Recent` from the sender's events received in the last RATE_WINDOW_SECONDS: (event id, status, occurred_at,
    payload) rows ordered by occurred_at and id."""
    # The limit counts what the person sent within a minute of this event (by LINE's own timestamps), not what
    # arrived: LINE's redelivery after an outage brings an hour's messages at once, and none is a flood.
    since = incoming.occurred_at - timedelta(seconds=RATE_WINDOW_SECONDS)
    rows = [row for row in rows if row[2] is None or row[2] >= since or row[0] == incoming.event_id]
    earlier = [Incoming.from_dict(payload) for event_id, status, occurred_at, payload in rows
               if status == "received" and payload is not None and event_id != incoming.event_id
               and occurred_at is not None and occurred_at < incoming.occurred_at]
    # The limit counts the events up to this one, not the whole stored batch: of 31 messages in one webhook
    # the first 30 are handled and only the 31st is refused.
    position = next((n for n, row in enumerate(rows, start=1) if row[0] == incoming.event_id), len(rows))
    return Recent(position, sum(status == "rate_limited" for _, status, _, _ in rows[:position]), earlier)


def process_event(services: Services, incoming: Incoming, recent: Recent | None = None) -> PlannedReply | None:
    """Handle one recorded event in one transaction; None if it was handled already or needs no answer.

    Raises if the database fails; nothing of the handling is then kept and the event stays `received`.
    """
    started = time.perf_counter()
    recent = recent or recent_events(services, incoming)
    for tries in range(1, OPTIMISTIC_TRIES + 1):
        try:
            planned, outcome, intent = _process_once(services, incoming, recent, optimistic=tries < OPTIMISTIC_TRIES)
            break
        except OperationalError as exc:
            if not is_write_conflict(exc) or tries == OPTIMISTIC_TRIES:
                raise
            log.debug("event %s: another writer came first; handling it again", incoming.event_id)
    log_handled(incoming, intent, outcome, time.perf_counter() - started, tries)
    return planned


def log_handled(incoming: Incoming, intent: str | None, outcome: str | None, seconds: float, tries: int,
                chunk: int = 1) -> None:
    """The one line per handled event an operator reads (and a log alert may match)."""
    log.info("event=%s user=%s kind=%s intent=%s outcome=%s duration_ms=%.1f tries=%d%s", incoming.event_id,
             incoming.line_user_id, incoming.kind, intent, outcome, seconds * 1000, tries,
             f" chunk={chunk}" if chunk > 1 else "")


def _process_once(services: Services, incoming: Incoming, recent: Recent, *,
                  optimistic: bool) -> tuple[PlannedReply | None, str | None, str | None]:
    with transaction(services.sessions) as session:
        # Recomputable: if a power loss takes this commit, the event is still recorded (durably, by the webhook)
        # and is handled again (bot/db.py recomputable()).
        if optimistic:
            db.optimistic(session, recomputable=True)
        else:
            db.recomputable(session)
        # A redelivery and the outbox job cannot both handle it: PostgreSQL locks the row until commit;
        # on SQLite the second one to write fails (optimistic) or waits for the write lock, then sees it done.
        # Plain column reads and writes (no ORM object for the event or the reply row): this runs for every
        # event, and the ORM's bookkeeping cost more CPU than the statements themselves (bench/README.md).
        events = InboundEvent.__table__.c
        event = session.execute(select(events.id, events.status, events.intent).where(
            events.webhook_event_id == incoming.event_id).with_for_update()).first()
        if event is None:
            log.warning("event %s was never recorded; not handled", incoming.event_id)
            return None, None, None
        if event.status != "received":
            log.info("event %s already handled; skipped", incoming.event_id)
            return unsent_reply(session, incoming), event.status, event.intent
        if incoming.kind in ANSWERED_KINDS and recent.count > services.settings.rate_limit_per_minute:
            reply, status, error = rate_limit_notice(incoming, recent), "rate_limited", None
        else:
            reply, status, error = run_handler(services, session, incoming)
        intent = reply.intent if reply is not None else None
        # The event row is written once, after the handler (one UPDATE, not one before and one after).
        session.execute(update(InboundEvent.__table__).where(events.id == event.id).values(
            status=status, error=error, intent=intent))
        planned = None
        if reply is not None and incoming.reply_token:
            planned = _log_reply(services, session, incoming, reply.as_list())
        return planned, status, intent


def _log_reply(services: Services, session: Session, incoming: Incoming,
               messages: list[dict[str, Any]]) -> PlannedReply:
    """The pending reply row, in the event's transaction: a crash before sending leaves the answer to send."""
    row_id = session.execute(insert(OutboundMessage.__table__).values(
        kind="reply", reply_token=incoming.reply_token, payload=messages,
        recipients=[incoming.chat_id] if incoming.chat_id else [], status="pending", created_at=utcnow(),
        source_event_id=incoming.event_id, attempts=0,
    ).returning(OutboundMessage.__table__.c.id)).scalar_one()
    return PlannedReply(row_id, incoming.reply_token, incoming.chat_id, messages, incoming.event_id)


def unsent_reply(session: Session, incoming: Incoming) -> PlannedReply | None:
    """On redelivery of a handled event: its reply, if the worker died before ever trying to send it.

    The event and its data were committed together with the pending reply, so nothing is handled
    twice; only the answer the user never got is sent (a fresh attempt, falling back to push).
    """
    cutoff = utcnow() - timedelta(seconds=STALE_REPLY_SECONDS)
    row = session.scalars(select(OutboundMessage).where(
        OutboundMessage.source_event_id == incoming.event_id, OutboundMessage.kind == "reply",
        OutboundMessage.status == "pending", OutboundMessage.attempts == 0,
        OutboundMessage.created_at <= cutoff)).first()
    if row is None or not incoming.reply_token:
        return None
    log.warning("event %s: reply %s was never sent; sending it now", incoming.event_id, row.id)
    return PlannedReply(row.id, incoming.reply_token, incoming.chat_id, list(row.payload), incoming.event_id)


def rate_limit_notice(incoming: Incoming, recent: Recent) -> Reply | None:
    # Say it once per burst; after that stay quiet so a runaway script cannot make us spam back.
    log.warning("user %s over the rate limit; event %s dropped", incoming.line_user_id, incoming.event_id)
    if recent.refused > 0:
        return None
    return Reply.text("ส่งข้อความถี่เกินไปครับ ข้อความที่ส่งในนาทีนี้ยังไม่ถูกดำเนินการ กรุณารอ 1 นาทีแล้วส่งใหม่",
                      intent="rate_limited")


def run_handler(services: Services, session: Session, incoming: Incoming) -> tuple[Reply | None, str, str | None]:
    """(reply, status, error): dispatch inside a savepoint, so a failing handler leaves nothing half-written."""
    try:
        with session.begin_nested():
            return dispatch(session, services.settings, incoming, clock.now(services.settings)), "done", None
    except UserError as problem:
        return Reply.text(problem.text_th, intent="user_error"), "done", None
    except (OperationalError, DBAPIError):
        raise  # the database itself failed: keep nothing, the event is handled again later
    except Exception as exc:
        log.exception("handler failed for event %s", incoming.event_id)
        return Reply.text(APOLOGY, intent="error"), "failed", f"{type(exc).__name__}: {exc}"[:2000]


def send_planned(services: Services, planned: PlannedReply) -> None:
    """Hand a stored reply to the gateway, which sends it soon and logs (never raises) a failure."""
    services.gateway.reply_soon(planned.reply_token, planned.messages, chat_id=planned.chat_id,
                                source_event_id=planned.event_id, outbound_id=planned.outbound_id)
