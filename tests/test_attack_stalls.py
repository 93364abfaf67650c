"""Issue 14, messages stalled (item 7): one event that cannot be handled never delays the sender's next ones,
and text is cleaned of what the database cannot store (a NUL, a lone surrogate) before anything keeps it."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import bot.line.inbox as inbox
from bot.dev import line_events
from models import InboundEvent, ReportVersion
from tests.chat import Exchange
from tests.conftest import OFFICER

pytestmark = pytest.mark.usefixtures("people")


def status_of(sessions, event_id: str) -> str:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalars(select(InboundEvent.status).where(InboundEvent.webhook_event_id == event_id)).one()


def test_an_event_that_cannot_be_handled_does_not_hold_up_the_next(chat, sessions, fake_line, monkeypatch):
    real = inbox.dispatch

    def database_refuses_one(session, settings, incoming, now):  # type: ignore[no-untyped-def]
        if incoming.text == "ข้อความที่ฐานข้อมูลรับไม่ได้":
            raise OperationalError("INSERT …", {}, Exception("the database refused this row"))
        return real(session, settings, incoming, now)

    monkeypatch.setattr(inbox, "dispatch", database_refuses_one)  # our dispatcher, standing for a bad row
    now = int(time.time() * 1000)
    poison_token, help_token = fake_line.issue_reply_token(OFFICER), fake_line.issue_reply_token(OFFICER)
    poison = line_events.text_event(OFFICER, "ข้อความที่ฐานข้อมูลรับไม่ได้", reply_token=poison_token,
                                    timestamp_ms=now - 3000)
    help_ = line_events.text_event(OFFICER, "วิธีใช้", reply_token=help_token, timestamp_ms=now)
    assert chat.post([poison]) == 200
    assert chat.post([help_]) == 200  # 3 s later, in its own webhook
    assert "ยอดขาย" in str(chat.replies_for(help_token))  # answered at once, not after the outbox job
    assert status_of(sessions, poison["webhookEventId"]) == "received"  # left for the outbox job
    assert status_of(sessions, help_["webhookEventId"]) == "done"


def test_a_nul_in_a_report_is_cleaned_before_it_is_kept(chat, sessions, fake_line):
    token = fake_line.issue_reply_token(OFFICER)
    event = line_events.text_event(OFFICER, "ยอดขาย ม.ค. 67 โครงการ 3\x00 จำนวน 2.5 ล้านบาท \ud800", reply_token=token)
    # JSON escapes both (\u0000, \ud800), as a client may send them
    body = json.dumps({"destination": line_events.DEFAULT_DESTINATION, "events": [event]})
    assert chat.post([], body=body) == 200
    card = Exchange(200, chat.replies_for(token))
    assert "ยืนยัน" in card.actions
    done = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "บันทึกแล้ว" in done.text
    with sessions() as session:
        [version] = session.scalars(select(ReportVersion)).all()
        assert "\x00" not in version.source_message and "\ud800" not in version.source_message
        assert version.source_message == "ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท "


def test_a_batch_of_31_from_one_user_handles_the_first_30(chat, sessions, fake_line):
    """Issue 14 item 9: the limit counted the whole stored batch before the first was handled, so all 31 were
    refused; it counts the events up to each one."""
    now = int(time.time() * 1000)
    tokens = [fake_line.issue_reply_token(OFFICER) for _ in range(31)]
    events = [line_events.text_event(OFFICER, "วิธีใช้", reply_token=t, timestamp_ms=now + n)
              for n, t in enumerate(tokens)]
    assert chat.post(events) == 200
    with sessions() as session:
        statuses = [session.scalars(select(InboundEvent.status).where(
            InboundEvent.webhook_event_id == e["webhookEventId"])).one() for e in events]
    assert statuses == ["done"] * 30 + ["rate_limited"]
    assert all("วิธีใช้งาน" in str(chat.replies_for(t)) for t in tokens[:30])
    assert "ส่งข้อความถี่เกินไป" in str(chat.replies_for(tokens[30]))


def test_an_hour_of_messages_redelivered_at_once_is_not_a_flood(chat, fake_line):
    """The attacker's break 4: after an outage LINE redelivers a backlog at once; counted by arrival, the 31st
    and later were refused and never answered. The limit counts by the messages' own timestamps."""
    now = int(time.time() * 1000)
    tokens = []
    for i in range(36):
        token = fake_line.issue_reply_token(OFFICER)
        tokens.append(token)
        chat.post([line_events.text_event(OFFICER, "ประวัติ", reply_token=token, timestamp_ms=now - (36 - i) * 120_000,
                                          redelivery=True)])
    assert all(chat.replies_for(t) for t in tokens)
    assert not any("ส่งข้อความถี่เกินไป" in str(chat.replies_for(t)) for t in tokens)
