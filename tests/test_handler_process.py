"""Issue 15: a handler process killed (kill -9) while it holds a sender loses it to the next handler process, which
answers what was left, in order and once; the answer the dead one may or may not have delivered is pushed once,
marked as a possible repeat. The real `python -m bot handler` runs here, against the test database and the fake
LINE platform."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select, update

from bot import create_app
from bot.line import recovery
from bot.line.push import SendTally
from models import InboundEvent, OutboundMessage, ReportValue, utcnow
from tests.chat import Chat
from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET, OFFICER, add_user
from tests.test_handler_queue import post

ROOT = Path(__file__).resolve().parent.parent
REPORT = "ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท"


@pytest.fixture
def queued(settings, fake_line):  # type: ignore[no-untyped-def]
    app = create_app(dataclasses.replace(settings, handling="queue"))
    services = app.extensions["bot"]
    add_user(services.sessions, OFFICER, "officer", "เชียงใหม่")
    yield Chat(app.test_client(), fake_line, CHANNEL_SECRET), services
    services.gateway.close()
    services.engine.dispose()


def start_handler(settings, log: IO[str]) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_URL": settings.database_url, "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
           "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN, "LINE_API_BASE_URL": settings.line_api_base_url,
           "BOT_TODAY": settings.fixed_today.isoformat(), "HANDLING": "queue", "PYTHAINLP_OFFLINE": "1",
           "PYTHAINLP_READ_ONLY": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "handler", "--nice", "0"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def status(services, event_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with services.sessions() as session:
        return session.scalar(select(InboundEvent.status).where(InboundEvent.webhook_event_id == event_id))


def wait_for(condition, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_handler_killed_while_holding_a_sender_is_taken_over_by_the_next(queued, settings, tmp_path):
    chat, services = queued
    fake = chat.fake
    fake.delay_next("/v2/bot/message/reply", 20)  # the first answer is delivered, LINE's "200" is slow to come
    first, = post(chat, OFFICER, [REPORT], int(time.time() * 1000))
    log = tmp_path / "handlers.log"
    out = log.open("a")
    dying = start_handler(settings, out)
    standby = None
    try:
        # the first handler has handled the report and is waiting on LINE's answer to its reply: it holds the sender
        assert wait_for(lambda: any((r.body or {}).get("replyToken") == first for r in fake.requests)), log.read_text()
        second, = post(chat, OFFICER, ["ยืนยัน"], int(time.time() * 1000))
        standby = start_handler(settings, out)
        time.sleep(3.0)  # long enough for the standby to start and look
        assert chat.replies_for(second) == [] and status(services, second_event(services)) == "received"

        dying.send_signal(signal.SIGKILL)
        dying.wait(timeout=10)
        assert wait_for(lambda: chat.replies_for(second) != []), log.read_text()
        assert "บันทึกแล้ว" in str(chat.replies_for(second))  # the confirm, answered by the standby, after the card
        with services.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ReportValue)) == 1
            assert session.scalar(select(func.count()).select_from(InboundEvent).where(
                InboundEvent.status == "received")) == 0
    finally:
        for proc in (dying, standby):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)
        out.close()

    # The dead handler's reply reached LINE, but it never heard so: its outcome is unknown, and the outbox job
    # pushes it once, marked as a possible repeat (never silently twice, never lost).
    with services.sessions.begin() as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.status == "sending").values(
            attempted_at=utcnow() - recovery.REPLY_GRACE - timedelta(seconds=1)))
    assert recovery.push_unsent_replies(services, SendTally()) == 1
    pushed = [r.body for r in fake.requests if r.path == "/v2/bot/message/push" and r.status == 200]
    assert len(pushed) == 1 and pushed[0]["to"] == OFFICER
    assert "อาจซ้ำ" in str(pushed[0]["messages"][0]) and "ตรวจสอบก่อนบันทึก" in str(pushed[0]["messages"][1])
    assert recovery.push_unsent_replies(services, SendTally()) == 0


def second_event(services) -> str:  # type: ignore[no-untyped-def]
    with services.sessions() as session:
        return session.scalars(select(InboundEvent.webhook_event_id).order_by(InboundEvent.id.desc())).first()
