"""The webhook boundary: signatures, redelivery, one transaction per event, Thai replies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from bot.db import transaction
from bot.dev import line_events
from handlers.domain.invites import create_invite
from models import InboundEvent, InviteCode, OutboundMessage, User

OFFICER = "U" + "1" * 32


def count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_wrong_signature_is_400_and_nothing_is_stored(chat, sessions, fake_line):
    token = fake_line.issue_reply_token(OFFICER)
    body = line_events.callback_body([line_events.text_event(OFFICER, "สวัสดี", reply_token=token)])
    assert chat.post([], body=body, signature=line_events.sign(body, "another-secret")) == 400
    assert chat.post([], body=body, signature="") == 400
    assert count(sessions, InboundEvent) == 0
    assert fake_line.requests == []


def test_body_changed_after_signing_is_rejected(chat, sessions, fake_line):
    token = fake_line.issue_reply_token(OFFICER)
    body = line_events.callback_body([line_events.text_event(OFFICER, "ยอดขาย 1 ล้าน", reply_token=token)])
    signature = line_events.sign(body, chat.secret)
    assert chat.post([], body=body.replace("1 ล้าน", "9 ล้าน"), signature=signature) == 400
    assert count(sessions, InboundEvent) == 0


def test_console_verify_with_no_events_is_200(chat):
    assert chat.post([]) == 200


def test_unregistered_user_is_told_how_to_register(chat, sessions):
    answer = chat.send("ยอดขาย ม.ค. 67 2.5 ล้านบาท", user=OFFICER)
    assert answer.status == 200
    assert len(answer.messages) == 1
    assert "ยังไม่ได้ลงทะเบียน" in answer.text
    assert "ลงทะเบียน <รหัส>" in answer.text
    assert count(sessions, User) == 0


def test_follow_greets_in_thai_with_registration_steps(chat):
    answer = chat.event("follow_event", user=OFFICER)
    assert answer.status == 200
    assert "ยินดีต้อนรับ" in answer.text
    assert "ลงทะเบียน <รหัส>" in answer.text


def test_same_event_posted_twice_is_processed_once(chat, sessions, fake_line):
    token = fake_line.issue_reply_token(OFFICER)
    event = line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)
    assert chat.post([event]) == 200
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert chat.post([redelivered]) == 200
    assert chat.post([event]) == 200
    assert len(chat.replies_for(token)) == 1
    assert count(sessions, InboundEvent) == 1
    assert count(sessions, OutboundMessage) == 1


def test_each_event_of_a_batch_gets_its_own_reply(chat, fake_line):
    users = ["U" + c * 32 for c in "abc"]
    tokens = [fake_line.issue_reply_token(u) for u in users]
    events = [line_events.text_event(u, "สวัสดี", reply_token=t) for u, t in zip(users, tokens, strict=True)]
    assert chat.post(events) == 200
    for token in tokens:
        assert "ลงทะเบียน" in chat.replies_for(token)[0]["text"]


def test_a_failing_handler_neither_loses_the_batch_nor_makes_line_retry(chat, sessions, fake_line, monkeypatch):
    import bot.line.inbox

    real_dispatch = bot.line.inbox.dispatch

    def flaky(session, settings, incoming, now):  # type: ignore[no-untyped-def]
        if incoming.text == "พัง":
            session.add(User(line_user_id="U-half-written", role="officer"))
            session.flush()
            raise RuntimeError("bug in a handler")
        return real_dispatch(session, settings, incoming, now)

    monkeypatch.setattr(bot.line.inbox, "dispatch", flaky)
    bad, good = fake_line.issue_reply_token(OFFICER), fake_line.issue_reply_token("U" + "2" * 32)
    status = chat.post([line_events.text_event(OFFICER, "พัง", reply_token=bad),
                        line_events.text_event("U" + "2" * 32, "สวัสดี", reply_token=good)])
    assert status == 200
    assert "ขออภัย" in chat.replies_for(bad)[0]["text"]
    assert "ลงทะเบียน" in chat.replies_for(good)[0]["text"]
    with sessions() as session:
        assert session.scalar(select(User).where(User.line_user_id == "U-half-written")) is None
        failed = session.scalars(select(InboundEvent).where(InboundEvent.status == "failed")).all()
        assert len(failed) == 1 and "bug in a handler" in (failed[0].error or "")


def test_database_failure_is_a_5xx_so_line_redelivers(chat, sessions, fake_line, app):
    with transaction(sessions) as session:
        session.execute(text("ALTER TABLE inbound_events RENAME TO inbound_events_gone"))
    token = fake_line.issue_reply_token(OFFICER)
    app.testing = False  # answer like production: a 500, not a re-raised exception
    assert chat.post([line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)]) == 500
    assert chat.replies_for(token) == []


def test_registration_with_an_invite_code(chat, sessions):
    with transaction(sessions) as session:
        from bot.cli import find_office

        code, _ = create_invite(session, "officer", find_office(session, "เชียงใหม่"))
    answer = chat.send(f"ลงทะเบียน {code.lower()}", user=OFFICER)
    assert "ลงทะเบียนเรียบร้อยแล้ว" in answer.text
    assert "สำนักงานพาณิชย์จังหวัดเชียงใหม่" in answer.text
    with sessions() as session:
        user = session.scalars(select(User).where(User.line_user_id == OFFICER)).one()
        assert (user.role, user.office.province_th, user.active) == ("officer", "เชียงใหม่", True)
        invite = session.scalars(select(InviteCode)).one()
        assert invite.used_by_id == user.id
    # The code is spent: a second person cannot use it.
    again = chat.send(f"ลงทะเบียน {code}", user="U" + "3" * 32)
    assert "ถูกใช้ไปแล้ว" in again.text
    assert count(sessions, User) == 1


@pytest.mark.parametrize(("code", "expected"), [
    ("ZZZZ-ZZZZ-ZZZZ", "ไม่ถูกต้อง"),
    ("", "กรุณาพิมพ์รหัส"),
])
def test_bad_invite_codes_get_a_clear_reply(chat, sessions, code, expected):
    answer = chat.send(f"ลงทะเบียน {code}", user=OFFICER)
    assert expected in answer.text
    assert count(sessions, User) == 0


def test_expired_invite_code_is_refused(chat, sessions, settings):
    from datetime import timedelta

    from handlers.domain.clock import now

    with transaction(sessions) as session:
        code, _ = create_invite(session, "manager", None, now=now(settings) - timedelta(days=8))
    answer = chat.send(f"ลงทะเบียน {code}", user=OFFICER)
    assert "หมดอายุ" in answer.text
    assert count(sessions, User) == 0


def test_sticker_and_long_text_get_short_helpful_replies(chat):
    sticker = chat.event("sticker_event", user=OFFICER)
    assert "สติกเกอร์" in sticker.text
    long = chat.send("ก" * 2001, user=OFFICER)
    assert "ยาวเกินไป" in long.text


def test_group_message_is_answered_in_the_group(chat, fake_line):
    group = "C" + "9" * 32
    answer = chat.send("วิธีใช้", user=OFFICER, group=group)
    assert "ลงทะเบียน" in answer.text


def test_healthz_checks_the_database(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
