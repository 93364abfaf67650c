"""Capacity, not one latency: the bot and LINE's echo bot stepped through rising rates in the same run.

    .venv/bin/python bench/capacity.py [--rates 10,20,35,50,75,100] [--seconds 20] [--postgres URL]
        [--handling inline|queue] [--handler-processes N] [--line-latency 0.15] [--token-ttl 60]

With `--handling queue --handler-processes 1` it runs the Procfile's layout: gunicorn records and answers,
`python -m bot handler` handles; the bot's CPU per event then counts both (and prints the web share).

At each rate both servers (gunicorn as the Procfile runs it, on loopback, against the fake LINE platform) get
the same open-loop load for `--seconds`: the echo bot a text per event, the bot report+ยืนยัน pairs of distinct
offices, months and projects, on a fresh database each step. Printed per step, for both: webhook p50/p95/p99,
the time from posting an event to its reply reaching LINE, and the CPU seconds all the server's processes
used divided by the events (read from /proc for the gunicorn master and every descendant, during the
measured load only). A server's capacity is the highest rate at which its p95 stays within 2× the echo
floor's p95 at that rate and its p99 under 1 s, and (for the bot) every confirmed pair is stored exactly once.

The machine is shared (CPU steal drifts): read the ratios and capacities, not the absolute milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from bench.load_webhook import (  # noqa: E402
    BOT_TODAY,
    MONTHS,
    SECRET,
    TOKEN,
    check_database,
    drive,
    prepare_database,
    report_tasks,
    slow_line,
    start_gunicorn,
)
from bot.db import make_engine  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402
from models import InboundEvent  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def fresh_database(tmp: str, step: int, postgres: str | None) -> tuple[str, list[list[str]]]:
    url = postgres or f"sqlite:///{Path(tmp) / f'step{step}.db'}"
    if postgres:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    return url, prepare_database(url)


def unhandled(url: str) -> int:
    """Events recorded and not yet handled (the echo bot's database has none)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(InboundEvent).where(
                InboundEvent.status == "received")).scalar_one()
    finally:
        engine.dispose()


def start_handlers(env: dict[str, str], count: int, threads: int, nice: int | None = None) -> list[subprocess.Popen]:
    """`python -m bot handler` processes, as the Procfile's handler line runs them (its default nice unless given)."""
    extra = ["--nice", str(nice)] if nice is not None else []
    return [subprocess.Popen([sys.executable, "-m", "bot", "handler", "--threads", str(threads), *extra], cwd=ROOT,
                             env=env) for _ in range(count)]


