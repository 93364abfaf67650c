"""POST /callback: verify, record each event once, dispatch it in its own transaction, answer 200.

A bad signature is the only 400 for a well-formed request. A database failure is a 500, so LINE
can redeliver; events already handled are skipped on redelivery by their webhookEventId.
Replies are sent after the HTTP answer has gone out, so LINE gets its 200 well within 2 seconds.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from linebot.v3.exceptions import InvalidSignatureError
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot import clock
from bot.dispatch import dispatch
from bot.incoming import Incoming, from_sdk_event
from bot.replies import Reply, UserError
from bot.services import Services
from handlers.texts import APOLOGY
from models import InboundEvent, OutboundMessage, utcnow

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

# A reply row older than this that was never attempted belongs to a worker that died before sending.
STALE_REPLY_SECONDS = 5


@dataclass(frozen=True)
class PlannedReply:
    """A reply stored as pending with its event, to be sent once the transaction has committed."""

    outbound_id: int
    reply_token: str
    chat_id: str | None
    messages: list[dict[str, Any]]
    event_id: str


def _services() -> Services:
    return current_app.extensions["bot"]


@bp.post("/callback")
def callback() -> Response | tuple[Response, int]:
    """LINE's webhook endpoint."""
    services = _services()
    body = request.get_data(as_text=True)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        events = services.parser.parse(body, signature)
    except InvalidSignatureError:
        log.warning("webhook rejected: bad signature")
        return jsonify(error="invalid signature"), 400
    except Exception as exc:  # a signed body that is not a webhook payload
        log.warning("webhook rejected: malformed body (%s)", type(exc).__name__)
        return jsonify(error="malformed body"), 400

    planned: list[PlannedReply] = []
    for event in events:
        incoming = from_sdk_event(event)
        if not incoming.event_id:
            log.warning("event without webhookEventId skipped (type %s)", getattr(event, "type", "?"))
            continue
        reply = process_event(services, incoming)
        if reply is not None:
            planned.append(reply)

    response = jsonify(status="ok")
    if planned:
        response.call_on_close(lambda: deliver(services, planned))
    return response


def process_event(services: Services, incoming: Incoming) -> PlannedReply | None:
    """Record and handle one event in one transaction; None if already seen or nothing to say."""
    started = time.perf_counter()
    session = services.sessions()
    try:
        record = InboundEvent(
            webhook_event_id=incoming.event_id, event_type=incoming.kind, line_user_id=incoming.line_user_id,
            chat_id=incoming.chat_id, is_redelivery=incoming.is_redelivery, occurred_at=incoming.occurred_at,
            status="done",
        )
        session.add(record)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            log.info("event %s already handled; skipped", incoming.event_id)
            return _unsent_reply(session, incoming)
        if _over_rate_limit(services, session, incoming):
            record.status = "rate_limited"
            reply = _rate_limit_notice(services, session, incoming)
        else:
            reply = _run_handler(services, session, incoming, record)
        planned = None
        if reply is not None and incoming.reply_token:
            outbound = OutboundMessage(
                kind="reply", reply_token=incoming.reply_token, payload=reply.as_list(),
                recipients=[incoming.chat_id] if incoming.chat_id else [], status="pending",
                source_event_id=incoming.event_id, attempts=0,
            )
            session.add(outbound)
            session.flush()
            planned = PlannedReply(outbound.id, incoming.reply_token, incoming.chat_id, reply.as_list(),
                                   incoming.event_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    log.info("event=%s user=%s kind=%s intent=%s outcome=%s duration_ms=%.1f", incoming.event_id,
             incoming.line_user_id, incoming.kind, record.intent, record.status,
             (time.perf_counter() - started) * 1000)
    return planned


def _unsent_reply(session: Any, incoming: Incoming) -> PlannedReply | None:
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


def _over_rate_limit(services: Services, session: Any, incoming: Incoming) -> bool:
    """More messages from one user in the last minute than any person types."""
    if incoming.kind not in ("text", "postback", "sticker", "image", "location", "media") or not incoming.line_user_id:
        return False
    since = utcnow() - timedelta(seconds=60)
    recent = session.scalar(select(func.count()).select_from(InboundEvent).where(
        InboundEvent.line_user_id == incoming.line_user_id, InboundEvent.received_at >= since))
    return recent > services.settings.rate_limit_per_minute


def _rate_limit_notice(services: Services, session: Any, incoming: Incoming) -> Reply | None:
    # Say it once per burst; after that stay quiet so a runaway script cannot make us spam back.
    since = utcnow() - timedelta(seconds=60)
    noticed = session.scalar(select(func.count()).select_from(InboundEvent).where(
        InboundEvent.line_user_id == incoming.line_user_id, InboundEvent.received_at >= since,
        InboundEvent.status == "rate_limited"))
    log.warning("user %s over the rate limit; event %s dropped", incoming.line_user_id, incoming.event_id)
    if noticed > 1:
        return None
    return Reply.text("ส่งข้อความถี่เกินไปครับ กรุณารอสักครู่แล้วส่งใหม่ ข้อความช่วงนี้ยังไม่ถูกดำเนินการ",
                      intent="rate_limited")


def _run_handler(services: Services, session: Any, incoming: Incoming, record: InboundEvent) -> Reply | None:
    """Run dispatch inside a savepoint: a failing handler leaves no half-written data behind."""
    try:
        with session.begin_nested():
            reply = dispatch(session, services.settings, incoming, clock.now(services.settings))
    except UserError as problem:
        reply = Reply.text(problem.text_th, quick=problem.quick or None, intent="user_error")
    except (OperationalError, DBAPIError):
        raise  # the database itself failed: let LINE redeliver
    except Exception as exc:
        log.exception("handler failed for event %s", incoming.event_id)
        record.status, record.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        reply = Reply.text(APOLOGY, intent="error")
    record.intent = reply.intent if reply is not None else None
    return reply


def deliver(services: Services, planned: list[PlannedReply]) -> None:
    """Send the replies; a LINE failure is logged in the outbound table, never raised."""
    for item in planned:
        try:
            services.gateway.reply(item.reply_token, item.messages, chat_id=item.chat_id,
                                   source_event_id=item.event_id, outbound_id=item.outbound_id)
        except Exception:
            log.exception("reply for event %s could not be sent", item.event_id)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For deploys and load balancers: is the database reachable?"""
    try:
        with _services().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check failed: %s", type(exc).__name__)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
