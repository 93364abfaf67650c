"""Report values: the rules a figure must pass, storing it with its version history, and totals.

Used by the LINE conversation and by `import reports`, so both apply exactly the same rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, insert, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from handlers.domain import thai_format
from handlers.domain.bounds import MAX_AMOUNT, MAX_RESPONDENTS, figure_outside_bounds, outside_bounds
from handlers.domain.indicators import indicator_by_code, may_report, projects_of, window_of
from models import Indicator, Office, Project, ReportValue, ReportVersion, User

log = logging.getLogger(__name__)

@dataclass
class Draft:
    """One figure on its way to being stored; plain data so it can wait in the conversation state."""

    indicator: str
    value: float | None
    period: str | None
    office_id: int | None
    project: int | None = None
    respondents: int | None = None
    source_text: str | None = None
    score: list[float] | None = None  # a 5-point mean as written ([4.35, 5]), shown beside the percent it became
    numerator: float | None = None  # ratio KPIs: value = numerator ÷ denominator
    denominator: float | None = None
    parts: dict[str, float] | None = None  # a step-scored KPI's further figures (KPI-6: {"registered": 90})

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for the conversation state."""
        # (not dataclasses.asdict, which deep-copies field by field: several drafts are written per message)
        data = dict(self.__dict__)
        data["score"] = list(self.score) if self.score is not None else None
        data["parts"] = dict(self.parts) if self.parts is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """Back from the conversation state."""
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


# -- catalogue look-ups -----------------------------------------------------------------------------

# -- rules ------------------------------------------------------------------------------------------

def impossible_reason(session: Session, draft: Draft, today: date, *, historical: bool = False) -> str | None:
    """Why this figure can never be stored (Thai), or None. Nothing the user answers changes it.

    `historical` (the import command) accepts months before the plan window; LINE reports may not.
    """
    indicator = indicator_by_code(session, draft.indicator)
    if indicator is None:
        return f"ไม่พบตัวชี้วัด {draft.indicator} ในแผน"
    office = session.get(Office, draft.office_id) if draft.office_id else None
    if office is not None and not may_report(office, indicator):
        return f"{office.name_th} ไม่ได้เป็นผู้รายงานตัวชี้วัด {indicator.code} {indicator.title_th}"
    value = draft.value
    for reason in (outside_bounds(indicator.value_kind, value, indicator.unit),
                   figure_outside_bounds(draft.numerator, "มูลค่า (ตัวตั้ง) ", MAX_AMOUNT),
                   figure_outside_bounds(draft.denominator, "งบประมาณ (ตัวหาร) ", MAX_AMOUNT),
                   figure_outside_bounds(draft.respondents, "จำนวนผู้ตอบ", MAX_RESPONDENTS)):
        if reason:
            return reason
    signed = bool((indicator.details or {}).get("signed"))  # a growth rate (KPI-1) may be below zero
    if value is not None:
        if indicator.value_kind == "percent" and not (-100 if signed else 0) <= value <= 100:
            return (f"ค่าร้อยละต้องอยู่ระหว่าง {-100 if signed else 0} ถึง 100 (ได้รับ {thai_format.number(value)})")
        if indicator.value_kind in ("count", "ratio") and value <= 0:
            return "มูลค่าต้องมากกว่าศูนย์"
        # (an amount may be 0: a month with no sales is reported, and then counts as reported)
        if value < 0 and not signed:
            return "ค่าต้องไม่ติดลบ"
        reported = ((indicator.details or {}).get("steps") or {}).get("reported") or {}
        if "max" in reported and (value > reported["max"] or (reported.get("whole") and value != int(value))):
            return (f"{indicator.code} ให้คะแนนตามขั้นของเกณฑ์: รายงาน{reported.get('title_th', 'ขั้นที่ทำได้')} "
                    f"0–{reported['max']:g} (ได้รับ {thai_format.number(value)})")
    named = ((indicator.details or {}).get("steps") or {}).get("parts") or {}
    for key, figure in (draft.parts or {}).items():
        if key not in named:
            return f"{indicator.code} ไม่มีค่าประกอบ {key}"
        if not 0 <= figure <= 100:  # every part the plan files name is a share
            return (f"{named[key].get('title_th', key)} ต้องเป็นร้อยละระหว่าง 0 ถึง 100 "
                    f"(ได้รับ {thai_format.number(figure)})")
    if draft.denominator is not None and draft.denominator <= 0:
        return "งบประมาณ (ตัวหาร) ต้องมากกว่าศูนย์"
    if draft.numerator is not None and draft.numerator < 0:
        return "มูลค่า (ตัวตั้ง) ต้องไม่ติดลบ"
    if draft.respondents is not None and draft.respondents <= 0:
        return "จำนวนผู้ตอบต้องมากกว่าศูนย์"
    if draft.period is not None:
        if draft.period > thai_format.period_of(today):
            return f"เดือน {thai_format.month(draft.period)} ยังมาไม่ถึง รายงานได้เฉพาะเดือนที่ผ่านมาแล้ว"
        start, end = window_of(indicator)
        if not historical and not thai_format.period_of(start) <= draft.period <= thai_format.period_of(end):
            return (f"เดือน {thai_format.month(draft.period)} อยู่นอกช่วงแผน "
                    f"({thai_format.day(start)} – {thai_format.day(end)}) "
                    "ข้อมูลย้อนหลังนอกช่วงนี้ให้ผู้ดูแลระบบนำเข้าด้วยคำสั่ง import")
    if draft.project is not None:
        numbers = [p.number for p in projects_of(session, indicator)]
        if numbers and draft.project not in numbers:
            return f"ไม่มีโครงการที่ {draft.project} (มีโครงการที่ {numbers[0]}–{numbers[-1]})"
    return None