def measure(app: str, env: dict[str, str], fake: FakeLinePlatform, tasks: list, rate: float, workers: int,
            threads: int, handlers: int = 0, handler_threads: int = 1, nice: int | None = None,
            line_latency: float = 0.0) -> dict[str, float]:
    """One server under one rate: webhook and reply latency, CPU per event (web and handler processes)."""
    proc, base = start_gunicorn(app, env, workers, threads)
    helpers = start_handlers(env, handlers, handler_threads, nice)
    try:
        warm = tasks[:max(2, len(tasks) // 20)]
        drive(base, fake, warm, rate)  # imports, pools and caches warmed before the measured part
        deadline = time.monotonic() + 60
        while unhandled(env["DATABASE_URL"]) and time.monotonic() < deadline:  # a handler process still starting
            time.sleep(0.2)
        time.sleep(1.0)
        fake.clear()  # (the warm-up's reply tokens too: its answers must all be in by now)
        for path in ("/v2/bot/message/reply", "/v2/bot/message/push"):  # LINE's own time to answer, if asked for
            slow_line(fake, line_latency, 2 * len(tasks), path)
        pids = [proc.pid, *(h.pid for h in helpers)]
        before = sum(tree_cpu(pid) for pid in pids)
        web_before = tree_cpu(proc.pid)
        run, wall = drive(base, fake, tasks[len(warm):], rate)
        load_end = time.monotonic()
        deadline = load_end + 180
        while time.monotonic() < deadline:  # until every event is handled and answered (or three minutes passed)
            answers = sum(1 for r in fake.requests if r.path.endswith(("/reply", "/push")) and r.status == 200)
            if answers >= len(run.latencies) and not unhandled(env["DATABASE_URL"]):
                break
            time.sleep(0.2)
        drained = time.monotonic() - load_end
        cpu = sum(tree_cpu(pid) for pid in pids) - before
        web_cpu = tree_cpu(proc.pid) - web_before
    finally:
        for p in (proc, *helpers):
            p.send_signal(signal.SIGTERM)
        for p in (proc, *helpers):
            p.wait(timeout=30)
    run.match_replies(fake)
    summary = run.summary(wall)
    summary["cpu_ms_per_event"] = 1000 * cpu / max(1, summary["requests"])
    summary["web_cpu_ms_per_event"] = 1000 * web_cpu / max(1, summary["requests"])  # the rest: handler processes
    summary["drain_s"] = drained  # from the end of the load until the last answer reached LINE
    summary["pushed"] = sum(1 for r in fake.requests if r.path.endswith("/push") and r.status == 200)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="10,20,35,50,75,100")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--threads", type=int, default=8, help="gunicorn gthread threads, as in the Procfile")
    parser.add_argument("--postgres", help="a PostgreSQL database URL (emptied at each step)")
    parser.add_argument("--handling", choices=("inline", "queue"), default="inline",
                        help="queue: the web workers only record and answer; handler threads in each web process "
                             "(--handler-threads) handle")
    parser.add_argument("--handler-threads", type=int, default=1)
    parser.add_argument("--handler-processes", type=int, default=0,
                        help="with --handling queue: `python -m bot handler` processes beside the web (as the "
                             "Procfile); the web processes then run no handler threads")
    parser.add_argument("--handler-nice", type=int, help="the handler processes' --nice (default: the CLI's)")
    parser.add_argument("--line-latency", type=float, default=0.0,
                        help="seconds the fake LINE takes to answer each reply and push (LINE: about 0.1-0.3)")
    parser.add_argument("--token-ttl", type=float, default=60.0,
                        help="seconds a reply token stays usable at the fake LINE (LINE: about a minute)")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=False, access_token=TOKEN) as fake:
        fake.reply_token_ttl = args.token_ttl
        for step, rate in enumerate(rates):
            pairs = int(rate * args.seconds / 2)
            if pairs * 21 // 20 > 76 * len(MONTHS) * 8:
                parser.error(f"{rate:g}/s for {args.seconds:g} s needs more distinct report keys than exist")
            url, officers = fresh_database(tmp, step, args.postgres)
            env = {**os.environ, "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET,
                   "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake.base_url,
                   "BOT_TODAY": BOT_TODAY, "BOT_ENV": "development", "PYTHONPATH": str(ROOT),
                   "HANDLING": args.handling,
                   "HANDLER_THREADS": "0" if args.handler_processes else str(args.handler_threads)}
            echo_tasks = [[(officers[i % len(officers)][0], "สวัสดีครับ")] * 2 for i in range(pairs * 21 // 20)]
            bot_tasks = report_tasks(officers, pairs * 21 // 20)
            echo = measure("bench.echo_bot:create_app()", env, fake, echo_tasks, rate, args.workers, args.threads,
                           line_latency=args.line_latency)
            bot = measure("bot:create_app()", env, fake, bot_tasks, rate, args.workers, args.threads,
                          args.handler_processes if args.handling == "queue" else 0, args.handler_threads,
                          args.handler_nice, args.line_latency)
            values, versions = check_database(url)
            exact = values == versions == len(bot_tasks)
            rows.append({"rate": rate, "echo": echo, "bot": bot, "exactly_once": exact})
            print(f"{rate:>5g}/s  echo p95 {echo['p95']:7.1f} p99 {echo['p99']:7.1f} reply p95 "
                  f"{echo['reply_p95']:7.1f} cpu/event {echo['cpu_ms_per_event']:5.1f} ms | bot p95 {bot['p95']:7.1f} "
                  f"p99 {bot['p99']:7.1f} reply p95 {bot['reply_p95']:7.1f} cpu/event {bot['cpu_ms_per_event']:5.1f}"
                  f" ms (web {bot['web_cpu_ms_per_event']:.1f}), last answer {bot['drain_s']:.1f} s after the load, "
                  f"{bot['pushed']} pushed | stored "
                  f"{values}/{len(bot_tasks)} {'exactly once' if exact else 'MISMATCH'}", flush=True)

    def holds(row: dict, name: str) -> bool:
        r, floor = row[name], row["echo"]
        ok = r["p95"] <= 2 * max(floor["p95"], 1.0) and r["p99"] < 1000 and r["errors"] == 0
        return ok and (name == "echo" or row["exactly_once"])

    capacity = {name: max((row["rate"] for row in rows if holds(row, name)), default=0.0) for name in ("echo", "bot")}
    cpu_ratio = [row["bot"]["cpu_ms_per_event"] / max(row["echo"]["cpu_ms_per_event"], 1e-9) for row in rows]
    print(f"capacity (p95 within 2× the echo floor's, p99 < 1 s): echo {capacity['echo']:g}/s, "
          f"bot {capacity['bot']:g}/s; CPU per event bot ÷ echo: "
          + ", ".join(f"{r:.2f}" for r in cpu_ratio) + " (target ≤ 2)")
    print(json.dumps({"capacity": capacity, "cpu_ratio": [round(r, 2) for r in cpu_ratio],
                      "steps": rows}, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
