"""The one place that talks to LINE's Messaging API.

Owns timeouts, retry keys, backoff, the reply-to-push fallback and the outbound log. No other
module imports `linebot.v3.messaging`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import urllib3.exceptions
from linebot.v3.messaging import ApiClient, ApiException, Configuration
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.line import outbound_log
from bot.line.outbound_log import Attempt, QuotaExceeded, SendResult
from bot.settings import Settings
from models import OutboundMessage

log = logging.getLogger(__name__)

MULTICAST_LIMIT = 500
QUOTA_MESSAGE = "You have reached your monthly limit."
INVALID_REPLY_TOKEN = "Invalid reply token"


class LineGateway:
    """Reply, push and multicast with logging, retries and idempotency."""

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._sessions = session_factory
        self._sleep = sleep
        self._config = Configuration(
            host=settings.line_api_base_url or None, access_token=settings.line_channel_access_token
        )
        # urllib3 would silently retry connection errors itself; retries are ours, with retry keys.
        self._config.retries = False
        # A kept connection per reply thread (past the pool, each call opens and handshakes a connection of its own)
        self._config.connection_pool_maxsize = max(self._config.connection_pool_maxsize, settings.reply_threads + 2)
        self._timeout = (settings.line_connect_timeout, settings.line_read_timeout)
        self._client: ApiClient | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._client_lock = threading.Lock()

    @contextmanager
    def _api(self) -> Iterator[ApiClient]:
        # One client (one urllib3 pool) per process, built on first use: after a gunicorn fork, not before.
        with self._client_lock:
            if self._client is None:
                self._client = ApiClient(self._config)
        yield self._client

    def _post(self, path: str, body: dict[str, Any], retry_key: str | None = None) -> Callable[[ApiClient], Any]:
        """A POST of a body as stored, through the SDK's REST client (its pool, timeouts, errors as ApiException).

        The messages are already LINE's JSON, checked against LINE's schema where they are built and tested: SDK
        models rebuilt from them, or the SDK's walk over every node of a body, cost more CPU than all the rest of a
        reply (bench/README.md). LINE's answer is not read."""
        def call(client: ApiClient) -> Any:
            headers = {**client.default_headers, "Accept": "application/json", "Content-Type": "application/json",
                       "Authorization": f"Bearer {client.configuration.access_token}"}
            if retry_key:
                headers["X-Line-Retry-Key"] = retry_key
            return client.rest_client.request("POST", client.configuration.host + path, headers=headers, body=body,
                                              _request_timeout=self._timeout)
        return call

    def close(self) -> None:
        """Finish queued replies, then close the HTTP connections (ApiClient.close() alone leaves urllib3's pool
        open)."""
        with self._client_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        with self._client_lock:
            if self._client is not None:
                self._client.rest_client.pool_manager.clear()
                self._client.close()
                self._client = None

    # -- public API -----------------------------------------------------------------------------

    def reply(
        self, reply_token: str, messages: Sequence[dict[str, Any]], *, chat_id: str | None,
        source_event_id: str | None = None, outbound_id: int | None = None,
    ) -> SendResult:
        """Reply to an event; if LINE says the token is no longer valid, push to the chat instead.

        `outbound_id` is a pending row the caller logged in its own transaction (the webhook logs the
        planned reply together with the event, so a crash before sending leaves a trace).
        """
        row_id = outbound_id or outbound_log.new(self._sessions,
            "reply", list(messages), reply_token=reply_token, recipients=[chat_id] if chat_id else [],
            source_event_id=source_event_id)
        return self._reply_from(row_id, reply_token, messages, chat_id, source_event_id)

    def _reply_from(self, row_id: int, reply_token: str, messages: Sequence[dict[str, Any]], chat_id: str | None,
                    source_event_id: str | None, accepted: list[tuple[int, Attempt]] | None = None) -> SendResult:
        """The reply's attempts. With `accepted` (start_replies), the row is already marked as being sent, and a
        first attempt LINE accepts joins that list, to be recorded with the others."""
        call = self._post("/v2/bot/message/reply", {"replyToken": reply_token, "messages": list(messages)})
        had_timeout = False
        for attempt_no in range(1, self._settings.line_max_attempts + 1):
            if accepted is None or attempt_no > 1:
                outbound_log.attempting(self._sessions, row_id)  # before the call: a crash mid-call is known as one
            attempt = self._call(call)
            if attempt.status == 200 and accepted is not None and attempt_no == 1:
                accepted.append((row_id, attempt))
                return SendResult(True, row_id, 200)
            if attempt.status == 200:
                return self._finish(row_id, "sent", attempt)
            if attempt.status == 400 and attempt.message == INVALID_REPLY_TOKEN:
                # The push below delivers it (or is retried by the outbox job): this row is done either way.
                # After a timed-out attempt the token may have been used by it, or may simply have expired:
                # the outcome is unknown, so the push goes once, marked as a possible repeat.
                self._finish(row_id, "superseded", attempt, note="reply outcome unknown; pushed as a possible repeat"
                             if had_timeout else "reply token no longer valid; pushed instead")
                if not chat_id:
                    return SendResult(False, row_id, attempt.status, attempt.message)
                pushed = self.push(chat_id, outbound_log.possible_repeat(list(messages)) if had_timeout else messages,
                                   source_event_id=source_event_id)
                return SendResult(pushed.ok, pushed.outbound_id, pushed.status, pushed.error, fell_back_to_push=True)
            if not attempt.retryable or attempt_no == self._settings.line_max_attempts:  # the outbox job pushes it
                note = outbound_log.maybe_delivered(had_timeout or attempt.ambiguous)
                return self._finish(row_id, "failed", attempt, note=note)
            had_timeout = had_timeout or attempt.ambiguous
            outbound_log.record(self._sessions, row_id, attempt)
            self._backoff(attempt_no)
        raise AssertionError("unreachable")

    def reply_soon(
        self, reply_token: str, messages: Sequence[dict[str, Any]], *, chat_id: str | None,
        source_event_id: str | None, outbound_id: int,
    ) -> None:
        """Send a logged reply from this process's reply threads (or now, when settings say 0 threads): a reply
        waits for LINE (0.1-0.3 s), which would hold the web worker. The reply is logged as pending, so if the
        process dies before sending it, the outbox job pushes it. Failures are logged, never raised."""
        if self._settings.reply_threads <= 0:
            self._reply_logging_errors(reply_token, messages, chat_id, source_event_id, outbound_id)
            return
        self._reply_pool().submit(self._reply_logging_errors, reply_token, messages, chat_id, source_event_id,
                                  outbound_id)

    def _reply_logging_errors(self, reply_token: str, messages: Sequence[dict[str, Any]], chat_id: str | None,
                              source_event_id: str | None, outbound_id: int) -> None:
        try:
            self.reply(reply_token, messages, chat_id=chat_id, source_event_id=source_event_id,
                       outbound_id=outbound_id)
        except Exception:
            log.exception("reply for event %s could not be sent", source_event_id)

    def _reply_pool(self) -> ThreadPoolExecutor:
        # Built on first use, so after a gunicorn fork; its threads finish queued replies at exit.
        with self._client_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._settings.reply_threads, thread_name_prefix="line-reply")
            return self._pool

    # -- replies of a handler pass (bot/line/handler.py): marked and recorded a batch at a time -------------

    def start_replies(self, queues: Sequence[Sequence[Any]]) -> list[Future[list[tuple[int, Attempt]]]]:
        """Send logged replies (inbox.PlannedReply), each queue in order and the queues side by side (a queue per
        sender: a person's answers arrive in order, one slow answer holds up no one else's), the ones not yet
        `marked` as being sent marked first, in one transaction. Returns futures of the (row id, attempt) pairs LINE
        accepted, for one `record_sent`; a reply LINE refused goes on through the usual tries and fallback."""
        queues = [list(q) for q in queues if q]
        outbound_log.attempting_many(self._sessions, [p.outbound_id for q in queues for p in q if not p.marked])
        if self._settings.reply_threads > 0:
            return [self._reply_pool().submit(self._send_queue, queue) for queue in queues]
        done: Future[list[tuple[int, Attempt]]] = Future()  # no reply threads: one after the other, now
        done.set_result([pair for queue in queues for pair in self._send_queue(queue)])
        return [done]

    def _send_queue(self, queue: list[Any]) -> list[tuple[int, Attempt]]:
        accepted: list[tuple[int, Attempt]] = []
        for planned in queue:
            try:
                self._reply_from(planned.outbound_id, planned.reply_token, planned.messages, planned.chat_id,
                                 planned.event_id, accepted)
            except Exception:
                log.exception("reply for event %s could not be sent", planned.event_id)
        return accepted

    def record_sent(self, accepted: Sequence[tuple[int, Attempt]]) -> None:
        """Record replies LINE accepted, in one transaction (see start_replies)."""
        outbound_log.sent_many(self._sessions, accepted)

    def push(
        self, to: str, messages: Sequence[dict[str, Any]], *, dedupe_key: str | None = None,
        source_event_id: str | None = None,
    ) -> SendResult:
        """Push to one user or group, exactly once per dedupe key (if given)."""
        row_id, retry_key, done = outbound_log.prepare_keyed(
            self._sessions, "push", [to], list(messages), dedupe_key, source_event_id)
        if done:
            return SendResult(True, row_id, already_sent=True)
        return self._send_keyed(row_id, self._post("/v2/bot/message/push", {"to": to, "messages": list(messages)},
                                                   retry_key))

    def multicast(
        self, to: Sequence[str], messages: Sequence[dict[str, Any]], *, dedupe_key: str | None = None,
    ) -> list[SendResult]:
        """Send to many users in calls of at most 500 ids; each call has its own retry key."""
        results = []
        for start in range(0, len(to), MULTICAST_LIMIT):
            chunk = list(to[start:start + MULTICAST_LIMIT])
            key = f"{dedupe_key}#{start // MULTICAST_LIMIT}" if dedupe_key else None
            row_id, retry_key, done = outbound_log.prepare_keyed(
                self._sessions, "multicast", chunk, list(messages), key, None)
            if done:
                results.append(SendResult(True, row_id, already_sent=True))
                continue
            results.append(self._send_keyed(row_id, self._post(
                "/v2/bot/message/multicast", {"to": chunk, "messages": list(messages)}, retry_key)))
        return results

    def send_logged(self, outbound_id: int) -> SendResult:
        """Send (or resend) a push/multicast row logged earlier with its retry key.

        Scheduled jobs log every batch before the first attempt; after a crash the same row is sent
        again with the same key, so LINE answers 409 for a batch it already delivered.
        """
        with transaction(self._sessions) as session:
            row = session.get(OutboundMessage, outbound_id)
            if row is None or row.kind not in ("push", "multicast") or not row.retry_key:
                raise ValueError(f"outbound row {outbound_id} is not a keyed push or multicast")
            if row.status == "sent":
                return SendResult(True, row.id, already_sent=True)
            kind, recipients, payload, key = row.kind, list(row.recipients), list(row.payload), row.retry_key
        if kind == "push":
            return self._send_keyed(outbound_id, self._post("/v2/bot/message/push",
                                                            {"to": recipients[0], "messages": payload}, key))
        return self._send_keyed(outbound_id, self._post("/v2/bot/message/multicast",
                                                        {"to": recipients, "messages": payload}, key))

    # -- internals ------------------------------------------------------------------------------

    def _send_keyed(self, row_id: int, call: Callable[[ApiClient], Any]) -> SendResult:
        for attempt_no in range(1, self._settings.line_max_attempts + 1):
            attempt = self._call(call)
            if attempt.status == 200:
                return self._finish(row_id, "sent", attempt)
            if attempt.status == 409:
                # LINE already accepted this retry key: an earlier attempt got through.
                return self._finish(row_id, "sent", attempt, note="accepted earlier (409)")
            if attempt.status == 429 and attempt.message == QUOTA_MESSAGE:
                self._finish(row_id, "failed", attempt)
                raise QuotaExceeded(QUOTA_MESSAGE)
            if not attempt.retryable or attempt_no == self._settings.line_max_attempts:
                return self._finish(row_id, "failed", attempt)
            outbound_log.record(self._sessions, row_id, attempt)
            self._backoff(attempt_no)
        raise AssertionError("unreachable")

    def _call(self, call: Callable[[ApiClient], Any]) -> Attempt:
        try:
            with self._api() as api:
                response = call(api)
        except ApiException as exc:
            message, details = outbound_log.error_message(exc.body)
            headers = exc.headers or {}
            request_id = headers.get("x-line-request-id") or headers.get("x-line-accepted-request-id")
            log.warning("LINE API %s %s (request %s) details=%s", exc.status, message, request_id, details)
            retryable = exc.status == 429 and message != QUOTA_MESSAGE or exc.status >= 500
            return Attempt(exc.status, request_id, message, retryable)
        except urllib3.exceptions.HTTPError as exc:
            timed_out = isinstance(exc, urllib3.exceptions.TimeoutError)
            log.warning("LINE API network error: %s", type(exc).__name__)
            return Attempt(None, None, f"{type(exc).__name__}", retryable=True, ambiguous=timed_out)
        request_id = response.getheader("x-line-request-id")
        log.info("LINE API %s (request %s)", response.status, request_id)
        return Attempt(response.status, request_id, None, retryable=False)

    def _backoff(self, attempt_no: int) -> None:
        self._sleep(self._settings.line_backoff_seconds * (2 ** (attempt_no - 1)))

    def log_keyed(self, session: Session, kind: str, recipients: list[str], messages: Sequence[dict[str, Any]],
                  dedupe_key: str | None = None) -> OutboundMessage:
        """Log a push/multicast with a fresh retry key in the caller's transaction (not sent yet)."""
        if kind == "multicast" and len(recipients) > MULTICAST_LIMIT:
            raise ValueError(f"a multicast takes at most {MULTICAST_LIMIT} recipients")
        return outbound_log.add(session, kind, recipients, messages, dedupe_key)

    def _finish(self, row_id: int, status: str, attempt: Attempt, note: str | None = None) -> SendResult:
        outbound_log.record(self._sessions, row_id, attempt, status, note)
        return SendResult(status == "sent", row_id, attempt.status, None if status == "sent" else attempt.message)
