"""Load test: signed webhook events from many officers at a steady rate, against the bot under gunicorn.

Everything stays on loopback and stops by itself (bounded by --rate × --seconds events). In the same run
it measures LINE's minimal echo bot (bench/echo_bot.py) under the same gunicorn settings as the floor.

    .venv/bin/python bench/load_webhook.py [--rate 50] [--seconds 60] [--workers 4] [--postgres URL]

The webhook latency is what LINE waits for (its limit is 2 s); the echo bot replies inside the request,
while the KPI bot records the event, answers, and then handles it and replies (bot/inbox.py). So the
run also prints, for both, the time from posting an event to its reply reaching the fake LINE.

Simulated officers (four per provincial office, so no one person exceeds the bot's per-user rate limit)
each send a report and then type ยืนยัน, for distinct offices, months and projects, so every pair must
end as exactly one stored value. After the run the database is checked: stored values == confirmed
pairs, one version each (nothing lost, nothing duplicated).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from sqlalchemy import func, select, text  # noqa: E402

from bot.db import make_engine, make_session_factory, transaction  # noqa: E402
from bot.dev import line_events  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from handlers.domain.catalogue import load_catalogue  # noqa: E402
from models import InboundEvent, Office, ReportValue, ReportVersion, User  # noqa: E402

SECRET, TOKEN = "load-test-secret", "load-test-token"
# The plan window's eight months, all past on BOT_TODAY: 76 offices x 8 months x 8 projects = 4,864 distinct reports.
MONTHS = [("ต.ค. 66", "2023-10"), ("พ.ย. 66", "2023-11"), ("ธ.ค. 66", "2023-12"), ("ม.ค. 67", "2024-01"),
          ("ก.พ. 67", "2024-02"), ("มี.ค. 67", "2024-03"), ("เม.ย. 67", "2024-04"), ("พ.ค. 67", "2024-05")]
BOT_TODAY = "2024-05-31"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app: str, env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start gunicorn on loopback (sync workers, as the Procfile runs it) and wait until it answers."""
    port = free_port()
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--threads", str(threads),
                             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/callback", timeout=1)
        except urllib.error.HTTPError:
            return proc, base  # answering (405 for GET): up
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def post(base: str, events: list[dict]) -> tuple[int, float]:
    """One signed webhook POST; returns (status, seconds)."""
    body = line_events.callback_body(events)
    req = urllib.request.Request(base + "/callback", data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Line-Signature": line_events.sign(body, SECRET)})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


class Run:
    """Latencies and errors of one load run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.lock = threading.Lock()
        self.sent_at: dict[str, float] = {}  # reply token -> wall-clock time its event was posted
        self.reply_latencies: list[float] = []

    def record(self, status: int, seconds: float) -> None:
        """Count one request."""
        with self.lock:
            self.latencies.append(seconds)
            if status != 200:
                self.errors += 1

    def match_replies(self, fake: FakeLinePlatform) -> None:
        """Time from posting each event to its reply reaching LINE (what the person waits for)."""
        for req in fake.requests:
            token = (req.body or {}).get("replyToken")
            if req.path.endswith("/message/reply") and req.status == 200 and token in self.sent_at:
                self.reply_latencies.append(req.at - self.sent_at[token])

    def summary(self, wall: float) -> dict[str, float]:
        """Throughput and percentiles in ms, of the webhook answer and of the reply's arrival."""
        ordered, replies = sorted(self.latencies), sorted(self.reply_latencies)

        def pct(values: list[float], p: float) -> float:
            return 1000 * values[min(len(values) - 1, int(p * len(values)))] if values else 0.0

        return {"requests": len(ordered), "errors": self.errors, "throughput": len(ordered) / wall,
                "p50": pct(ordered, 0.50), "p95": pct(ordered, 0.95), "p99": pct(ordered, 0.99),
                "mean": 1000 * statistics.fmean(ordered) if ordered else 0.0, "replies": len(replies),
                "reply_p50": pct(replies, 0.50), "reply_p95": pct(replies, 0.95), "reply_p99": pct(replies, 0.99)}


def drive(base: str, fake: FakeLinePlatform, tasks: list[list[tuple[str, str]]], rate: float) -> tuple[Run, float]:
    """Start one task (a sequence of (user, text) events sent one after another) at a steady rate.

    Open loop: task i starts at i × len(task) ÷ rate seconds, whatever the server's speed.
    """
    run = Run()
    per_task = len(tasks[0]) if tasks else 1

    def perform(steps: list[tuple[str, str]]) -> None:
        for user, message in steps:
            token = fake.issue_reply_token(user)
            run.sent_at[token] = time.time()  # the fake stamps requests with time.time() too
            run.record(*post(base, [line_events.text_event(user, message, reply_token=token)]))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=128) as pool:
        for i, steps in enumerate(tasks):
            delay = started + i * per_task / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(perform, steps)
    return run, time.perf_counter() - started


OFFICERS_PER_OFFICE = 4  # keeps each simulated person well under the per-user rate limit


def prepare_database(url: str) -> list[list[str]]:
    """Migrate, load the catalogue, register officers; returns the officers' LINE ids per provincial office."""
    upgrade(url)
    engine = make_engine(url)
    officers: list[list[str]] = []
    with transaction(make_session_factory(engine)) as session:
        load_catalogue(session)
        for office in session.scalars(select(Office).where(Office.kind == "provincial").order_by(Office.code)):
            ids = [f"U{office.id:028x}{n:04x}" for n in range(OFFICERS_PER_OFFICE)]
            session.add_all(User(line_user_id=i, role="officer", office_id=office.id, active=True,
                                 created_at=datetime.now(UTC)) for i in ids)
            officers.append(ids)
    engine.dispose()
    return officers


