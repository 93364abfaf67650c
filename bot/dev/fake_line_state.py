"""What the fake LINE platform remembers, and what tests inspect and arrange there, without any HTTP.

The records: requests, deliveries, contract violations, usable reply tokens, accepted retry keys, usage.
The arrangements: reply tokens, injected failures and delays, the quota, profiles. LINE's rules for each
endpoint are bot.dev.fake_line_rules; bot.dev.fake_line serves them over HTTP.
"""

from __future__ import annotations

import http
import itertools
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

# status, JSON body, extra response headers
Answer = tuple[int, dict[str, Any], dict[str, str]]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, with the status it answered. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict | None
    status: int
    at: float
    delayed: float = 0.0  # seconds its answer was held (delay_next)


@dataclass(frozen=True)
class Call:
    """One request as an endpoint sees it: its path, JSON body ({} when none), id and X-Line-Retry-Key."""

    path: str
    body: dict
    request_id: str
    retry_key: str | None


@dataclass(frozen=True)
class Delivery:
    """One message as accepted for one chat."""

    kind: str  # "reply", "push" or "multicast"
    target: str  # the reply token, or the recipient id
    chat_id: str
    message: dict


@dataclass(frozen=True)
class Accepted:
    """A push or multicast accepted under a retry key: what a retry with the same key is told."""

    request_id: str
    sent_messages: list[dict]


class FakeLineState:
    """The fake platform's records; the public methods take the lock, the HTTP side holds it for the rest."""

    def __init__(self, *, validate: bool = True) -> None:
        self.validate = validate
        self._lock = threading.Lock()
        self._quota: int | None = None
        # Seconds a reply token stays usable (None: until used). LINE documents one minute
        # (shared/notes/line-platform.md); the load benchmarks set it, so a backlog shows its pushes.
        self.reply_token_ttl: float | None = None
        self._profiles: dict[str, str] = {}
        self._reset()

    # --- what tests inspect ----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[str]:
        """Contract violations in bodies the bot sent, each prefixed with the request path."""
        with self._lock:
            return list(self._violations)

    def messages_to(self, to: str) -> list[dict]:
        """Message objects delivered to a user or group id, by reply, push or multicast."""
        with self._lock:
            return [d.message for d in self._deliveries if d.chat_id == to]

    def delivered(self) -> list[tuple[str, str, dict]]:
        """(kind, reply token or recipient id, message) for every accepted message."""
        with self._lock:
            return [(d.kind, d.target, d.message) for d in self._deliveries]

    # --- what tests arrange ----------------------------------------------------------------------

    def issue_reply_token(self, chat_id: str) -> str:
        """Make a single-use reply token bound to a user or group id, to put in a webhook event."""
        token = secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = chat_id
            self._token_issued[token] = time.monotonic()
        return token

    def expire_reply_token(self, token: str) -> None:
        """Make a reply token invalid, as LINE does once its minute is up."""
        with self._lock:
            self._reply_tokens.pop(token, None)

    def fail_next(
        self, path: str, status: int, message: str | None = None, times: int = 1, details: list | None = None
    ) -> None:
        """Answer the next `times` requests to path with status and a LINE-style error body."""
        payload: dict[str, Any] = {"message": message or http.HTTPStatus(status).phrase}
        if details is not None:
            payload["details"] = details
        with self._lock:
            self._failures.setdefault(path, []).extend([(status, payload)] * times)

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        """Hold the answer to the next `times` requests to path; they are still processed at once."""
        with self._lock:
            self._delays.setdefault(path, []).extend([seconds] * times)

    def set_quota(self, limit: int | None) -> None:
        """Set the monthly message quota (None: unlimited); push/multicast past it get 429."""
        with self._lock:
            self._quota = limit

    def set_profile(self, user_id: str, display_name: str) -> None:
        """Give a user a display name for GET /v2/bot/profile/<userId>."""
        with self._lock:
            self._profiles[user_id] = display_name

    def clear(self) -> None:
        """Forget requests, deliveries, tokens, retry keys, usage and pending failures or delays."""
        with self._lock:
            self._reset()

    # --- used by the HTTP side, which holds the lock ---------------------------------------------

    def _reset(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []
        self._deliveries: list[Delivery] = []
        self._reply_tokens: dict[str, str] = {}  # usable token -> chat id
        self._token_issued: dict[str, float] = {}  # token -> when it was issued (monotonic)
        self._accepted_keys: dict[str, Accepted] = {}
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._usage = 0
        self._message_ids = itertools.count(500_000_000_000_000_001)

    def _take_reply_token(self, token: object) -> str | None:
        """The chat a reply token belongs to, used up now; None if unknown, used, or past its lifetime."""
        if not isinstance(token, str):
            return None
        chat_id = self._reply_tokens.pop(token, None)
        issued = self._token_issued.pop(token, None)
        if chat_id is not None and self.reply_token_ttl is not None and issued is not None \
                and time.monotonic() - issued > self.reply_token_ttl:
            return None
        return chat_id

    def _take_delay(self, path: str) -> float:
        """Seconds to hold the answer to this request to path (0 when no delay was arranged)."""
        delays = self._delays.get(path)
        return delays.pop(0) if delays else 0.0

    def _take_failure(self, path: str) -> Answer | None:
        """The injected failure this request to path answers with, if one is pending."""
        failures = self._failures.get(path)
        if not failures:
            return None
        status, payload = failures.pop(0)
        return status, dict(payload), {}
