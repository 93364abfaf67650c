"""Handling out of the web worker (HANDLING=queue): the webhook records and answers, handlers do the rest.

A handler holds the senders it works on: while it handles a sender's recorded events, oldest first, and until
their replies have gone out, no other handler takes that sender, so each person's messages are answered in order
however many handlers run. On PostgreSQL the hold is a session advisory lock, so handlers on any number of machines
skip a sender another one holds, and one that dies loses its locks with its connection (bot/line/claim.py); on
SQLite (one machine) handlers are threads of one process, with a lock per sender in the process.

Why advisory locks rather than claiming rows with `SELECT ... FOR UPDATE SKIP LOCKED` (or a job library built on
it): a row claim keeps two handlers off one event, but not off one person, and a person's second message must not
be answered before the first. Each event is still locked and checked by the transaction that handles it
(bot/line/batch.py), so even a sender held by no one (the outbox job's late pass) is never handled twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import wait
from contextlib import contextmanager

from sqlalchemy import text

from bot.line import batch, claim
from bot.line.inbox import PlannedReply, process_event
from bot.services import Services

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1  # an idle handler process looks for new events this often
WOKEN_POLL_SECONDS = 1.0  # threads the webhook wakes (same process) need to look only now and then
SENDERS_PER_PASS = 50
CHUNK_EVENTS = 16  # events a chunk's transaction takes (SQLite's write lock is held as long)
RECORD_SECONDS = 0.05  # sent answers are recorded together this often


@contextmanager
def sender_lock(services: Services, sender: str) -> Iterator[bool]:
    """Hold one sender as a handler pass does; yields False (at once) when another handler holds it."""
    if services.engine.dialect.name != "postgresql":
        with claim.held_here([sender]) as mine:
            yield sender in mine
        return
    with services.engine.connect() as plain:
        conn = plain.execution_options(isolation_level="AUTOCOMMIT")
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(1, hashtext(:s))"), {"s": sender}).scalar())
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(1, hashtext(:s))"), {"s": sender})


def handle_pending(services: Services) -> int:
    """One pass over the waiting senders this handler can hold; returns how many events it handled.

    Each sender's events are handled oldest first, in chunks of whole senders, one transaction a chunk
    (bot/line/batch.py). After each chunk its replies go out, each sender's in order and senders side by side; the
    senders are let go only when their replies have been sent, so another handler never answers a later message
    of theirs first.
    """
    with claim.claimed(services, SENDERS_PER_PASS) as rows:
        waiting, windows = batch.split(rows)
        handled, sending = 0, []
        for chunk in _chunks(list(waiting.values())):
            try:
                planned = batch.handle_chunk(services, chunk, windows)
            except Exception:
                log.exception("a chunk of %d events could not be handled at once; handling them one by one", len(chunk))
                planned = _one_by_one(services, chunk)
            handled += len(chunk)
            by_sender: dict[str, list[PlannedReply]] = {}
            senders = {w.incoming.event_id: w.incoming.line_user_id or "" for w in chunk}
            for reply in planned:
                by_sender.setdefault(senders[reply.event_id], []).append(reply)
            sending += services.gateway.start_replies(list(by_sender.values()))
        # Outcomes are recorded as answers go out (what finished in each RECORD_SECONDS, in one statement), not at the
        # end of the pass: a process that dies mid-pass leaves only the answers then on their way with an unknown
        # outcome (pushed once later, marked as a possible repeat), not every answer of the pass.
        waiting_for = set(sending)
        while waiting_for:
            done, waiting_for = wait(waiting_for, timeout=RECORD_SECONDS)
            services.gateway.record_sent([pair for future in done for pair in future.result()])
        return handled


def _one_by_one(services: Services, chunk: list[batch.Waiting]) -> list[PlannedReply]:
    """A chunk the database refused as a whole, each event in its own transaction and try: the others are answered
    now, and one the database cannot take stays recorded for a later pass (or the outbox job)."""
    planned = []
    for waiting in chunk:
        try:
            reply = process_event(services, waiting.incoming)
        except Exception:
            log.exception("event %s could not be handled now; it stays recorded and will be retried",
                          waiting.incoming.event_id)
            continue
        if reply is not None:
            planned.append(reply)
    return planned


def _chunks(queues: list[list[batch.Waiting]]) -> Iterator[list[batch.Waiting]]:
    """Whole senders' queues, CHUNK_EVENTS events or a little more a chunk."""
    chunk: list[batch.Waiting] = []
    for queue in queues:
        chunk += queue
        if len(chunk) >= CHUNK_EVENTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(services: Services, stop: threading.Event, wake: threading.Event | None = None) -> None:
    """Handle until `stop` is set: a pass, then a short wait (cut short by `wake`, set when an event arrives)."""
    while not stop.is_set():
        try:
            handled = handle_pending(services)
        except Exception:
            log.exception("handler pass failed; trying again")
            handled = 0
        if handled >= SENDERS_PER_PASS:
            continue  # a backlog: on at once
        # Otherwise wait a little, even after a pass that did handle something: the next pass then takes what
        # arrived meanwhile together (a chunk's transaction and the reply marks cost about the same for one event
        # as for twenty), for an answer at most POLL_SECONDS later.
        if wake is not None:
            wake.wait(WOKEN_POLL_SECONDS)  # set by this process's webhook when it records an event
            wake.clear()
        else:
            stop.wait(POLL_SECONDS)


def start_threads(services: Services, count: int, *, woken: bool = True) -> tuple[threading.Event,
                                                                                   threading.Event | None]:
    """Handler threads in this process: returns (stop, wake). With `woken`, this process's webhook sets `wake`
    when it records an event (threads in a web process); without, the threads poll (a handler process). On SQLite
    they start once this process is the one that handles (claim.sole_handler: a second process waits as a
    standby)."""
    stop, wake = threading.Event(), threading.Event() if woken else None

    def handle() -> None:
        with claim.sole_handler(services):
            threads = [threading.Thread(target=run, args=(services, stop, wake), name=f"handler-{n}", daemon=True)
                       for n in range(count)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    threading.Thread(target=handle, name="handlers", daemon=True).start()
    return stop, wake