def report_tasks(officers: list[list[str]], count: int) -> list[list[tuple[str, str]]]:
    """`count` report+confirm pairs, each a distinct (office, month, project), spread over the office's officers."""
    combos = [(m, p) for m in MONTHS for p in range(1, 9)]
    tasks = []
    for i in range(count):
        office, round_ = i % len(officers), i // len(officers)
        user = officers[office][round_ % len(officers[office])]
        (month_th, _period), project = combos[round_ % len(combos)]
        amount = 1 + (i % 97) / 100
        tasks.append([(user, f"ยอดขาย {month_th} โครงการที่ {project} จำนวน {amount:.2f} ล้านบาท"),
                      (user, "ยืนยัน")])
    return tasks


def slow_line(fake: FakeLinePlatform, seconds: float, calls: int, path: str = "/v2/bot/message/reply") -> None:
    """Make the fake answer the next `calls` calls to path after `seconds`, as the real platform would."""
    if seconds > 0:
        fake.delay_next(path, seconds, times=calls)


def check_database(url: str) -> tuple[int, int]:
    """(stored values, version rows) after the run; prints how events ended when they do not add up."""
    engine = make_engine(url)
    with engine.connect() as conn:
        values = conn.execute(select(func.count()).select_from(ReportValue)).scalar_one()
        versions = conn.execute(select(func.count()).select_from(ReportVersion)).scalar_one()
        outcomes = conn.execute(select(InboundEvent.status, InboundEvent.intent, func.count())
                                .group_by(InboundEvent.status, InboundEvent.intent)).all()
        errors = conn.execute(select(InboundEvent.error).where(InboundEvent.error.is_not(None)).limit(3)).all()
    engine.dispose()
    print("event outcomes:", ", ".join(f"{status}/{intent}: {n}" for status, intent, n in outcomes))
    for (error,) in errors:
        print("  error:", error[:300])
    return values, versions


def main() -> int:
    """Run the bot and the echo floor under the same load; print the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1 = sync, as in Procfile)")
    parser.add_argument("--postgres", help="a PostgreSQL database URL to use instead of SQLite (emptied first)")
    parser.add_argument("--line-latency", type=float, default=0.0,
                        help="seconds the fake LINE takes to answer each reply call (real LINE: about 0.1-0.3); "
                             "the echo bot waits for it inside its request, the KPI bot after answering")
    args = parser.parse_args()
    pairs = int(args.rate * args.seconds / 2)
    if pairs + pairs // 20 > 76 * len(MONTHS) * 8:
        parser.error("more report pairs than distinct (office, month, project) keys; lower --rate or --seconds")
    results = {}
    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=False, access_token=TOKEN) as fake:
        url = args.postgres or f"sqlite:///{Path(tmp) / 'load.db'}"
        if args.postgres:
            engine = make_engine(url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        officers = prepare_database(url)
        env = {**os.environ, "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
               "LINE_API_BASE_URL": fake.base_url, "BOT_TODAY": BOT_TODAY, "BOT_ENV": "development",
               "PYTHONPATH": str(ROOT)}

        warmup = max(1, pairs // 20)
        for name, app, tasks in (
            ("echo floor", "bench.echo_bot:create_app()",
             [[(officers[i % len(officers)][0], "สวัสดีครับ")] * 2 for i in range(pairs + warmup)]),
            ("KPI bot", "bot:create_app()", report_tasks(officers, pairs + warmup)),
        ):
            proc, base = start_gunicorn(app, env, args.workers, args.threads)
            try:
                slow_line(fake, args.line_latency, 2 * len(tasks))
                drive(base, fake, tasks[pairs:], args.rate)  # warm-up (not counted), its own reports
                time.sleep(1.0 + args.line_latency)  # its last replies are still on their way
                fake.clear()
                slow_line(fake, args.line_latency, 2 * len(tasks))
                run, wall = drive(base, fake, tasks[:pairs], args.rate)
                time.sleep(1.0 + 4 * args.line_latency)  # replies go out after each answer; let the last ones land
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
            run.match_replies(fake)
            results[name] = run.summary(wall)
        values, versions = check_database(url)

    expected = pairs + warmup
    bot, echo = results["KPI bot"], results["echo floor"]
    print(f"load: {args.rate:g} events/s for {args.seconds:g} s, gunicorn {args.workers}×{args.threads} threads, "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}, LINE answers replies in {1000 * args.line_latency:g} ms")
    print(f"{'':12} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:12} {r['requests']:>9,} {r['errors']:>7} {r['throughput']:>7.1f} {r['p50']:>8.1f} "
              f"{r['p95']:>8.1f} {r['p99']:>8.1f}")
    print("time from posting an event to its reply reaching LINE (what the officer waits for):")
    for name, r in results.items():
        print(f"{name:12} {r['replies']:>9,} replies   p50 {r['reply_p50']:.1f} ms  p95 {r['reply_p95']:.1f} ms  "
              f"p99 {r['reply_p99']:.1f} ms")
    ratio = bot["p95"] / echo["p95"] if echo["p95"] else float("inf")
    print(f"p95 ratio bot / echo floor: {ratio:.2f} (target ≤ 2.0); p99 {bot['p99']:.0f} ms (LINE's limit 2000 ms)")
    print(f"stored values {values:,} (expected {expected:,}), version rows {versions:,} — "
          + ("no loss, no duplicates" if values == versions == expected else "MISMATCH"))
    ok = bot["errors"] == 0 and values == versions == expected and bot["p99"] < 2000 and ratio <= 2.0
    print(json.dumps({"ok": ok, **{f"bot_{k}": round(v, 2) for k, v in bot.items()},
                      **{f"echo_{k}": round(v, 2) for k, v in echo.items()}}))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
