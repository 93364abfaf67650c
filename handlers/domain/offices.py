"""Which office a request is about, and whether its sender may act for it: one rule and one set of Thai texts.

An officer acts for their own office only. A manager names a province, or acts for their own unit when they
belong to one. Every handler that reads or writes one office's figures asks here.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers.domain.errors import UserError
from models import Office, User

NO_OFFICE = "บัญชีนี้ยังไม่ได้ผูกกับสำนักงาน กรุณาติดต่อผู้ดูแลระบบครับ"
# How people write an office's name around the province (the longest first, so จังหวัด is not cut as จ.).
PREFIXES = ("สำนักงานพาณิชย์จังหวัด", "จังหวัด", "สพจ.", "จ.")


def find_office(session: Session, name: str) -> Office | None:
    """An office by Thai or English province name, office code, full Thai name, or a known alias."""
    wanted = name.strip()
    for prefix in PREFIXES:
        if wanted.startswith(prefix) and len(wanted) > len(prefix):
            wanted = wanted[len(prefix):].strip()
    if not wanted:
        return None
    office = session.scalars(select(Office).where(or_(
        Office.province_th == wanted, Office.code == wanted, Office.code == wanted.upper(),
        Office.province_en.ilike(wanted), Office.name_th == wanted,
    ))).first()
    if office is None:
        office = next((o for o in session.scalars(select(Office)) if wanted in (o.aliases or [])), None)
    return office


def may_act_for(user: User, office_id: int | None) -> bool:
    """Whether the user may, now, store a figure for this office (checked again when a draft is confirmed: the
    user may have been moved since it was opened). An officer acts for their own office only."""
    if not user.active or office_id is None:
        return False
    return user.role != "officer" or user.office_id == office_id


def office_for(session: Session, user: User, named: str | None, *, action: str, example: str,
               required: bool = True, note: str = "") -> Office | None:
    """The office `user` means (naming `named`, a province, or not) and may `action` (e.g. "รายงาน") for.

    Raises UserError with the reason when the user may not, the province is unknown, or (when `required`) a
    manager named none: `example` shows how to name one, `note` is added to every refusal (e.g. "not stored").
    Returns None only when nothing is named and `required` is False.
    """
    tail = f"\n{note}" if note else ""
    if user.role == "officer":
        own = user.office
        if own is None:
            raise UserError(NO_OFFICE + tail)
        if named and named != own.province_th:
            raise UserError(f"{action}ได้เฉพาะ{own.name_th}ครับ (ข้อความระบุจังหวัด{named}){tail}")
        return own
    if named:
        office = find_office(session, named)
        if office is None:
            raise UserError(f"ไม่พบสำนักงานของจังหวัด{named}ครับ{tail}")
        return office
    if user.office is not None:  # a manager of a central unit acts for that unit
        return user.office
    if required:
        raise UserError(f"กรุณาระบุจังหวัด เช่น {example}{tail}")
    return None
