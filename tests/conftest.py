"""Shared fixtures: a fake LINE platform on loopback, a fresh SQLite database per test, the app, a chat."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot import create_app  # noqa: E402
from bot.db import make_engine, make_session_factory, transaction  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.domain.catalogue import load_catalogue  # noqa: E402
from tests import nlp_setup  # noqa: F401  (first: sets PyThaiNLP offline and hands nlp its vocabulary)
from tests.chat import Chat  # noqa: E402

CHANNEL_SECRET = "test-channel-secret"
# Tests live inside the 2567 plan window: mid-February 2024 (month 5 of the 8-month window).
TODAY = date(2024, 2, 15)
ACCESS_TOKEN = "test-access-token"


# Set TEST_POSTGRES_URL (a server URL whose user may create databases, e.g.
# postgresql+psycopg://postgres@127.0.0.1:55432/postgres) to run the whole suite on PostgreSQL.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


def _prepare(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_catalogue(session)
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with the catalogue loaded, built once and copied for each test."""
    if POSTGRES_URL:
        name = f"bot_template_{os.getpid()}"
        _admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        _prepare(url)
        yield name
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = tmp_path_factory.mktemp("template") / "bot.db"
    _prepare(f"sqlite:///{path}")
    yield str(path)


def _admin(*statements: str) -> None:
    engine = make_engine(POSTGRES_URL or "", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def _scratch_postgres(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (optionally copied from a template), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    yield make_url(POSTGRES_URL or "").set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(tmp_path: Path, template_db: str) -> Iterator[str]:
    """A fresh copy of the template database for this test."""
    if POSTGRES_URL:
        yield from _scratch_postgres("bot_test", template_db)
        return
    path = tmp_path / "bot.db"
    shutil.copyfile(template_db, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def fake_line() -> Iterator[FakeLinePlatform]:
    """The fake LINE platform; any message that breaks LINE's schema or limits fails the test."""
    fake = FakeLinePlatform(validate=True, access_token=ACCESS_TOKEN).start()
    try:
        yield fake
    finally:
        fake.stop()
    assert fake.violations == [], f"messages LINE would reject: {fake.violations}"


@pytest.fixture
def settings(database_url: str, fake_line: FakeLinePlatform) -> Settings:
    """Settings pointing the real SDK at the fake platform, with short timeouts and backoff."""
    return Settings(
        line_channel_secret=CHANNEL_SECRET, line_channel_access_token=ACCESS_TOKEN, database_url=database_url,
        line_api_base_url=fake_line.base_url, line_connect_timeout=1.0, line_read_timeout=0.5,
        line_backoff_seconds=0.01, fixed_today=TODAY,
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    """The web app under test."""
    app = create_app(settings)
    yield app
    app.extensions["bot"].gateway.close()
    app.extensions["bot"].engine.dispose()


@pytest.fixture
def services(app) -> Services:  # type: ignore[no-untyped-def]
    """The app's long-lived parts (engine, sessions, LINE gateway), as scheduled jobs get them."""
    return app.extensions["bot"]


@pytest.fixture
def sessions(app) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    """The app's own session factory, for reading what it stored."""
    return app.extensions["bot"].sessions


@pytest.fixture
def chat(app, fake_line: FakeLinePlatform) -> Chat:  # type: ignore[no-untyped-def]
    """Send signed webhook events as LINE would and read the bot's replies from the fake platform."""
    return Chat(app.test_client(), fake_line, CHANNEL_SECRET)


def add_user(sessions: sessionmaker[Session], line_user_id: str, role: str, province: str | None = None) -> None:
    """Register a LINE user directly (the invite flow has its own tests)."""
    from sqlalchemy import select

    from models import Office, User

    with transaction(sessions) as session:
        office = session.scalars(select(Office).where(Office.province_th == province)).one() if province else None
        session.add(User(line_user_id=line_user_id, role=role, office_id=office.id if office else None, active=True))


OFFICER = "U" + "0" * 31 + "a"  # an officer of สพจ.เชียงใหม่
OFFICER_KK = "U" + "0" * 31 + "b"  # an officer of สพจ.ขอนแก่น
MANAGER = "U" + "0" * 31 + "c"


@pytest.fixture
def people(sessions: sessionmaker[Session]) -> None:
    """Two officers (เชียงใหม่, ขอนแก่น) and a manager."""
    add_user(sessions, OFFICER, "officer", "เชียงใหม่")
    add_user(sessions, OFFICER_KK, "officer", "ขอนแก่น")
    add_user(sessions, MANAGER, "manager")


@pytest.fixture
def db(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh catalogue-loaded database, without the web app (engine-level tests)."""
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def blank_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on the backend under test, for migration tests."""
    if POSTGRES_URL:
        yield from _scratch_postgres("bot_blank")
        return
    yield f"sqlite:///{tmp_path / 'blank.db'}"


@pytest.fixture
def handler_session(db: sessionmaker[Session]) -> Iterator[Session]:
    """One session for a handler test, as the shell opens one per event, with the usual people; rolled back."""
    from tests.handler_context import people

    with db() as session:
        people(session)
        yield session
        session.rollback()
