"""`python -m bot scheduler`: APScheduler 3 in its own process (the Procfile's clock: line).

One process only: an APScheduler job store cannot be shared between processes, and web workers never
run jobs. Jobs fire on weekday mornings in Asia/Bangkok; each job itself skips holidays and sends
each message at most once (bot/push.py), so a restart, a misfire or a second scheduler started by
mistake sends nothing twice.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.schedule.jobs import JOBS, schedule
from bot.services import Services
from bot.settings import Settings
from handlers.domain import clock

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 3 * 3600  # a late start within the morning still runs once (coalesced)


def run_job(job_id: str, settings: Settings) -> None:
    """What APScheduler calls: build services for this run, run the job now, log the outcome."""
    services = Services.build(settings)
    try:
        report = JOBS[job_id](services, clock.now(settings))
        log.info(report.line())
    finally:
        services.gateway.close()
        services.engine.dispose()


def trigger(job_id: str, settings: Settings) -> BaseTrigger:
    """Weekday mornings for pushes; every minute for the outbox of unsent replies."""
    if job_id == "outbox":
        return IntervalTrigger(minutes=1, timezone=settings.timezone)
    return CronTrigger(day_of_week="mon-fri", hour=schedule()["send_hour"], minute=0, timezone=settings.timezone)


def configure(scheduler: BaseScheduler, settings: Settings) -> None:
    """Add every job with an explicit id, coalescing and a misfire grace time."""
    for job_id in JOBS:
        grace = 60 if job_id == "outbox" else MISFIRE_GRACE_SECONDS
        scheduler.add_job(run_job, trigger(job_id, settings), args=[job_id, settings], id=job_id, name=job_id,
                          coalesce=True, max_instances=1, misfire_grace_time=grace, replace_existing=True)


def next_runs(settings: Settings, now: datetime | None = None) -> list[tuple[str, datetime | None]]:
    """Each job's next fire time (for `jobs list`)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=settings.timezone)
    configure(scheduler, settings)
    moment = now or clock.now(settings)
    return [(job.id, job.trigger.get_next_fire_time(None, moment)) for job in scheduler.get_jobs()]


def main(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT."""
    logging.getLogger().setLevel(logging.INFO)
    scheduler = BlockingScheduler(timezone=settings.timezone)
    configure(scheduler, settings)

    def stop(*_: Any) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    for job_id, when in next_runs(settings):
        log.info("job %s next at %s", job_id, when)
    scheduler.start()
    return 0
