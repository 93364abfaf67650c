"""Turn the SDK's webhook event objects into one small, plain record the dispatcher works with."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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


@dataclass(frozen=True)
class Incoming:
    """One webhook event as the bot sees it."""

    event_id: str
    kind: str  # text | follow | unfollow | join | postback | sticker | image | location | media | other
    line_user_id: str | None
    chat_id: str | None  # where a push would go: the group/room, or the user in a 1:1 chat
    occurred_at: datetime
    reply_token: str | None = None
    text: str | None = None
    postback_data: str | None = None
    postback_params: dict[str, Any] = field(default_factory=dict)
    is_redelivery: bool = False

    @property
    def in_group(self) -> bool:
        """True when the message came from a group or room chat."""
        return self.chat_id is not None and self.chat_id != self.line_user_id

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, stored with the event so any process can handle it later."""
        return {**asdict(self), "occurred_at": self.occurred_at.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incoming:
        """Back from the stored form."""
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**{**fields, "occurred_at": datetime.fromisoformat(data["occurred_at"])})


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
    if isinstance(event, MessageEvent):
        message = event.message
        if isinstance(message, TextMessageContent):
            return Incoming(kind="text", text=message.text, **common)
        if isinstance(message, StickerMessageContent):
            return Incoming(kind="sticker", **common)
        if isinstance(message, ImageMessageContent):
            return Incoming(kind="image", **common)
        if isinstance(message, LocationMessageContent):
            return Incoming(kind="location", **common)
        return Incoming(kind="media", **common)
    if isinstance(event, PostbackEvent):
        params = dict(event.postback.params or {})
        return Incoming(kind="postback", postback_data=event.postback.data, postback_params=params, **common)
    if isinstance(event, FollowEvent):
        return Incoming(kind="follow", **common)
    if isinstance(event, UnfollowEvent):
        return Incoming(kind="unfollow", **common)
    if isinstance(event, JoinEvent):
        return Incoming(kind="join", **common)
    return Incoming(kind="other", **common)
