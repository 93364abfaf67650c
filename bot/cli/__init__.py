"""Admin command line: `python -m bot …` (also installed as `moc-kpi-bot`).

Each command group is a module here with `register(subparsers)`. Building the parser imports nothing heavy; a
command imports what it needs when it runs, so `--help` and `parse` load no SQLAlchemy, Flask or LINE SDK.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import catalogue, db, handler, jobs, parse, people, privacy, progress, serve, targets, transfer
from bot.cli.common import CliError, Command, find_office
from bot.settings import Settings, SettingsError

__all__ = ["CliError", "build_parser", "find_office", "main"]

# The command groups, in the order `--help` lists their commands.
GROUPS = (serve, handler, db, catalogue, targets, people, jobs, progress, transfer, privacy, parse)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Ministry of Commerce KPI LINE bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in GROUPS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
        func: Command = args.func
        return func(settings, args)
    except (CliError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
