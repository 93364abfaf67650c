"""`python -m bot targets import FILE` and `targets show`: offices' own targets and a DITP round's inputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import CliError, group, session_for

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add `targets import` and `targets show`."""
    targets = group(subparsers, "targets", "offices' own targets (the plans give national ones only)")
    imp = targets.add_parser("import", help="load targets from a CSV or XLSX sheet: office, indicator, target"
                                            "[, round] (all rows or none)")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_targets_import)
    show = targets.add_parser("show", help="print the loaded targets")
    show.set_defaults(func=cmd_targets_show)


def cmd_targets_import(settings: Settings, args: argparse.Namespace) -> int:
    """Store every row of the sheet, or none and exit 2 with each bad row named."""
    from handlers.domain.allocations import import_targets
    from handlers.domain.clock import now
    from handlers.domain.sheets import SheetError, read_rows

    path = Path(args.file)
    try:
        header, rows = read_rows(path)
    except SheetError as exc:
        raise CliError(str(exc)) from exc
    with session_for(settings) as session:
        result = import_targets(session, header, rows, path.name, now(settings))
        if result.errors:
            session.rollback()
    if result.errors:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"nothing imported: {len(result.errors)} error(s)", file=sys.stderr)
        return 2
    print(f"imported: {result.created} new, {result.replaced} replaced, {result.unchanged} unchanged")
    return 0


def cmd_targets_show(settings: Settings, args: argparse.Namespace) -> int:
    """Each indicator's allocated targets, their sum against the national target, and the rounds' inputs."""
    from handlers.domain.allocations import summary_lines

    with session_for(settings) as session:
        lines = summary_lines(session)
    print("\n".join(lines) if lines else "no targets loaded (python -m bot targets import FILE)")
    return 0
