"""Export current report values to CSV/XLSX, and import them back (all rows or none)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.indicators import by_project, indicator_by_code
from handlers.domain.offices import find_office
from handlers.domain.reports import Draft, existing, impossible_reason, store
from models import Indicator, Office, Project, ReportValue, User

COLUMNS = ("office", "province", "indicator", "project", "period", "value", "unit", "respondents",
           "reported_by", "reported_at", "version", "numerator", "denominator", "parts")
REQUIRED = ("province", "indicator", "project", "period", "value", "unit")
UNIT_FACTORS = {("ล้านบาท", "ล้านบาท"): 1.0, ("ล้านบาท", "บาท"): 1e-6}


def export_rows(session: Session, period_from: str | None = None, period_to: str | None = None
                ) -> Iterator[dict[str, Any]]:
    """Every current (non-void) value, one dict per row, in a stable order."""
    query = (select(ReportValue, Office, Indicator).join(Office, ReportValue.office_id == Office.id)
             .join(Indicator, ReportValue.indicator_id == Indicator.id).where(ReportValue.status == "active")
             .order_by(ReportValue.period, Office.code, Indicator.code, ReportValue.project_id))
    if period_from:
        query = query.where(ReportValue.period >= period_from)
    if period_to:
        query = query.where(ReportValue.period <= period_to)
    for report, office, indicator in session.execute(query):
        user = session.get(User, report.reported_by_id) if report.reported_by_id else None
        yield {
            "office": office.name_th, "province": office.province_th or office.code, "indicator": indicator.code,
            "project": report.project.number if report.project else "", "period": report.period,
            "value": _plain(report.value), "unit": indicator.unit,
            "respondents": report.respondents if report.respondents is not None else "",
            "reported_by": user.line_user_id if user else "", "reported_at": report.reported_at.isoformat(),
            "version": report.version,
            # Ratio KPIs (trade value ÷ budget) keep both figures, in million baht.
            "numerator": _plain(report.numerator) if report.numerator is not None else "",
            "denominator": _plain(report.denominator) if report.denominator is not None else "",
            # a step-scored KPI's further figures, "registered=90" (the plan file's part keys)
            "parts": ";".join(f"{k}={_plain(v)}" for k, v in sorted((report.parts or {}).items())),
        }


def _plain(value: float) -> str:
    # Fixed-point text: a spreadsheet must not receive 2.5e-06.
    return f"{value:.6f}".rstrip("0").rstrip(".")


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write rows as UTF-8 CSV with a header; returns the row count."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write rows to an Excel workbook; returns the row count."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "reports"
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
        count += 1
    book.save(path)
    return count


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with errors, why it did nothing)."""

    errors: list[str]
    created: int = 0
    replaced: int = 0
    unchanged: int = 0


