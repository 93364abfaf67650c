"""When reports are due (data/reporting.yaml): the one calendar the progress engine and the reminders use.

A month of 2.1.1 and 2.2.1 is due on the 5th of the next month; the other indicators have their own due dates
(`deadlines`: the DITP rounds, KPI-5's monthly 15th, October for KPIs 7-8, fiscal-year end for the OPS central
indicators), each owed by the indicator's responsible units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain import plan_files, thai_format
from handlers.domain.indicators import indicator_by_code, periods_in_window
from handlers.domain.workdays import next_working_day
from models import Indicator, Office, ReportValue

_FILE = "reporting.yaml"


@cache
def due_day() -> int:
    """The day of the next month a month's reports are due on (before moving to a working day)."""
    return int(plan_files.read(_FILE)["due_day"])


def due_date(period: str) -> date:
    """The working day a month's reports are due: January's on 5 Feb 2024 (a Monday).

    >>> due_date("2023-11")  # 5 Dec is a public holiday
    datetime.date(2023, 12, 6)
    """
    year, month = (int(x) for x in thai_format.shift_period(period, 1).split("-"))
    return next_working_day(date(year, month, due_day()))


def months_due(periods: list[str], as_of: date) -> list[str]:
    """The window months whose reports are due by `as_of` (the deadline day itself included)."""
    return [p for p in periods if due_date(p) <= as_of]


@dataclass(frozen=True)
class Deadline:
    """One due date of an indicator group without a monthly rhythm (data/reporting.yaml `deadlines`)."""

    key: str  # unique per due date: "ditp-round-1", "kpi5-monthly:2024-01"
    name_th: str
    indicators: tuple[str, ...]
    due: date
    first: str  # the months a report must be for to count (YYYY-MM, inclusive)
    last: str


def other_deadlines(session: Session) -> list[Deadline]:
    """Every due date of the file's `deadlines`, worked out from the catalogue (rounds, windows)."""
    out: list[Deadline] = []
    for rule in plan_files.read(_FILE).get("deadlines") or []:
        codes = tuple(str(c) for c in rule["indicators"])
        known = [i for c in codes if (i := indicator_by_code(session, c)) is not None]
        if not known:
            continue
        first, last = _counted(rule["counts"], known[0])
        due = rule["due"]
        if "monthly" in due:
            for period in thai_format.months_from(first, last):
                year, month = (int(x) for x in thai_format.shift_period(period, 1).split("-"))
                out.append(Deadline(f"{rule['key']}:{period}", f"{rule['name_th']} {thai_format.month(period)}",
                                    codes, next_working_day(date(year, month, int(due["monthly"]))), period, period))
            continue
        # round_end / window_end: the last counted month is due like a month
        when = next_working_day(date.fromisoformat(str(due["date"]))) if "date" in due else due_date(last)
        out.append(Deadline(rule["key"], rule["name_th"], codes, when, first, last))
    return out


def _counted(counts: dict[str, Any], indicator: Indicator) -> tuple[str, str]:
    if "round" in counts:
        rounds = sorted((indicator.plan.details or {}).get("rounds", []), key=lambda r: r["number"])
        wanted = next(r for r in rounds if r["number"] == counts["round"])
        earlier = [r for r in rounds if r["number"] < wanted["number"]]
        # a round counts the months after the round before it (as the scoring does: handlers/domain/kpi_score.py)
        first = thai_format.shift_period(earlier[-1]["end"][:7], 1) if earlier else wanted["start"][:7]
        return first, wanted["end"][:7]
    if counts.get("window"):
        periods = periods_in_window(indicator)
        return periods[0], periods[-1]
    return str(counts["from"]), str(counts["to"])


def units_missing(session: Session, deadline: Deadline) -> dict[int, list[Indicator]]:
    """Responsible unit (office id) → the deadline's indicators it has no counted report of."""
    offices = {o.code: o.id for o in session.scalars(select(Office).where(Office.kind == "central"))}
    missing: dict[int, list[Indicator]] = {}
    for code in deadline.indicators:
        indicator = indicator_by_code(session, code)
        if indicator is None:
            continue
        reported = set(session.scalars(select(ReportValue.office_id).where(
            ReportValue.indicator_id == indicator.id, ReportValue.status == "active",
            ReportValue.period >= deadline.first, ReportValue.period <= deadline.last)))
        for unit in indicator.responsible_units or []:
            if unit in offices and offices[unit] not in reported:
                missing.setdefault(offices[unit], []).append(indicator)
    return missing
