"""Engine and session factory; one session per request, opened and closed outside handlers."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# How long a SQLite writer waits for another to finish before giving up with "database is locked".
LOCK_WAIT_SECONDS = 15


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite, create the file's folder and set safe pragmas."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": LOCK_WAIT_SECONDS})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own BEGIN handling breaks SAVEPOINTs; we emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can
    # fail at once with SQLITE_BUSY when another writer got there first, whatever busy_timeout says.
    # SQLite's own busy handler sleeps 1, 2, 5, 10, 15… ms between tries, so a writer queued behind a
    # 3 ms transaction would wait up to 8 ms; waiting for the lock here, in finer steps, does not.
    if connection.get_execution_options().get("read_only"):
        connection.exec_driver_sql("BEGIN")  # a WAL reader neither waits for nor blocks the writer
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.0001
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(2 * pause, 0.001)
    finally:
        raw.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit, sharing one catalogue cache."""
    from bot.catalogue_cache import INFO_KEY, CatalogueCache

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
def reading(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that only reads: on SQLite it does not queue for the write lock (see _sqlite_begin)."""
    session = factory()
    try:
        session.connection(execution_options={"read_only": True})
        yield session
    finally:
        session.rollback()
        session.close()
