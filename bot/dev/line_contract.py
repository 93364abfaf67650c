"""Check LINE payloads against LINE's own OpenAPI specs plus the documented limits the specs lack.

The specs (bot/dev/line-openapi/, Apache-2.0, from line/line-openapi) describe every message,
container, component and action as a subtype behind an OpenAPI ``discriminator``. JSON Schema
validators ignore discriminators, so a Flex message without ``altText`` or a container of type
``"bubblee"`` would pass. ``_dispatching_components`` rewrites each discriminated schema into a
Draft-4 dispatcher that picks the subtype by its ``type`` value, which OAS30Validator does follow.
"""

from __future__ import annotations

import functools
import json
import logging
import reprlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

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

logger = logging.getLogger(__name__)

SPEC_DIR = Path(__file__).parent / "line-openapi"
_SCHEMAS = "#/components/schemas/"
# Marks the anyOf that a rewrite added, so error reporting can follow the chosen subtype.
_DISPATCH_MARK = "x-dispatch-on"

OPERATIONS: dict[str, str] = {
    "reply": "ReplyMessageRequest",
    "push": "PushMessageRequest",
    "multicast": "MulticastRequest",
    "loading": "ShowLoadingAnimationRequest",
}

# LINE's documented limits that messaging-api.yml does not encode (handlers.present.line_limits) are checked here;
# limits the spec does encode are left to the schema, so each problem is reported once.
LOADING_STEP = 5
# Every property LINE fetches media from; LINE accepts only https for these.
MEDIA_URL_KEYS = frozenset(
    {"originalContentUrl", "previewImageUrl", "baseUrl", "thumbnailImageUrl", "imageUrl", "url",
     "previewUrl", "iconUrl"}
)
_ACTION_KEYS = ("action", "defaultAction")
_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60


@dataclass(frozen=True)
class Violation:
    """One contract problem: a JSON pointer into the checked body and what is wrong there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def validate_outgoing(operation: str, body: dict) -> list[str]:
    """Return readable contract errors for a reply/push/multicast/loading body; [] when valid."""
    return [str(v) for v in find_violations(operation, body)]


def validate_webhook(body: dict) -> list[str]:
    """Return readable errors for a webhook CallbackRequest body; [] when valid."""
    return [str(v) for v in _schema_violations(_validator("webhook.yml", "CallbackRequest"), body)]


def find_violations(operation: str, body: dict) -> list[Violation]:
    """Return structured contract problems for an outgoing request body (see validate_outgoing)."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; expected one of {sorted(OPERATIONS)}")
    found = _schema_violations(_validator("messaging-api.yml", OPERATIONS[operation]), body)
    found.extend(_limit_violations(body))
    return found


def _limit_violations(body: dict) -> list[Violation]:
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


def _message_violations(message: dict, path: str) -> list[Violation]:
    found: list[Violation] = []
    kind = message.get("type")
    text = message.get("text")
    if kind in ("text", "textV2") and isinstance(text, str) and utf16_len(text) > MAX_TEXT:
        found.append(Violation(f"{path}/text", _too_long(utf16_len(text), MAX_TEXT, "UTF-16 code units")))
    alt = message.get("altText")
    if isinstance(alt, str) and utf16_len(alt) > MAX_ALT_TEXT:
        found.append(Violation(f"{path}/altText", _too_long(utf16_len(alt), MAX_ALT_TEXT, "UTF-16 code units")))
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
            found.append(Violation(f"{path}/contents", _too_many(len(bubbles), MAX_CAROUSEL_BUBBLES, "bubbles")))
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
        return [Violation(f"{path}/label", _too_long(utf16_len(label), limit, "UTF-16 code units"))]
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
                    found.append(Violation(f"{path}/{key}", f"{_short.repr(child)} must be an https URL"))
            else:
                found.extend(_media_url_violations(child, f"{path}/{key}"))
    return found


def utf16_len(text: str) -> int:
    """Return the length LINE counts: UTF-16 code units, so an emoji outside the BMP counts 2."""
    return len(text.encode("utf-16-le")) // 2


def sent_size(obj: Any) -> int:
    """Return the byte size of obj as the SDK sends it (json.dumps with ensure_ascii, compact)."""
    return len(json.dumps(obj, ensure_ascii=True, separators=(",", ":")))


def _too_long(length: int, limit: int, unit: str) -> str:
    return f"too long: {length} {unit}, the maximum is {limit}"


