"""Development mode only: talk to the bot through the same signed webhook LINE uses.

POST /dev/say {"user": "U…", "text": "…"} signs a LINE text event with the generated channel
secret, posts it to this server's own /callback over HTTP, and returns the messages the bot sent
to the local fake LINE platform. It adds no shortcut into the handlers.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from bot import line_events

log = logging.getLogger(__name__)

bp = Blueprint("dev", __name__, url_prefix="/dev")

DEFAULT_USER = "U" + "0" * 31 + "1"
REPLY_WAIT_SECONDS = 10.0


@bp.post("/say")
def say() -> tuple[Response, int]:
    """Send one message as a LINE user and return the bot's answer."""
    data = request.get_json(silent=True) or {}
    text = data.get("text")
    if not isinstance(text, str) or not text:
        return jsonify(error="text is required"), 400
    user = data.get("user") or DEFAULT_USER
    fake = current_app.extensions["fake_line"]
    services = current_app.extensions["bot"]
    token = fake.issue_reply_token(user)
    body = line_events.callback_body([line_events.text_event(user, text, reply_token=token)])
    signature = line_events.sign(body, services.settings.line_channel_secret)
    status = _post(request.host_url + "callback", body, signature)
    return jsonify(status=status, messages=_wait_for_reply(fake, token, user)), 200


def _post(url: str, body: str, signature: str) -> int:
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Line-Signature": signature})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - our own loopback URL
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_for_reply(fake: Any, token: str, user: str) -> list[dict[str, Any]]:
    # Replies go out after the webhook has answered, so poll the fake briefly.
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = [m for kind, target, m in fake.delivered() if target == token or (kind == "push" and target == user)]
        if found:
            return found
        time.sleep(0.02)
    return []
