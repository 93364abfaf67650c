"""One reminder round to 10,000 registered officers through the fake LINE platform.

Prints the number of LINE API calls (target: ≤ 20 multicasts) and the wall time, and, as the baseline
in the same process, the time of the same round's bare multicast calls without the bookkeeping.

    .venv/bin/python bench/bench_reminders.py [--officers 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from sqlalchemy import select, text  # noqa: E402

from bot.db import transaction  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.schedule.jobs import run_reminders  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.domain.catalogue import load_catalogue  # noqa: E402
from models import Office, User  # noqa: E402


def main() -> int:
    """Build, run, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=True, access_token="t") as fake:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        settings = Settings(line_channel_secret="s", line_channel_access_token="t", database_url=url,
                            line_api_base_url=fake.base_url, fixed_today=date(2024, 2, 2))
        services = Services.build(settings)
        with transaction(services.sessions) as session:
            load_catalogue(session)
            offices = session.scalars(select(Office.id).where(Office.kind == "provincial")).all()
            session.execute(User.__table__.insert(), [
                {"line_user_id": f"U{i:032x}", "role": "officer", "office_id": offices[i % len(offices)],
                 "active": True, "reminders_paused": False, "created_at": datetime.now(ZoneInfo("UTC"))}
                for i in range(args.officers)])
        moment = datetime(2024, 2, 2, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))

        started = time.perf_counter()
        report = run_reminders(services, moment)
        elapsed = time.perf_counter() - started
        calls = [r for r in fake.requests if r.path.startswith("/v2/bot/message/")]
        multicasts = [r for r in calls if r.path == "/v2/bot/message/multicast"]
        recipients = sum(len(r.body["to"]) for r in multicasts)

        # Baseline: the same multicast calls, straight through the gateway, no logging of recipients.
        fake.clear()
        ids = [f"U{i:032x}" for i in range(args.officers)]
        message = [{"type": "text", "text": "baseline"}]
        started = time.perf_counter()
        services.gateway.multicast(ids, message)
        baseline = time.perf_counter() - started
        with services.engine.connect() as conn:
            logged = conn.execute(text("SELECT count(*) FROM scheduled_sends")).scalar_one()
        services.gateway.close()
        services.engine.dispose()

    print(f"officers                 {args.officers:>10,}")
    print(f"recipients reached       {recipients:>10,}   (logged before sending: {logged:,})")
    print(f"LINE API calls           {len(calls):>10,}   (multicasts: {len(multicasts)}, target ≤ 20)")
    print(f"reminder round wall time {elapsed:>10.2f} s")
    print(f"bare multicast baseline  {baseline:>10.2f} s   ratio {elapsed / baseline:.1f}×")
    print(f"report: {report.line()}")
    return 0 if len(multicasts) <= 20 and report.tally.sent == args.officers else 1


if __name__ == "__main__":
    raise SystemExit(main())
