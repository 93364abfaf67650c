"""The long-lived objects one app (or one scheduler process) shares: engine, sessions, LINE."""

from __future__ import annotations

from dataclasses import dataclass

from linebot.v3 import WebhookParser
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_session_factory
from bot.line.gateway import LineGateway
from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    """Built once per process from settings; nothing here runs at import time."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    parser: WebhookParser
    gateway: LineGateway

    @classmethod
    def build(cls, settings: Settings, *, retried: bool = False) -> Services:
        """Create the engine (it connects lazily), the session factory, the parser and the gateway.

        `retried`: everything this process does with the database is done again when it fails (a handler
        process: an event it could not handle stays recorded for its next pass), so a connection the server
        dropped (a restart) may cost one failed try instead of a test query before every use (bot/db.py).
        """
        import nlp
        from handlers.domain import plan_files

        nlp.use_vocabulary(plan_files.vocabulary)  # read on the first message, from the plan files
        engine = make_engine(settings.database_url, checked=not retried)
        sessions = make_session_factory(engine)
        secret = settings.line_channel_secret or ""
        return cls(settings=settings, engine=engine, sessions=sessions, parser=WebhookParser(secret),
                   gateway=LineGateway(settings, sessions))
