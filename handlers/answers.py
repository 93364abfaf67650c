"""Reading a typed or tapped answer to the one question an open step asked (a province, a month, a count …)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from handlers.context import Context
from handlers.domain import thai_format
from handlers.domain.clock import local_today
from handlers.domain.offices import find_office
from models import Indicator, Office
from nlp import parse


def read_answer(ctx: Context, field: str | None, raw: str, *, from_button: bool) -> Any:
    """The value an answer gives for the asked field, or None if it does not answer it."""
    text = raw.strip()
    if field == "office":
        office = ctx.session.scalars(select(Office).where(Office.code == text)).first() if from_button else None
        if office is None:
            province = parse(text, local_today(ctx.settings, ctx.now)).province
            province = province or next((r.province for r in parse(text).reports if r.province), None)
            office = find_office(ctx.session, province) if province else None
        return office.id if office else None
    if field == "indicator":
        indicator = ctx.session.scalars(select(Indicator).where(Indicator.code == text)).first()
        if indicator is None:
            parsed = parse(text)
            code = parsed.indicator or next((r.indicator for r in parsed.reports if r.indicator), None)
            return code
        return indicator.code
    if field == "respondents":
        return _count_of(text)
    if field and field.startswith("part:"):
        return _share_of(text)
    if field == "project":
        match = re.fullmatch(r"(?:โครงการ(?:ที่)?\s*)?(\d{1,2})\.?.*", text)
        if match:
            return int(match.group(1))
        found = next((r.project for r in parse(text).reports if r.project), None)
        return found
    parsed = parse(text, local_today(ctx.settings, ctx.now))
    if field == "period":
        if from_button and thai_format.is_period(text):
            return text
        return parsed.period or next((r.period for r in parsed.reports if r.period), None)
    if field == "value":
        return next((r.value for r in parsed.reports if r.value is not None), None)
    return None


def _share_of(text: str) -> float | None:
    """A share typed as an answer ("90", "ร้อยละ 90", "90%", "90.5 %"), None if the text is not one."""
    match = re.fullmatch(r"(?:ร้อยละ|ลงทะเบียน(?:แล้ว)?(?:ร้อยละ)?)?\s*([0-9]+(?:\.[0-9]+)?)\s*(?:%|เปอร์เซ็นต์)?\s*"
                         r"(?:ครับ|ค่ะ|คะ)?", text.strip())
    return float(match.group(1)) if match else None


def _count_of(text: str) -> int | None:
    """A head count typed as an answer ("120", "120 คน", "ผู้ตอบ 1,250 ราย"), None if the text is not one."""
    match = re.fullmatch(r"(?:ผู้ตอบ(?:แบบสอบถาม)?|จำนวน|n\s*=)?\s*([0-9][0-9,]*)\s*(?:คน|ราย|ท่าน|ชุด)?\s*(?:ครับ|ค่ะ|คะ)?",
                         text.strip().lower())
    if not match:
        parsed = parse(text)
        return next((r.respondents for r in parsed.reports if r.respondents), None)
    return int(match.group(1).replace(",", ""))