_LARGEST = select(func.max(ReportValue.value)).where(
    ReportValue.office_id == bindparam("office_id"), ReportValue.indicator_id == bindparam("indicator_id"),
    ReportValue.status == "active")  # built once: it runs for every report (issue 15)


def implausible_reason(session: Session, draft: Draft, factor: float) -> str | None:
    """Why this figure looks wrong enough to need a second confirmation (Thai), or None."""
    indicator = indicator_by_code(session, draft.indicator)
    if indicator is None or draft.value is None:
        return None
    ceiling = (indicator.details or {}).get("plausible_max")
    if ceiling is not None and draft.value > ceiling:
        return f"สูงกว่าเพดานที่ตั้งไว้ ({thai_format.value_with_unit(ceiling, indicator.unit)} ต่อรายการ)"
    if indicator.value_kind != "amount_mb" or draft.office_id is None:
        return None
    largest = session.scalar(_LARGEST, {"office_id": draft.office_id, "indicator_id": indicator.id})
    if largest and draft.value > factor * largest:
        return (f"มากกว่า {factor:g} เท่าของยอดสูงสุดที่สำนักงานเคยรายงาน "
                f"({thai_format.value_with_unit(largest, indicator.unit)})")
    return None


# -- storing ----------------------------------------------------------------------------------------

# Plain columns, statements built once: a report is stored for every confirmation, and building and tracking ORM
# objects for one row and its version cost more CPU than the SQL itself (bench/README.md, issue 15).
VALUES, VERSIONS = ReportValue.__table__, ReportVersion.__table__
# (coalesce(project_id, 0) as the unique index has it: the index's own expression, so the database can use it)
_KEY = and_(VALUES.c.office_id == bindparam("office_id"), VALUES.c.indicator_id == bindparam("indicator_id"),
            VALUES.c.period == bindparam("period"),
            func.coalesce(VALUES.c.project_id, literal_column("0")) == bindparam("project_key"))
_CURRENT = select(VALUES.c.id, VALUES.c.value, VALUES.c.respondents, VALUES.c.parts, VALUES.c.status,
                  VALUES.c.version).where(_KEY)
_CURRENT_LOCKED = _CURRENT.with_for_update()
# Insert-if-absent (no savepoint and IntegrityError to catch: one statement, not three): no id back means
# another request stored the same key a moment ago.
_INSERT_VALUE = {dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(VALUES).on_conflict_do_nothing().returning(
    VALUES.c.id) for dialect in (postgresql, sqlite)}
_INSERT_VERSION = insert(VERSIONS)


def _key(indicator: Indicator, project: Project | None, draft: Draft) -> dict[str, Any]:
    return {"office_id": draft.office_id, "indicator_id": indicator.id, "period": draft.period,
            "project_key": project.id if project else 0}


def _project(session: Session, indicator: Indicator, number: int | None) -> Project | None:
    if number is None or indicator.goal_id is None:
        return None
    return next((p for p in projects_of(session, indicator) if p.number == number), None)


def existing(session: Session, draft: Draft) -> Row[Any] | None:
    """The stored value with the same office, indicator, project and month, if any (void ones too): its id,
    value, respondents, parts, status and version."""
    indicator = indicator_by_code(session, draft.indicator)
    if indicator is None:
        return None
    project = _project(session, indicator, draft.project)
    return session.execute(_CURRENT, _key(indicator, project, draft)).first()


@dataclass(frozen=True)
class Stored:
    """What store() did: the stored row's id and value after it."""

    report_id: int
    value: float
    action: str  # create | replace | add | unchanged


