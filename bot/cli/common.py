"""What the admin commands share: their error, their unit of work on the database, the office lookup.

Nothing heavy is imported here at import time: building the parser (and `--help`, `parse`) must not load
SQLAlchemy, so the database modules are imported inside the functions that use them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.settings import Settings
    from models import Office

# What a subcommand's `func` is: it gets the settings and its arguments, and returns the exit code.
Command = Callable[["Settings", argparse.Namespace], int]
# What `add_subparsers()` returns (argparse names the class only privately).
Subparsers = argparse._SubParsersAction


class CliError(Exception):
    """A bad argument or state; printed, exit code 2, nothing written."""


@contextmanager
def session_for(settings: Settings) -> Iterator[Session]:
    """One unit of work on the configured database; the engine is closed afterwards."""
    from bot.db import make_engine, make_session_factory, transaction

    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def find_office(session: Session, name: str) -> Office:
    """An office by Thai or English province name, code, or a common short form; CliError when none."""
    from handlers.domain import offices

    office = offices.find_office(session, name)
    if office is None:
        raise CliError(f"unknown province or office: {name!r} "
                       "(is the catalogue loaded? `python -m bot catalogue load`)")
    return office


def group(subparsers: Subparsers, name: str, help: str, dest: str | None = None) -> Subparsers:
    """A command with subcommands of its own (`db upgrade`, `users add`), one of which is required."""
    # `dest` is what argparse's error names when the subcommand is missing ("required: db_command").
    return subparsers.add_parser(name, help=help).add_subparsers(dest=dest or f"{name}_command", required=True)
