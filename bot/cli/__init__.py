"""Admin command line: `python -m bot …` (also installed as `moc-kpi-bot`)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import make_engine, make_session_factory, transaction
from bot.settings import Settings, SettingsError
from handlers.domain import offices
from handlers.domain.clock import now as clock_now
from models import ROLES, Office, User, utcnow

log = logging.getLogger(__name__)


_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class CliError(Exception):
    """A bad argument or state; printed, exit code 2, nothing written."""


@contextmanager
def _transaction(settings: Settings) -> Iterator[Session]:
    """One unit of work on the configured database; the engine is closed afterwards."""
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def find_office(session: Session, name: str) -> Office:
    """An office by Thai or English province name, code, or a common short form; CliError when none."""
    office = offices.find_office(session, name)
    if office is None:
        raise CliError(f"unknown province or office: {name!r} "
                       "(is the catalogue loaded? `python -m bot catalogue load`)")
    return office


# -- commands -------------------------------------------------------------------------------------

def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.web.serve import serve

    return serve(settings, host=args.host, port=args.port)


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.migrate import upgrade

    upgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


def cmd_db_downgrade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.migrate import downgrade

    downgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


def cmd_catalogue_load(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.domain.catalogue import load_catalogue

    with _transaction(settings) as session:
        report = load_catalogue(session)
    print(f"catalogue loaded ({report.summary()})")
    return 0


def cmd_catalogue_show(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.domain.catalogue import catalogue_json

    with _transaction(settings) as session:
        data = catalogue_json(session)
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
    print(f"offices: {sum(1 for o in data['offices'] if o['kind'] == 'provincial')} provincial, "
          f"{sum(1 for o in data['offices'] if o['kind'] == 'central')} central")
    return 0


def cmd_users_add(settings: Settings, args: argparse.Namespace) -> int:
    with _transaction(settings) as session:
        office = _office_for_role(session, args.role, args.province)
        user = session.scalars(select(User).where(User.line_user_id == args.line_id)).first()
        if user is not None and user.active:
            raise CliError(f"{args.line_id} is already registered ({user.role}); remove it first")
        office_id = office.id if office else None
        if user is None:
            session.add(User(line_user_id=args.line_id, role=args.role, office_id=office_id, active=True))
        else:
            user.role, user.office_id, user.active, user.revoked_at = args.role, office_id, True, None
    print(f"added {args.line_id} as {args.role}" + (f" of {office.name_th}" if office else ""))
    return 0


def cmd_users_list(settings: Settings, args: argparse.Namespace) -> int:
    with _transaction(settings) as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        for user in users:
            state = "active" if user.active else "revoked"
            office = user.office.name_th if user.office else "-"
            print(f"{user.line_user_id}\t{user.role}\t{state}\t{office}")
        if not users:
            print("no users")
    return 0


def cmd_users_remove(settings: Settings, args: argparse.Namespace) -> int:
    with _transaction(settings) as session:
        user = session.scalars(select(User).where(User.line_user_id == args.line_id)).first()
        if user is None or not user.active:
            raise CliError(f"no active user {args.line_id}")
        # Revoke rather than delete: their past reports keep pointing at who made them.
        user.active, user.revoked_at = False, utcnow()
    print(f"revoked {args.line_id}")
    return 0


def cmd_invite_create(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.domain.invites import create_invite

    if args.days <= 0 or args.days > 90:
        raise CliError("--days must be between 1 and 90")
    with _transaction(settings) as session:
        office = _office_for_role(session, args.role, args.province)
        code, invite = create_invite(session, args.role, office, now=clock_now(settings), ttl=timedelta(days=args.days))
        expires = invite.expires_at
    print(code)
    print(f"role {args.role}" + (f", {office.name_th}" if office else "")
          + f"; single use; expires {expires:%Y-%m-%d %H:%M} UTC", file=sys.stderr)
    return 0


def _office_for_role(session: Session, role: str, province: str | None) -> Office | None:
    if role == "officer" and not province:
        raise CliError("an officer needs --province (a provincial office) or --unit (a central unit)")
    return find_office(session, province) if province else None



def cmd_export_reports(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.domain.transfer import export_rows, write_csv, write_xlsx

    for name in ("period_from", "period_to"):
        value = getattr(args, name)
        if value and not _PERIOD.match(value):
            raise CliError(f"--{name.split('_')[1]} must be YYYY-MM, not {value!r}")
    if args.format == "xlsx" and not args.output:
        raise CliError("xlsx needs --output FILE (a workbook cannot go to standard output)")
    with _transaction(settings) as session:
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
    from handlers.domain.clock import local_today, now
    from handlers.domain.transfer import import_csv

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {args.file}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{args.file} is not UTF-8 text (save the sheet as CSV UTF-8)") from exc
    with _transaction(settings) as session:
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


def cmd_progress(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.domain.clock import local_today
    from handlers.domain.progress import compute, indicators_for

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else local_today(settings)
    except ValueError as exc:
        raise CliError(f"--as-of must be YYYY-MM-DD, not {args.as_of!r}") from exc
    with _transaction(settings) as session:
        indicators = indicators_for(session, args.code)
        if not indicators:
            raise CliError(f"no goal or indicator {args.code!r} in the catalogue")
        office = find_office(session, args.province) if args.province else None
        results = [compute(session, ind, as_of, office=office).to_json() for ind in indicators]
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
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


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from bot.schedule.scheduler import main as scheduler_main

    return scheduler_main(settings)


def _moment(settings: Settings, text: str | None) -> datetime:
    from zoneinfo import ZoneInfo

    if not text:
        return clock_now(settings)
    try:
        return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(settings.timezone))
    except ValueError as exc:
        raise CliError(f"--now must be YYYY-MM-DDTHH:MM, not {text!r}") from exc


def cmd_jobs_list(settings: Settings, args: argparse.Namespace) -> int:
    from bot.schedule.scheduler import next_runs

    for job_id, when in next_runs(settings, _moment(settings, args.now)):
        print(f"{job_id}\tnext run {when.isoformat() if when else '-'}")
    return 0


def cmd_jobs_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.schedule.jobs import JOBS
    from bot.services import Services

    if args.job_id not in JOBS:
        raise CliError(f"unknown job {args.job_id!r}; jobs: {', '.join(JOBS)}")
    moment = _moment(settings, args.now)
    if settings.dev_mode:
        raise CliError("no LINE channel configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
                       "(or LINE_API_BASE_URL for a fake platform)")
    services = Services.build(settings)
    try:
        report = JOBS[args.job_id](services, moment)
    finally:
        services.gateway.close()
        services.engine.dispose()
    print(report.line())
    return 3 if report.tally.quota_exhausted else 0


# -- wiring ---------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Ministry of Commerce KPI LINE bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server (development mode if no LINE secrets)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    up = db.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations")
    down.add_argument("revision", nargs="?", default="base")
    down.set_defaults(func=cmd_db_downgrade)

    cat = sub.add_parser("catalogue", help="the plan catalogue").add_subparsers(dest="cat_command", required=True)
    cat.add_parser("load", help="load or update the plans from bot/data").set_defaults(func=cmd_catalogue_load)
    show = cat.add_parser("show", help="print the loaded catalogue")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_catalogue_show)

    users = sub.add_parser("users", help="registered LINE users").add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="register a LINE user directly")
    add.add_argument("--line-id", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    where = add.add_mutually_exclusive_group()
    where.add_argument("--province", help="a provincial office: Thai or English name, or short form")
    where.add_argument("--unit", dest="province", help="a central unit by its code, e.g. ศปท. or สค.")
    add.set_defaults(func=cmd_users_add)
    users.add_parser("list", help="list users").set_defaults(func=cmd_users_list)
    remove = users.add_parser("remove", help="revoke a user")
    remove.add_argument("--line-id", required=True)
    remove.set_defaults(func=cmd_users_remove)

    invite = sub.add_parser("invite", help="invite codes").add_subparsers(dest="invite_command", required=True)
    create = invite.add_parser("create", help="print a new single-use, expiring code")
    create.add_argument("--role", required=True, choices=ROLES)
    where = create.add_mutually_exclusive_group()
    where.add_argument("--province", help="a provincial office: Thai or English name, or short form")
    where.add_argument("--unit", dest="province", help="a central unit by its code, e.g. ศปท. or สค.")
    create.add_argument("--days", type=int, default=7, help="days until the code expires (default 7)")
    create.set_defaults(func=cmd_invite_create)
    sub.add_parser("scheduler", help="run the scheduled jobs (own process)").set_defaults(func=cmd_scheduler)
    jobs = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(dest="jobs_command", required=True)
    listing = jobs.add_parser("list", help="the schedule with next run times")
    listing.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="Bangkok local time to count from")
    listing.set_defaults(func=cmd_jobs_list)
    run = jobs.add_parser("run", help="run one job now (or at a given moment)")
    run.add_argument("job_id")
    run.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="Bangkok local time to run the job as of")
    run.set_defaults(func=cmd_jobs_run)

    progress = sub.add_parser("progress", help="progress against the plan")
    progress.add_argument("code", nargs="?", metavar="GOAL_OR_INDICATOR", help="e.g. 2.1 or 2.1.1 (default 2.1.1)")
    progress.add_argument("--as-of", metavar="YYYY-MM-DD")
    progress.add_argument("--province", help="one office's figures")
    progress.add_argument("--json", action="store_true")
    progress.set_defaults(func=cmd_progress)

    export = sub.add_parser("export", help="export data").add_subparsers(dest="export_command", required=True)
    ex = export.add_parser("reports", help="every current report value")
    ex.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ex.add_argument("--from", dest="period_from", metavar="YYYY-MM")
    ex.add_argument("--to", dest="period_to", metavar="YYYY-MM")
    ex.add_argument("--output", metavar="FILE")
    ex.set_defaults(func=cmd_export_reports)
    imp = sub.add_parser("import", help="import data").add_subparsers(dest="import_command", required=True)
    im = imp.add_parser("reports", help="load report values from a CSV file (all rows or none)")
    im.add_argument("file")
    im.set_defaults(func=cmd_import_reports)
    from bot.cli import parse
    parse.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
        func: Callable[[Settings, argparse.Namespace], int] = args.func
        return func(settings, args)
    except (CliError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