def store(session: Session, draft: Draft, user: User | None, *, mode: str, now: datetime,
          source_message: str | None, source_event_id: str | None, _retry: bool = True) -> Stored:
    """Store a checked draft. mode: new | replace | add. Every change gets a version row; none is deleted."""
    indicator = indicator_by_code(session, draft.indicator)
    if indicator is None or draft.value is None or draft.period is None or draft.office_id is None:
        raise ValueError("store() needs a complete draft")
    if outside_bounds(indicator.value_kind, draft.value, indicator.unit):
        raise ValueError("store() got a value outside its bounds")  # every caller checks impossible_reason first
    project = _project(session, indicator, draft.project)
    current = session.execute(_CURRENT_LOCKED, _key(indicator, project, draft)).first()
    user_id = user.id if user else None
    version = {"changed_by_id": user_id, "changed_at": now, "source_message": source_message,
               "source_event_id": source_event_id}
    if current is None:
        report_id = session.execute(_INSERT_VALUE[session.get_bind().dialect.name], {
            "office_id": draft.office_id, "indicator_id": indicator.id, "project_id": project.id if project else None,
            "period": draft.period, "value": draft.value, "respondents": draft.respondents,
            "numerator": draft.numerator, "denominator": draft.denominator, "parts": draft.parts, "status": "active",
            "version": 1, "reported_by_id": user_id, "reported_at": now}).scalar()
        if report_id is None:
            # Another request stored the same key a moment ago: treat it as the existing value (once: a second
            # conflict is no race, and goes up).
            if not _retry:
                raise ValueError("store() found its key taken twice")
            return store(session, draft, user, mode=mode, now=now, source_message=source_message,
                         source_event_id=source_event_id, _retry=False)
        session.execute(_INSERT_VERSION, {**version, "report_id": report_id, "version": 1, "action": "create",
                                          "old_value": None, "new_value": draft.value, "old_respondents": None,
                                          "new_respondents": draft.respondents})
        return Stored(report_id, draft.value, "create")
    if current.status == "void":
        action, new_value, new_respondents = "create", draft.value, draft.respondents
    elif mode == "add":
        action = "add"
        new_value = current.value + draft.value
        new_respondents = (current.respondents or 0) + (draft.respondents or 0) or None
        if outside_bounds(indicator.value_kind, new_value, indicator.unit):
            raise ValueError("store() got a sum outside its bounds")  # the conversation refuses it first
    elif (current.value == draft.value and current.respondents == (draft.respondents or current.respondents)
          and (draft.parts or None) == (current.parts or None)):
        return Stored(current.id, current.value, "unchanged")
    elif mode == "replace":
        action, new_value, new_respondents = "replace", draft.value, draft.respondents
    else:
        raise ValueError("a different value for an existing report needs mode replace or add")
    old_value, old_respondents = (None, None) if current.status == "void" else (current.value, current.respondents)
    changes: dict[str, Any] = {"value": new_value, "respondents": new_respondents, "status": "active",
                               "version": current.version + 1, "reported_by_id": user_id, "reported_at": now}
    if action != "add":
        changes.update(numerator=draft.numerator, denominator=draft.denominator, parts=draft.parts)
    session.execute(update(VALUES).where(VALUES.c.id == current.id).values(changes))
    session.execute(_INSERT_VERSION, {**version, "report_id": current.id, "version": current.version + 1,
                                      "action": action, "old_value": old_value, "new_value": new_value,
                                      "old_respondents": old_respondents, "new_respondents": new_respondents})
    _forget(session, current.id)
    return Stored(current.id, new_value, action)


def _forget(session: Session, report_id: int) -> None:
    """Expire the session's copy of a row store() changed with a plain statement, if it holds one."""
    instance = session.identity_map.get(identity_key(ReportValue, report_id))
    if instance is not None:
        session.expire(instance)


def void(session: Session, report: ReportValue, user: User | None, now: datetime, source_message: str | None,
         source_event_id: str | None) -> None:
    """Exclude a value from totals; it stays in the history."""
    report.status = "void"
    report.version += 1
    _version(session, report, "void", report.value, None, report.respondents, None, user.id if user else None, now,
             source_message, source_event_id)


def _version(session: Session, report: ReportValue, action: str, old: float | None, new: float | None,
             old_respondents: int | None, new_respondents: int | None, user_id: int | None, now: datetime,
             source_message: str | None, source_event_id: str | None) -> None:
    session.add(ReportVersion(report=report, version=report.version, action=action, old_value=old, new_value=new,
                              old_respondents=old_respondents, new_respondents=new_respondents,
                              changed_by_id=user_id, changed_at=now, source_message=source_message,
                              source_event_id=source_event_id))
    session.flush()
