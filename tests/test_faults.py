"""Faults and abuse: the database failing mid-request, a worker dying before replying, bad bodies,
floods, secrets in logs, and officers reaching for another office's data."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot import line_events
from bot.db import transaction
from models import InboundEvent, OutboundMessage, ReportValue, ReportVersion, utcnow
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET, MANAGER, OFFICER, OFFICER_KK
from tests.test_progress import put

pytestmark = pytest.mark.usefixtures("people")
REPORT = "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท"


def count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_database_failing_mid_request_leaves_nothing_half_written(app, chat, sessions, fake_line):
    card = chat.send(REPORT, user=OFFICER)
    engine = app.extensions["bot"].engine
    app.testing = False

    def fail_on_version_insert(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO report_versions"):
            raise OperationalError(statement, params, Exception("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", fail_on_version_insert)
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    try:
        assert chat.post([confirm]) == 500  # LINE will redeliver
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_version_insert)
    assert count(sessions, ReportValue) == 0 and count(sessions, ReportVersion) == 0
    with sessions() as session:
        assert session.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == confirm["webhookEventId"])) \
            is None
    # The redelivered event is handled normally once the database is back.
    assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1


def test_worker_killed_between_storing_and_replying(app, chat, sessions, fake_line):
    from linebot.v3 import WebhookParser

    from bot.incoming import from_sdk_event
    from bot.webhook import process_event

    card = chat.send(REPORT, user=OFFICER)
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    # The worker stores the event and its pending reply, then dies before sending (or answering LINE).
    body = line_events.callback_body([confirm])
    [parsed] = WebhookParser(CHANNEL_SECRET).parse(body, line_events.sign(body, CHANNEL_SECRET))
    assert process_event(app.extensions["bot"], from_sdk_event(parsed)) is not None
    assert count(sessions, ReportValue) == 1 and chat.replies_for(token) == []
    with transaction(sessions) as session:  # some seconds later LINE redelivers
        for row in session.scalars(select(OutboundMessage).where(OutboundMessage.status == "pending")):
            row.created_at = utcnow() - timedelta(seconds=30)
    assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
    [reply] = chat.replies_for(token)
    assert "บันทึกแล้ว" in reply["text"]
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    assert chat.post([confirm]) == 200 and len(chat.replies_for(token)) == 1  # sent once, not again


def test_malformed_and_oversized_bodies(chat, sessions):
    body = '{"destination": "U1", "events": [{"type": "message"'
    assert chat.post([], body=body, signature=line_events.sign(body, CHANNEL_SECRET)) == 400
    huge = line_events.callback_body([line_events.text_event(OFFICER, "ก" * 2_000_000, reply_token="x")])
    assert chat.post([], body=huge, signature=line_events.sign(huge, CHANNEL_SECRET)) == 413
    assert count(sessions, InboundEvent) == 0


def test_flooding_user_is_rate_limited_and_told_once(app, chat, sessions):
    import dataclasses

    services = app.extensions["bot"]
    app.extensions["bot"] = dataclasses.replace(services, settings=dataclasses.replace(
        services.settings, rate_limit_per_minute=5))
    answers = [chat.send("วิธีใช้", user=OFFICER) for _ in range(8)]
    assert all("วิธีใช้งาน" in a.text for a in answers[:5])
    assert "ส่งข้อความถี่เกินไป" in answers[5].text
    assert answers[6].messages == [] and answers[7].messages == []
    assert "วิธีใช้งาน" in chat.send("วิธีใช้", user=OFFICER_KK).text  # others are not affected


def test_no_secrets_in_logs(chat, caplog):
    caplog.set_level(logging.DEBUG)
    chat.tap(chat.send(REPORT, user=OFFICER), "ยืนยัน", user=OFFICER)
    chat.send("ลงทะเบียน AAAA-BBBB-CCCC", user="U" + "9" * 32)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # there are logs to check
    assert CHANNEL_SECRET not in logged and ACCESS_TOKEN not in logged


@pytest.mark.parametrize("text", ["สรุปจังหวัดขอนแก่น", "ประวัติ จ.ขอนแก่น", "ความคืบหน้าเป้าหมาย 2.1 จ.ขอนแก่น",
                                  "ยอดขาย จ.ขอนแก่น ม.ค. 67 โครงการ 1 จำนวน 1 ล้านบาท", "แก้ไข"])
def test_an_officer_never_reaches_another_office(chat, sessions, text):
    with transaction(sessions) as session:
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 7.77, project=1)
        put(session, "เชียงใหม่", "2.1.1", "2023-12", 1.00, project=3)  # national totals then differ from 7.77
    answer = chat.send(text, user=OFFICER)
    assert "7.77" not in answer.text and "ขอนแก่น" not in answer.text.replace("จังหวัดขอนแก่น)", "")
    if "ยืนยัน" in answer.actions:
        chat.tap(answer, "ยืนยัน", user=OFFICER)
    with sessions() as session:
        values = session.scalars(select(ReportValue.value).where(ReportValue.office.has(province_th="ขอนแก่น"))).all()
    assert values == [7.77]


def test_manager_may_look_at_any_office(chat, sessions):
    with transaction(sessions) as session:
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 7.77, project=1)
    assert "7.77" in chat.send("ประวัติ จ.ขอนแก่น", user=MANAGER).text
