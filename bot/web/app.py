"""The Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask

from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

# LINE's own webhook bodies are small; anything near this is not from LINE.
MAX_WEBHOOK_BYTES = 1024 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web app; settings default to the environment."""
    settings = settings or Settings.from_env()
    if not logging.getLogger().handlers:
        # Under gunicorn nothing configures Python's logging: without this, the one line per event and per LINE
        # call (README) would never be written, and warnings would reach stderr bare, without time or level.
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings.line_channel_secret:
        raise RuntimeError("no LINE channel secret: set LINE_CHANNEL_SECRET, or start development mode "
                           "with `python -m bot serve`")
    # No default /static route: the dev chat page's assets must not be reachable in production.
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_WEBHOOK_BYTES
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Thai stays readable in JSON answers
    app.extensions["bot"] = Services.build(settings)

    from bot.web import charts, webhook

    app.register_blueprint(webhook.bp)
    app.register_blueprint(charts.bp)
    if settings.handling == "queue" and settings.handler_threads:
        from bot.line import handler

        _stop, app.extensions["handler_wake"] = handler.start_threads(app.extensions["bot"], settings.handler_threads)
    if settings.dev_mode:
        from bot.dev import devmode

        app.register_blueprint(devmode.bp)
    log.info("app created (%s, database %s)", "production" if settings.production else "development",
             settings.database_url.split("://", 1)[0])
    return app
