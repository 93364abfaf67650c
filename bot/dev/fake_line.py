"""A fake LINE Messaging API platform: a real HTTP server on loopback for the real SDK to talk to.

Point the SDK at it with ``Configuration(host=fake.base_url)``. Tests use it to assert on what the
bot sent; development mode uses it so the bot runs without a LINE channel. It answers the way LINE
does (status codes, JSON bodies, ``x-line-request-id``), enforces single-use reply tokens and
retry keys, counts the monthly quota, and checks every outgoing body against bot.dev.line_contract.
This module is the HTTP side; the records are bot.dev.fake_line_state, the rules bot.dev.fake_line_rules.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from types import TracebackType

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.dev.fake_line_rules import DEFAULT_DISPLAY_NAME, FakeLineRules
from bot.dev.fake_line_state import Answer, Call, RecordedRequest

# Kept importable from here, where callers have always found them.
__all__ = ["DEFAULT_DISPLAY_NAME", "FakeLinePlatform", "RecordedRequest"]

logger = logging.getLogger(__name__)


class _QuietRequestHandler(WSGIRequestHandler):
    """Log each request at debug level instead of werkzeug's access line on stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("%s %s -> %s", self.command, self.path, code)


class FakeLinePlatform(FakeLineRules):
    """A LINE Messaging API stand-in served by werkzeug on a daemon thread."""

    def __init__(self, *, validate: bool = True, access_token: str | None = None) -> None:
        super().__init__(validate=validate)
        self.access_token = access_token
        # Set on stop so handlers sleeping in delay_next wake up instead of outliving the server.
        self._stopping = threading.Event()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._app = self._build_app()

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

    # --- the HTTP side ---------------------------------------------------------------------------

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
            delay = self._take_delay(request.path)
            status, payload, headers = self._answer(handler, body, request_id, route_args)
            self._requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.path,
                    headers={name.lower(): value for name, value in request.headers.items()},
                    body=body,
                    status=status,
                    at=arrived,
                    delayed=delay,
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
        if failure := self._take_failure(request.path):
            return failure
        if body is None and request.method == "POST":
            return 400, {"message": "The request body could not be parsed as a JSON object"}, {}
        call = Call(request.path, body or {}, request_id, request.headers.get("X-Line-Retry-Key"))
        return handler(call, **route_args)
