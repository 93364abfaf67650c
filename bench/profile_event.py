"""Where an event's CPU goes: the bot and LINE's echo bot, each event through Flask's test client, under cProfile.

    .venv/bin/python bench/profile_event.py [--pairs 300] [--postgres URL] [--top 25] [--handling inline|queue]

Both apps run in this process, on their webhook path as gunicorn would run it (signature, parsing, recording,
handling, the reply over HTTP to the fake LINE platform on loopback), one event at a time on the main thread. The
CPU per event is the main thread's CPU time (`time.thread_time`, so the fake platform's own thread is not
counted) divided by the events; the profile is of a second, separate run of the bot
(profiling slows it several times over). It prints the ratio of the two, then the
bot's cost by package (own time, ms per event) and its top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from bench.capacity import fresh_database  # noqa: E402
from bench.load_webhook import BOT_TODAY, SECRET, TOKEN, check_database, report_tasks  # noqa: E402
from bot.dev import line_events  # noqa: E402
from bot.dev.fake_line import FakeLinePlatform  # noqa: E402

BUCKETS = ("sqlalchemy", "pydantic", "linebot", "urllib3", "http", "flask", "werkzeug", "nlp", "handlers", "bot",
           "models", "json", "sqlite3", "psycopg", "logging", "email", "socket", "ssl", "re", "threading")


def post_all(client, fake: FakeLinePlatform, tasks: list) -> int:
    """Post each event of each task in turn; returns how many were posted."""
    count = 0
    for steps in tasks:
        for user, message in steps:
            body = line_events.callback_body([line_events.text_event(user, message,
                                                                     reply_token=fake.issue_reply_token(user))])
            response = client.post("/callback", data=body, headers={
                "Content-Type": "application/json", "X-Line-Signature": line_events.sign(body, SECRET)})
            response.close()  # runs call_on_close: the bot handles and replies here, as in gunicorn
            assert response.status_code == 200, response.status_code
            count += 1
    return count


def cpu_per_event(client, fake: FakeLinePlatform, tasks: list, profile: cProfile.Profile | None = None,
                  after=None) -> float:
    """Main-thread CPU ms per event over the tasks (a warm-up of the first tenth is not counted)."""
    warm, measured = tasks[:max(2, len(tasks) // 10)], tasks[max(2, len(tasks) // 10):]
    post_all(client, fake, warm)
    if after:
        after()
    started = time.thread_time()
    if profile:
        profile.enable()
    events = post_all(client, fake, measured)
    if after:
        after()
    if profile:
        profile.disable()
    return 1000 * (time.thread_time() - started) / events


def bucket_of(filename: str) -> str:
    parts = Path(filename).parts
    for name in BUCKETS:
        if name in parts or Path(filename).stem == name:
            return name
    return "other" if filename != "~" else "builtins"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--postgres", help="a PostgreSQL database URL (emptied first)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--handling", default="inline", choices=("inline", "queue"))
    args = parser.parse_args()

    from bench.echo_bot import create_app as echo_app
    from bot.settings import Settings
    from bot.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp, FakeLinePlatform(validate=False, access_token=TOKEN) as fake:
        url, officers = fresh_database(tmp, 0, args.postgres)
        tasks = report_tasks(officers, args.pairs)
        os.environ.update(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE_URL=fake.base_url)
        echo_tasks = [[(user, text) for user, text in steps] for steps in tasks]
        echo = cpu_per_event(echo_app().test_client(), fake, echo_tasks)

        settings = dataclasses.replace(Settings.from_env({
            "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_BASE_URL": fake.base_url, "BOT_TODAY": BOT_TODAY, "BOT_ENV": "development",
            "HANDLING": args.handling, "LOG_LEVEL": "WARNING"}), reply_threads=0)
        app = create_app(settings)
        after = None
        if args.handling == "queue":
            from bot.line import handler

            services = app.extensions["bot"]

            def after() -> None:  # the backlog this part recorded, handled to the end
                handled = 1
                while handled:
                    handled = handler.handle_pending(services)
        import logging

        logging.getLogger().setLevel(logging.WARNING)
        half = len(tasks) // 2
        bot = cpu_per_event(app.test_client(), fake, tasks[:half], None, after)  # unprofiled: the figure
        profile = cProfile.Profile(time.thread_time)  # CPU, as the figure; the fake LINE thread is not in it
        # profiled (where it goes), or with --top 0 simply more of the same, e.g. for py-spy from outside
        cpu_per_event(app.test_client(), fake, tasks[half:], profile if args.top else None, after)
        app.extensions["bot"].gateway.close()
        values, versions = check_database(url)

    print(f"CPU per event (main thread): echo {echo:.2f} ms, bot {bot:.2f} ms, ratio {bot / echo:.2f} "
          f"({args.handling}, {'PostgreSQL' if args.postgres else 'SQLite'}); stored {values} values, "
          f"{versions} versions of {args.pairs}")
    if not args.top:
        return 0
    stats = pstats.Stats(profile)
    own: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        own[bucket_of(filename)] += tt
    profiled = tasks[len(tasks) // 2:]
    events = sum(len(steps) for steps in profiled[max(2, len(profiled) // 10):])
    total = sum(own.values())
    print("own time by package (profiled ms per event, share):")
    for name, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12} {1000 * seconds / events:7.2f} ms  {100 * seconds / total:5.1f}%")
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
