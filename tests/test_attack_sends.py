"""Issue 14, answers that never arrive (items 8 and 10): a reply that fails is retried as a push with backoff
and, when every try fails, the sender is told in Thai; a reply cut off mid-call is pushed once, marked as a
possible repeat, and a reply known to be sent is never pushed again. Against the fake LINE platform."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.db import transaction
from bot.line.recovery import ANSWER_RETRY_RUNS
from bot.schedule.jobs import run_outbox
from models import OutboundMessage, utcnow
from tests.conftest import OFFICER

pytestmark = pytest.mark.usefixtures("people")
REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"
REPEAT = "(ข้อความนี้อาจซ้ำกับที่ได้รับไปแล้ว)"


def later(sessions, minutes: int = 30) -> None:  # type: ignore[no-untyped-def]
    """Pretend every send so far was tried `minutes` ago (past the grace and the backoff)."""
    with transaction(sessions) as session:
        session.execute(update(OutboundMessage).values(
            attempted_at=utcnow() - timedelta(minutes=minutes), created_at=utcnow() - timedelta(minutes=minutes)))


def statuses(sessions) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(r.kind, r.status) for r in session.scalars(select(OutboundMessage).order_by(OutboundMessage.id))]


def texts(fake_line) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.get("text", "") for m in fake_line.messages_to(OFFICER)]


def test_a_reply_line_keeps_refusing_is_pushed_later(chat, sessions, fake_line, services):
    fake_line.fail_next(REPLY, 500, times=4)
    assert chat.send("วิธีใช้", user=OFFICER).messages == []  # four 500s: nothing reached the user
    assert statuses(sessions) == [("reply", "failed")]
    run_outbox(services, utcnow())
    assert texts(fake_line) == []  # backing off: tried a moment ago
    later(sessions)
    run_outbox(services, utcnow())
    assert any("วิธีใช้งาน" in t for t in texts(fake_line)) and REPEAT not in str(texts(fake_line))
    assert statuses(sessions) == [("reply", "superseded"), ("push", "sent")]
    later(sessions)
    run_outbox(services, utcnow())
    assert len(texts(fake_line)) == 1  # delivered once


def test_an_expired_token_with_a_failing_push_is_pushed_again(chat, sessions, fake_line, services):
    from bot.dev import line_events

    fake_line.fail_next(PUSH, 500, times=4)
    event = line_events.text_event(OFFICER, "วิธีใช้", reply_token="0" * 32)  # a token LINE does not know
    assert chat.post([event]) == 200
    assert statuses(sessions) == [("reply", "superseded"), ("push", "failed")]
    later(sessions)
    run_outbox(services, utcnow())
    assert any("วิธีใช้งาน" in t for t in texts(fake_line))


def test_when_every_try_fails_the_sender_is_told(chat, sessions, fake_line, services):
    tries = services.settings.line_max_attempts
    fake_line.fail_next(REPLY, 500, times=tries)
    fake_line.fail_next(PUSH, 500, times=tries * ANSWER_RETRY_RUNS)
    chat.send("วิธีใช้", user=OFFICER)
    for _ in range(ANSWER_RETRY_RUNS + 1):
        later(sessions)
        run_outbox(services, utcnow())
    [notice] = texts(fake_line)
    assert notice.startswith("ขออภัยครับ คำตอบของข้อความที่ส่งเมื่อ") and "กรุณาส่งข้อความนั้นอีกครั้ง" in notice
    assert ("push", "given_up") in statuses(sessions)
    later(sessions)
    run_outbox(services, utcnow())
    assert len(texts(fake_line)) == 1  # told once


def test_a_reply_cut_off_mid_call_is_pushed_once_as_a_possible_repeat(chat, sessions, fake_line, services):
    chat.send("วิธีใช้", user=OFFICER)
    fake_line.clear()
    # What kill -9 during the call leaves: marked as being sent, never finished (LINE may have delivered it).
    with transaction(sessions) as session:
        session.execute(update(OutboundMessage).values(status="sending", sent_at=None))
    later(sessions, minutes=2)
    run_outbox(services, utcnow())
    [first, *_] = texts(fake_line)
    assert first.startswith(REPEAT)
    later(sessions, minutes=2)
    run_outbox(services, utcnow())
    assert texts(fake_line)[0] == first and len([t for t in texts(fake_line) if t.startswith(REPEAT)]) == 1


def test_a_sent_reply_is_never_pushed_again(chat, sessions, fake_line, services):
    chat.send("วิธีใช้", user=OFFICER)
    fake_line.clear()
    later(sessions, minutes=5)
    run_outbox(services, utcnow())
    assert texts(fake_line) == [] and statuses(sessions) == [("reply", "sent")]


def test_a_slow_push_is_sent_again_with_its_own_key_never_a_second_copy(chat, sessions, fake_line, services):
    """The attacker's break 3: LINE accepted the push but answered after the read timeout, four times; the bot
    pushed again under a new key and the user got the answer twice. Now it resends with the same key."""
    fake_line.fail_next(REPLY, 500, times=10)
    fake_line.delay_next(PUSH, 1.0, times=4)  # accepted, answered too late (the test's read timeout is 0.5 s)
    chat.send("วิธีใช้", user=OFFICER)
    for _ in range(4):
        later(sessions)
        run_outbox(services, utcnow())
    assert len(fake_line.messages_to(OFFICER)) == 1
    keys = {r.headers.get("x-line-retry-key") for r in fake_line.requests if r.path == PUSH}
    assert len(keys) == 1
