"""Scheduled jobs driven at chosen moments against the fake LINE platform: who got what, exactly once."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.schedule.jobs import current_steps, ladder, run_milestones, run_monthly_summary, run_reminders
from bot.services import Services
from models import Office, OutboundMessage, ScheduledSend, User
from tests.conftest import MANAGER, OFFICER, OFFICER_KK
from tests.test_progress import put

BKK = ZoneInfo("Asia/Bangkok")
MULTICAST, PUSH = "/v2/bot/message/multicast", "/v2/bot/message/push"
pytestmark = pytest.mark.usefixtures("people")


def at(text: str) -> datetime:
    """A Bangkok wall-clock moment."""
    return datetime.fromisoformat(text).replace(tzinfo=BKK)


def texts_to(fake, user: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.get("text") or m.get("altText") for m in fake.messages_to(user)]


def add_officers(sessions, count: int, province: str = "ลำปาง") -> list[str]:  # type: ignore[no-untyped-def]
    ids = [f"U{i:032x}" for i in range(1000, 1000 + count)]
    with transaction(sessions) as session:
        office = session.scalars(select(Office).where(Office.province_th == province)).one()
        session.add_all(User(line_user_id=i, role="officer", office_id=office.id, active=True) for i in ids)
    return ids


def test_ladder_for_january_and_moves_off_holidays():
    assert [(s, str(d)) for s, _, d in ladder("2024-01")] == [
        ("gentle", "2024-02-02"), ("due", "2024-02-05"), ("overdue", "2024-02-08"), ("managers", "2024-02-09")]
    # March's overdue notice would fall on 8 Apr 2024 (Chakri Memorial Day in lieu): moved to the 9th.
    assert dict((s, str(d)) for s, _, d in ladder("2024-03"))["overdue"] == "2024-04-09"
    assert current_steps("2024-01", at("2024-02-06T09:00").date()) == {"officers": "due"}
    assert current_steps("2024-01", at("2024-02-01T09:00").date()) == {}
    # Both of March's last steps land on 9 April: officers and managers each get theirs.
    assert current_steps("2024-03", at("2024-04-09T09:00").date()) == {"officers": "overdue", "managers": "managers"}


def test_gentle_reminder_goes_only_to_offices_that_have_not_reported(services, fake_line, sessions):
    with transaction(sessions) as session:
        put(session, "ขอนแก่น", "2.1.1", "2024-01", 2.0, project=1)
        put(session, "ขอนแก่น", "2.2.1", "2024-01", 91.0, respondents=50)
    report = run_reminders(services, at("2024-02-02T09:00"))
    assert report.tally.sent == 1 and report.note == "2024-01 step gentle to officers"
    [text] = texts_to(fake_line, OFFICER)
    assert "ม.ค. 2567" in text and "2.1.1" in text and "2.2.1" in text and "5 ก.พ. 2567" in text
    [message] = fake_line.messages_to(OFFICER)
    assert [i["action"]["text"] for i in message["quickReply"]["items"]] == ["ยอดขาย ม.ค. 2567",
                                                                             "ความพึงพอใจ ม.ค. 2567"]
    assert fake_line.messages_to(OFFICER_KK) == [] and fake_line.messages_to(MANAGER) == []


def test_rerun_sends_nothing_twice(services, fake_line):
    first = run_reminders(services, at("2024-02-02T09:00"))
    second = run_reminders(services, at("2024-02-02T10:30"))
    assert (first.tally.sent, second.tally.sent, second.tally.already) == (2, 0, 2)
    assert len(fake_line.messages_to(OFFICER)) == 1


def test_nothing_at_night_on_weekends_or_holidays(services, fake_line):
    for moment in ("2024-02-02T22:00", "2024-02-03T09:00", "2024-04-08T09:00", "2024-04-15T09:00"):
        report = run_reminders(services, at(moment))
        assert report.tally.sent == 0 and report.note.startswith("nothing sent"), moment
    assert fake_line.requests == []
    # The next working morning sends what is due then: March's overdue notice on 9 April.
    assert run_reminders(services, at("2024-04-09T09:00")).note == (
        "2024-03 step overdue to officers, step managers to managers")


def test_an_office_that_reports_drops_off_the_ladder(services, fake_line, chat):
    run_reminders(services, at("2024-02-02T09:00"))
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 1 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    fake_line.clear()
    run_reminders(services, at("2024-02-05T09:00"))
    # เชียงใหม่ still owes satisfaction, so the due-day reminder names only that.
    [text] = texts_to(fake_line, OFFICER)
    assert "2.2.1" in text and "2.1.1" not in text
    chat.tap(chat.send("ความพึงพอใจ ม.ค. 67 ร้อยละ 90 ผู้ตอบ 40 ราย", user=OFFICER), "ยืนยัน", user=OFFICER)
    fake_line.clear()
    run_reminders(services, at("2024-02-08T09:00"))
    assert fake_line.messages_to(OFFICER) == [] and len(fake_line.messages_to(OFFICER_KK)) == 1


def test_paused_users_get_nothing_until_they_resume(services, fake_line, chat):
    assert "หยุดการแจ้งเตือนแล้ว" in chat.send("หยุดเตือน", user=OFFICER).text
    run_reminders(services, at("2024-02-02T09:00"))
    assert fake_line.messages_to(OFFICER) == [] or all(m.get("text", "").startswith("หยุด")
                                                       for m in fake_line.messages_to(OFFICER))
    assert "เปิดการแจ้งเตือนแล้ว" in chat.send("เตือนต่อ", user=OFFICER).text
    fake_line.clear()
    run_reminders(services, at("2024-02-05T09:00"))
    assert len(fake_line.messages_to(OFFICER)) == 1


def test_managers_get_the_list_of_offices_still_missing(services, fake_line):
    run_reminders(services, at("2024-02-09T09:00"))
    [text] = texts_to(fake_line, MANAGER)
    assert "ยังไม่ส่งยอดขาย ม.ค. 2567: 76 จังหวัด" in text and "เชียงใหม่" in text
    assert "ยังไม่ส่งความพึงพอใจ ม.ค. 2567: 76 จังหวัด" in text
    # No run happened on the 8th, so officers get the overdue notice now (once), not the earlier steps.
    [notice] = texts_to(fake_line, OFFICER)
    assert notice.startswith("เลยกำหนดส่งผลของเดือน ม.ค. 2567")


def test_batches_of_500_and_a_crash_between_batches(services, fake_line, sessions, monkeypatch):
    officers = add_officers(sessions, 1200)
    real = services.gateway.send_logged
    calls = []

    def crash_on_second(outbound_id: int):  # type: ignore[no-untyped-def]
        calls.append(outbound_id)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(outbound_id)

    monkeypatch.setattr(services.gateway, "send_logged", crash_on_second)
    with pytest.raises(SystemExit):
        run_reminders(services, at("2024-02-02T09:00"))
    monkeypatch.setattr(services.gateway, "send_logged", real)
    report = run_reminders(services, at("2024-02-02T11:00"))
    sizes = sorted(len(r.body["to"]) for r in fake_line.requests if r.path == MULTICAST)
    assert max(sizes) <= 500
    everyone = [OFFICER, OFFICER_KK, *officers]
    assert all(len(fake_line.messages_to(u)) == 1 for u in everyone)
    assert report.tally.already > 0 and report.tally.sent + report.tally.already == len(everyone)


def test_a_batch_accepted_before_a_crash_is_not_delivered_again(services, fake_line, sessions, monkeypatch):
    add_officers(sessions, 3)
    real = services.gateway.send_logged

    def lost_answer(outbound_id: int):  # type: ignore[no-untyped-def]
        real(outbound_id)  # LINE got it…
        with transaction(sessions) as session:  # …but the worker died before its "sent" was committed
            session.get(OutboundMessage, outbound_id).status = "pending"
        raise SystemExit("worker killed")

    monkeypatch.setattr(services.gateway, "send_logged", lost_answer)
    with pytest.raises(SystemExit):
        run_reminders(services, at("2024-02-02T09:00"))
    monkeypatch.setattr(services.gateway, "send_logged", real)
    run_reminders(services, at("2024-02-02T09:30"))
    statuses = [r.status for r in fake_line.requests if r.path == MULTICAST]
    assert statuses == [200, 409]  # same retry key: LINE says it already has it
    assert len(fake_line.messages_to(OFFICER)) == 1


def test_two_schedulers_at_once_send_each_message_once(app, settings, fake_line, sessions):
    officers = add_officers(sessions, 40)
    twins = [Services.build(settings), Services.build(settings)]
    barrier = threading.Barrier(2)

    def run(services: Services) -> None:
        barrier.wait()
        run_reminders(services, at("2024-02-02T09:00"))

    threads = [threading.Thread(target=run, args=(s,)) for s in twins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for services in twins:
        services.gateway.close()
        services.engine.dispose()
    assert all(len(fake_line.messages_to(u)) == 1 for u in [OFFICER, OFFICER_KK, *officers])


def test_monthly_quota_stops_the_run_and_the_rest_goes_later(services, fake_line, sessions):
    add_officers(sessions, 600)
    fake_line.set_quota(500)
    report = run_reminders(services, at("2024-02-02T09:00"))
    assert report.tally.quota_exhausted and len(report.tally.unsent) == 102
    with sessions() as session:
        pending = session.scalars(select(ScheduledSend).where(ScheduledSend.status != "sent")).all()
    assert len(pending) == 102
    fake_line.set_quota(None)
    later = run_reminders(services, at("2024-02-02T13:00"))
    assert later.tally.sent == 102 and not later.tally.quota_exhausted
    with sessions() as session:
        assert session.scalars(select(ScheduledSend).where(ScheduledSend.status != "sent")).all() == []


def test_monthly_summary_on_the_first_working_day_only(services, fake_line, sessions):
    with transaction(sessions) as session:
        put(session, "เชียงใหม่", "2.1.1", "2024-01", 12.5, project=3)
    assert run_monthly_summary(services, at("2024-02-02T09:00")).tally.sent == 0
    report = run_monthly_summary(services, at("2024-02-01T09:00"))
    assert report.tally.sent == 3
    manager = texts_to(fake_line, MANAGER)
    assert manager[0].startswith("สรุปความคืบหน้าประจำเดือน ณ 1 ก.พ. 2567")
    officer = fake_line.messages_to(OFFICER)
    assert "สำนักงานพาณิชย์จังหวัดเชียงใหม่" in str(officer[1]) and "12.50 ล้านบาท" in str(officer[1])
    assert run_monthly_summary(services, at("2024-02-01T10:00")).tally.sent == 0  # once


def test_window_milestone_after_31_may_2024(services, fake_line):
    assert run_milestones(services, at("2024-06-03T09:00")).note.startswith("nothing sent")  # a holiday
    report = run_milestones(services, at("2024-06-04T09:00"))
    assert report.note == "window:2024-05-31" and report.tally.sent == 1
    assert "ปิดรอบการวัดผล ณ 31 พ.ค. 2567" in texts_to(fake_line, MANAGER)[0]
    assert run_milestones(services, at("2024-06-05T09:00")).tally.sent == 0
    assert run_milestones(services, at("2024-10-01T09:00")).note == "window:2024-09-30"


def test_manager_asks_for_the_summary_now(chat):
    answer = chat.send("ส่งสรุปตอนนี้", user=MANAGER)
    assert answer.messages[0]["text"].startswith("สรุปความคืบหน้าประจำเดือน")
    assert answer.messages[1]["type"] == "flex"


def test_jobs_cli_lists_and_runs_at_a_given_moment(database_url, fake_line, monkeypatch, capsys):
    from bot.cli import main
    from tests.conftest import ACCESS_TOKEN, CHANNEL_SECRET

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LINE_CHANNEL_SECRET", CHANNEL_SECRET)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", ACCESS_TOKEN)
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    monkeypatch.setenv("BOT_TODAY", "2024-02-15")
    monkeypatch.delenv("BOT_ENV", raising=False)
    assert main(["jobs", "list", "--now", "2024-02-15T10:00"]) == 0
    listing = capsys.readouterr().out
    assert "reminders\tnext run 2024-02-16T09:00:00+07:00" in listing  # Friday morning, Bangkok time
    assert {"monthly_summary", "milestones"} <= {line.split("\t")[0] for line in listing.splitlines()}
    assert main(["jobs", "run", "reminders", "--now", "2024-02-02T09:00"]) == 0
    assert "2024-01 step gentle to officers; sent 2" in capsys.readouterr().out
    assert len(fake_line.messages_to(OFFICER)) == 1
    assert main(["jobs", "run", "nope"]) == 2
    assert main(["jobs", "run", "reminders", "--now", "tomorrow"]) == 2


def test_scheduler_jobs_have_ids_coalesce_and_a_misfire_grace(settings):
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.schedule.scheduler import MISFIRE_GRACE_SECONDS, configure

    scheduler = BackgroundScheduler(timezone=settings.timezone)
    configure(scheduler, settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"reminders", "monthly_summary", "milestones", "outbox", "privacy"}
    for job in jobs.values():
        grace = 60 if job.id == "outbox" else MISFIRE_GRACE_SECONDS
        assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == grace
        assert job.func.__module__ == "bot.schedule.scheduler" and job.args[0] == job.id
        assert str(job.trigger.timezone) == "Asia/Bangkok"


def test_outbox_pushes_a_reply_that_was_never_sent_once(app, services, fake_line, sessions):
    from datetime import timedelta

    from linebot.v3 import WebhookParser

    from bot.dev import line_events
    from bot.line import inbox
    from bot.line.events import from_sdk_event
    from bot.schedule.jobs import run_outbox
    from models import utcnow
    from tests.conftest import CHANNEL_SECRET

    token = fake_line.issue_reply_token(OFFICER)
    body = line_events.callback_body([line_events.text_event(OFFICER, "วิธีใช้", reply_token=token)])
    [event] = WebhookParser(CHANNEL_SECRET).parse(body, line_events.sign(body, CHANNEL_SECRET))
    incoming = from_sdk_event(event)
    inbox.record(services, [incoming])
    inbox.process_event(services, incoming)  # stored with its reply; the worker then died
    assert run_outbox(services, utcnow()).tally.sent == 0  # too fresh: LINE may still redeliver
    with transaction(sessions) as session:
        for row in session.scalars(select(OutboundMessage)):
            row.created_at = utcnow() - timedelta(minutes=5)
    report = run_outbox(services, utcnow())
    assert report.tally.sent == 1 and "วิธีใช้งาน" in fake_line.messages_to(OFFICER)[0]["text"]
    assert run_outbox(services, utcnow()).tally.sent == 0
    assert len(fake_line.messages_to(OFFICER)) == 1


def test_the_managers_reminder_counts_as_the_progress_card_does(services, fake_line, chat):
    """Issue 13: one definition of "has reported" per indicator and month, in the push and on the card."""
    chat.tap(chat.send("ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 1 ล้านบาท", user=OFFICER), "ยืนยัน", user=OFFICER)
    fake_line.clear()
    run_reminders(services, at("2024-02-09T09:00"))
    [text] = texts_to(fake_line, MANAGER)
    assert "ยังไม่ส่งยอดขาย ม.ค. 2567: 75 จังหวัด" in text and "ยังไม่ส่งความพึงพอใจ ม.ค. 2567: 76 จังหวัด" in text
    card = chat.send("ความคืบหน้าเป้าหมาย 2.1", user=MANAGER).text
    assert "ยังไม่รายงาน ม.ค. 2567: 75 จังหวัด" in card
