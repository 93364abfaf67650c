"""Engine and session factory; one session per request, opened and closed outside handlers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# How long a SQLite writer waits for another to finish before giving up with "database is locked".
LOCK_WAIT_SECONDS = 15


def _strict_json(value: Any) -> str:
    # JSON columns take only what PostgreSQL's json accepts: NaN or Infinity in a payload raises here, inside
    # the handler's savepoint (an apology for that event), not later at COMMIT as a database error that
    # would leave the event unhandled and retried.
    return json.dumps(value, allow_nan=False)


def make_engine(database_url: str, *, checked: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite, create the file's folder and set safe pragmas.

    `checked` (PostgreSQL): test each pooled connection with a round trip before use, so a connection the server
    dropped (a restart) never fails a request; about five round trips per event (bench/README.md). Without it, the
    first use of a dropped connection fails once, and SQLAlchemy then replaces every connection pooled before it.
    """
    kwargs.setdefault("json_serializer", _strict_json)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": LOCK_WAIT_SECONDS})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", checked)
    kwargs.setdefault("pool_recycle", 1800)  # an idle connection a firewall or pooler has cut is not reused
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    # pysqlite's own BEGIN handling breaks SAVEPOINTs; we emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=FULL")  # every commit durable, unless marked recomputable()
    cursor.close()
    record.info.update(busy_timeout=LOCK_WAIT_SECONDS * 1000, synchronous="FULL")  # what _sqlite_set() compares


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can
    # fail at once with SQLITE_BUSY when another writer got there first, whatever busy_timeout says.
    # The wait for the lock is SQLite's own (busy_timeout): a loop of our own retrying BEGIN in short sleeps
    # took a quarter of a worker's CPU under load (issue 15), CPU the lock holder needed.
    options = connection.get_execution_options()
    if options.get("read_only"):
        _sqlite_set(connection, LOCK_WAIT_SECONDS * 1000, None)
        connection.exec_driver_sql("BEGIN")  # a WAL reader neither waits for nor blocks the writer
        return
    synchronous = "NORMAL" if options.get(RECOMPUTABLE) else "FULL"
    if options.get(OPTIMISTIC):
        # Read without the lock; the first write takes it, or fails at once (see optimistic()).
        _sqlite_set(connection, 0, synchronous)
        connection.exec_driver_sql("BEGIN")
        return
    _sqlite_set(connection, LOCK_WAIT_SECONDS * 1000, synchronous)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_set(connection: Any, busy_timeout: int, synchronous: str | None) -> None:
    """Set the connection's lock wait and commit durability, each only when it changes (a PRAGMA per
    transaction was a measurable share of a short one's cost)."""
    raw, info = connection.connection.driver_connection, connection.connection.info
    if info.get("busy_timeout") != busy_timeout:
        raw.execute(f"PRAGMA busy_timeout={busy_timeout}")
        info["busy_timeout"] = busy_timeout
    if synchronous and info.get("synchronous") != synchronous:
        raw.execute(f"PRAGMA synchronous={synchronous}")
        info["synchronous"] = synchronous


OPTIMISTIC = "sqlite_optimistic"


# Commits of work that can be done again from a durable input (handling a recorded event, logging a send's
# outcome) skip SQLite's fsync: see recomputable().
RECOMPUTABLE = "sqlite_recomputable"


def optimistic(session: Session, *, recomputable: bool = False) -> None:
    """Let this session's transaction read without SQLite's write lock and take it only at the first write.

    SQLite has one writer at a time; a transaction that holds the lock while it computes makes every
    other writer wait, including the webhook's own short insert. With this, the lock is held only from
    the first write to the commit. If another writer committed after this transaction began reading
    (or holds the lock at that moment), the first write fails at once: `is_write_conflict()` is then
    true and the caller runs the whole unit of work again. Call before the session's first statement;
    other databases ignore it (PostgreSQL locks rows, not the database). `recomputable`: see recomputable().
    """
    session.connection(execution_options={OPTIMISTIC: True, RECOMPUTABLE: recomputable})


def recomputable(session: Session) -> None:
    """Commit this session's transaction without waiting for SQLite's fsync (WAL, `synchronous=NORMAL`).

    For work that is done again, from a durable input, if it is lost: handling a recorded event, and the
    outbound log's marks around a call to LINE. An application crash (kill -9) loses nothing; a power loss or
    kernel crash can lose the last such commits, never a part of one (WAL keeps the database consistent). The
    input they came from was committed with a full fsync, and that fsync also made every earlier commit durable
    (the WAL is one file, synced to its end): so after a power loss the lost handling is only of events recorded
    before it, which are still `received` and get handled again (the answer may then reach the person twice).
    Waiting for the disk under SQLite's one write lock is what held up the webhook's inserts (issue 15).
    Call before the session's first statement; PostgreSQL ignores it.
    """
    session.connection(execution_options={RECOMPUTABLE: True})


def is_write_conflict(exc: BaseException) -> bool:
    """True for the error an optimistic SQLite transaction gets when another writer came first."""
    orig = getattr(exc, "orig", None)
    return isinstance(exc, OperationalError) and getattr(orig, "sqlite_errorname", "").startswith("SQLITE_BUSY")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit, sharing one catalogue cache."""
    from handlers.domain.catalogue_cache import INFO_KEY, CatalogueCache

    return sessionmaker(bind=engine, expire_on_commit=False, info={INFO_KEY: CatalogueCache()})


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def writing(factory: sessionmaker[Session], *, recomputable: bool = False) -> Iterator[Connection]:
    """One short write (a single statement) on a plain connection of the factory's engine: for one statement the ORM
    session's bookkeeping costs more than the statement (bench/README.md, issue 15). Commits on success; on
    PostgreSQL the statement is its own transaction (autocommit: no BEGIN and COMMIT round trips).
    `recomputable`: see recomputable()."""
    with factory.kw["bind"].connect() as conn:
        if conn.dialect.name == "postgresql":
            yield conn.execution_options(isolation_level="AUTOCOMMIT")
            return
        if recomputable:
            conn = conn.execution_options(**{RECOMPUTABLE: True})
        with conn.begin():
            yield conn


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """`reading` on a plain connection: for a hot read of a few columns, without the ORM session's cost."""
    with engine.connect() as conn:
        yield conn.execution_options(read_only=True)
        conn.rollback()


@contextmanager
def reading(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that only reads: on SQLite it does not queue for the write lock (see _sqlite_begin)."""
    session = factory()
    try:
        session.connection(execution_options={"read_only": True})
        yield session
    finally:
        session.rollback()
        session.close()