def _too_many(count: int, limit: int, unit: str) -> str:
    return f"too many {unit}: {count}, the maximum is {limit}"


# --- schema validation ---------------------------------------------------------------------------


def _schema_violations(validator: Any, body: Any) -> list[Violation]:
    found: list[Violation] = []
    for error in validator.iter_errors(body):
        for leaf in _leaf_errors(error):
            violation = Violation(_pointer(leaf), _describe(leaf))
            # The same sub-error can surface through more than one schema path.
            if violation not in found:
                found.append(violation)
    return found


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Replace an error from a rewritten dispatcher by the errors of the subtype its type chose."""
    if not (isinstance(error.schema, dict) and _DISPATCH_MARK in error.schema):
        yield error
        return
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for subs in branches.values():
        # allOf[0] of a branch is the type test; if it failed, this is not the chosen subtype.
        # When no branch is chosen the type itself is wrong, which the enum beside it reports.
        if any(list(sub.relative_schema_path)[1:3] == ["allOf", 0] for sub in subs):
            continue
        for sub in subs:
            yield from _leaf_errors(sub)


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def _describe(error: ValidationError) -> str:
    """Word an error without echoing the whole offending instance (a 501-id list, say)."""
    instance, limit = error.instance, error.validator_value
    if error.validator == "maxItems":
        return _too_many(len(instance), limit, "items")
    if error.validator == "minItems":
        return f"too few items: {len(instance)}, the minimum is {limit}"
    if error.validator == "maxLength":
        return _too_long(len(instance), limit, "characters")
    if error.validator == "minLength":
        return f"too short: {len(instance)} characters, the minimum is {limit}"
    if error.validator == "type":
        return f"{_short.repr(instance)} is not of type {limit!r}"
    if error.validator == "pattern":
        return f"{_short.repr(instance)} does not match {limit!r}"
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


@functools.cache
def _validator(spec_file: str, schema_name: str) -> Any:
    """Build (once) a validator for one named schema of a vendored spec."""
    components = _dispatching_components(spec_file)
    if schema_name not in components["schemas"]:
        raise KeyError(f"{spec_file} has no schema {schema_name!r}")
    root = {"$ref": _SCHEMAS + schema_name, "components": components}
    return OAS30Validator(root, format_checker=oas30_format_checker)


@functools.cache
def _dispatching_components(spec_file: str) -> dict:
    """Load a spec's components with each discriminated schema X rewritten as X__base + dispatcher X."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # A fresh load per spec, so the rewrite below may edit it in place.
    components = yaml.load((SPEC_DIR / spec_file).read_text(encoding="utf-8"), Loader=loader)["components"]
    schemas = components["schemas"]
    discriminated = {
        name: schema for name, schema in list(schemas.items()) if schema.get("discriminator", {}).get("mapping")
    }
    for name, schema in discriminated.items():
        base = {key: value for key, value in schema.items() if key != "discriminator"}
        schemas[f"{name}__base"] = base
        schemas[name] = _dispatcher(name, schema["discriminator"])
    for schema in discriminated.values():
        for target in schema["discriminator"]["mapping"].values():
            _point_at_base(schemas[target.removeprefix(_SCHEMAS)], discriminated)
    logger.debug("loaded %s with %d discriminated schemas", spec_file, len(discriminated))
    return components


def _dispatcher(name: str, discriminator: dict) -> dict:
    prop, mapping = discriminator["propertyName"], discriminator["mapping"]

    def is_type(*values: str) -> dict:
        return {"properties": {prop: {"enum": list(values)}}}

    # OpenAPI requires the discriminator property; `required` in each branch's type test also
    # keeps a value-less object from passing vacuously through the first branch.
    branches = [
        {"allOf": [{"required": [prop], **is_type(key)}, {"$ref": target}]} for key, target in mapping.items()
    ]
    return {
        "required": [prop],
        "allOf": [
            {"$ref": f"{_SCHEMAS}{name}__base"},
            is_type(*mapping),
            {_DISPATCH_MARK: prop, "anyOf": branches},
        ],
    }


def _point_at_base(subtype: dict, discriminated: dict[str, dict]) -> None:
    """Make a subtype extend X__base rather than the dispatcher X, which would refer back to it."""
    for part in subtype.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.removeprefix(_SCHEMAS) in discriminated:
            part["$ref"] = f"{ref}__base"
