"""Issue 15: with HANDLING=queue the webhook only records and answers; handlers (any number, in threads or
processes) handle each sender's events in order, once each, and take over from a handler that died."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from sqlalchemy import event, func, select, text

from bot import create_app
from bot.dev import line_events
from bot.line import handler
from models import InboundEvent, OutboundMessage, ReportValue
from tests.chat import Chat
from tests.conftest import CHANNEL_SECRET, MANAGER, OFFICER, OFFICER_KK, POSTGRES_URL, add_user
from tests.test_faults import _failing


@pytest.fixture
def queued(settings, fake_line):  # type: ignore[no-untyped-def]
    app = create_app(dataclasses.replace(settings, handling="queue"))
    services = app.extensions["bot"]
    for user, role, province in ((OFFICER, "officer", "เชียงใหม่"), (OFFICER_KK, "officer", "ขอนแก่น"),
                                 (MANAGER, "manager", None)):
        add_user(services.sessions, user, role, province)
    yield Chat(app.test_client(), fake_line, CHANNEL_SECRET), services
    services.gateway.close()
    services.engine.dispose()


def post(chat: Chat, user: str, texts: list[str], start_ms: int) -> list[str]:
    tokens = [chat.fake.issue_reply_token(user) for _ in texts]
    events = [line_events.text_event(user, t, reply_token=token, timestamp_ms=start_ms + n)
              for n, (t, token) in enumerate(zip(texts, tokens, strict=True))]
    assert chat.post(events) == 200
    return tokens


def waiting(services) -> int:  # type: ignore[no-untyped-def]
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent).where(
            InboundEvent.status == "received"))


def test_the_webhook_only_records_and_a_handler_answers_in_order(queued):
    chat, services = queued
    tokens = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", "ยืนยัน", "ประวัติ"],
                  int(time.time() * 1000))
    assert all(chat.replies_for(t) == [] for t in tokens) and waiting(services) == 3  # answered 200, not handled
    assert handler.handle_pending(services) == 3
    assert waiting(services) == 0
    assert "ยืนยัน" in str(chat.replies_for(tokens[0])) and "บันทึกแล้ว" in str(chat.replies_for(tokens[1]))
    assert "2.50 ล้านบาท" in str(chat.replies_for(tokens[2]))  # the history after the confirm: in order
    assert handler.handle_pending(services) == 0  # nothing twice


def test_two_handlers_on_a_backlog_handle_each_event_once_and_each_sender_in_order(queued):
    chat, services = queued
    now = int(time.time() * 1000)
    mine = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 1.5 ล้านบาท", "ยืนยัน"] * 1, now)
    theirs = post(chat, OFFICER_KK, ["ยอดขาย ม.ค. 67 โครงการ 1 จำนวน 4 ล้านบาท", "ยืนยัน"], now + 10)
    stop = threading.Event()
    threads = [threading.Thread(target=handler.run, args=(services, stop)) for _ in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while waiting(services) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert waiting(services) == 0
    for tokens in (mine, theirs):
        assert "ยืนยัน" in str(chat.replies_for(tokens[0])) and "บันทึกแล้ว" in str(chat.replies_for(tokens[1]))
    replies = [(r.body or {}).get("replyToken") for r in chat.fake.requests if r.path == "/v2/bot/message/reply"]
    assert len(replies) == len(set(replies)) == 4  # one answer each
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportValue)) == 2


def test_a_sender_held_by_another_handler_is_skipped_then_taken_over(queued):
    chat, services = queued
    tokens = post(chat, OFFICER, ["วิธีใช้"], int(time.time() * 1000))
    with handler.sender_lock(services, OFFICER) as held:  # another handler is on this sender
        assert held
        assert handler.handle_pending(services) == 0 and waiting(services) == 1
    assert handler.handle_pending(services) == 1  # released: taken over
    assert "วิธีใช้งาน" in str(chat.replies_for(tokens[0]))


def test_a_handler_that_dies_holding_a_sender_loses_it_to_the_next(queued):
    """PostgreSQL: the lock lives on the dead handler's connection, and goes with it."""
    chat, services = queued
    if services.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; on SQLite handlers are threads of one process")
    tokens = post(chat, OFFICER, ["วิธีใช้"], int(time.time() * 1000))
    dying = services.engine.connect()
    assert dying.execute(text("SELECT pg_try_advisory_lock(1, hashtext(:s))"), {"s": OFFICER}).scalar()
    dying.commit()
    assert handler.handle_pending(services) == 0  # held by the handler about to die
    dying.invalidate()  # its connection goes away, as with kill -9
    dying.close()
    deadline = time.monotonic() + 5
    while handler.handle_pending(services) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "วิธีใช้งาน" in str(chat.replies_for(tokens[0])) and waiting(services) == 0


