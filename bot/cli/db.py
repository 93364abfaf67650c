"""`python -m bot db upgrade|downgrade`: the database schema (Alembic migrations)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.common import group

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add `db upgrade` and `db downgrade`."""
    db = group(subparsers, "db", "database schema")
    up = db.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations")
    down.add_argument("revision", nargs="?", default="base")
    down.set_defaults(func=cmd_db_downgrade)


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate up to a revision (default head)."""
    from bot.migrate import upgrade

    upgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


def cmd_db_downgrade(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate down to a revision (default base)."""
    from bot.migrate import downgrade

    downgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0
