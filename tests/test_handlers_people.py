"""Register, unregistered, follow, help and media handlers, called directly with a real session.

These are the texts people see before and around their first report.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import follow, help, media, register, unregistered
from handlers.domain.errors import UserError
from handlers.domain.invites import create_invite
from handlers.present.texts import GREETING, HOW_TO_REGISTER
from models import ConversationState, InviteCode, ReportValue, User
from tests.handler_context import MANAGER, NOW, OFFICER, STRANGER, Seen, context, office

HOW_TO_REGISTER_LINES = ("ยังไม่ได้ลงทะเบียนครับ\n"
                         "กรุณาขอรหัสลงทะเบียนจากผู้ดูแลระบบของสำนักงาน แล้วพิมพ์\n"
                         "ลงทะเบียน <รหัส>\n"
                         "เช่น ลงทะเบียน K7QM-4XPD-92HT")


@pytest.fixture
def session(handler_session: Session) -> Session:
    """The handler test's session (conftest): one per test, rolled back, never committed."""
    return handler_session


# -- register -------------------------------------------------------------------------------------------------


def test_register_binds_the_sender_to_the_invite_s_role_and_office(session: Session) -> None:
    code, invite = create_invite(session, "officer", office(session, "ขอนแก่น"), now=NOW)
    reply = register.handle(context(session, STRANGER, f"ลงทะเบียน {code}"))
    assert Seen(reply).texts == ["ลงทะเบียนเรียบร้อยแล้วครับ\nบทบาท: เจ้าหน้าที่ สำนักงานพาณิชย์จังหวัดขอนแก่น\n"
                                 "พิมพ์ วิธีใช้ เพื่อเริ่มต้น"]
    assert Seen(reply).quick_labels == ["วิธีใช้"]
    user = session.scalars(select(User).where(User.line_user_id == STRANGER)).one()
    assert (user.role, user.office.province_th, user.active) == ("officer", "ขอนแก่น", True)  # type: ignore[union-attr]
    assert (invite.used_at, invite.used_by_id) == (NOW, user.id)


def test_a_manager_code_typed_in_lower_case_registers_a_manager(session: Session) -> None:
    code, _ = create_invite(session, "manager", None, now=NOW)
    reply = register.handle(context(session, "U-new-manager", f"ลงทะเบียน {code.lower()}"))
    assert Seen(reply).texts[0].startswith("ลงทะเบียนเรียบร้อยแล้วครับ\nบทบาท: ผู้บริหาร\n")
    assert session.scalars(select(User.role).where(User.line_user_id == "U-new-manager")).one() == "manager"


@pytest.mark.parametrize(("typed", "why"), [
    ("ลงทะเบียน", "กรุณาพิมพ์รหัสต่อท้ายด้วยครับ เช่น ลงทะเบียน K7QM-4XPD-92HT"),
    ("ลงทะเบียน AAAA-BBBB-CCCC",
     "รหัสลงทะเบียนไม่ถูกต้องครับ กรุณาตรวจสอบรหัสอีกครั้ง หรือขอรหัสใหม่จากผู้ดูแลระบบ"),
    ("used", "รหัสนี้ถูกใช้ไปแล้วครับ รหัสใช้ได้ครั้งเดียว กรุณาขอรหัสใหม่จากผู้ดูแลระบบ"),
    ("expired", "รหัสนี้หมดอายุแล้วครับ กรุณาขอรหัสใหม่จากผู้ดูแลระบบ"),
    ("registered", "บัญชีนี้ลงทะเบียนไว้แล้วครับ หากต้องการเปลี่ยนสำนักงาน กรุณาติดต่อผู้ดูแลระบบ"),
])
def test_register_refusals_register_no_one(session: Session, typed: str, why: str) -> None:
    sender = OFFICER if typed == "registered" else STRANGER
    if typed in ("used", "expired", "registered"):
        created = NOW - timedelta(days=8) if typed == "expired" else NOW
        code, _ = create_invite(session, "officer", office(session, "ขอนแก่น"), now=created)
        if typed == "used":
            register.handle(context(session, "U-first", f"ลงทะเบียน {code}"))
        typed = f"ลงทะเบียน {code}"
    users = session.scalar(select(func.count()).select_from(User))
    with pytest.raises(UserError) as refused:
        register.handle(context(session, sender, typed))
    assert refused.value.text_th == why
    assert session.scalar(select(func.count()).select_from(User)) == users
    assert session.scalar(select(func.count()).where(InviteCode.used_at.is_not(None))) == (
        1 if why.startswith("รหัสนี้ถูกใช้") else 0)


