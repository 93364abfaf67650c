"""Handling out of the web worker (HANDLING=queue): the webhook records and answers, handlers do the rest.

A handler takes one sender at a time: it holds that sender's lock while it handles the sender's recorded events
oldest first, so each person's messages are answered in order however many handlers run. On PostgreSQL the lock
is a session advisory lock (`pg_try_advisory_lock`) on a connection of its own: handlers on any number of
machines skip a sender another one holds, and a handler that dies loses its connection and with it the lock,
so the next one takes the sender's events over. On SQLite (one machine) handlers are threads of one process,
and a process-wide lock per sender does the same. Each event is still handled by `inbox.process_event`,
which locks its row and checks its status, so an event is never handled twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, text

from bot.db import reading
from bot.line.inbox import handle_recorded
from bot.services import Services
from handlers.incoming import Incoming
from models import InboundEvent

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1  # an idle handler process looks for new events this often
WOKEN_POLL_SECONDS = 1.0  # threads the webhook wakes (same process) need to look only now and then
SENDERS_PER_PASS = 50
_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


def pending_senders(services: Services, limit: int = SENDERS_PER_PASS) -> list[str]:
    """Senders with recorded events not yet handled, the longest-waiting first."""
    with reading(services.sessions) as session:
        return list(session.scalars(select(InboundEvent.line_user_id).where(
            InboundEvent.status == "received", InboundEvent.line_user_id.is_not(None),
        ).group_by(InboundEvent.line_user_id).order_by(func.min(InboundEvent.id)).limit(limit)))


@contextmanager
def sender_lock(services: Services, sender: str) -> Iterator[bool]:
    """Hold the sender for this handler; yields False (at once) when another handler holds it."""
    if services.engine.dialect.name == "postgresql":
        with services.engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(1, hashtext(:s))"), {"s": sender}).scalar()
            conn.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(1, hashtext(:s))"), {"s": sender})
                    conn.commit()
        return
    with _local_guard:
        lock = _local_locks.setdefault(sender, threading.Lock())
    got = lock.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            lock.release()


def handle_sender(services: Services, sender: str) -> int:
    """Handle one sender's recorded events in the order they were sent; returns how many were handled."""
    with sender_lock(services, sender) as mine:
        if not mine:
            return 0
        with reading(services.sessions) as session:
            payloads = session.scalars(select(InboundEvent.payload).where(
                InboundEvent.status == "received", InboundEvent.line_user_id == sender,
                InboundEvent.payload.is_not(None),
            ).order_by(InboundEvent.occurred_at, InboundEvent.id)).all()
        incomings = [Incoming.from_dict(p) for p in payloads]
        handle_recorded(services, incomings)  # each in its own transaction and try, its reply sent
        return len(incomings)


def handle_pending(services: Services) -> int:
    """One pass over every waiting sender; returns how many events this handler handled."""
    return sum(handle_sender(services, sender) for sender in pending_senders(services))


def run(services: Services, stop: threading.Event, wake: threading.Event | None = None) -> None:
    """Handle until `stop` is set: a pass, then a short wait (cut short by `wake`, set when an event arrives)."""
    while not stop.is_set():
        try:
            handled = handle_pending(services)
        except Exception:
            log.exception("handler pass failed; trying again")
            handled = 0
        if handled:
            continue
        if wake is not None:
            wake.wait(WOKEN_POLL_SECONDS)  # set by this process's webhook when it records an event
            wake.clear()
        else:
            stop.wait(POLL_SECONDS)


def start_threads(services: Services, count: int, *, woken: bool = True) -> tuple[threading.Event,
                                                                                   threading.Event | None]:
    """Handler threads in this process: returns (stop, wake). With `woken`, this process's webhook sets `wake`
    when it records an event (threads in a web process); without, the threads poll (a handler process)."""
    stop, wake = threading.Event(), threading.Event() if woken else None
    for n in range(count):
        threading.Thread(target=run, args=(services, stop, wake), name=f"handler-{n}", daemon=True).start()
    return stop, wake
