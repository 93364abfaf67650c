"""The outbound log: every message the bot sends to LINE is a row, written before the call and updated after it.

The row's retry key is committed before the first attempt, so a retry after a crash reuses it and LINE answers 409
instead of delivering twice. The gateway owns the calls; this module owns the rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction, writing
from handlers.present.line_limits import MAX_MESSAGES, MAX_TEXT
from models import OutboundMessage, utcnow

OUTBOUND = OutboundMessage.__table__


@dataclass(frozen=True)
class Attempt:
    """One call to LINE, as the log records it."""

    status: int | None  # HTTP status, None for a network failure
    request_id: str | None
    message: str | None  # LINE's error message, or the network error
    retryable: bool
    ambiguous: bool = False  # the request may have reached LINE (timeout)


class QuotaExceeded(RuntimeError):
    """LINE refused a push because the channel's monthly message quota is used up."""


@dataclass(frozen=True)
class SendResult:
    """What happened to one send."""

    ok: bool
    outbound_id: int
    status: int | None = None
    error: str | None = None
    fell_back_to_push: bool = False
    already_sent: bool = False


def add(session: Session, kind: str, recipients: list[str], messages: Sequence[dict[str, Any]],
        dedupe_key: str | None = None) -> OutboundMessage:
    """A pending push/multicast row with a fresh retry key, in the caller's transaction."""
    row = OutboundMessage(kind=kind, payload=list(messages), recipients=recipients, retry_key=str(uuid.uuid4()),
                          dedupe_key=dedupe_key, status="pending", attempts=0)
    session.add(row)
    session.flush()
    return row


def new(sessions: sessionmaker[Session], kind: str, messages: list[dict[str, Any]], *, recipients: list[str],
        reply_token: str | None = None, retry_key: str | None = None, dedupe_key: str | None = None,
        source_event_id: str | None = None) -> int:
    """A pending row for a send about to be made, committed in its own transaction; returns its id."""
    with transaction(sessions) as session:
        row = OutboundMessage(kind=kind, payload=messages, recipients=recipients, reply_token=reply_token,
                              retry_key=retry_key, dedupe_key=dedupe_key, source_event_id=source_event_id,
                              status="pending", attempts=0)
        session.add(row)
        session.flush()
        return row.id


def prepare_keyed(sessions: sessionmaker[Session], kind: str, recipients: list[str], messages: list[dict[str, Any]],
                  dedupe_key: str | None, source_event_id: str | None) -> tuple[int, str, bool]:
    """Find or create the outbound row; its retry key is committed before the first attempt."""
    if dedupe_key:
        with transaction(sessions) as session:
            row = session.scalars(select(OutboundMessage).where(OutboundMessage.dedupe_key == dedupe_key)).first()
            if row is not None:
                # Reusing the stored key makes LINE answer 409 if an earlier run did get through.
                return row.id, row.retry_key or "", row.status == "sent"
    retry_key = str(uuid.uuid4())
    row_id = new(sessions, kind, messages, recipients=recipients, retry_key=retry_key, dedupe_key=dedupe_key,
                 source_event_id=source_event_id)
    return row_id, retry_key, False


def attempting(sessions: sessionmaker[Session], row_id: int) -> None:
    """Mark a reply as being sent, committed before the call: if the process dies mid-call, recovery knows the
    outcome is unknown (LINE may have delivered it) rather than that it was never tried."""
    # Recomputable (bot/db.py): lost only to a power loss, and then the send looks never tried, as it would have
    # a moment earlier.
    with writing(sessions, recomputable=True) as conn:
        conn.execute(update(OUTBOUND).where(OUTBOUND.c.id == row_id).values(status="sending", attempted_at=utcnow()))


def attempting_many(sessions: sessionmaker[Session], row_ids: Sequence[int]) -> None:
    """`attempting` for many replies about to be sent, in one transaction."""
    if row_ids:
        with writing(sessions, recomputable=True) as conn:
            conn.execute(update(OUTBOUND).where(OUTBOUND.c.id.in_(row_ids)).values(status="sending",
                                                                                 attempted_at=utcnow()))


_SENT = update(OUTBOUND).where(OUTBOUND.c.id == bindparam("row_id")).values(
    status="sent", attempts=OUTBOUND.c.attempts + 1, last_status=200, last_error=None, request_id=bindparam("rid"),
    attempted_at=bindparam("at"), sent_at=bindparam("at"))


def sent_many(sessions: sessionmaker[Session], accepted: Sequence[tuple[int, Attempt]]) -> None:
    """`record` of a first attempt LINE accepted (200), for many sends in one transaction (one statement)."""
    if accepted:
        now = utcnow()
        with writing(sessions, recomputable=True) as conn:
            conn.execute(_SENT, [{"row_id": row_id, "rid": attempt.request_id, "at": now}
                                 for row_id, attempt in accepted])


def record(sessions: sessionmaker[Session], row_id: int, attempt: Attempt, status: str | None = None,
           note: str | None = None) -> None:
    """Record one attempt (and, for the last one, the outcome) in a single short transaction."""
    values: dict[str, Any] = {"attempts": OUTBOUND.c.attempts + 1, "last_status": attempt.status,
                              "last_error": f"{attempt.message}; {note}" if note else attempt.message,
                              "attempted_at": utcnow()}  # the latest call: the outbox job backs off from it
    if attempt.request_id:
        values["request_id"] = attempt.request_id
    if status is not None:
        values["status"] = status
    if status == "sent":
        values["sent_at"], values["last_error"] = utcnow(), note
    # One UPDATE, no read first: this runs after every reply, beside the webhook's own writes. Recomputable
    # (bot/db.py): if a power loss takes it, a push is resent with its committed retry key (LINE answers 409)
    # and a reply is pushed once more as a possible repeat, as after a crash mid-call.
    with writing(sessions, recomputable=True) as conn:
        conn.execute(update(OUTBOUND).where(OUTBOUND.c.id == row_id).values(values))


def maybe_delivered(ambiguous: bool) -> str | None:
    """The note on a send that failed after a timed-out call, which may have reached LINE."""
    return "may have been delivered" if ambiguous else None


def error_message(body: str | bytes | None) -> tuple[str | None, Any]:
    """LINE's error message and details from an error response body."""
    if not body:
        return None, None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except ValueError:
        return str(body)[:200], None
    if not isinstance(data, dict):
        return None, None
    return data.get("message"), data.get("details")


def possible_repeat(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answer with a note that it may have arrived already (in its first text, or as a text before it)."""
    note = "(ข้อความนี้อาจซ้ำกับที่ได้รับไปแล้ว)"
    first = messages[0] if messages else None
    if first is not None and first.get("type") == "text":
        return [{**first, "text": f"{note}\n{first['text']}"[:MAX_TEXT]}, *messages[1:]]
    if len(messages) < MAX_MESSAGES:
        return [{"type": "text", "text": note}, *messages]
    return messages
