"""Single-use, expiring invite codes that bind a LINE user to a role and an office."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers.domain import conversation
from handlers.domain.errors import UserError
from models import InviteCode, Office, User, utcnow

# Crockford-style alphabet: no I, L, O, U, so codes read aloud or retyped from paper survive.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LEN = 3, 4  # 60 bits: not guessable at any rate LINE lets a user type
DEFAULT_TTL = timedelta(days=7)


def new_code() -> str:
    """A fresh random code such as K7QM-4XPD-92HT."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LEN)) for _ in range(GROUPS))


def normalize_code(code: str) -> str:
    """Upper-case, drop separators and map look-alike letters, as people retype codes."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def hash_code(code: str) -> str:
    """Only the hash is stored, so a copy of the database does not hand out live codes."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def create_invite(session: Session, role: str, office: Office | None, *, now: datetime | None = None,
                  ttl: timedelta = DEFAULT_TTL) -> tuple[str, InviteCode]:
    """Store a new invite and return its plain code (shown once) with the row."""
    now = now or utcnow()
    code = new_code()
    invite = InviteCode(code_hash=hash_code(code), role=role, office=office, created_at=now, expires_at=now + ttl)
    session.add(invite)
    session.flush()
    return code, invite


def redeem(session: Session, code: str, line_user_id: str, now: datetime) -> User:
    """Register (or re-register) the sender with the invite's role and office; the code is then spent."""
    if not normalize_code(code):
        raise UserError("กรุณาพิมพ์รหัสต่อท้ายด้วยครับ เช่น ลงทะเบียน K7QM-4XPD-92HT")
    invite = session.scalars(select(InviteCode).where(InviteCode.code_hash == hash_code(code))).first()
    if invite is None:
        raise UserError("รหัสลงทะเบียนไม่ถูกต้องครับ กรุณาตรวจสอบรหัสอีกครั้ง หรือขอรหัสใหม่จากผู้ดูแลระบบ")
    if invite.used_at is not None:
        raise UserError("รหัสนี้ถูกใช้ไปแล้วครับ รหัสใช้ได้ครั้งเดียว กรุณาขอรหัสใหม่จากผู้ดูแลระบบ")
    if invite.expires_at <= now:
        raise UserError("รหัสนี้หมดอายุแล้วครับ กรุณาขอรหัสใหม่จากผู้ดูแลระบบ")
    user = session.scalars(select(User).where(User.line_user_id == line_user_id)).first()
    if user is not None and user.active:
        raise UserError("บัญชีนี้ลงทะเบียนไว้แล้วครับ หากต้องการเปลี่ยนสำนักงาน กรุณาติดต่อผู้ดูแลระบบ")
    # Spend the code with a guarded update so two people racing with one code cannot both win.
    spent = session.execute(
        update(InviteCode).where(InviteCode.id == invite.id, InviteCode.used_at.is_(None)).values(used_at=now)
    )
    if spent.rowcount != 1:
        raise UserError("รหัสนี้ถูกใช้ไปแล้วครับ รหัสใช้ได้ครั้งเดียว กรุณาขอรหัสใหม่จากผู้ดูแลระบบ")
    if user is None:
        user = User(line_user_id=line_user_id, role=invite.role, office_id=invite.office_id, active=True)
        session.add(user)
    else:
        user.role, user.office_id, user.active, user.revoked_at = invite.role, invite.office_id, True, None
    # a draft opened for the office they had before is not theirs to confirm any more
    conversation.close(session, line_user_id, now)
    session.flush()
    invite.used_by_id = user.id
    return user
