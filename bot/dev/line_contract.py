"""Check LINE payloads against LINE's own OpenAPI specs plus the documented limits the specs lack.

The schema side (the vendored specs, with their discriminators followed) is bot.dev.line_schema;
the prose limits are bot.dev.line_limit_checks. This module is the one entry point to both.
"""

from __future__ import annotations

from bot.dev.line_limit_checks import limit_violations, sent_size, utf16_len
from bot.dev.line_schema import schema_violations
from bot.dev.line_violation import Violation

# Kept importable from here, where callers have always found them.
__all__ = [
    "OPERATIONS",
    "Violation",
    "find_violations",
    "sent_size",
    "utf16_len",
    "validate_outgoing",
    "validate_webhook",
]

OPERATIONS: dict[str, str] = {
    "reply": "ReplyMessageRequest",
    "push": "PushMessageRequest",
    "multicast": "MulticastRequest",
    "loading": "ShowLoadingAnimationRequest",
}


def validate_outgoing(operation: str, body: dict) -> list[str]:
    """Return readable contract errors for a reply/push/multicast/loading body; [] when valid."""
    return [str(v) for v in find_violations(operation, body)]


def validate_webhook(body: dict) -> list[str]:
    """Return readable errors for a webhook CallbackRequest body; [] when valid."""
    return [str(v) for v in schema_violations("webhook.yml", "CallbackRequest", body)]


def find_violations(operation: str, body: dict) -> list[Violation]:
    """Return structured contract problems for an outgoing request body (see validate_outgoing)."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; expected one of {sorted(OPERATIONS)}")
    found = schema_violations("messaging-api.yml", OPERATIONS[operation], body)
    found.extend(limit_violations(body))
    return found
