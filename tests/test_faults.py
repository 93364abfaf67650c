"""Faults and abuse: the database failing mid-request, a worker dying before replying, bad bodies,
floods, secrets in logs, and officers reaching for another office's data."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from linebot.v3 import WebhookParser
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from bot.db import transaction
from bot.dev import line_events
from bot.line import inbox, recovery
from bot.line.events import from_sdk_event
from bot.schedule.jobs import run_outbox
from handlers.incoming import Incoming
from models import InboundEvent, OutboundMessage, ReportValue, ReportVersion, utcnow
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET, MANAGER, OFFICER, OFFICER_KK, POSTGRES_URL
from tests.test_progress import put

pytestmark = pytest.mark.usefixtures("people")
REPORT = "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท"


def count(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _failing(engine, prefix: str):  # type: ignore[no-untyped-def]
    """Make every statement starting with `prefix` fail as if the database server went away."""
    def fail(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith(prefix):
            raise OperationalError(statement, params, Exception("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", fail)
    return lambda: event.remove(engine, "before_cursor_execute", fail)


def _age(sessions, seconds: int) -> None:  # type: ignore[no-untyped-def]
    """Pretend everything recorded so far arrived `seconds` ago."""
    with transaction(sessions) as session:
        for row in session.scalars(select(InboundEvent)):
            row.received_at = utcnow() - timedelta(seconds=seconds)
        for row in session.scalars(select(OutboundMessage)):
            row.created_at = utcnow() - timedelta(seconds=seconds)


def _status(sessions, event_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(InboundEvent.status).where(InboundEvent.webhook_event_id == event_id))


def test_database_failing_while_recording_is_a_500_and_nothing_is_kept(app, chat, sessions, fake_line):
    card = chat.send(REPORT, user=OFFICER)
    app.testing = False  # answer like production: a 500, not a re-raised exception
    restore = _failing(app.extensions["bot"].engine, "INSERT INTO inbound_events")
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    try:
        assert chat.post([confirm]) == 500  # LINE will redeliver
    finally:
        restore()
    assert count(sessions, ReportValue) == 0 and _status(sessions, confirm["webhookEventId"]) is None
    assert chat.replies_for(token) == []
    # The redelivered event is handled normally once the database is back.
    assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    assert "บันทึกแล้ว" in chat.replies_for(token)[0]["text"]


@pytest.mark.parametrize("recovered_by", ["redelivery", "outbox job"])
def test_database_failing_mid_handling_leaves_nothing_half_written(app, chat, sessions, fake_line, services,
                                                                   recovered_by):
    card = chat.send(REPORT, user=OFFICER)
    restore = _failing(app.extensions["bot"].engine, "INSERT INTO report_versions")
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    try:
        assert chat.post([confirm]) == 200  # recorded: LINE need not (and by default will not) redeliver
    finally:
        restore()
    assert count(sessions, ReportValue) == 0 and count(sessions, ReportVersion) == 0
    assert _status(sessions, confirm["webhookEventId"]) == "received" and chat.replies_for(token) == []
    if recovered_by == "redelivery":
        assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
        [answer] = chat.replies_for(token)
    else:
        assert run_outbox(services, utcnow()).note.startswith("0 unsent")  # too fresh: its worker may be on it
        assert _status(sessions, confirm["webhookEventId"]) == "received"
        _age(sessions, 40)
        assert "1 unhandled event(s) handled" in run_outbox(services, utcnow()).note
        [answer] = chat.replies_for(token)  # the token was still good; otherwise LINE gets a push
    assert "บันทึกแล้ว" in answer["text"]
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    assert _status(sessions, confirm["webhookEventId"]) == "done"
    assert chat.post([confirm]) == 200 and len(chat.replies_for(token)) == 1  # handled once, answered once
    assert count(sessions, ReportVersion) == 1


def _record_only(services, event: dict) -> Incoming:  # type: ignore[type-arg]
    """What a worker does before it answers LINE; it then dies before handling the event."""
    body = line_events.callback_body([event])
    [parsed] = WebhookParser(CHANNEL_SECRET).parse(body, line_events.sign(body, CHANNEL_SECRET))
    incoming = from_sdk_event(parsed)
    inbox.record(services, [incoming])
    return incoming


def test_worker_killed_after_answering_before_handling(chat, sessions, fake_line, services):
    card = chat.send(REPORT, user=OFFICER)
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    _record_only(services, confirm)
    before = len(fake_line.messages_to(OFFICER))  # the card
    assert count(sessions, ReportValue) == 0
    _age(sessions, 90)
    fake_line.expire_reply_token(token)  # a minute and a half later the reply token is gone
    run_outbox(services, utcnow())
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    assert chat.replies_for(token) == []
    assert "บันทึกแล้ว" in fake_line.messages_to(OFFICER)[-1]["text"]  # pushed instead
    run_outbox(services, utcnow())
    assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
    assert count(sessions, ReportVersion) == 1 and len(fake_line.messages_to(OFFICER)) == before + 1


def test_worker_killed_between_storing_and_replying(chat, sessions, fake_line, services):
    card = chat.send(REPORT, user=OFFICER)
    token = fake_line.issue_reply_token(OFFICER)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=token)
    # The worker stores the event, its data and its pending reply, then dies before sending.
    assert inbox.process_event(services, _record_only(services, confirm)) is not None
    assert count(sessions, ReportValue) == 1 and chat.replies_for(token) == []
    _age(sessions, 30)  # some seconds later LINE redelivers
    assert chat.post([dict(confirm, deliveryContext={"isRedelivery": True})]) == 200
    [reply] = chat.replies_for(token)
    assert "บันทึกแล้ว" in reply["text"]
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    assert chat.post([confirm]) == 200 and len(chat.replies_for(token)) == 1  # sent once, not again


def test_an_event_that_keeps_failing_is_given_up_and_its_sender_told(app, chat, sessions, fake_line, services):
    card = chat.send(REPORT, user=OFFICER)
    before = len(fake_line.messages_to(OFFICER))  # the card
    restore = _failing(app.extensions["bot"].engine, "INSERT INTO report_versions")
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token="expiredtoken0")
    try:
        assert chat.post([confirm]) == 200
        for _ in range(recovery.MAX_RECOVERY_ATTEMPTS):
            _age(sessions, 40)
            assert "1 to retry" in run_outbox(services, utcnow()).note
        _age(sessions, 40)
        assert "1 given up" in run_outbox(services, utcnow()).note
    finally:
        restore()
    with sessions() as session:
        row = session.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == confirm["webhookEventId"]))
        assert (row.status, row.attempts) == ("failed", recovery.MAX_RECOVERY_ATTEMPTS)
    [notice] = fake_line.messages_to(OFFICER)[before:]
    assert notice["text"].startswith("ขออภัยครับ ข้อความที่ส่งเมื่อ ")
    assert "กรุณาส่งใหม่อีกครั้ง" in notice["text"] and " 25" in notice["text"]  # a Buddhist-era date
    assert count(sessions, ReportValue) == 0
    run_outbox(services, utcnow())
    assert len(fake_line.messages_to(OFFICER)) == before + 1  # told once


def test_an_event_unhandled_for_hours_is_given_up(chat, sessions, fake_line, services):
    incoming = _record_only(services, line_events.text_event(OFFICER, "วิธีใช้", reply_token="t"))
    _age(sessions, int(recovery.RECOVERY_GIVE_UP.total_seconds()) + 60)
    assert "1 given up" in run_outbox(services, utcnow()).note
    [notice] = fake_line.messages_to(OFFICER)
    assert "“วิธีใช้”" in notice["text"] and _status(sessions, incoming.event_id) == "failed"


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


def test_messages_are_answered_in_the_order_they_were_sent(chat, sessions, fake_line, services):
    # Two webhooks from one officer; the second reaches a free worker while the first still waits.
    card = chat.send(REPORT, user=OFFICER)
    first_token, second_token = fake_line.issue_reply_token(OFFICER), fake_line.issue_reply_token(OFFICER)
    correction = line_events.text_event(OFFICER, "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 3.5 ล้านบาท",
                                        reply_token=first_token)
    confirm = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=second_token)
    confirm["timestamp"] = correction["timestamp"] + 1000
    earlier = _record_only(services, correction)
    later = _record_only(services, confirm)
    inbox.handle_recorded(services, [later])  # the later event's worker handles the earlier one first
    notice, new_card = chat.replies_for(first_token)  # a new card replaced the old one, and says so first
    assert notice["text"] == "ปิดรายการที่ค้างไว้แล้วครับ (ยังไม่ได้บันทึก)" and "3.50 ล้านบาท" in new_card["altText"]
    assert "ปุ่มนี้เป็นของรายการก่อนหน้า" in chat.replies_for(second_token)[0]["text"]  # so the old button is stale
    inbox.handle_recorded(services, [earlier])  # its own worker comes late and finds it done
    assert len(chat.replies_for(first_token)) == 2 and count(sessions, ReportValue) == 0


def test_handling_that_loses_a_write_race_is_done_again_and_kept_once(app, chat, sessions, fake_line, caplog):
    """On SQLite, handling reads without the write lock; a writer that commits first makes it start over."""
    card = chat.send(REPORT, user=OFFICER)
    engine = app.extensions["bot"].engine
    raced = []

    def another_writer_first(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO report_values") and not raced:
            raced.append(statement)
            with engine.begin() as other:  # another worker's write, e.g. recording an event
                other.execute(text("INSERT INTO inbound_events (webhook_event_id, event_type, status, attempts, "
                                   "is_redelivery, received_at) VALUES ('raced', 'text', 'done', 0, false, "
                                   "CURRENT_TIMESTAMP)"))

    caplog.set_level(logging.INFO, logger="bot.line.inbox")
    event.listen(engine, "before_cursor_execute", another_writer_first)
    try:
        answer = chat.tap(card, "ยืนยัน", user=OFFICER)
    finally:
        event.remove(engine, "before_cursor_execute", another_writer_first)
    assert raced and "บันทึกแล้ว" in answer.text
    assert count(sessions, ReportValue) == 1 and count(sessions, ReportVersion) == 1
    tries = [r.getMessage() for r in caplog.records if "intent=report_stored" in r.getMessage()]
    expected = "tries=1" if POSTGRES_URL else "tries=2"  # PostgreSQL locks rows, so nothing to redo there
    assert len(tries) == 1 and tries[0].endswith(expected)


def test_serve_recovers_stuck_events_itself_without_a_scheduler(chat, sessions, fake_line, services):
    from bot.web.serve import start_recovery

    incoming = _record_only(services, line_events.text_event(OFFICER, "วิธีใช้", reply_token="gone"))
    _age(sessions, 60)
    stop = start_recovery(services, interval=0.05)
    try:
        deadline = time.monotonic() + 5
        while not fake_line.messages_to(OFFICER) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert _status(sessions, incoming.event_id) == "done"
    assert "วิธีใช้งาน" in fake_line.messages_to(OFFICER)[-1]["text"]  # the token had expired: pushed


def test_a_slow_line_does_not_hold_the_webhook_worker(app, chat, sessions, fake_line, settings):
    """With reply threads (production's default), the worker is free again before LINE has answered."""
    import dataclasses

    services = app.extensions["bot"]
    app.extensions["bot"] = dataclasses.replace(services, gateway=type(services.gateway)(
        dataclasses.replace(settings, reply_threads=2), services.sessions))
    fake_line.delay_next("/v2/bot/message/reply", 1.0)
    token = fake_line.issue_reply_token(OFFICER)
    began = time.monotonic()
    assert chat.post([line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)]) == 200
    assert time.monotonic() - began < 0.8  # recorded, handled, reply queued: LINE is still working on it
    app.extensions["bot"].gateway.close()  # waits for queued replies, as a worker does when it stops
    assert "วิธีใช้งาน" in chat.replies_for(token)[0]["text"]
    with sessions() as session:
        # the slow call outlived the read timeout: its outcome was unknown, so a marked push followed once
        statuses = session.execute(select(OutboundMessage.kind, OutboundMessage.status)
                                   .order_by(OutboundMessage.id)).all()
        assert [tuple(s) for s in statuses] == [("reply", "superseded"), ("push", "sent")]