def test_a_backlog_older_than_the_reply_token_is_answered_by_push_and_stored_once(queued):
    """Under overload the replies come later: past a token's minute (here a tenth of a second) LINE refuses the
    reply, and the person gets the same answer by push, each report stored once."""
    chat, services = queued
    chat.fake.reply_token_ttl = 0.1
    tokens = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", "ยืนยัน"], int(time.time() * 1000))
    time.sleep(0.3)  # the handler is behind
    assert handler.handle_pending(services) == 2
    assert all(chat.replies_for(t) == [] for t in tokens)  # both tokens had run out
    pushed = [m for kind, to, m in chat.fake.delivered() if kind == "push" and to == OFFICER]
    assert len(pushed) == 2 and "บันทึกแล้ว" in str(pushed[1])
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportValue)) == 1


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's synchronous pragma; PostgreSQL's commits are its own")
def test_the_recorded_event_is_fsynced_and_only_its_recomputable_handling_is_not(queued):
    chat, services = queued
    seen: list[tuple[str, int]] = []

    @event.listens_for(services.engine, "before_cursor_execute")
    def durability(_conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.split()[0] in ("INSERT", "UPDATE"):
            level = cursor.connection.execute("PRAGMA synchronous").fetchone()[0]  # 2 FULL, 1 NORMAL
            seen.append((" ".join(statement.split()[:3]), level))

    tokens = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", "ยืนยัน"], int(time.time() * 1000))
    assert seen == [("INSERT INTO inbound_events", 2)]  # LINE's 200 waits for a durable copy of the events
    assert handler.handle_pending(services) == 2
    assert "บันทึกแล้ว" in str(chat.replies_for(tokens[1]))
    handling = seen[1:]
    assert ("INSERT INTO report_values", 1) in handling and ("UPDATE inbound_events SET", 1) in handling
    assert ("UPDATE outbound_messages SET", 1) in handling  # the send's marks
    assert all(level == 1 for _, level in handling), handling  # redone from the durable events if lost
    with services.sessions.begin() as session:  # work that is not recomputable is durable again
        session.execute(text("UPDATE offices SET name_th = name_th WHERE id = 1"))
    assert seen[-1] == ("UPDATE offices SET", 2)


def test_a_handler_process_survives_the_database_dropping_its_connections(queued, settings):
    """PostgreSQL: a handler process does not test each connection before use (bot/services.py `retried`); when
    the server drops them (a restart), one pass fails, the pool is replaced, and nothing is lost or doubled."""
    chat, services = queued
    if services.engine.dialect.name != "postgresql":
        pytest.skip("the server dropping connections is PostgreSQL's case; SQLite has no server")
    from bot.services import Services

    process = Services.build(dataclasses.replace(settings, handling="queue", reply_threads=0), retried=True)
    try:
        post(chat, OFFICER, ["วิธีใช้"], int(time.time() * 1000))
        assert handler.handle_pending(process) == 1  # its pool now holds live connections
        with services.engine.connect() as admin:  # the server drops every other connection, as at a restart
            admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        tokens = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", "ยืนยัน"],
                      int(time.time() * 1000))
        failed, deadline = 0, time.monotonic() + 10
        while waiting(services) and time.monotonic() < deadline:
            try:
                handler.handle_pending(process)
            except Exception:  # what handler.run() logs and retries
                failed += 1
        assert failed <= 1 and waiting(services) == 0
        assert "บันทึกแล้ว" in str(chat.replies_for(tokens[1]))
        with services.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ReportValue)) == 1
    finally:
        process.gateway.close()
        process.engine.dispose()


