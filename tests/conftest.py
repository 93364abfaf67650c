"""Shared fixtures: a fake LINE platform on loopback, a fresh SQLite database per test, the app, a chat."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from bot import create_app  # noqa: E402
from bot.catalogue import load_catalogue  # noqa: E402
from bot.db import make_engine, make_session_factory, transaction  # noqa: E402
from bot.fake_line import FakeLinePlatform  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.chat import Chat  # noqa: E402

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the catalogue loaded, built once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "bot.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_catalogue(session)
    engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path: Path, template_db: Path) -> str:
    """A fresh copy of the template database for this test."""
    path = tmp_path / "bot.db"
    shutil.copyfile(template_db, path)
    return f"sqlite:///{path}"


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
        line_backoff_seconds=0.01,
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    """The web app under test."""
    app = create_app(settings)
    yield app
    app.extensions["bot"].gateway.close()
    app.extensions["bot"].engine.dispose()


@pytest.fixture
def sessions(app) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    """The app's own session factory, for reading what it stored."""
    return app.extensions["bot"].sessions


@pytest.fixture
def chat(app, fake_line: FakeLinePlatform) -> Chat:  # type: ignore[no-untyped-def]
    """Send signed webhook events as LINE would and read the bot's replies from the fake platform."""
    return Chat(app.test_client(), fake_line, CHANNEL_SECRET)
