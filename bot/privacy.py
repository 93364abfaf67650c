"""Retention: what people sent and what the bot answered is not kept longer than it is needed.

After `retention_days` (RETENTION_DAYS, default 30):
- a handled event (done, failed, rate_limited) keeps its id, type, times and outcome (the de-duplication and
  the audit need them) but loses its payload: the text, the reply token, the postback data;
- an event from someone who never registered also loses the sender's and the chat's ids;
- a finished send (sent, superseded, given_up, failed) loses its payload and reply token;
- a conversation step that expired is deleted (a day after its expiry: long enough to answer a late tap).
Reports and their versions (`report_versions.source_message` included) are the record and are kept.
Events still waiting to be handled and sends still pending are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Text, cast, delete, func, select, update
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.schedule.job_report import JobReport, local
from models import ConversationState, InboundEvent, OutboundMessage, User

if TYPE_CHECKING:
    from bot.services import Services

HANDLED = ("done", "failed", "rate_limited")
FINISHED = ("sent", "superseded", "given_up", "failed")
STEP_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class Purge:
    """What a purge cleared (or, in a dry run, would clear)."""

    event_payloads: int
    stranger_ids: int
    sent_payloads: int
    expired_steps: int

    def lines(self) -> list[str]:
        """One line per kind, for the CLI and the job's log."""
        return [f"handled events' texts and tokens: {self.event_payloads}",
                f"unregistered senders' ids: {self.stranger_ids}",
                f"sent messages' contents: {self.sent_payloads}",
                f"expired conversation steps: {self.expired_steps}"]


def purge(session: Session, now: datetime, retention_days: int, *, dry_run: bool = False) -> Purge:
    """Clear what is past retention in the caller's transaction (nothing written when `dry_run`)."""
    cutoff = now - timedelta(days=retention_days)
    old_events = (InboundEvent.status.in_(HANDLED), InboundEvent.received_at < cutoff)
    registered = select(User.line_user_id)
    strangers = (*old_events, InboundEvent.line_user_id.is_not(None), InboundEvent.line_user_id.not_in(registered))
    # (a cleared send's payload is the empty list: `[]` as text on both databases)
    sent = (OutboundMessage.status.in_(FINISHED), OutboundMessage.created_at < cutoff,
            OutboundMessage.reply_token.is_not(None) | (cast(OutboundMessage.payload, Text) != "[]"))
    steps = (ConversationState.expires_at < now - STEP_GRACE,)
    counts = Purge(
        event_payloads=_count(session, InboundEvent, *old_events, InboundEvent.payload.is_not(None)),
        stranger_ids=_count(session, InboundEvent, *strangers),
        sent_payloads=_count(session, OutboundMessage, *sent),
        expired_steps=_count(session, ConversationState, *steps),
    )
    if dry_run:
        return counts
    session.execute(update(InboundEvent).where(*strangers).values(line_user_id=None, chat_id=None))
    session.execute(update(InboundEvent).where(*old_events, InboundEvent.payload.is_not(None)).values(
        payload=None))
    session.execute(update(OutboundMessage).where(*sent).values(payload=[], reply_token=None))
    session.execute(delete(ConversationState).where(*steps))
    return counts


def _count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]



def run_privacy(services: Services, now: datetime) -> JobReport:
    """The daily job: purge what is past retention, and say what was cleared."""

    with transaction(services.sessions) as session:
        cleared = purge(session, now, services.settings.retention_days)
    return JobReport("privacy", local(services, now).isoformat(), note="; ".join(cleared.lines()))
