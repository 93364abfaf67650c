"""A chat transcript helper: signs and posts webhook events, returns what the bot answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient

from bot.dev import line_events
from bot.dev.fake_line import FakeLinePlatform


@dataclass
class Exchange:
    """One posted webhook and what LINE received in answer."""

    status: int
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """The text of each text message, and the altText of the others."""
        return [m.get("text") or m.get("altText") or "" for m in self.messages]

    @property
    def text(self) -> str:
        """All texts joined (Flex cards as their altText and every text component), for `in` assertions."""
        parts = list(self.texts)
        for message in self.messages:
            if message.get("type") == "flex":
                parts.extend(_flex_texts(message["contents"]))
        return "\n".join(parts)

    @property
    def actions(self) -> dict[str, str]:
        """Every tappable choice (quick reply or Flex button) by label → postback data or message text."""
        found: dict[str, str] = {}
        for message in self.messages:
            for item in (message.get("quickReply") or {}).get("items", []):
                action = item["action"]
                found[action["label"]] = action.get("data") or action.get("text", "")
            for action in _flex_actions(message.get("contents")):
                found[action["label"]] = action.get("data") or action.get("text", "")
        return found


def _flex_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "text" and "text" in node else []
        return own + [t for v in node.values() for t in _flex_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _flex_texts(v)]
    return []


def _flex_actions(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node["action"]] if node.get("type") == "button" else []
        return own + [a for k, v in node.items() if k != "action" for a in _flex_actions(v)]
    if isinstance(node, list):
        return [a for v in node for a in _flex_actions(v)]
    return []


class Chat:
    """Talk to the bot the way LINE does: signed POSTs to /callback, replies read from the fake."""

    def __init__(self, client: FlaskClient, fake: FakeLinePlatform, secret: str) -> None:
        self.client, self.fake, self.secret = client, fake, secret

    def post(self, events: list[dict[str, Any]], *, signature: str | None = None, body: str | None = None) -> int:
        """Post a webhook body (signed correctly unless `signature` is given); returns the HTTP status."""
        body = body if body is not None else line_events.callback_body(events)
        sig = signature if signature is not None else line_events.sign(body, self.secret)
        # buffered=True closes the response, which is when the bot sends its replies.
        response = self.client.post("/callback", data=body.encode(), headers={
            "Content-Type": "application/json", "X-Line-Signature": sig}, buffered=True)
        return response.status_code

    def replies_for(self, token: str) -> list[dict[str, Any]]:
        """Messages LINE delivered as the reply with this token (or pushed after it failed)."""
        return [m for kind, target, m in self.fake.delivered() if kind == "reply" and target == token]

    def send(self, text: str, *, user: str = "U" + "a" * 32, group: str | None = None, **kw: Any) -> Exchange:
        """The user types `text`; returns the bot's answer."""
        token = self.fake.issue_reply_token(group or user)
        event = line_events.text_event(user, text, reply_token=token, group_id=group, **kw)
        return self._exchange(event, token)

    def tap(self, answer: Exchange, label: str, *, user: str = "U" + "a" * 32, group: str | None = None) -> Exchange:
        """Tap the choice labelled `label` in an earlier answer (a postback, or the text it sends)."""
        data = answer.actions[label]
        if not data.startswith("a="):
            return self.send(data, user=user, group=group)
        return self.postback(data, user=user, group=group)

    def postback(self, data: str, *, user: str = "U" + "a" * 32, group: str | None = None) -> Exchange:
        """Post a postback event with this data."""
        token = self.fake.issue_reply_token(group or user)
        event = line_events.postback_event(user, data, reply_token=token, group_id=group)
        return self._exchange(event, token)

    def event(self, builder: str, *, user: str = "U" + "a" * 32, **kw: Any) -> Exchange:
        """Post one event built by `line_events.<builder>` with a fresh reply token."""
        token = self.fake.issue_reply_token(kw.get("group_id") or user)
        event = getattr(line_events, builder)(user, reply_token=token, **kw)
        return self._exchange(event, token)

    def _exchange(self, event: dict[str, Any], token: str) -> Exchange:
        status = self.post([event])
        return Exchange(status, self.replies_for(token))
