"""Build and sign LINE webhook bodies the way LINE sends them (tests and development mode use it).

Every builder returns one event dict; ``callback_body`` wraps events into the POST body text and
``sign`` gives the matching ``x-line-signature``. Shapes follow webhook.yml; tests check that each
builder's output validates against it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
from typing import Any

DEFAULT_DESTINATION = "U0123456789abcdef0123456789abcdef"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_message_ids = itertools.count(510_000_000_000_000_001)


def sign(body: str, secret: str) -> str:
    """Return the x-line-signature for a raw body: Base64 of HMAC-SHA256 keyed with the channel secret."""
    digest = hmac.new(secret.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def callback_body(events: list[dict], destination: str = DEFAULT_DESTINATION) -> str:
    """Return the webhook POST body text: compact JSON, non-ASCII left as is (as LINE sends Thai)."""
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False, separators=(",", ":"))


def event_id(timestamp_ms: int | None = None) -> str:
    """Return a new ULID-like webhookEventId: 26 Crockford base32 characters, time first."""
    ms = _now_ms() if timestamp_ms is None else timestamp_ms
    # 48 bits of time and 80 random bits, as a ULID; the random part makes ids unique.
    value = (ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def text_event(
    user_id: str,
    text: str,
    *,
    reply_token: str,
    group_id: str | None = None,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return a text message event from a user, in a 1:1 chat or in group_id."""
    message = {"type": "text", "id": _message_id(), "quoteToken": _quote_token(), "text": text}
    return _message_event(user_id, message, reply_token, group_id, event_id, timestamp_ms, redelivery)


def sticker_event(
    user_id: str,
    *,
    reply_token: str,
    package_id: str = "446",
    sticker_id: str = "1988",
    group_id: str | None = None,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return a sticker message event (a static sticker from the default package)."""
    message = {
        "type": "sticker",
        "id": _message_id(),
        "quoteToken": _quote_token(),
        "packageId": package_id,
        "stickerId": sticker_id,
        "stickerResourceType": "STATIC",
        "keywords": ["ok"],
    }
    return _message_event(user_id, message, reply_token, group_id, event_id, timestamp_ms, redelivery)


def image_event(
    user_id: str,
    *,
    reply_token: str,
    group_id: str | None = None,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return an image message event; the content stays on LINE (contentProvider "line")."""
    message = {"type": "image", "id": _message_id(), "quoteToken": _quote_token(), "contentProvider": {"type": "line"}}
    return _message_event(user_id, message, reply_token, group_id, event_id, timestamp_ms, redelivery)


def location_event(
    user_id: str,
    latitude: float,
    longitude: float,
    *,
    reply_token: str,
    title: str | None = None,
    address: str | None = None,
    group_id: str | None = None,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return a location message event; title and address appear only when given."""
    message: dict[str, Any] = {"type": "location", "id": _message_id(), "latitude": latitude, "longitude": longitude}
    if title is not None:
        message["title"] = title
    if address is not None:
        message["address"] = address
    return _message_event(user_id, message, reply_token, group_id, event_id, timestamp_ms, redelivery)


def postback_event(
    user_id: str,
    data: str,
    *,
    reply_token: str,
    params: dict[str, str] | None = None,
    group_id: str | None = None,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return a postback event; params carries datetime-picker values such as {"date": "2024-05-31"}."""
    postback: dict[str, Any] = {"data": data}
    if params is not None:
        postback["params"] = params
    event = _base("postback", user_id, group_id, event_id, timestamp_ms, redelivery)
    event.update(replyToken=reply_token, postback=postback)
    return event


def follow_event(
    user_id: str,
    *,
    reply_token: str,
    is_unblocked: bool = False,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return a follow event: the user added the OA as a friend, or unblocked it."""
    event = _base("follow", user_id, None, event_id, timestamp_ms, redelivery)
    event.update(replyToken=reply_token, follow={"isUnblocked": is_unblocked})
    return event


def unfollow_event(
    user_id: str,
    *,
    event_id: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
) -> dict:
    """Return an unfollow event: the user blocked the OA. It carries no reply token."""
    return _base("unfollow", user_id, None, event_id, timestamp_ms, redelivery)


def _message_event(
    user_id: str,
    message: dict,
    reply_token: str,
    group_id: str | None,
    event_id: str | None,
    timestamp_ms: int | None,
    redelivery: bool,
) -> dict:
    event = _base("message", user_id, group_id, event_id, timestamp_ms, redelivery)
    event.update(replyToken=reply_token, message=message)
    return event


def _base(
    kind: str,
    user_id: str,
    group_id: str | None,
    webhook_event_id: str | None,
    timestamp_ms: int | None,
    redelivery: bool,
) -> dict:
    """Return the fields every event has, in the order LINE writes them."""
    ms = _now_ms() if timestamp_ms is None else timestamp_ms
    source = {"type": "user", "userId": user_id}
    if group_id is not None:
        source = {"type": "group", "groupId": group_id, "userId": user_id}
    return {
        "type": kind,
        "timestamp": ms,
        "source": source,
        "mode": "active",
        "webhookEventId": webhook_event_id or event_id(ms),
        "deliveryContext": {"isRedelivery": redelivery},
    }


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _message_id() -> str:
    return str(next(_message_ids))


def _quote_token() -> str:
    return secrets.token_urlsafe(48)
