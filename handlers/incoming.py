"""One webhook event as a small, plain record: what dispatch and the handlers work with (no SDK types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One webhook event as the bot sees it."""

    event_id: str
    kind: str  # text | follow | unfollow | join | postback | sticker | image | location | media | standby | other
    line_user_id: str | None
    chat_id: str | None  # where a push would go: the group/room, or the user in a 1:1 chat
    occurred_at: datetime
    reply_token: str | None = None
    text: str | None = None
    postback_data: str | None = None
    postback_params: dict[str, Any] = field(default_factory=dict)
    is_redelivery: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, stored with the event so any process can handle it later."""
        # (field by field: dataclasses.asdict deep-copies, a measurable share of recording an event, issue 15)
        return {"event_id": self.event_id, "kind": self.kind, "line_user_id": self.line_user_id,
                "chat_id": self.chat_id, "occurred_at": self.occurred_at.isoformat(), "reply_token": self.reply_token,
                "text": self.text, "postback_data": self.postback_data, "postback_params": dict(self.postback_params),
                "is_redelivery": self.is_redelivery}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incoming:
        """Back from the stored form."""
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**{**fields, "occurred_at": datetime.fromisoformat(data["occurred_at"])})