def test_each_sender_is_answered_in_order_and_one_slow_answer_holds_up_no_one_else(settings, fake_line):
    """Replies go out from reply threads, a queue per sender: LINE is slow to answer the first reply it gets, and
    that sender's next answer waits for it, while the other sender's answer does not."""
    app = create_app(dataclasses.replace(settings, handling="queue", reply_threads=4))
    services = app.extensions["bot"]
    try:
        for user, province in ((OFFICER, "เชียงใหม่"), (OFFICER_KK, "ขอนแก่น")):
            add_user(services.sessions, user, "officer", province)
        chat = Chat(app.test_client(), fake_line, CHANNEL_SECRET)
        now = int(time.time() * 1000)
        mine = post(chat, OFFICER, ["วิธีใช้", "ประวัติ"], now)
        theirs = post(chat, OFFICER_KK, ["วิธีใช้", "ประวัติ"], now + 10)
        slow = 0.4  # (under the tests' read timeout, 0.5 s: LINE does answer)
        fake_line.delay_next("/v2/bot/message/reply", slow)
        started, handled = time.monotonic(), []
        passing = threading.Thread(target=lambda: handled.append(handler.handle_pending(services)))
        passing.start()
        time.sleep(slow * 0.75)  # the slow answer is still on its way: the others are recorded as sent already
        with services.sessions() as session:
            sent = session.scalar(select(func.count()).select_from(OutboundMessage).where(
                OutboundMessage.status == "sent"))
        passing.join()
        assert handled == [4] and sent >= 2
        assert time.monotonic() - started < 2 * slow  # the two senders' answers went out side by side
        replies = [r for r in fake_line.requests if r.path == "/v2/bot/message/reply" and r.status == 200]
        arrived = {(r.body or {}).get("replyToken"): r.at for r in replies}
        assert set(arrived) == {*mine, *theirs}
        held = next((r.body or {}).get("replyToken") for r in replies if r.delayed)  # LINE was slow to answer it
        held_queue, other_queue = (mine, theirs) if held in mine else (theirs, mine)
        assert arrived[held_queue[1]] >= arrived[held_queue[0]] + slow  # in order: the next waited for it
        assert all(arrived[token] < arrived[held] + slow for token in other_queue)  # the other sender did not wait
    finally:
        services.gateway.close()
        services.engine.dispose()


def test_a_chunk_the_database_refuses_is_handled_one_event_at_a_time(queued):
    """An event the database cannot take (storing its report fails as if the server went away) fails its chunk's
    one transaction; the chunk is then handled event by event, so everyone else is answered at once, and the failing
    event stays recorded, nothing of it kept, for the next pass."""
    chat, services = queued
    now = int(time.time() * 1000)
    mine = post(chat, OFFICER, ["ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", "ยืนยัน"], now)
    theirs = post(chat, OFFICER_KK, ["วิธีใช้"], now + 10)
    restore = _failing(services.engine, "INSERT INTO report_versions")
    try:
        handler.handle_pending(services)
    finally:
        restore()
    assert "วิธีใช้งาน" in str(chat.replies_for(theirs[0])) and "ยืนยัน" in str(chat.replies_for(mine[0]))
    assert chat.replies_for(mine[1]) == [] and waiting(services) == 1
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportValue)) == 0
    assert handler.handle_pending(services) == 1  # the next pass, the database back
    assert "บันทึกแล้ว" in str(chat.replies_for(mine[1])) and waiting(services) == 0
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportValue)) == 1
