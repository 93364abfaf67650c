"""The database layer's own promises: SQLite writers queue for the lock without SQLite's coarse sleeps,
readers never queue, and one process's catalogue copy follows a reloaded catalogue."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError

from bot import db
from bot.db import make_engine, make_session_factory, reading, transaction
from handlers.domain import catalogue_cache
from models import Indicator
from tests.conftest import POSTGRES_URL

sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's single write lock")


@contextmanager
def write_lock_held(url: str, seconds: float) -> Iterator[Engine]:
    """Another connection holds SQLite's write lock for `seconds`; yields a second engine to try things with."""
    started = threading.Event()

    def hold() -> None:
        engine = make_engine(url)
        with transaction(make_session_factory(engine)) as session:
            session.execute(text("UPDATE offices SET name_th = name_th WHERE id = 1"))
            started.set()
            time.sleep(seconds)
        engine.dispose()

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait(5)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        holder.join()
        engine.dispose()


@sqlite_only
def test_a_writer_waits_for_the_holder_and_then_gets_the_lock(database_url):
    with write_lock_held(database_url, 0.3) as engine, transaction(make_session_factory(engine)) as session:
        began = time.monotonic()
        session.execute(text("UPDATE offices SET name_th = name_th WHERE id = 2"))  # begins: takes the lock
        waited = time.monotonic() - began
    # It waited for the holder and then got the lock promptly (how promptly under load: bench/load_webhook.py).
    assert 0.2 <= waited < 0.3 + 0.1


@sqlite_only
def test_a_writer_gives_up_with_database_is_locked_after_the_wait(database_url, monkeypatch):
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.1)
    with write_lock_held(database_url, 0.6) as engine, pytest.raises(OperationalError, match="locked"), \
            transaction(make_session_factory(engine)) as session:
        session.execute(text("SELECT 1"))


@sqlite_only
def test_a_reader_does_not_wait_for_a_writer(database_url):
    with write_lock_held(database_url, 0.5) as engine:
        began = time.monotonic()
        with reading(make_session_factory(engine)) as session:
            assert session.scalar(select(Indicator.code).where(Indicator.code == "2.1.1")) == "2.1.1"
        assert time.monotonic() - began < 0.2


def test_catalogue_copy_follows_a_reloaded_catalogue_after_its_ttl(database_url, monkeypatch):
    from handlers.domain.indicators import indicator_by_code

    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        before = indicator_by_code(session, "2.1.1")
        assert before is not None and before in session  # an object of this session, usable as any other
        assert [t.round for t in before.targets] == [0] and before.plan.code
    with transaction(sessions) as session:  # `catalogue load` in another process changes a title
        session.execute(text("UPDATE indicators SET title_th = 'ชื่อใหม่' WHERE code = '2.1.1'"))
    with sessions() as session:
        assert indicator_by_code(session, "2.1.1").title_th != "ชื่อใหม่"  # the copy is still fresh
    later = time.monotonic() + catalogue_cache.TTL_SECONDS + 1
    monkeypatch.setattr(catalogue_cache.time, "monotonic", lambda: later)
    with sessions() as session:
        assert indicator_by_code(session, "2.1.1").title_th == "ชื่อใหม่"
    engine.dispose()


@sqlite_only
def test_an_optimistic_writer_that_came_second_gets_a_write_conflict(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    session = sessions()
    try:
        db.optimistic(session)
        name = session.scalar(text("SELECT name_th FROM offices WHERE id = 1"))  # reads without the lock
        with transaction(sessions) as other:  # another writer commits meanwhile
            other.execute(text("UPDATE offices SET name_th = name_th || '*' WHERE id = 2"))
        with pytest.raises(OperationalError) as conflict:
            session.execute(text("UPDATE offices SET name_th = :n WHERE id = 1"), {"n": name + "!"})
        assert db.is_write_conflict(conflict.value)
    finally:
        session.rollback()
        session.close()
    with transaction(sessions) as session:  # nothing of the loser was kept; the database is usable
        assert not session.scalar(text("SELECT name_th FROM offices WHERE id = 1")).endswith("!")
    engine.dispose()