def import_csv(session: Session, text: str, source: str, today: date, now: datetime) -> ImportResult:
    """Validate every row with the conversation's rules; store all of them only if none fails."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult([f"header: missing column(s) {', '.join(missing)}"])
    drafts: list[tuple[int, Draft]] = []
    errors: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in enumerate(reader, start=2):
        draft, error = _draft_from_row(session, row, today)
        if error:
            errors.append(f"row {line}: {error}")
            continue
        assert draft is not None
        key = (draft.office_id, draft.indicator, draft.project, draft.period)
        if key in seen:
            errors.append(f"row {line}: same office, indicator, project and month as row {seen[key]}")
            continue
        seen[key] = line
        drafts.append((line, draft))
    if errors:
        return ImportResult(errors)
    counts = {"create": 0, "replace": 0, "unchanged": 0}
    for line, draft in drafts:
        current = existing(session, draft)
        mode = "replace" if current is not None else "new"
        stored = store(session, draft, None, mode=mode, now=now, source_message=f"import {source} row {line}",
                       source_event_id=None)
        counts[stored.action if stored.action in counts else "replace"] += 1
    return ImportResult([], counts["create"], counts["replace"], counts["unchanged"])


def _draft_from_row(session: Session, row: dict[str, str | None], today: date) -> tuple[Draft | None, str | None]:
    cell = {k: (v or "").strip() for k, v in row.items() if k}
    # A ratio KPI may give its two figures instead of the quotient.
    needed = ("province", "indicator", "period", "unit") + (() if cell.get("numerator") else ("value",))
    for column in needed:
        if not cell.get(column):
            return None, f"{column} is empty"
    office = find_office(session, cell["province"])
    if office is None:
        return None, f"unknown province {cell['province']!r}"
    indicator = indicator_by_code(session, cell["indicator"])
    if indicator is None:
        return None, f"unknown indicator {cell['indicator']!r}"
    if not thai_format.is_period(cell["period"]):
        return None, f"period {cell['period']!r} is not YYYY-MM"
    try:
        value = float(cell["value"].replace(",", "")) if cell.get("value") else 0.0
    except ValueError:
        return None, f"value {cell['value']!r} is not a number"
    if not math.isfinite(value):  # float() reads inf, nan and 1e400; none is a figure
        return None, f"value {cell['value']!r} is not a finite number"
    factor = 1.0 if cell["unit"] == indicator.unit else UNIT_FACTORS.get((indicator.unit, cell["unit"]))
    if factor is None:
        return None, f"unit {cell['unit']!r} does not fit indicator {indicator.code} ({indicator.unit})"
    project = None
    if cell.get("project"):
        if not cell["project"].isdigit():
            return None, f"project {cell['project']!r} is not a number"
        project = int(cell["project"])
        known = session.scalars(select(Project.number).where(Project.goal_id == indicator.goal_id)).all()
        if not by_project(indicator) or project not in known:
            return None, f"indicator {indicator.code} has no project {project}"
    elif by_project(indicator):
        known = session.scalars(select(Project.number).where(Project.goal_id == indicator.goal_id)).all()
        return None, (f"project is empty ({indicator.code} is reported per project "
                      f"{min(known, default=1)}–{max(known, default=1)})")
    respondents = None
    if cell.get("respondents"):
        if not cell["respondents"].lstrip("-").isdigit():
            return None, f"respondents {cell['respondents']!r} is not a whole number"
        respondents = int(cell["respondents"])
    elif indicator.aggregation == "weighted_mean":
        # the figure is weighted by respondents: a row without a count would be in no figure at all
        return None, f"respondents is empty ({indicator.code} is weighted by the number who answered)"
    figures, error = _ratio_figures(cell)
    if error:
        return None, error
    numerator, denominator = figures
    parts, error = _parts(cell.get("parts") or "")
    if error:
        return None, error
    if (numerator is None) != (denominator is None):
        return None, "numerator and denominator go together (a ratio KPI's two figures)"
    if numerator is not None and denominator:
        value, factor = numerator / denominator, 1.0
    draft = Draft(indicator=indicator.code, value=value * factor, period=cell["period"], office_id=office.id,
                  project=project, respondents=respondents, numerator=numerator, denominator=denominator,
                  parts=parts)
    reason = impossible_reason(session, draft, today, historical=True)
    return (None, reason) if reason else (draft, None)


def _parts(text: str) -> tuple[dict[str, float] | None, str | None]:
    """"registered=90;other=1" → {"registered": 90.0, "other": 1.0}; (None, why) when it cannot be read."""
    if not text.strip():
        return None, None
    parts: dict[str, float] = {}
    for item in text.split(";"):
        key, _, figure = item.partition("=")
        try:
            parts[key.strip()] = float(figure.replace(",", ""))
        except ValueError:
            return None, f"parts {text!r} is not key=number[;key=number]"
        if not math.isfinite(parts[key.strip()]):
            return None, f"parts {text!r} is not key=number[;key=number]"
    return parts, None


def _ratio_figures(cell: dict[str, str]) -> tuple[tuple[float | None, float | None], str | None]:
    """A ratio KPI's numerator and denominator columns (either may be empty), or why they cannot be read."""
    figures: list[float | None] = []
    for column in ("numerator", "denominator"):
        if not cell.get(column):
            figures.append(None)
            continue
        try:
            figures.append(float(cell[column].replace(",", "")))
        except ValueError:
            return (None, None), f"{column} {cell[column]!r} is not a number"
        if not math.isfinite(figures[-1] or 0.0):
            return (None, None), f"{column} {cell[column]!r} is not a finite number"
    return (figures[0], figures[1]), None
