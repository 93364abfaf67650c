"""Send one scheduled message to many recipients exactly once, across reruns, crashes and twin schedulers.

1. In one transaction, every new recipient gets a `scheduled_sends` row pointing at an outbound row
   (one multicast of ≤500 per batch) that already holds its retry key. Nothing has been sent yet.
2. Each batch is then sent; success marks its recipients sent.
3. A rerun skips recipients marked sent and resends pending batches with their stored keys, so a
   batch LINE accepted before a crash is answered 409 and not delivered twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.db import transaction
from bot.line.gateway import MULTICAST_LIMIT, QuotaExceeded
from bot.services import Services
from models import ScheduledSend, utcnow

log = logging.getLogger(__name__)


@dataclass
class SendTally:
    """What one send_once call did."""

    sent: int = 0
    already: int = 0
    failed: int = 0
    calls: int = 0
    quota_exhausted: bool = False
    unsent: list[str] = field(default_factory=list)

    def add(self, other: SendTally) -> None:
        """Fold another tally into this one."""
        self.sent += other.sent
        self.already += other.already
        self.failed += other.failed
        self.calls += other.calls
        self.quota_exhausted = self.quota_exhausted or other.quota_exhausted
        self.unsent += other.unsent


def send_once(services: Services, job: str, key: str, recipients: Sequence[str],
              messages: Sequence[dict[str, Any]]) -> SendTally:
    """Deliver `messages` to each recipient at most once for (job, key)."""
    tally = SendTally()
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        return tally
    batches = _log_batches(services, job, key, recipients, messages, tally)
    for outbound_id in batches:
        if tally.quota_exhausted:
            tally.unsent += _recipients_of(services, outbound_id)
            continue
        tally.calls += 1
        try:
            result = services.gateway.send_logged(outbound_id)
        except QuotaExceeded:
            tally.quota_exhausted = True
            tally.unsent += _recipients_of(services, outbound_id)
            log.error("monthly message quota reached during %s %s; stopping this run", job, key)
            continue
        status = "sent" if result.ok else "failed"
        with transaction(services.sessions) as session:
            rows = session.execute(update(ScheduledSend).where(ScheduledSend.outbound_id == outbound_id,
                                                               ScheduledSend.status != "sent")
                                   .values(status=status, sent_at=utcnow() if result.ok else None))
            count = rows.rowcount or 0
        if result.ok:
            tally.sent += count
        else:
            tally.failed += count
    return tally


def _log_batches(services: Services, job: str, key: str, recipients: list[str],
                 messages: Sequence[dict[str, Any]], tally: SendTally) -> list[int]:
    """Record new recipients in batches (before any sending); return the outbound rows still to send."""
    for _attempt in range(2):
        try:
            with transaction(services.sessions) as session:
                known = {row.recipient: row for row in session.scalars(select(ScheduledSend).where(
                    ScheduledSend.job == job, ScheduledSend.key == key, ScheduledSend.recipient.in_(recipients)))}
                fresh = [r for r in recipients if r not in known]
                pending = {row.outbound_id for row in known.values() if row.status != "sent" and row.outbound_id}
                tally.already = sum(1 for row in known.values() if row.status == "sent")
                for start in range(0, len(fresh), MULTICAST_LIMIT):
                    chunk = fresh[start:start + MULTICAST_LIMIT]
                    kind = "push" if len(chunk) == 1 else "multicast"
                    outbound = services.gateway.log_keyed(session, kind, chunk, messages)
                    session.add_all(ScheduledSend(job=job, key=key, recipient=r, outbound_id=outbound.id,
                                                  status="pending") for r in chunk)
                    pending.add(outbound.id)
                session.flush()
                return sorted(pending)
        except IntegrityError:
            # Another scheduler logged some of these recipients at the same moment: read again.
            log.info("%s %s: recipients logged concurrently; re-reading", job, key)
    raise RuntimeError(f"could not log recipients for {job} {key}")


def _recipients_of(services: Services, outbound_id: int) -> list[str]:
    with services.sessions() as session:
        return list(session.scalars(select(ScheduledSend.recipient).where(ScheduledSend.outbound_id == outbound_id,
                                                                          ScheduledSend.status != "sent")))
