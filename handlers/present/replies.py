"""What a handler returns: the messages to send, as LINE message objects (plain JSON dicts).

Handlers never send; the webhook hands a Reply to the LINE gateway. Keeping messages as plain
dicts keeps `linebot.v3.messaging` inside the gateway and makes replies easy to assert on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.present.line_limits import MAX_ALT_TEXT, MAX_QUICK_REPLY_ITEMS, MAX_QUICK_REPLY_LABEL

Message = dict[str, Any]



@dataclass(frozen=True)
class QuickReply:
    """A tappable chip under the last message.

    Without `data` it sends `text` as if the user typed it; with `data` it is a postback whose
    `text` is shown in the chat as the user's answer.
    """

    label: str
    text: str
    data: str | None = None

    def to_item(self) -> Message:
        """The LINE quick-reply item for this chip."""
        label = self.label[:MAX_QUICK_REPLY_LABEL]
        if self.data is not None:
            action = {"type": "postback", "label": label, "data": self.data, "displayText": self.text}
        else:
            action = {"type": "message", "label": label, "text": self.text}
        return {"type": "action", "action": action}


@dataclass(frozen=True)
class Reply:
    """One to five LINE messages answering one event."""

    messages: tuple[Message, ...]
    intent: str = "unknown"

    @classmethod
    def text(cls, text: str, *, quick: list[QuickReply] | None = None, intent: str = "unknown") -> Reply:
        """A single text message, with optional quick-reply chips."""
        message: Message = {"type": "text", "text": text}
        if quick:
            message["quickReply"] = {"items": [q.to_item() for q in quick[:MAX_QUICK_REPLY_ITEMS]]}
        return cls(messages=(message,), intent=intent)

    @classmethod
    def flex(cls, alt_text: str, contents: Message, *, quick: list[QuickReply] | None = None,
             intent: str = "unknown", text_before: str | None = None) -> Reply:
        """A Flex message (optionally after a short text), with optional quick-reply chips."""
        message: Message = {"type": "flex", "altText": alt_text[:MAX_ALT_TEXT], "contents": contents}
        if quick:
            message["quickReply"] = {"items": [q.to_item() for q in quick[:MAX_QUICK_REPLY_ITEMS]]}
        messages: tuple[Message, ...] = (message,)
        if text_before:
            messages = ({"type": "text", "text": text_before}, message)
        return cls(messages=messages, intent=intent)

    def as_list(self) -> list[Message]:
        """The messages as a list, ready for a LINE request body."""
        return [dict(m) for m in self.messages]
