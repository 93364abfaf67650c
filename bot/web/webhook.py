"""POST /callback: verify, record each event once, answer 200, then handle the events.

A bad signature is the only 400 for a well-formed request. A database failure while recording is a
500, so LINE can redeliver. Handling and replies run after the answer has gone out (see bot/line/inbox.py),
so LINE gets its 200 in milliseconds however long an answer takes to compute.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from linebot.v3.exceptions import InvalidSignatureError
from sqlalchemy import text

from bot.line import inbox
from bot.line.events import from_sdk_event
from bot.services import Services

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)
# The id columns' size (models/messaging.py: webhook_event_id, line_user_id, chat_id are String(64)).
MAX_ID_LENGTH = 64


def _services() -> Services:
    return current_app.extensions["bot"]


@bp.post("/callback")
def callback() -> Response | tuple[Response, int]:
    """LINE's webhook endpoint."""
    services = _services()
    body = request.get_data(as_text=True)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        events = services.parser.parse(body, signature)
    except InvalidSignatureError:
        log.warning("webhook rejected: bad signature")
        return jsonify(error="invalid signature"), 400
    except Exception as exc:  # a signed body that is not a webhook payload
        log.warning("webhook rejected: malformed body (%s)", type(exc).__name__)
        return jsonify(error="malformed body"), 400

    incomings = []
    for event in events:
        try:
            incoming = from_sdk_event(event)
        except (ValueError, OverflowError, OSError):  # e.g. a timestamp no clock can hold: this event alone
            log.warning("event with an unreadable field skipped (type %s)", getattr(event, "type", "?"))
            continue
        if not incoming.event_id:
            log.warning("event without webhookEventId skipped (type %s)", getattr(event, "type", "?"))
            continue
        if not all(value is None or (len(value) <= MAX_ID_LENGTH and value.isascii() and value.isalnum())
                   for value in (incoming.event_id, incoming.line_user_id, incoming.chat_id, incoming.reply_token)):
            # LINE's ids are 26-33 letters and digits; one longer than the columns, or with a NUL or a lone
            # surrogate in it, is not LINE's, and must not make the database refuse (a 500 for) the whole batch
            log.warning("event with a malformed id skipped (type %s)", getattr(event, "type", "?"))
            continue
        incomings.append(incoming)
    inbox.record(services, incomings)  # a database failure here is a 500: LINE may redeliver

    response = jsonify(status="ok")
    if incomings and services.settings.handling == "queue":
        wake = current_app.extensions.get("handler_wake")
        if wake is not None:
            wake.set()  # this process's handler threads look now rather than at their next poll
    elif incomings:
        response.call_on_close(lambda: inbox.handle_recorded(services, incomings))
    return response


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For deploys and load balancers: is the database reachable?"""
    try:
        with _services().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        # one stable line for log alerts: while the database is down, webhooks get 500s and only LINE's
        # redelivery (README: turn it on) brings those events back
        log.error("ALERT health check failed: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
