"""The LINE gateway against the fake platform: retries, retry keys, 409, fallbacks, the outbound log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.line.gateway import LineGateway, QuotaExceeded
from models import OutboundMessage

USER = "U" + "d" * 32
HELLO = [{"type": "text", "text": "สวัสดีครับ"}]
PUSH = "/v2/bot/message/push"
REPLY = "/v2/bot/message/reply"
MULTICAST = "/v2/bot/message/multicast"


@pytest.fixture
def gateway(app) -> LineGateway:  # type: ignore[no-untyped-def]
    return app.extensions["bot"].gateway


def rows(sessions) -> list[OutboundMessage]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def calls(fake, path):  # type: ignore[no-untyped-def]
    return [r for r in fake.requests if r.path == path]


def test_push_logs_a_retry_key_before_sending_and_delivers_once(gateway, fake_line, sessions):
    result = gateway.push(USER, HELLO)
    assert result.ok and result.status == 200
    [row] = rows(sessions)
    assert (row.kind, row.status, row.attempts, row.recipients) == ("push", "sent", 1, [USER])
    [request] = calls(fake_line, PUSH)
    assert request.headers["x-line-retry-key"] == row.retry_key
    assert request.headers["authorization"] == "Bearer test-access-token"
    assert fake_line.messages_to(USER) == HELLO


@pytest.mark.parametrize("status", [500, 429])
def test_push_retries_5xx_and_rate_limit_with_the_same_key(gateway, fake_line, sessions, status):
    fake_line.fail_next(PUSH, status, times=2)
    result = gateway.push(USER, HELLO)
    assert result.ok
    requests = calls(fake_line, PUSH)
    assert [r.status for r in requests] == [status, status, 200]
    assert len({r.headers["x-line-retry-key"] for r in requests}) == 1
    assert fake_line.messages_to(USER) == HELLO
    assert rows(sessions)[0].attempts == 3


def test_push_gives_up_after_max_attempts_and_records_the_failure(gateway, fake_line, sessions):
    fake_line.fail_next(PUSH, 500, times=10)
    result = gateway.push(USER, HELLO)
    assert not result.ok and result.status == 500
    assert len(calls(fake_line, PUSH)) == 4
    [row] = rows(sessions)
    assert (row.status, row.attempts, row.last_status) == ("failed", 4, 500)
    assert fake_line.messages_to(USER) == []


def test_timeout_then_409_counts_as_delivered_once(gateway, fake_line, sessions):
    # The first answer comes too late, but LINE did accept it; the retry with the same key gets 409.
    fake_line.delay_next(PUSH, 1.0)
    result = gateway.push(USER, HELLO)
    assert result.ok
    assert [r.status for r in calls(fake_line, PUSH)][-1] == 409
    assert fake_line.messages_to(USER) == HELLO
    assert rows(sessions)[0].status == "sent"


def test_monthly_quota_stops_without_retrying(gateway, fake_line, sessions):
    fake_line.set_quota(0)
    with pytest.raises(QuotaExceeded):
        gateway.push(USER, HELLO)
    assert len(calls(fake_line, PUSH)) == 1
    assert rows(sessions)[0].status == "failed"


def test_other_4xx_is_not_retried(gateway, fake_line, sessions):
    fake_line.fail_next(PUSH, 400, "The request body has 1 error(s)")
    result = gateway.push(USER, HELLO)
    assert not result.ok and result.status == 400
    assert len(calls(fake_line, PUSH)) == 1


def test_dedupe_key_sends_once_across_calls(gateway, fake_line):
    assert gateway.push(USER, HELLO, dedupe_key="reminder:2024-01:U1").ok
    again = gateway.push(USER, HELLO, dedupe_key="reminder:2024-01:U1")
    assert again.ok and again.already_sent
    assert len(calls(fake_line, PUSH)) == 1


def test_failed_dedupe_send_is_retried_later_with_its_stored_key(gateway, fake_line, sessions):
    fake_line.fail_next(PUSH, 500, times=4)
    assert not gateway.push(USER, HELLO, dedupe_key="summary:2024-01:U1").ok
    assert gateway.push(USER, HELLO, dedupe_key="summary:2024-01:U1").ok
    keys = {r.headers["x-line-retry-key"] for r in calls(fake_line, PUSH)}
    assert len(keys) == 1 and len(rows(sessions)) == 1
    assert fake_line.messages_to(USER) == HELLO


def test_multicast_batches_of_at_most_500(gateway, fake_line):
    users = [f"U{i:032x}" for i in range(1001)]
    results = gateway.multicast(users, HELLO)
    assert all(r.ok for r in results)
    requests = calls(fake_line, MULTICAST)
    assert [len(r.body["to"]) for r in requests] == [500, 500, 1]
    assert len({r.headers["x-line-retry-key"] for r in requests}) == 3
    assert all(fake_line.messages_to(u) == HELLO for u in (users[0], users[500], users[1000]))


def test_reply_with_a_dead_token_falls_back_to_push(gateway, fake_line):
    token = fake_line.issue_reply_token(USER)
    fake_line.expire_reply_token(token)
    result = gateway.reply(token, HELLO, chat_id=USER)
    assert result.ok and result.fell_back_to_push
    assert [(k, t) for k, t, _ in fake_line.delivered()] == [("push", USER)]


def test_reply_retries_a_500(gateway, fake_line):
    token = fake_line.issue_reply_token(USER)
    fake_line.fail_next(REPLY, 500)
    assert gateway.reply(token, HELLO, chat_id=USER).ok
    assert [(k, t) for k, t, _ in fake_line.delivered()] == [("reply", token)]


def test_reply_that_timed_out_after_delivery_is_pushed_once_as_a_possible_repeat(gateway, fake_line):
    """The timed-out call may have delivered it (here it did) or not (LINE answered 500 too late: the attacker's
    case, where the answer was lost): the outcome is unknown, so it is pushed once, marked."""
    token = fake_line.issue_reply_token(USER)
    fake_line.delay_next(REPLY, 1.0)
    result = gateway.reply(token, HELLO, chat_id=USER)
    assert result.ok and result.fell_back_to_push
    assert [(k, t) for k, t, _ in fake_line.delivered()] == [("reply", token), ("push", USER)]
    assert fake_line.messages_to(USER)[-1]["text"].startswith("(ข้อความนี้อาจซ้ำกับที่ได้รับไปแล้ว)")


def test_a_reply_lost_behind_a_timeout_still_reaches_the_user(gateway, fake_line):
    token = fake_line.issue_reply_token(USER)
    fake_line.delay_next(REPLY, 1.0)
    fake_line.fail_next(REPLY, 500)  # the slow answer was a failure: nothing delivered
    fake_line.fail_next(REPLY, 400, "Invalid reply token")
    assert gateway.reply(token, HELLO, chat_id=USER).ok
    assert [k for k, _, _ in fake_line.delivered()] == ["push"]


def test_network_failure_is_retried(settings, sessions, fake_line):
    import dataclasses

    # Nothing listens on the old port once the fake has stopped: a refused connection.
    fake_line.stop()
    gateway = LineGateway(dataclasses.replace(settings, line_max_attempts=2), sessions)
    result = gateway.push(USER, HELLO)
    assert not result.ok and result.status is None
    [row] = rows(sessions)
    assert row.attempts == 2 and row.status == "failed"
