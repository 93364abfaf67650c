"""Issue 14, privacy: handled messages' texts and tokens, strangers' ids and sent answers are cleared after the
retention period (reports and their versions are the record and stay); an unfollow stops reminders until the
user follows again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.cli import main
from bot.db import transaction
from bot.dev import line_events
from bot.schedule.jobs import JOBS, run_reminders
from models import ConversationState, InboundEvent, OutboundMessage, ReportValue, ReportVersion, User, utcnow
from tests.conftest import OFFICER, OFFICER_KK
from tests.test_jobs import at, texts_to

pytestmark = pytest.mark.usefixtures("people")
STRANGER = "U" + "5" * 32


def age(sessions, days: int) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        when = utcnow() - timedelta(days=days)
        session.execute(update(InboundEvent).values(received_at=when))
        session.execute(update(OutboundMessage).values(created_at=when))
        session.execute(update(ConversationState).values(expires_at=when))


@pytest.fixture
def history(chat, sessions):  # type: ignore[no-untyped-def]
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    chat.send("สวัสดีครับ ผมชื่อสมชาย โทร 081-234-5678", user=STRANGER)
    chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 1 ล้านบาท", user=OFFICER_KK)  # a draft left open


def cli(database_url, monkeypatch, *args: str) -> int:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    return main(list(args))


def test_dry_run_says_what_it_would_clear_and_clears_nothing(history, sessions, database_url, monkeypatch,
                                                              capsys):
    age(sessions, 31)
    assert cli(database_url, monkeypatch, "privacy", "purge", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would clear (older than 30 days):" in out and "handled events' texts and tokens: 4" in out
    assert "unregistered senders' ids: 1" in out and "expired conversation steps: 2" in out
    with sessions() as session:
        assert all(e.payload is not None for e in session.scalars(select(InboundEvent)))


def test_purge_clears_texts_tokens_and_strangers_but_keeps_the_record(history, sessions, database_url,
                                                                       monkeypatch, capsys):
    age(sessions, 31)
    assert cli(database_url, monkeypatch, "privacy", "purge") == 0
    assert "cleared (older than 30 days):" in capsys.readouterr().out
    with sessions() as session:
        events = session.scalars(select(InboundEvent)).all()
        assert events and all(e.payload is None for e in events)
        assert STRANGER not in {e.line_user_id for e in events} and OFFICER in {e.line_user_id for e in events}
        assert all(m.payload == [] and m.reply_token is None for m in session.scalars(select(OutboundMessage)))
        assert session.scalars(select(ConversationState)).all() == []
        [report] = session.scalars(select(ReportValue)).all()  # the record stays
        [version] = session.scalars(select(ReportVersion)).all()
        assert report.value == 2.5 and "2.5 ล้านบาท" in version.source_message


def test_nothing_recent_and_nothing_unhandled_is_touched(history, sessions, database_url, monkeypatch):
    with transaction(sessions) as session:
        session.execute(update(InboundEvent).where(InboundEvent.line_user_id == OFFICER).values(status="received"))
    age(sessions, 31)
    with transaction(sessions) as session:  # the draft's step is recent again
        session.execute(update(ConversationState).values(expires_at=utcnow() + timedelta(minutes=5)))
    assert cli(database_url, monkeypatch, "privacy", "purge") == 0
    with sessions() as session:
        waiting = session.scalars(select(InboundEvent).where(InboundEvent.status == "received")).all()
        assert waiting and all(e.payload is not None for e in waiting)  # still to be handled: kept whole
        assert len(session.scalars(select(ConversationState)).all()) == 2  # the draft and the last answer


def test_the_daily_job_runs_the_purge(history, sessions, services):
    age(sessions, 31)
    report = JOBS["privacy"](services, utcnow())
    assert "handled events' texts and tokens: 4" in report.note


def test_an_unfollow_stops_reminders_until_the_user_follows_again(chat, sessions, services, fake_line):
    assert chat.post([line_events.unfollow_event(OFFICER)]) == 200
    run_reminders(services, at("2024-02-02T09:00"))
    assert texts_to(fake_line, OFFICER) == [] and texts_to(fake_line, OFFICER_KK)  # the others still get theirs
    chat.event("follow_event", user=OFFICER)
    fake_line.clear()
    run_reminders(services, at("2024-02-05T09:00"))
    assert texts_to(fake_line, OFFICER)  # following again resumes them
    with sessions() as session:
        assert session.scalars(select(User.unfollowed_at).where(User.line_user_id == OFFICER)).one() is None