# -- unregistered ---------------------------------------------------------------------------------------------


def test_unregistered_sender_learns_how_to_register_and_nothing_is_stored(session: Session) -> None:
    ctx = context(session, STRANGER, "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท")
    assert not ctx.registered
    reply = unregistered.handle(ctx)
    assert Seen(reply).texts == [HOW_TO_REGISTER_LINES] and HOW_TO_REGISTER == HOW_TO_REGISTER_LINES
    session.flush()
    assert session.scalar(select(func.count()).select_from(ReportValue)) == 0
    assert session.scalar(select(func.count()).select_from(ConversationState)) == 0


# -- follow ---------------------------------------------------------------------------------------------------


def test_follow_from_a_stranger_greets_and_says_how_to_register(session: Session) -> None:
    reply = follow.handle(context(session, STRANGER, kind="follow"))
    assert Seen(reply).texts == [f"{GREETING}\n\n{HOW_TO_REGISTER_LINES}"]
    assert GREETING.startswith("สวัสดีครับ ยินดีต้อนรับสู่บอทติดตามตัวชี้วัด สป.พณ.\n")


def test_joining_a_group_asks_each_member_to_register(session: Session) -> None:
    reply = follow.handle(context(session, None, kind="join"))
    assert Seen(reply).texts == [f"{GREETING}\n\nสมาชิกแต่ละคนต้องลงทะเบียนก่อนรายงาน: พิมพ์ ลงทะเบียน <รหัส>"]


def test_a_registered_user_who_follows_again_is_welcomed_back(session: Session) -> None:
    reply = follow.handle(context(session, OFFICER, kind="follow"))
    assert Seen(reply).texts == [f"{GREETING}\n\nยินดีต้อนรับกลับครับ พิมพ์ วิธีใช้ เพื่อดูคำสั่งทั้งหมด"]
    assert Seen(reply).choices == {"วิธีใช้": "วิธีใช้"}


# -- help -----------------------------------------------------------------------------------------------------


def test_help_is_for_the_sender_s_role(session: Session) -> None:
    officer = Seen(help.handle(context(session, OFFICER, "วิธีใช้"))).texts[0]
    assert officer.startswith("วิธีใช้งาน (เจ้าหน้าที่)\n")
    assert "ยอดขาย ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท" in officer and "ประวัติ" in officer
    manager = Seen(help.handle(context(session, MANAGER, "วิธีใช้"))).texts[0]
    assert manager == ("วิธีใช้งาน (ผู้บริหาร)\n• ความคืบหน้าเป้าหมาย 2.1\n• ภาพรวม\n• สรุปจังหวัดนครราชสีมา\n"
                       "• จังหวัดไหนยังไม่ส่ง")


def test_help_for_a_stranger_or_a_revoked_user_is_how_to_register(session: Session) -> None:
    assert Seen(help.handle(context(session, STRANGER, "วิธีใช้"))).texts == [HOW_TO_REGISTER_LINES]
    user = session.scalars(select(User).where(User.line_user_id == OFFICER)).one()
    user.active = False
    assert Seen(help.handle(context(session, OFFICER, "วิธีใช้"))).texts == [HOW_TO_REGISTER_LINES]


# -- media ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "what"), [
    ("sticker", "สติกเกอร์"), ("image", "รูปภาพ"), ("location", "ตำแหน่งที่ตั้ง"), ("media", "ข้อความประเภทนี้"),
])
def test_media_says_reports_are_typed(session: Session, kind: str, what: str) -> None:
    reply = media.handle(context(session, OFFICER, kind=kind))
    assert Seen(reply).texts == [f"ขอบคุณครับ บอทยังอ่าน{what}ไม่ได้ กรุณาพิมพ์เป็นข้อความ หรือพิมพ์ วิธีใช้"]
    assert Seen(reply).quick_labels == ["วิธีใช้"]


@pytest.mark.parametrize(("text", "opening"), [("ขอบคุณครับ", "ยินดีครับ 🙏"), ("สวัสดีค่ะ", "สวัสดีครับ 🙏")])
def test_small_talk_gets_one_friendly_line_not_the_menu(session: Session, text: str, opening: str) -> None:
    from handlers import dispatch

    reply = dispatch.HANDLERS[context(session, OFFICER, text).parsed.intent](context(session, OFFICER, text))
    assert Seen(reply).texts == [f"{opening} ส่งผลงานหรือสอบถามความคืบหน้าได้ตลอดเวลาครับ"]
    assert Seen(reply).quick_labels == ["วิธีใช้"]
