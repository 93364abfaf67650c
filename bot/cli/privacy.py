"""`python -m bot privacy purge [--dry-run]`: clear what is past the retention period (bot/privacy.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.common import group, session_for

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add `privacy purge`."""
    privacy = group(subparsers, "privacy", "retention of messages and answers")
    purge = privacy.add_parser("purge", help="clear texts, tokens and payloads past RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="only say what would be cleared")
    purge.set_defaults(func=cmd_privacy_purge)


def cmd_privacy_purge(settings: Settings, args: argparse.Namespace) -> int:
    """Purge (or, with --dry-run, count) what is older than the retention period."""
    from bot.privacy import purge
    from models import utcnow

    with session_for(settings) as session:
        cleared = purge(session, utcnow(), settings.retention_days, dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    verb = "would clear" if args.dry_run else "cleared"
    print(f"{verb} (older than {settings.retention_days} days):")
    for line in cleared.lines():
        print(f"  {line}")
    return 0
