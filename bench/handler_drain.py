"""How fast one handler process works through a backlog (HANDLING=queue): its throughput and CPU per event.

    .venv/bin/python bench/handler_drain.py [--pairs 300] [--threads 1] [--postgres URL]

Records `pairs` report+ยืนยัน pairs through the webhook (queue mode, nothing handled), then starts one
`python -m bot handler` process (not niced) and times it until no event is left `received`. Prints events per
second and the process's CPU seconds (from /proc, start-up included, and without it: the CPU of a process that
only imports the same modules is measured first). Checks that every pair was stored exactly once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from bench.capacity import fresh_database, tree_cpu, unhandled  # noqa: E402
from bench.load_webhook import BOT_TODAY, SECRET, TOKEN, check_database, report_tasks  # noqa: E402
from bench.profile_event import post_all  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402


def start_up_cpu(env: dict[str, str]) -> float:
    """CPU seconds of a process that only imports what a handler process imports."""
    proc = subprocess.Popen([sys.executable, "-c", "import bot.line.handler, bot.services, handlers.dispatch, "
                             "handlers.domain.progress; import linebot.v3.messaging; import time; time.sleep(0.5)"],
                            cwd=ROOT, env=env)
    time.sleep(0.2)
    cpu = 0.0
    while proc.poll() is None:
        cpu = tree_cpu(proc.pid)
        time.sleep(0.05)
    return cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", help="a PostgreSQL database URL (emptied first)")
    args = parser.parse_args()

    from bot.settings import Settings
    from bot.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=False, access_token=TOKEN) as fake:
        url, officers = fresh_database(tmp, 0, args.postgres)
        tasks = report_tasks(officers, args.pairs)
        env = {"DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
               "LINE_API_BASE_URL": fake.base_url, "BOT_TODAY": BOT_TODAY, "BOT_ENV": "development",
               "HANDLING": "queue"}
        client = create_app(Settings.from_env(env)).test_client()
        post_all(client, fake, [[steps[0]] for steps in tasks])  # every report, then every ยืนยัน: a backlog
        post_all(client, fake, [[steps[1]] for steps in tasks])
        events = 2 * len(tasks)
        full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        baseline = start_up_cpu(full_env)
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "bot", "handler", "--threads", str(args.threads), "--nice", "0"],
                                cwd=ROOT, env=full_env, stderr=subprocess.DEVNULL)
        try:
            while unhandled(url):
                time.sleep(0.1)
            seconds = time.monotonic() - started
            cpu = tree_cpu(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        values, versions = check_database(url)
    print(f"one handler process ({args.threads} thread(s), {'PostgreSQL' if args.postgres else 'SQLite'}): "
          f"{events} events in {seconds:.1f} s = {events / seconds:.1f} events/s including start-up; CPU "
          f"{cpu:.1f} s = {1000 * cpu / events:.1f} ms per event, {1000 * (cpu - baseline) / events:.1f} ms without "
          f"start-up ({baseline:.1f} s); stored {values} values, {versions} versions of {len(tasks)}")
    return 0 if values == versions == len(tasks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
