"""What came in from LINE and what went out, plus open conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class InboundEvent(Base):
    """A webhook event, recorded by its webhookEventId before LINE gets its 200, handled afterwards.

    status: received (recorded, not yet handled) → done | rate_limited, or failed (its handler raised, or the
    outbox job gave up on it after its tries or the give-up time). `payload` is the event as the bot sees it,
    so it can be handled later by another process if the worker that recorded it died first.
    """

    __tablename__ = "inbound_events"
    __table_args__ = (
        # The per-user rate limit counts a user's events of the last minute.
        Index("ix_inbound_events_user_received", "line_user_id", "received_at"),
        # The outbox job looks for events recorded but never handled.
        Index("ix_inbound_events_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    is_redelivery: Mapped[bool] = mapped_column(Boolean, default=False)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="received")
    intent: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # later tries by the outbox job


class ConversationState(Base):
    """An open conversation step for one LINE user, with an expiry."""

    __tablename__ = "conversation_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboundMessage(Base):
    """One send to LINE (reply, push or multicast), logged before the first attempt."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # reply | push | multicast
    retry_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # e.g. job:period:recipient
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    reply_token: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # pending | sending (a call is under way: marked before it starts, so a crash mid-call is known as one) |
    # sent | failed | superseded (another row delivers it: a reply pushed instead) | given_up (the sender was
    # told it could not be delivered)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    source_event_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the latest call started
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScheduledSend(Base):
    """Who a scheduled job sent what: one row per (job, key, recipient), written before the first attempt.

    `key` names the occasion, e.g. "2024-01:gentle" for January's first reminder. A rerun, a crash or a
    second scheduler finds the row and either skips the recipient (sent) or resends the same outbound
    row with its stored retry key (pending), which LINE answers with 409 if it already got it.
    """

    __tablename__ = "scheduled_sends"
    __table_args__ = (UniqueConstraint("job", "key", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64))
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
