"""`python -m bot scheduler` and `jobs list|run`: the scheduled pushes, as a process or one at a time."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from bot.cli.common import CliError, group

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add `scheduler` and `jobs list|run`."""
    subparsers.add_parser("scheduler", help="run the scheduled jobs (own process)").set_defaults(func=cmd_scheduler)
    jobs = group(subparsers, "jobs", "scheduled jobs")
    listing = jobs.add_parser("list", help="the schedule with next run times")
    listing.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="Bangkok local time to count from")
    listing.set_defaults(func=cmd_jobs_list)
    run = jobs.add_parser("run", help="run one job now (or at a given moment)")
    run.add_argument("job_id")
    run.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="Bangkok local time to run the job as of")
    run.set_defaults(func=cmd_jobs_run)


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    """Run the scheduler until stopped (one process per deployment)."""
    from bot.schedule.scheduler import main as scheduler_main

    return scheduler_main(settings)


def _moment(settings: Settings, text: str | None) -> datetime:
    from zoneinfo import ZoneInfo

    from handlers.domain.clock import now

    if not text:
        return now(settings)
    try:
        return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(settings.timezone))
    except ValueError as exc:
        raise CliError(f"--now must be YYYY-MM-DDTHH:MM, not {text!r}") from exc


def cmd_jobs_list(settings: Settings, args: argparse.Namespace) -> int:
    """Print each job with its next run time."""
    from bot.schedule.scheduler import next_runs

    for job_id, when in next_runs(settings, _moment(settings, args.now)):
        print(f"{job_id}\tnext run {when.isoformat() if when else '-'}")
    return 0


def cmd_jobs_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run one job now (or as of --now); 3 when LINE's monthly quota ran out."""
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
