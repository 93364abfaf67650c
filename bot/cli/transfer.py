"""`python -m bot export reports` and `import reports`: report values to and from CSV (and xlsx out)."""

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
    """Add `export reports` and `import reports`."""
    export = group(subparsers, "export", "export data")
    ex = export.add_parser("reports", help="every current report value")
    ex.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ex.add_argument("--from", dest="period_from", metavar="YYYY-MM")
    ex.add_argument("--to", dest="period_to", metavar="YYYY-MM")
    ex.add_argument("--output", metavar="FILE")
    ex.set_defaults(func=cmd_export_reports)
    imp = group(subparsers, "import", "import data")
    im = imp.add_parser("reports", help="load report values from a CSV file (all rows or none)")
    im.add_argument("file")
    im.set_defaults(func=cmd_import_reports)


def cmd_export_reports(settings: Settings, args: argparse.Namespace) -> int:
    """Write every current report value (optionally a range of months) as CSV or xlsx."""
    from handlers.domain.thai_format import is_period
    from handlers.domain.transfer import export_rows, write_csv, write_xlsx

    for name in ("period_from", "period_to"):
        value = getattr(args, name)
        if value and not is_period(value):
            raise CliError(f"--{name.split('_')[1]} must be YYYY-MM, not {value!r}")
    if args.format == "xlsx" and not args.output:
        raise CliError("xlsx needs --output FILE (a workbook cannot go to standard output)")
    with session_for(settings) as session:
        rows = list(export_rows(session, args.period_from, args.period_to))
    if args.format == "xlsx":
        count = write_xlsx(rows, Path(args.output))
    elif args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = write_csv(rows, out)
    else:
        count = write_csv(rows, sys.stdout)
    print(f"exported {count} row(s)", file=sys.stderr)
    return 0


def cmd_import_reports(settings: Settings, args: argparse.Namespace) -> int:
    """Load report values from a UTF-8 CSV file: all rows, or none and 2 with each bad row named."""
    from handlers.domain.clock import local_today, now
    from handlers.domain.transfer import import_csv

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {args.file}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{args.file} is not UTF-8 text (save the sheet as CSV UTF-8)") from exc
    with session_for(settings) as session:
        result = import_csv(session, text, path.name, local_today(settings), now(settings))
        if result.errors:
            session.rollback()
    if result.errors:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"nothing imported: {len(result.errors)} row(s) with errors", file=sys.stderr)
        return 2
    print(f"imported: {result.created} new, {result.replaced} replaced, {result.unchanged} unchanged")
    return 0
