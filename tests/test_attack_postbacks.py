"""Issue 14, wrong data stored (items 2, 4, 5, 6): postback data is written by the client, people move between
offices, other channels hold a chat, and one person talks in more than one chat. None of it stores a figure
the sender may not store, nor one that was never offered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db import transaction
from bot.dev import line_events
from handlers.domain import conversation
from handlers.domain.invites import create_invite
from models import ConversationState, Office, ReportValue, User
from tests.conftest import OFFICER
from tests.test_progress import NOW

pytestmark = pytest.mark.usefixtures("people")
REPORT = "ยอดขาย ม.ค. 67 โครงการ 3 จำนวน 2.5 ล้านบาท"
GROUP = "C" + "7" * 32


def stored(sessions) -> list[tuple[str, str, int | None, float]]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return [(r.office.province_th, r.period, r.project.number if r.project else None, r.value)
                for r in session.scalars(select(ReportValue))]


def nonce(sessions, user: str = OFFICER) -> str:  # type: ignore[no-untyped-def]
    with sessions() as session:
        step = conversation.load(session, user)
        assert step is not None
        return step.nonce


def test_a_forged_project_button_is_not_an_answer(chat, sessions):
    chat.send("ยอดขาย ม.ค. 67 จำนวน 2.5 ล้านบาท", user=OFFICER)  # the bot asks which project
    for forged in ("99", "0", "3;DROP", "-1"):
        answer = chat.postback(f"a=set&s={nonce(sessions)}&v={forged}", user=OFFICER)
        assert answer.text.startswith("ปุ่มนี้ไม่ใช่ตัวเลือกของคำถามนี้ครับ"), forged
    card = chat.postback(f"a=set&s={nonce(sessions)}&v=3", user=OFFICER)  # an offered button still works
    chat.tap(card, "ยืนยัน", user=OFFICER)
    assert stored(sessions) == [("เชียงใหม่", "2024-01", 3, 2.5)]


def test_a_forged_month_on_an_open_card_cannot_be_confirmed(chat, sessions):
    chat.send("ยอดขาย โครงการ 3 จำนวน 2.5 ล้านบาท", user=OFFICER)  # the bot asks which month
    answer = chat.postback(f"a=set&s={nonce(sessions)}&v=2024-00", user=OFFICER)
    assert "ปุ่มนี้ไม่ใช่ตัวเลือก" in answer.text
    chat.postback(f"a=confirm&s={nonce(sessions)}", user=OFFICER)
    assert stored(sessions) == []


def _move(sessions, user: str, province: str) -> str:  # type: ignore[no-untyped-def]
    """What an administrator does: revoke, then a new invite the person redeems for the new office."""
    with transaction(sessions) as session:
        person = session.scalars(select(User).where(User.line_user_id == user)).one()
        person.active = False
        office = session.scalars(select(Office).where(Office.province_th == province)).one()
        code, _ = create_invite(session, "officer", office, now=NOW, ttl=timedelta(days=1))
    return code


def test_a_moved_officer_cannot_confirm_a_draft_for_the_old_office(chat, sessions):
    card = chat.send(REPORT, user=OFFICER)
    code = _move(sessions, OFFICER, "ขอนแก่น")
    assert "ลงทะเบียน" in chat.send(f"ลงทะเบียน {code}", user=OFFICER).text
    late = chat.tap(card, "ยืนยัน", user=OFFICER)  # the old card, tapped after moving
    assert "ปุ่มนี้หมดอายุแล้ว" in late.text  # registering closed the old office's draft
    assert stored(sessions) == []


def test_confirming_asks_again_who_may_act_for_the_office(chat, sessions):
    """Even with the draft still open (moved by the database, not by registering), the confirm re-checks."""
    card = chat.send(REPORT, user=OFFICER)
    with transaction(sessions) as session:
        person = session.scalars(select(User).where(User.line_user_id == OFFICER)).one()
        person.office_id = session.scalars(select(Office.id).where(Office.province_th == "ขอนแก่น")).one()
    refused = chat.tap(card, "ยืนยัน", user=OFFICER)
    assert "บัญชีนี้รายงานแทนสำนักงานพาณิชย์จังหวัดเชียงใหม่ไม่ได้แล้วครับ" in refused.text
    assert stored(sessions) == []


def test_revoking_a_user_closes_their_open_draft(chat, sessions, database_url, monkeypatch):
    from bot.cli import main

    chat.send(REPORT, user=OFFICER)
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_ENV"):
        monkeypatch.delenv(name, raising=False)
    assert main(["users", "remove", "--line-id", OFFICER]) == 0
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 0


def test_a_standby_event_is_recorded_and_not_acted_on(chat, sessions, fake_line):
    card = chat.send(REPORT, user=OFFICER)
    event = line_events.postback_event(OFFICER, card.actions["ยืนยัน"], reply_token=fake_line.issue_reply_token(
        OFFICER))
    event["mode"] = "standby"  # another channel holds the chat: the event is for it
    event.pop("replyToken")  # LINE sends standby events without a reply token
    assert chat.post([event]) == 200
    assert stored(sessions) == []
    from models import InboundEvent

    with sessions() as session:
        row = session.scalars(select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"]))
        recorded = row.one()
        assert (recorded.status, recorded.intent) == ("done", None)
    chat.tap(card, "ยืนยัน", user=OFFICER)  # the same tap in active mode stores it
    assert stored(sessions) == [("เชียงใหม่", "2024-01", 3, 2.5)]


def test_a_draft_belongs_to_the_chat_it_was_opened_in(chat, sessions):
    card = chat.send(REPORT, user=OFFICER, group=GROUP)
    elsewhere = chat.tap(card, "ยืนยัน", user=OFFICER)  # the same button, tapped in the 1:1 chat
    assert "รายการนี้เปิดไว้ในห้องแชทอื่นครับ" in elsewhere.text
    assert stored(sessions) == []
    chat.tap(card, "ยืนยัน", user=OFFICER, group=GROUP)
    assert stored(sessions) == [("เชียงใหม่", "2024-01", 3, 2.5)]


@pytest.mark.parametrize("report_id", ["99999999999999999999999", "2147483648", "9" * 5000])
def test_an_oversized_report_id_is_a_stale_button_not_a_fault(chat, sessions, report_id):
    """The attacker's break 7: SQLite failed with OverflowError (an apology no retry could fix), PostgreSQL left
    the event unhandled until the outbox gave it up."""
    answer = chat.postback(f"a=void&id={report_id}", user=OFFICER)
    assert "ปุ่มนี้หมดอายุแล้วครับ" in answer.text
    from models import InboundEvent

    with sessions() as session:
        assert set(session.scalars(select(InboundEvent.status))) == {"done"}
