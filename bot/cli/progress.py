"""`python -m bot progress`: progress against the plan, for the country or one office."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from bot.cli.common import CliError, find_office, session_for

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add the `progress` command."""
    progress = subparsers.add_parser("progress", help="progress against the plan")
    progress.add_argument("code", nargs="?", metavar="GOAL_OR_INDICATOR", help="e.g. 2.1 or 2.1.1 (default 2.1.1)")
    progress.add_argument("--as-of", metavar="YYYY-MM-DD")
    progress.add_argument("--province", help="one office's figures")
    progress.add_argument("--json", action="store_true")
    progress.set_defaults(func=cmd_progress)


def cmd_progress(settings: Settings, args: argparse.Namespace) -> int:
    """Print the progress of a goal's indicators (or one indicator) as of a date."""
    from handlers.domain.clock import local_today
    from handlers.domain.progress import compute, indicators_for

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else local_today(settings)
    except ValueError as exc:
        raise CliError(f"--as-of must be YYYY-MM-DD, not {args.as_of!r}") from exc
    with session_for(settings) as session:
        indicators = indicators_for(session, args.code)
        if not indicators:
            raise CliError(f"no goal or indicator {args.code!r} in the catalogue")
        office = find_office(session, args.province) if args.province else None
        results = [compute(session, ind, as_of, office=office).to_json() for ind in indicators]
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    for p in results:
        _print_progress(p, office.name_th if office else None)
    return 0


def _print_progress(p: dict, office_name: str | None) -> None:
    from handlers.domain import thai_format

    def fmt(value: float | None) -> str:
        return "-" if value is None else thai_format.value_with_unit(value, p["unit"])

    print(f"{p['indicator']} {p['title_th']}" + (f" — {office_name}" if office_name else ""))
    print(f"  as of {p['as_of']} (month {p['months_elapsed']} of {p['months_total']}); status: {p['status']}")
    print(f"  target {fmt(p['target'])}  actual {fmt(p['actual'])}  percent "
          + ("-" if p["percent"] is None else f"{p['percent']:.2f}%"))
    if p["expected"] is not None:
        print(f"  expected {fmt(p['expected'])}  gap {fmt(p['gap'])}  forecast {fmt(p['forecast'])}  "
              f"needed/month {fmt(p['needed_per_month'])}")
    if p["reporting_period"] and p["offices_missing"]:
        print(f"  not reported for {p['reporting_period']}: {len(p['offices_missing'])} offices")
