"""`python -m bot catalogue load|show`: the plan catalogue in the database."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from bot.cli.common import CliError, group, session_for

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add `catalogue load` and `catalogue show`."""
    cat = group(subparsers, "catalogue", "the plan catalogue", dest="cat_command")
    load = cat.add_parser("load", help="load or update the plans from handlers/domain/data")
    load.set_defaults(func=cmd_catalogue_load)
    show = cat.add_parser("show", help="print the loaded catalogue")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_catalogue_show)


def cmd_catalogue_load(settings: Settings, args: argparse.Namespace) -> int:
    """Load or update the plans and offices (idempotent)."""
    from handlers.domain.catalogue import load_catalogue

    with session_for(settings) as session:
        report = load_catalogue(session)
    print(f"catalogue loaded ({report.summary()})")
    return 0


def cmd_catalogue_show(settings: Settings, args: argparse.Namespace) -> int:
    """Print the loaded plans, indicators and offices (or all of it as JSON)."""
    from handlers.domain.catalogue import catalogue_json
    from handlers.domain.interpretations import interpretations

    with session_for(settings) as session:
        data = catalogue_json(session)
    for plan in data["plans"]:
        plan["interpretations"] = interpretations(plan)
    if not data["plans"]:
        raise CliError("the catalogue is empty: run `python -m bot catalogue load` first")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return 0
    for plan in data["plans"]:
        print(f"{plan['code']} v{plan['version']}  {plan['title_th']}")
        print(f"  window {plan['window']['start']} – {plan['window']['end']}")
        for ind in plan["indicators"]:
            target = ind.get("target") or {}
            extra = f"target {target.get('value')} {ind['unit']}" if target else f"weight {ind.get('weight')}"
            print(f"  {ind['code']:<8} {extra:<24} {ind['title_th']}")
        readings = interpretations(plan)
        print(f"  interpretations of the seed ({len(readings)}):")
        for number, line in enumerate(readings, start=1):
            print(f"    {number}. {line}")
    print(f"offices: {sum(1 for o in data['offices'] if o['kind'] == 'provincial')} provincial, "
          f"{sum(1 for o in data['offices'] if o['kind'] == 'central')} central")
    return 0
