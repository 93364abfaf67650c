"""Flex message building blocks (plain LINE JSON), shared by every card the bot sends."""

from __future__ import annotations

from typing import Any

from handlers.present.line_limits import MAX_CAROUSEL_BUBBLES, MAX_FLEX_LABEL

Message = dict[str, Any]

GREEN = "#06C755"
GREY = "#8C8C8C"
AMBER = "#F5A623"
RED = "#E5483D"


def text(value: str, **style: Any) -> Message:
    """A wrapped text component."""
    return {"type": "text", "text": value or "-", "wrap": True, **style}


def row(label: str, value: str) -> Message:
    """A label on the left, its value on the right."""
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        text(label, size="sm", color=GREY, flex=2),
        text(value, size="sm", flex=5),
    ]}


def separator() -> Message:
    """A thin line between sections."""
    return {"type": "separator", "margin": "md"}


def button(label: str, data: str, *, display: str | None = None, primary: bool = False) -> Message:
    """A postback button; its label also appears in the chat as the user's answer."""
    return {"type": "button", "style": "primary" if primary else "secondary", "height": "sm",
            "color": GREEN if primary else None,
            "action": {"type": "postback", "label": label[:MAX_FLEX_LABEL], "data": data,
                       "displayText": display or label}}


def bubble(title: str, body: list[Message], *, footer: list[Message] | None = None,
           colour: str = GREEN, subtitle: str | None = None) -> Message:
    """A card with a coloured header, a body and optional buttons."""
    header = [text(title, weight="bold", size="lg", color="#FFFFFF")]
    if subtitle:
        header.append(text(subtitle, size="xs", color="#FFFFFF"))
    card: Message = {
        "type": "bubble", "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": colour, "contents": header},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
    }
    if footer:
        card["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
    return _drop_none(card)


def carousel(bubbles: list[Message], *, always: bool = False) -> Message:
    """One bubble as itself (unless `always`), more as a carousel of at most LINE's 12."""
    if len(bubbles) == 1 and not always:
        return bubbles[0]
    return {"type": "carousel", "contents": bubbles[:MAX_CAROUSEL_BUBBLES]}


def _drop_none(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_none(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_drop_none(v) for v in node]
    return node
