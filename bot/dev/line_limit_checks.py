"""LINE's documented limits that messaging-api.yml does not encode, checked on an outgoing body.

The limits themselves live in handlers.present.line_limits, where the code that builds messages reads them.
Limits the spec does encode are left to the schema (bot.dev.line_schema), so each problem is reported once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bot.dev.line_violation import Violation, short, too_long, too_many
from handlers.present.line_limits import (
    MAX_ALT_TEXT,
    MAX_BUBBLE_BYTES,
    MAX_CAROUSEL_BUBBLES,
    MAX_CAROUSEL_BYTES,
    MAX_FLEX_LABEL,
    MAX_IMAGE_CAROUSEL_LABEL,
    MAX_QUICK_REPLY_LABEL,
    MAX_TEMPLATE_LABEL,
    MAX_TEXT,
)

LOADING_STEP = 5
# Every property LINE fetches media from; LINE accepts only https for these.
MEDIA_URL_KEYS = frozenset(
    {"originalContentUrl", "previewImageUrl", "baseUrl", "thumbnailImageUrl", "imageUrl", "url",
     "previewUrl", "iconUrl"}
)
_ACTION_KEYS = ("action", "defaultAction")


def limit_violations(body: dict) -> list[Violation]:
    """Check the limits LINE documents in prose; the body may be schema-invalid, so be defensive."""
    found: list[Violation] = []
    seconds = body.get("loadingSeconds")
    if isinstance(seconds, int) and seconds % LOADING_STEP:
        found.append(Violation("/loadingSeconds", f"{seconds} is not a multiple of {LOADING_STEP}"))
    messages = body.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        if isinstance(message, dict):
            found.extend(_message_violations(message, f"/messages/{i}"))
    return found


def utf16_len(text: str) -> int:
    """Return the length LINE counts: UTF-16 code units, so an emoji outside the BMP counts 2."""
    return len(text.encode("utf-16-le")) // 2


def sent_size(obj: Any) -> int:
    """Return the byte size of obj as the SDK sends it (json.dumps with ensure_ascii, compact)."""
    return len(json.dumps(obj, ensure_ascii=True, separators=(",", ":")))


def _message_violations(message: dict, path: str) -> list[Violation]:
    found: list[Violation] = []
    kind = message.get("type")
    text = message.get("text")
    if kind in ("text", "textV2") and isinstance(text, str) and utf16_len(text) > MAX_TEXT:
        found.append(Violation(f"{path}/text", too_long(utf16_len(text), MAX_TEXT, "UTF-16 code units")))
    alt = message.get("altText")
    if isinstance(alt, str) and utf16_len(alt) > MAX_ALT_TEXT:
        found.append(Violation(f"{path}/altText", too_long(utf16_len(alt), MAX_ALT_TEXT, "UTF-16 code units")))
    if kind == "flex" and isinstance(message.get("contents"), dict):
        found.extend(_container_violations(message["contents"], f"{path}/contents"))
    found.extend(_quick_reply_violations(message.get("quickReply"), f"{path}/quickReply"))
    found.extend(_action_violations(message, path, _label_rule(kind, message)))
    found.extend(_media_url_violations(message, path))
    return found


def _container_violations(container: dict, path: str) -> list[Violation]:
    found: list[Violation] = []
    if container.get("type") == "bubble":
        found.extend(_size_violations(container, path, MAX_BUBBLE_BYTES, "bubble"))
    elif container.get("type") == "carousel" and isinstance(container.get("contents"), list):
        bubbles = container["contents"]
        if len(bubbles) > MAX_CAROUSEL_BUBBLES:
            found.append(Violation(f"{path}/contents", too_many(len(bubbles), MAX_CAROUSEL_BUBBLES, "bubbles")))
        # A bubble without size is a "mega" one, so mixing omitted and explicit mega is fine.
        sizes = sorted({b.get("size", "mega") for b in bubbles if isinstance(b, dict)})
        if len(sizes) > 1:
            found.append(Violation(f"{path}/contents", f"bubbles in a carousel must share one size, got {sizes}"))
        found.extend(_size_violations(container, path, MAX_CAROUSEL_BYTES, "carousel"))
        for i, bubble in enumerate(bubbles):
            if isinstance(bubble, dict):
                found.extend(_size_violations(bubble, f"{path}/contents/{i}", MAX_BUBBLE_BYTES, "bubble"))
    return found


def _size_violations(container: dict, path: str, limit: int, what: str) -> list[Violation]:
    size = sent_size(container)
    if size <= limit:
        return []
    return [Violation(path, f"{what} too large: {size} bytes as sent, the maximum is {limit}")]


def _quick_reply_violations(quick_reply: Any, path: str) -> list[Violation]:
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    found: list[Violation] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        action = item.get("action") if isinstance(item, dict) else None
        if isinstance(action, dict):
            found.extend(_label_violations(action, f"{path}/items/{i}/action", MAX_QUICK_REPLY_LABEL, True))
    return found


def _label_rule(kind: Any, message: dict) -> tuple[int, bool] | None:
    """Return (max label length, required) for actions inside a message of this type."""
    if kind == "flex":
        return MAX_FLEX_LABEL, False
    if kind == "template":
        template = message.get("template")
        if isinstance(template, dict) and template.get("type") == "image_carousel":
            return MAX_IMAGE_CAROUSEL_LABEL, False
        return MAX_TEMPLATE_LABEL, True
    # Imagemap labels are only read aloud for accessibility; LINE documents no limit for them.
    return None


def _action_violations(message: dict, path: str, rule: tuple[int, bool] | None) -> list[Violation]:
    if rule is None:
        return []
    limit, required = rule
    found: list[Violation] = []
    for action, action_path, parent in _actions(message, path):
        # A Flex button shows its label, so LINE requires it there, unlike box/image/text actions.
        must_have = required or parent.get("type") == "button"
        found.extend(_label_violations(action, action_path, limit, must_have))
    return found


def _actions(node: Any, path: str) -> Iterator[tuple[dict, str, dict]]:
    """Yield (action, path, parent) for every action object nested below node, quick replies excluded."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _actions(child, f"{path}/{i}")
    elif isinstance(node, dict):
        for key, child in node.items():
            if key == "quickReply":
                continue
            if key in _ACTION_KEYS and isinstance(child, dict):
                yield child, f"{path}/{key}", node
            elif key == "actions" and isinstance(child, list):
                for i, action in enumerate(child):
                    if isinstance(action, dict):
                        yield action, f"{path}/actions/{i}", node
            else:
                yield from _actions(child, f"{path}/{key}")


def _label_violations(action: dict, path: str, limit: int, required: bool) -> list[Violation]:
    label = action.get("label")
    if label is None:
        return [Violation(path, "'label' is a required property here")] if required else []
    if isinstance(label, str) and utf16_len(label) > limit:
        return [Violation(f"{path}/label", too_long(utf16_len(label), limit, "UTF-16 code units"))]
    return []


def _media_url_violations(node: Any, path: str) -> list[Violation]:
    found: list[Violation] = []
    if isinstance(node, list):
        for i, child in enumerate(node):
            found.extend(_media_url_violations(child, f"{path}/{i}"))
    elif isinstance(node, dict):
        for key, child in node.items():
            if key in MEDIA_URL_KEYS and isinstance(child, str):
                if not child.startswith("https://"):
                    found.append(Violation(f"{path}/{key}", f"{short.repr(child)} must be an https URL"))
            else:
                found.extend(_media_url_violations(child, f"{path}/{key}"))
    return found
