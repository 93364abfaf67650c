"""Turn the SDK's webhook event objects into the plain `Incoming` record the dispatcher works with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from linebot.v3.webhooks import (
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
)

from handlers.incoming import Incoming


def storable(text: str | None) -> str | None:
    """Text as the database can keep it: no NUL (PostgreSQL text cannot hold one) and no lone surrogate
    (JSON may carry \\ud800, UTF-8 cannot), whatever the client sent.

    >>> storable("ยอด\\x00ขาย \\ud800 2.5")
    'ยอดขาย  2.5'
    """
    if text is None:
        return None
    return "".join(ch for ch in text if ch != "\x00" and not "\ud800" <= ch <= "\udfff")


def from_sdk_event(event: Any) -> Incoming:
    """Convert any SDK webhook event (including UnknownEvent) into an Incoming."""
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None)
    if isinstance(source, GroupSource):
        chat_id = source.group_id
    elif isinstance(source, RoomSource):
        chat_id = source.room_id
    else:
        chat_id = user_id
    timestamp = getattr(event, "timestamp", None)
    occurred = datetime.fromtimestamp(timestamp / 1000, UTC) if timestamp else datetime.now(UTC)
    delivery = getattr(event, "delivery_context", None)
    common: dict[str, Any] = {
        "event_id": getattr(event, "webhook_event_id", None) or "",
        "line_user_id": user_id,
        "chat_id": chat_id,
        "occurred_at": occurred,
        "reply_token": getattr(event, "reply_token", None),
        "is_redelivery": bool(getattr(delivery, "is_redelivery", False)),
    }
    if getattr(event, "mode", None) == "standby":
        # Another channel holds this chat (LINE's module channels): the event is for it, not for us. It is
        # recorded like every event and never acted on (a standby ยืนยัน must not confirm a draft).
        return Incoming(kind="standby", **common)
    if isinstance(event, MessageEvent):
        message = event.message
        if isinstance(message, TextMessageContent):
            return Incoming(kind="text", text=storable(message.text), **common)
        if isinstance(message, StickerMessageContent):
            return Incoming(kind="sticker", **common)
        if isinstance(message, ImageMessageContent):
            return Incoming(kind="image", **common)
        if isinstance(message, LocationMessageContent):
            return Incoming(kind="location", **common)
        return Incoming(kind="media", **common)
    if isinstance(event, PostbackEvent):
        params = dict(event.postback.params or {})
        return Incoming(kind="postback", postback_data=storable(event.postback.data), postback_params=params,
                        **common)
    if isinstance(event, FollowEvent):
        return Incoming(kind="follow", **common)
    if isinstance(event, UnfollowEvent):
        return Incoming(kind="unfollow", **common)
    if isinstance(event, JoinEvent):
        return Incoming(kind="join", **common)
    return Incoming(kind="other", **common)
