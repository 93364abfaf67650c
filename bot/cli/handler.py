"""`python -m bot handler`: handle recorded events outside the web workers (HANDLING=queue; bot/line/handler.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cli.common import Subparsers
    from bot.settings import Settings


def register(subparsers: Subparsers) -> None:
    """Add the `handler` command."""
    handler = subparsers.add_parser("handler", help="handle recorded webhook events until stopped (HANDLING=queue)")
    handler.add_argument("--threads", type=int, default=1,
                         help="handler threads in this process (replies go out from LINE_REPLY_THREADS threads; more "
                              "handler threads only contend for the same core: add processes instead)")
    handler.add_argument("--send-threads", type=int, default=32,
                         help="threads sending replies, a sender's in order and senders side by side: LINE takes "
                              "0.1-0.3 s a reply, so this many replies a second need about 0.2 x this many threads")
    handler.add_argument("--nice", type=int, default=10,
                         help="lower this process's CPU priority by this much (0 keeps it): on a machine shared with "
                              "web workers, a backlog of handling then never slows the webhook's answers")
    handler.set_defaults(func=cmd_handler)


def cmd_handler(settings: Settings, args: argparse.Namespace) -> int:
    """Run handler threads until SIGTERM or Ctrl-C; any number of these may run, on any machines."""
    import dataclasses
    import logging
    import os
    import signal

    from bot.line import handler
    from bot.services import Services

    logging.getLogger().setLevel(logging.INFO)
    if args.nice > 0:
        os.nice(args.nice)
    # Replies go out from --send-threads threads, each sender's in order and senders side by side
    # (bot/line/handler.py): LINE takes 0.1-0.3 s a reply, and one at a time a handler could answer only a few
    # people a second. Retried: an event this process fails to handle stays recorded for its next pass
    # (bot/services.py).
    services = Services.build(dataclasses.replace(settings, reply_threads=max(1, args.send_threads)), retried=True)
    _settle()
    # Nothing in this process records events, so nothing would wake the threads: they poll (POLL_SECONDS).
    stop, _wake = handler.start_threads(services, max(1, args.threads), woken=False)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        stop.set()
    services.gateway.close()
    services.engine.dispose()
    return 0


def _settle() -> None:
    """Build what the first message would (the parser's lexicons), then take everything built so far out of the
    garbage collector's view (gc.freeze): a long-lived process otherwise rescans a few hundred thousand objects that
    never change, a measurable share of each event's CPU (bench/README.md, issue 15)."""
    import gc
    from datetime import date

    import nlp

    nlp.parse("ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท", date(2024, 1, 31))
    gc.collect()
    gc.freeze()
