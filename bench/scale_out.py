"""Scale out, shown: two web instances and two handler processes on one PostgreSQL database (HANDLING=queue).

    .venv/bin/python bench/scale_out.py --postgres URL [--rate 40] [--seconds 20]

Two gunicorn masters on two loopback ports (the Procfile's worker settings) only record and answer; two
`python -m bot handler` processes handle. The client alternates between the two web instances, one event at a
time per simulated officer (report, then ยืนยัน). Afterwards: every event handled, every confirmed report stored
exactly once, each sender's answers in the order they were sent, and the webhook and reply latencies.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.capacity import fresh_database  # noqa: E402
from bench.load_webhook import (  # noqa: E402
    BOT_TODAY,
    SECRET,
    TOKEN,
    Run,
    check_database,
    post,
    report_tasks,
    slow_line,
    start_gunicorn,
)
from bot.db import make_engine  # noqa: E402
from bot.dev import line_events  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402
from models import InboundEvent  # noqa: E402


def drive_two(bases: list[str], fake: FakeLinePlatform, tasks: list, rate: float) -> tuple[Run, float, dict]:
    """Open-loop load, each event to the next web instance in turn; returns the run and each user's tokens."""
    run, per_task, order = Run(), len(tasks[0]), {}
    counter = iter(range(10**9))

    def perform(steps: list[tuple[str, str]]) -> None:
        for user, message in steps:
            token = fake.issue_reply_token(user)
            order.setdefault(user, []).append(token)
            run.sent_at[token] = time.time()
            run.record(*post(bases[next(counter) % len(bases)],
                             [line_events.text_event(user, message, reply_token=token)]))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i, steps in enumerate(tasks):
            delay = started + i * per_task / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(perform, steps)
    return run, time.perf_counter() - started, order


def in_order(fake: FakeLinePlatform, order: dict[str, list[str]]) -> tuple[int, int]:
    """(senders whose answers reached LINE in the order they were sent, senders)."""
    at = {(r.body or {}).get("replyToken"): r.at for r in fake.requests
          if r.path.endswith("/reply") and r.status == 200}
    good = sum(1 for tokens in order.values()
               if [t for t in tokens if t in at] == sorted((t for t in tokens if t in at), key=at.__getitem__))
    return good, len(order)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="a PostgreSQL database URL (emptied first)")
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--line-latency", type=float, default=0.0,
                        help="seconds the fake LINE takes to answer each reply and push (LINE: about 0.1-0.3)")
    args = parser.parse_args()
    pairs = int(args.rate * args.seconds / 2)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=False, access_token=TOKEN) as fake:
        url, officers = fresh_database(tmp, 0, args.postgres)
        env = {**os.environ, "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
               "LINE_API_BASE_URL": fake.base_url, "BOT_TODAY": BOT_TODAY, "BOT_ENV": "development",
               "PYTHONPATH": str(ROOT), "HANDLING": "queue", "HANDLER_THREADS": "0"}
        try:
            bases = []
            for _ in range(2):
                proc, base = start_gunicorn("bot:create_app()", env, 2, 8)
                procs.append(proc)
                bases.append(base)
            for _ in range(2):
                procs.append(subprocess.Popen([sys.executable, "-m", "bot", "handler"], cwd=ROOT, env=env))
            for path in ("/v2/bot/message/reply", "/v2/bot/message/push"):
                slow_line(fake, args.line_latency, 4 * pairs, path)
            run, wall, order = drive_two(bases, fake, report_tasks(officers, pairs), args.rate)
            engine = make_engine(url)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with engine.connect() as conn:
                    waiting = conn.execute(select(func.count()).select_from(InboundEvent).where(
                        InboundEvent.status == "received")).scalar_one()
                if not waiting:
                    break
                time.sleep(0.5)
            engine.dispose()
            time.sleep(1.0)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=30)
        run.match_replies(fake)
        summary = run.summary(wall)
        values, versions = check_database(url)
        good, senders = in_order(fake, order)
    print(f"scale-out: 2 web instances (2×8) + 2 handler processes, PostgreSQL, {args.rate:g} events/s for "
          f"{args.seconds:g} s, LINE answering in {1000 * args.line_latency:g} ms")
    print(f"webhook p50 {summary['p50']:.1f} / p95 {summary['p95']:.1f} / p99 {summary['p99']:.1f} ms, errors "
          f"{summary['errors']}; reply p50 {summary['reply_p50']:.1f} / p95 {summary['reply_p95']:.1f} ms; "
          f"events left unhandled {waiting}")
    print(f"stored {values} values, {versions} versions (expected {pairs}); answers in order for {good} of "
          f"{senders} senders")
    ok = summary["errors"] == 0 and values == versions == pairs and good == senders and not waiting
    print("no loss, no duplicates, in order" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
