"""A fake LINE Messaging API platform: a real HTTP server on loopback for the real SDK to talk to.

Point the SDK at it with ``Configuration(host=fake.base_url)``. Tests use it to assert on what the
bot sent; development mode uses it so the bot runs without a LINE channel. It answers the way LINE
does (status codes, JSON bodies, ``x-line-request-id``), enforces single-use reply tokens and
retry keys, counts the monthly quota, and checks every outgoing body against bot.dev.line_contract.
"""

from __future__ import annotations

import http
import itertools
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.dev import line_contract

logger = logging.getLogger(__name__)

DEFAULT_DISPLAY_NAME = "ผู้ใช้ทดสอบ"
# LINE accepts only the canonical hyphenated form, which uuid.UUID() is too lenient to check.
_RETRY_KEY = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MESSAGE_PATH = re.compile(r"^/messages/(\d+)")

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


@dataclass(frozen=True)
class _Delivery:
    kind: str  # "reply", "push" or "multicast"
    target: str  # the reply token, or the recipient id
    chat_id: str
    message: dict


@dataclass(frozen=True)
class _Accepted:
    request_id: str
    sent_messages: list[dict]


class _QuietRequestHandler(WSGIRequestHandler):
    """Log each request at debug level instead of werkzeug's access line on stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("%s %s -> %s", self.command, self.path, code)


class FakeLinePlatform:
    """A LINE Messaging API stand-in served by werkzeug on a daemon thread."""

    def __init__(self, *, validate: bool = True, access_token: str | None = None) -> None:
        self.validate = validate
        self.access_token = access_token
        self._lock = threading.Lock()
        # Set on stop so handlers sleeping in delay_next wake up instead of outliving the server.
        self._stopping = threading.Event()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._quota: int | None = None
        self._profiles: dict[str, str] = {}
        self._app = self._build_app()
        self._reset()

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeLinePlatform:
        """Serve on host:port (0 picks a free port) and return self."""
        if self._server is not None:
            raise RuntimeError("the fake LINE platform is already running")
        self._stopping.clear()
        self._server = make_server(host, port, self._app, threaded=True, request_handler=_QuietRequestHandler)
        server = self._server
        # A short poll interval keeps stop() fast; the default 0.5 s adds up over a test run.
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.05), name="fake-line", daemon=True
        )
        self._thread.start()
        logger.info("fake LINE platform listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving; requests still sleeping in a delay are cut short."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeLinePlatform:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The URL to pass as Configuration(host=...), without a trailing slash."""
        if self._server is None:
            raise RuntimeError("start() the fake LINE platform first")
        return f"http://{self._server.host}:{self._server.port}"

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

    # --- the HTTP side ---------------------------------------------------------------------------

    def _reset(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []
        self._deliveries: list[_Delivery] = []
        self._reply_tokens: dict[str, str] = {}  # usable token -> chat id
        self._accepted_keys: dict[str, _Accepted] = {}
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._usage = 0
        self._message_ids = itertools.count(500_000_000_000_000_001)

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        routes: list[tuple[str, tuple[str, ...], Callable[..., Answer]]] = [
            ("/v2/bot/message/reply", ("POST",), self._reply),
            ("/v2/bot/message/push", ("POST",), self._push),
            ("/v2/bot/message/multicast", ("POST",), self._multicast),
            ("/v2/bot/chat/loading/start", ("POST",), self._loading),
            ("/v2/bot/profile/<user_id>", ("GET",), self._profile),
            ("/v2/bot/message/quota", ("GET",), self._quota_answer),
            ("/v2/bot/message/quota/consumption", ("GET",), self._consumption),
            # Anything else is answered (and recorded) like LINE answers an unknown path.
            ("/<path:unknown>", ("GET", "POST", "PUT", "DELETE", "PATCH"), self._not_found),
        ]
        for rule, methods, handler in routes:
            app.add_url_rule(rule, endpoint=handler.__name__, view_func=self._view(handler), methods=methods)
        return app

    def _view(self, handler: Callable[..., Answer]) -> Callable[..., Response]:
        def view(**route_args: str) -> Response:
            return self._serve(handler, route_args)

        return view

    def _serve(self, handler: Callable[..., Answer], route_args: dict[str, str]) -> Response:
        """Answer one request: auth, injected failure, then the endpoint, all recorded under the lock."""
        request_id, arrived = str(uuid.uuid4()), time.time()
        parsed = request.get_json(force=True, silent=True) if request.content_length else None
        body = parsed if isinstance(parsed, dict) else None
        with self._lock:
            delays = self._delays.get(request.path)
            delay = delays.pop(0) if delays else 0.0
            status, payload, headers = self._answer(handler, body, request_id, route_args)
            self._requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.path,
                    headers={name.lower(): value for name, value in request.headers.items()},
                    body=body,
                    status=status,
                    at=arrived,
                )
            )
        # Processed already, answered late: a client that times out and retries sees the outcome.
        if delay:
            self._stopping.wait(delay)
        response = Response(json.dumps(payload, ensure_ascii=False), status, mimetype="application/json")
        response.headers["x-line-request-id"] = request_id
        response.headers.update(headers)
        return response

    def _answer(
        self, handler: Callable[..., Answer], body: dict | None, request_id: str, route_args: dict[str, str]
    ) -> Answer:
        if self.access_token is not None and request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return 401, {"message": "Authentication failed. Confirm that the access token in the "
                                    "authorization header is valid."}, {}
        failures = self._failures.get(request.path)
        if failures:
            status, payload = failures.pop(0)
            return status, dict(payload), {}
        if body is None and request.method == "POST":
            return 400, {"message": "The request body could not be parsed as a JSON object"}, {}
        return handler(body or {}, request_id, **route_args)

    def _contract_error(self, operation: str, body: dict) -> Answer | None:
        """Return LINE's 400 for a body that breaks the contract, recording the violations."""
        if not self.validate:
            return None
        violations = line_contract.find_violations(operation, body)
        if not violations:
            return None
        for violation in violations:
            self._violations.append(f"{request.path} {violation}")
            logger.warning("contract violation: %s %s", request.path, violation)
        first = _MESSAGE_PATH.match(violations[0].path)
        message = (
            f"A message (messages[{first.group(1)}]) in the request body is invalid"
            if first
            else f"The request body has {len(violations)} error(s)"
        )
        details = [{"message": v.message, "property": v.path} for v in violations]
        return 400, {"message": message, "details": details}, {}

    def _reply(self, body: dict, request_id: str) -> Answer:
        if error := self._contract_error("reply", body):
            return error
        token = body.get("replyToken")
        chat_id = self._reply_tokens.pop(token, None) if isinstance(token, str) else None
        if chat_id is None:
            return 400, {"message": "Invalid reply token"}, {}
        sent = self._deliver("reply", [(token, chat_id)], body.get("messages") or [])
        return 200, {"sentMessages": sent}, {}

    def _push(self, body: dict, request_id: str) -> Answer:
        return self._send("push", body, request_id)

    def _multicast(self, body: dict, request_id: str) -> Answer:
        return self._send("multicast", body, request_id)

    def _send(self, kind: str, body: dict, request_id: str) -> Answer:
        """Push or multicast: retry key, contract, quota, then delivery."""
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and not _RETRY_KEY.fullmatch(key):
            return 400, {"message": "The value of the X-Line-Retry-Key header is invalid"}, {}
        if key is not None and key in self._accepted_keys:
            first = self._accepted_keys[key]
            payload: dict[str, Any] = {"message": "The retry key is already accepted"}
            if kind == "push":
                payload["sentMessages"] = first.sent_messages
            return 409, payload, {"x-line-accepted-request-id": first.request_id}
        if error := self._contract_error(kind, body):
            return error
        to = body.get("to")
        recipients = [to] if kind == "push" else list(to or [])
        # Each recipient counts against the quota; on any error nobody gets the message.
        if self._quota is not None and self._usage + len(recipients) > self._quota:
            return 429, {"message": "You have reached your monthly limit."}, {}
        sent = self._deliver(kind, [(r, r) for r in recipients], body.get("messages") or [])
        self._usage += len(recipients)
        if key is not None:
            self._accepted_keys[key] = _Accepted(request_id, sent)
        return 200, ({"sentMessages": sent} if kind == "push" else {}), {}

    def _deliver(self, kind: str, targets: list[tuple[str, str]], messages: list[dict]) -> list[dict]:
        """Record messages as delivered to each (target, chat id); return LINE's sentMessages."""
        sent = [{"id": str(next(self._message_ids)), "quoteToken": secrets.token_urlsafe(24)} for _ in messages]
        for target, chat_id in targets:
            self._deliveries.extend(_Delivery(kind, target, chat_id, message) for message in messages)
        return sent

    def _loading(self, body: dict, request_id: str) -> Answer:
        if error := self._contract_error("loading", body):
            return error
        return 202, {}, {}

    def _profile(self, body: dict, request_id: str, user_id: str) -> Answer:
        return 200, {"userId": user_id, "displayName": self._profiles.get(user_id, DEFAULT_DISPLAY_NAME)}, {}

    def _quota_answer(self, body: dict, request_id: str) -> Answer:
        if self._quota is None:
            return 200, {"type": "none"}, {}
        return 200, {"type": "limited", "value": self._quota}, {}

    def _consumption(self, body: dict, request_id: str) -> Answer:
        return 200, {"totalUsage": self._usage}, {}

    def _not_found(self, body: dict, request_id: str, unknown: str) -> Answer:
        return 404, {"message": "Not found"}, {}
