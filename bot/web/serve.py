"""`python -m bot serve`: the web server, with a local fake LINE platform in development mode."""

from __future__ import annotations

import dataclasses
import logging
import secrets
import threading

from werkzeug.serving import run_simple

from bot.schedule.jobs import run_outbox
from bot.services import Services
from bot.settings import Settings
from bot.web.app import create_app
from models import utcnow

log = logging.getLogger(__name__)

DEV_ACCESS_TOKEN_BYTES = 24
RECOVERY_INTERVAL_SECONDS = 30.0


def dev_settings(settings: Settings, fake_base_url: str) -> Settings:
    """Settings for development mode: a generated secret and the local fake platform's address."""
    return dataclasses.replace(
        settings,
        line_channel_secret=secrets.token_hex(16),
        line_channel_access_token=secrets.token_urlsafe(DEV_ACCESS_TOKEN_BYTES),
        line_api_base_url=fake_base_url,
        dev_mode=True,
    )


def start_recovery(services: Services, interval: float = RECOVERY_INTERVAL_SECONDS) -> threading.Event:
    """Run the outbox job every `interval` seconds on a daemon thread; set the returned event to stop.

    `serve` is one process, usually without the `clock:` scheduler beside it, yet events stored but not
    handled (the process died mid-way) and replies never sent must still go out. Running this next to
    a scheduler is harmless: each event and reply is claimed before it is handled or sent.
    """
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                report = run_outbox(services, utcnow())
                if report.note and not report.note.startswith("0 unsent replies; 0 unhandled"):
                    log.info("recovery: %s", report.note)
            except Exception:
                log.exception("recovery pass failed; trying again in %.0f s", interval)

    threading.Thread(target=loop, name="recovery", daemon=True).start()
    return stop


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the app (threaded) until interrupted."""
    logging.getLogger().setLevel(logging.INFO)
    fake = None
    if settings.dev_mode:
        from bot.dev.fake_line import FakeLinePlatform
        from bot.dev.line_contract import validate_outgoing

        # Build the schema validator now (about a second) rather than on the first message.
        validate_outgoing("reply", {"replyToken": "warm-up", "messages": [{"type": "text", "text": "-"}]})
        fake = FakeLinePlatform(validate=True)
        fake.start()
        settings = dev_settings(settings, fake.base_url)
        # The fake checks the token like LINE does; it learns it only now that it is generated.
        fake.access_token = settings.line_channel_access_token
    app = create_app(settings)
    if fake is not None:
        app.extensions["fake_line"] = fake
        print("Development mode: no LINE channel configured.")
        print(f"  chat simulator:     http://{host}:{port}/dev/chat")
        print(f"  fake LINE platform: {fake.base_url}")
        print(f"  webhook:            http://{host}:{port}/callback (signed with a generated secret)")
        print(f"  try it:             curl -s -X POST http://{host}:{port}/dev/say "
              "-H 'Content-Type: application/json' -d '{\"user\":\"Udev\",\"text\":\"วิธีใช้\"}'")
    else:
        print(f"Serving the LINE webhook at http://{host}:{port}/callback")
    stop_recovery = start_recovery(app.extensions["bot"])
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop_recovery.set()
        if fake is not None:
            fake.stop()
    return 0
