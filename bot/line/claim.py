"""A handler pass's claim: the senders it holds, and their events, read in one round trip.

Which senders are waiting, which of them no other handler holds, and their events (the waiting ones, and the last
minute's for the rate limit) were three reads a pass; under load most passes handle a few events, so that fixed
cost was a good part of each event's (bench/README.md, issue 15).

On PostgreSQL one statement does all three: the longest-waiting senders, each held with a session advisory lock
(`pg_try_advisory_lock`) on the pass's own connection as it is picked, and their events. The locks go with that
connection: released at the end of the pass (`pg_advisory_unlock_all`), or by the server when a handler dies, so
the next handler takes the senders over. On SQLite (one machine, one handler process) the holds are this
process's own locks, taken after the one read.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.engine import make_url

from bot.db import read_connection
from bot.line.inbox import RATE_WINDOW_SECONDS
from bot.services import Services
from models import InboundEvent, utcnow

log = logging.getLogger(__name__)

EVENTS = InboundEvent.__table__
c = EVENTS.c

# The senders with recorded events not yet handled, the longest-waiting first.
PENDING = select(c.line_user_id).where(c.status == "received", c.line_user_id.is_not(None)).group_by(
    c.line_user_id).order_by(func.min(c.id)).limit(bindparam("limit"))
# Their waiting events and their last minute's (the rate limit counts those), in the order they were sent.
_SQLITE = select(c.id, c.webhook_event_id, c.line_user_id, c.status, c.occurred_at, c.received_at, c.payload).where(
    c.line_user_id.in_(PENDING), (c.status == "received") | (c.received_at >= bindparam("since")),
).order_by(c.occurred_at, c.id)
# The same on PostgreSQL, each sender held as it is picked. (A CTE that calls a volatile function is evaluated once,
# never folded into the outer query; the lock is tried for the LIMIT's senders only, which no filter can pass.)
_POSTGRES = text("""
WITH mine AS (
    SELECT sender FROM (
        SELECT line_user_id AS sender FROM inbound_events
        WHERE status = 'received' AND line_user_id IS NOT NULL
        GROUP BY line_user_id ORDER BY min(id) LIMIT :limit
    ) AS pending
    WHERE pg_try_advisory_lock(1, hashtext(sender))
)
SELECT e.id, e.webhook_event_id, e.line_user_id, e.status, e.occurred_at, e.received_at, e.payload
FROM inbound_events AS e JOIN mine ON e.line_user_id = mine.sender
WHERE e.status = 'received' OR e.received_at >= :since
ORDER BY e.occurred_at, e.id
""").columns(*(EVENTS.c[name] for name in ("id", "webhook_event_id", "line_user_id", "status", "occurred_at",
                                           "received_at", "payload")))
_UNLOCK_ALL = text("SELECT pg_advisory_unlock_all()")

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


@contextmanager
def claimed(services: Services, limit: int) -> Iterator[list[Any]]:
    """Hold up to `limit` waiting senders no other handler holds, for the `with` block; yields their events' rows
    (id, webhook_event_id, line_user_id, status, occurred_at, received_at, payload)."""
    params = {"limit": limit, "since": utcnow() - timedelta(seconds=RATE_WINDOW_SECONDS)}
    if services.engine.dialect.name == "postgresql":
        # Autocommit: session locks need no transaction, and a BEGIN and a COMMIT would double the round trips.
        with services.engine.connect() as plain:
            conn = plain.execution_options(isolation_level="AUTOCOMMIT")
            try:
                yield conn.execute(_POSTGRES, params).all()
            finally:
                conn.execute(_UNLOCK_ALL)
        return
    with read_connection(services.engine) as conn:
        rows = conn.execute(_SQLITE, params).all()
    with held_here(dict.fromkeys(row.line_user_id for row in rows)) as mine:
        yield [row for row in rows if row.line_user_id in mine]


@contextmanager
def held_here(senders: Sequence[str]) -> Iterator[set[str]]:
    """This process's holds on these senders (SQLite): yields the ones no other thread of it holds."""
    held = []
    for sender in senders:
        with _local_guard:
            lock = _local_locks.setdefault(sender, threading.Lock())
        if lock.acquire(blocking=False):
            held.append((sender, lock))
    try:
        yield {sender for sender, _ in held}
    finally:
        for _, lock in held:
            lock.release()


@contextmanager
def sole_handler(services: Services) -> Iterator[None]:
    """SQLite: be the one process that handles, for the `with` block; waits while another process is (a standby).

    The senders' holds on SQLite are one process's locks, so two handler processes could answer one person's
    messages out of order. An exclusive lock on a file beside the database keeps a second one waiting instead,
    and the kernel hands the lock over the moment the first one exits, however it exits (kill -9 included): the
    standby then takes over. PostgreSQL needs none of this (any number of handlers, bot/line/claim.py).
    """
    url = make_url(services.settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    path = f"{url.database}.handler-lock"
    with open(path, "a+") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is handling events (%s is held); this one takes over when it stops", path)
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # the kernel's wait: woken when the holder's file closes
            log.info("the other handling process stopped; this one handles events now")
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
