"""LINE's rules for each endpoint of the fake platform: how it answers a call, given what it has recorded.

Single-use reply tokens, retry keys (a repeat is told 409 with the first request's id), the monthly
quota, and every outgoing body checked against bot.dev.line_contract. bot.dev.fake_line routes HTTP here.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from bot.dev import line_contract
from bot.dev.fake_line_state import Accepted, Answer, Call, Delivery, FakeLineState

# The platform logs under one name, whichever of its modules does the logging.
logger = logging.getLogger("bot.dev.fake_line")

DEFAULT_DISPLAY_NAME = "ผู้ใช้ทดสอบ"
# LINE accepts only the canonical hyphenated form, which uuid.UUID() is too lenient to check.
_RETRY_KEY = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MESSAGE_PATH = re.compile(r"^/messages/(\d+)")


class FakeLineRules(FakeLineState):
    """The endpoints' answers; each is called with the lock held, so it may read and change the records."""

    def _contract_error(self, operation: str, call: Call) -> Answer | None:
        """Return LINE's 400 for a body that breaks the contract, recording the violations."""
        if not self.validate:
            return None
        violations = line_contract.find_violations(operation, call.body)
        if not violations:
            return None
        for violation in violations:
            self._violations.append(f"{call.path} {violation}")
            logger.warning("contract violation: %s %s", call.path, violation)
        first = _MESSAGE_PATH.match(violations[0].path)
        message = (
            f"A message (messages[{first.group(1)}]) in the request body is invalid"
            if first
            else f"The request body has {len(violations)} error(s)"
        )
        details = [{"message": v.message, "property": v.path} for v in violations]
        return 400, {"message": message, "details": details}, {}

    def _reply(self, call: Call) -> Answer:
        if error := self._contract_error("reply", call):
            return error
        token = call.body.get("replyToken")
        chat_id = self._take_reply_token(token)
        if chat_id is None:
            return 400, {"message": "Invalid reply token"}, {}
        sent = self._deliver("reply", [(token, chat_id)], call.body.get("messages") or [])
        return 200, {"sentMessages": sent}, {}

    def _push(self, call: Call) -> Answer:
        return self._send("push", call)

    def _multicast(self, call: Call) -> Answer:
        return self._send("multicast", call)

    def _send(self, kind: str, call: Call) -> Answer:
        """Push or multicast: retry key, contract, quota, then delivery."""
        key = call.retry_key
        if key is not None and not _RETRY_KEY.fullmatch(key):
            return 400, {"message": "The value of the X-Line-Retry-Key header is invalid"}, {}
        if key is not None and key in self._accepted_keys:
            first = self._accepted_keys[key]
            payload: dict[str, Any] = {"message": "The retry key is already accepted"}
            if kind == "push":
                payload["sentMessages"] = first.sent_messages
            return 409, payload, {"x-line-accepted-request-id": first.request_id}
        if error := self._contract_error(kind, call):
            return error
        to = call.body.get("to")
        recipients = [to] if kind == "push" else list(to or [])
        # Each recipient counts against the quota; on any error nobody gets the message.
        if self._quota is not None and self._usage + len(recipients) > self._quota:
            return 429, {"message": "You have reached your monthly limit."}, {}
        sent = self._deliver(kind, [(r, r) for r in recipients], call.body.get("messages") or [])
        self._usage += len(recipients)
        if key is not None:
            self._accepted_keys[key] = Accepted(call.request_id, sent)
        return 200, ({"sentMessages": sent} if kind == "push" else {}), {}

    def _deliver(self, kind: str, targets: list[tuple[str, str]], messages: list[dict]) -> list[dict]:
        """Record messages as delivered to each (target, chat id); return LINE's sentMessages."""
        sent = [{"id": str(next(self._message_ids)), "quoteToken": secrets.token_urlsafe(24)} for _ in messages]
        for target, chat_id in targets:
            self._deliveries.extend(Delivery(kind, target, chat_id, message) for message in messages)
        return sent

    def _loading(self, call: Call) -> Answer:
        if error := self._contract_error("loading", call):
            return error
        return 202, {}, {}

    def _profile(self, call: Call, user_id: str) -> Answer:
        return 200, {"userId": user_id, "displayName": self._profiles.get(user_id, DEFAULT_DISPLAY_NAME)}, {}

    def _quota_answer(self, call: Call) -> Answer:
        if self._quota is None:
            return 200, {"type": "none"}, {}
        return 200, {"type": "limited", "value": self._quota}, {}

    def _consumption(self, call: Call) -> Answer:
        return 200, {"totalUsage": self._usage}, {}

    def _not_found(self, call: Call, unknown: str) -> Answer:
        return 404, {"message": "Not found"}, {}
