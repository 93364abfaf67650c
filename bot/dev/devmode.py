"""Development mode only: talk to the bot through the same signed webhook LINE uses.

POST /dev/say {"user": "U…", "text": "…"} signs a LINE text event with the generated channel
secret, posts it to this server's own /callback over HTTP, and returns the messages the bot sent
to the local fake LINE platform. POST /dev/send does the same for a text, a postback or a follow
event, and GET /dev/chat is a browser chat simulator built on it. None of this adds a shortcut
into the handlers: every message is a signed webhook event, every answer a call to the fake LINE.
"""

from __future__ import annotations

import hashlib
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from pythainlp.util import collate
from sqlalchemy import select

from bot.db import transaction
from bot.dev import line_events
from handlers.domain.invites import create_invite
from handlers.domain.offices import find_office
from models import Office, User

log = logging.getLogger(__name__)

# The chat page's JS and CSS are served under /dev/static/, so they exist only with this blueprint.
bp = Blueprint("dev", __name__, url_prefix="/dev", static_folder="static/devchat", static_url_path="/static",
               template_folder="templates")

DEFAULT_USER = "U" + "0" * 31 + "1"
REPLY_WAIT_SECONDS = 10.0
INVITE_ROLES = ("officer", "manager")


@bp.post("/say")
def say() -> tuple[Response, int]:
    """Send one message as a LINE user and return the bot's answer."""
    data = request.get_json(silent=True) or {}
    text = data.get("text")
    if not isinstance(text, str) or not text:
        return jsonify(error="text is required"), 400
    return _deliver(_user(data), lambda user, token: line_events.text_event(user, text, reply_token=token))


@bp.post("/send")
def send() -> tuple[Response, int]:
    """Send a text {"text"}, a postback {"postback"} or a follow {"follow": true} event; return the answer."""
    data = request.get_json(silent=True) or {}
    text, postback = data.get("text"), data.get("postback")
    if isinstance(text, str) and text:
        return _deliver(_user(data), lambda user, token: line_events.text_event(user, text, reply_token=token))
    # A postback's displayText is shown in the chat by LINE itself and never reaches the webhook.
    if isinstance(postback, str) and postback:
        return _deliver(_user(data), lambda user, token: line_events.postback_event(user, postback, reply_token=token))
    if data.get("follow") is True:
        return _deliver(_user(data), lambda user, token: line_events.follow_event(user, reply_token=token))
    return jsonify(error='one of "text", "postback" or "follow": true is required'), 400


@bp.post("/invite")
def invite() -> tuple[Response, int]:
    """Create a single-use invite code {"role", "province"} as `bot invite create` does; returns {"code"}."""
    data = request.get_json(silent=True) or {}
    role, province = data.get("role"), data.get("province")
    if role not in INVITE_ROLES:
        return jsonify(error=f"role must be one of {', '.join(INVITE_ROLES)}"), 400
    with transaction(current_app.extensions["bot"].sessions) as session:
        office = None
        if role == "officer":
            office = find_office(session, province)
            if office is None:
                return jsonify(error=f"unknown province: {province!r}"), 400
        code, _ = create_invite(session, role, office)
    return jsonify(code=code), 200


@bp.get("/user")
def user_status() -> tuple[Response, int]:
    """Whether the LINE user ?id=U… is registered (the page registers a persona only once)."""
    line_user_id = request.args.get("id", "")
    with current_app.extensions["bot"].sessions() as session:
        user = session.scalars(select(User).where(User.line_user_id == line_user_id)).first()
        if user is None or not user.active:
            return jsonify(registered=False), 200
        province = user.office.province_th if user.office else None
        return jsonify(registered=True, role=user.role, province=province), 200


@bp.get("/chat")
def chat() -> str:
    """The browser chat simulator: pick a persona, type Thai, see replies as LINE shows them."""
    with current_app.extensions["bot"].sessions() as session:
        names = session.scalars(select(Office.province_th).where(Office.kind == "provincial")).all()
    # Thai dictionary order, so เชียงใหม่ sits under ช as people look for it, not under the vowel เ.
    provinces = [(name, persona_user_id("officer", name)) for name in collate([n for n in names if n])]
    return render_template("devchat.html", provinces=provinces,
                           manager_user=persona_user_id("manager"), guest_user=persona_user_id("guest"))


def persona_user_id(role: str, province: str = "") -> str:
    """A stable LINE-shaped user id per persona, so a persona keeps its registration across page loads."""
    return "U" + hashlib.sha256(f"devchat/{role}/{province}".encode()).hexdigest()[:32]


def _user(data: dict[str, Any]) -> str:
    user = data.get("user")
    return user if isinstance(user, str) and user else DEFAULT_USER


def _deliver(user: str, build: Callable[[str, str], dict[str, Any]]) -> tuple[Response, int]:
    """Sign the event build(user, reply_token) makes, post it to /callback, return the status and replies."""
    fake = current_app.extensions["fake_line"]
    services = current_app.extensions["bot"]
    token = fake.issue_reply_token(user)
    # Only what arrives after this point answers this event; older pushes to the user are not its reply.
    seen = len(fake.delivered())
    body = line_events.callback_body([build(user, token)])
    signature = line_events.sign(body, services.settings.line_channel_secret)
    status = _post(request.host_url + "callback", body, signature)
    return jsonify(status=status, messages=_wait_for_reply(fake, token, user, seen)), 200


def _post(url: str, body: str, signature: str) -> int:
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Line-Signature": signature})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - our own loopback URL
            # Read the body before closing: closing with unread data sends a TCP reset, and werkzeug's
            # server then skips the response's close hooks, which is where the webhook sends its replies.
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        exc.close()
        return exc.code


def _wait_for_reply(fake: Any, token: str, user: str, seen: int) -> list[dict[str, Any]]:
    # Replies go out after the webhook has answered, so poll the fake briefly.
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = [m for kind, target, m in fake.delivered()[seen:]
                 if target == token or (kind == "push" and target == user)]
        if found:
            return found
        time.sleep(0.02)
    return []
