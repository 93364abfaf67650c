"""Targets the seed does not give: an office's own share of a national target, and a DITP round's inputs.

The plans give national targets only (835 ล้านบาท for 2.1.1; 90% for 2.2.1), so without an allocation a province
has no target of its own and its card carries no status. An administrator loads allocations from a sheet
(`python -m bot targets import FILE`: office, indicator, target[, round]); the import stores every row or none.
A DITP KPI whose criteria need a figure the template never states (KPI-4 round 1: the 2567 target count of SMEs)
declares it under `inputs` in the plan file, and the same import carries it as a row with its round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.indicators import indicator_by_code, may_report, target_of
from handlers.domain.offices import find_office
from models import Allocation, Indicator, Office

REQUIRED = ("office", "indicator", "target")


def allocation_of(session: Session, office: Office, indicator: Indicator, round_number: int = 0) -> float | None:
    """The office's allocated target for the indicator (or a round's input), None when none was loaded."""
    return session.scalar(select(Allocation.value).where(
        Allocation.office_id == office.id, Allocation.indicator_id == indicator.id, Allocation.round == round_number))


def allocations_of(session: Session, indicator: Indicator) -> dict[int, float]:
    """office id → allocated target (round 0) for one indicator."""
    return dict(session.execute(select(Allocation.office_id, Allocation.value).where(
        Allocation.indicator_id == indicator.id, Allocation.round == 0)).all())


def round_input(session: Session, indicator: Indicator, round_number: int) -> float | None:
    """A DITP KPI's declared input for a round (whichever responsible unit loaded it), None when not loaded."""
    return session.scalar(select(Allocation.value).where(
        Allocation.indicator_id == indicator.id, Allocation.round == round_number))


def input_spec(indicator: Indicator, round_number: int) -> dict[str, Any] | None:
    """What the plan file says a round's input is (title, unit), None when the round needs none."""
    return ((indicator.details or {}).get("inputs") or {}).get(f"round{round_number}")


@dataclass(frozen=True)
class TargetsResult:
    """What an import did (or, with errors, why it did nothing)."""

    errors: list[str]
    created: int = 0
    replaced: int = 0
    unchanged: int = 0


def import_targets(session: Session, header: list[str], rows: list[tuple[int, dict[str, str]]], source: str,
                   now: datetime) -> TargetsResult:
    """Check every row; store all of them (new or replacing the office's earlier figure) only if none fails."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return TargetsResult([f"header: missing column(s) {', '.join(missing)} (expected office, indicator, target"
                              "[, round])"])
    checked: list[tuple[Office, Indicator, int, float]] = []
    errors: list[str] = []
    seen: dict[tuple[int, int, int], int] = {}
    for line, cells in rows:
        item, error = _checked(session, cells)
        if error:
            errors.append(f"row {line}: {error}")
            continue
        assert item is not None
        key = (item[0].id, item[1].id, item[2])
        if key in seen:
            errors.append(f"row {line}: same office, indicator and round as row {seen[key]}")
            continue
        seen[key] = line
        checked.append(item)
    if errors or not checked:
        return TargetsResult(errors or ["no rows to import"])
    counts = {"created": 0, "replaced": 0, "unchanged": 0}
    for office, indicator, round_number, value in checked:
        row = session.scalars(select(Allocation).where(
            Allocation.office_id == office.id, Allocation.indicator_id == indicator.id,
            Allocation.round == round_number)).first()
        if row is None:
            session.add(Allocation(office_id=office.id, indicator_id=indicator.id, round=round_number, value=value,
                                   source=source[:200], imported_at=now))
            counts["created"] += 1
        elif row.value == value:
            counts["unchanged"] += 1
        else:
            row.value, row.source, row.imported_at = value, source[:200], now
            counts["replaced"] += 1
    session.flush()
    return TargetsResult([], **counts)


def _checked(session: Session, cells: dict[str, str]) -> tuple[tuple[Office, Indicator, int, float] | None, str]:
    for column in REQUIRED:
        if not cells.get(column):
            return None, f"{column} is empty"
    office = find_office(session, cells["office"])
    if office is None:
        return None, f"unknown office {cells['office']!r}"
    indicator = indicator_by_code(session, cells["indicator"])
    if indicator is None:
        return None, f"unknown indicator {cells['indicator']!r}"
    if not may_report(office, indicator):
        return None, f"{office.name_th} does not report {indicator.code}"
    round_text = cells.get("round") or "0"
    if not round_text.isdigit():
        return None, f"round {round_text!r} is not a whole number"
    round_number = int(round_text)
    try:
        value = float(cells["target"].replace(",", ""))
    except ValueError:
        return None, f"target {cells['target']!r} is not a number"
    if not math.isfinite(value) or value <= 0:
        return None, f"target {cells['target']!r} must be a number above 0"
    if round_number:
        spec = input_spec(indicator, round_number)
        if spec is None:
            return None, f"{indicator.code} takes no input for round {round_number}"
        return (office, indicator, round_number, value), ""
    return _checked_target(office, indicator, value)


def _checked_target(office: Office, indicator: Indicator, value: float
                    ) -> tuple[tuple[Office, Indicator, int, float] | None, str]:
    national = target_of(indicator)
    if national is None or national.value is None:
        return None, (f"{indicator.code} has no plan target to allocate"
                      + (" (give a round for a KPI's input)" if indicator.plan.kind == "kpi_template" else ""))
    if office.kind != "provincial":
        return None, f"{indicator.code} is allocated to provincial offices, not {office.name_th}"
    if indicator.aggregation == "sum" and value > national.value:
        return None, f"target {value:g} is above the national target {national.value:g} {indicator.unit}"
    if indicator.unit == "ร้อยละ" and value > 100:
        return None, f"target {value:g} is above 100 ร้อยละ"
    return (office, indicator, 0, value), ""


def summary_lines(session: Session) -> list[str]:
    """`targets show`: per indicator, each office's target (Thai dictionary order) and the sum against the
    national target; then each round input with the unit that loaded it."""
    rows = session.execute(select(Allocation, Office, Indicator).join(Office, Allocation.office_id == Office.id)
                           .join(Indicator, Allocation.indicator_id == Indicator.id)
                           .order_by(Indicator.plan_id, Indicator.position, Allocation.round)).all()
    lines: list[str] = []
    by_indicator: dict[str, list[tuple[Allocation, Office, Indicator]]] = {}
    for row in rows:
        by_indicator.setdefault(row[2].code, []).append(tuple(row))  # type: ignore[arg-type]
    for code, items in by_indicator.items():
        indicator = items[0][2]
        targets = sorted(((a, o) for a, o, _ in items if a.round == 0),
                         key=lambda pair: thai_format.sort_key(pair[1].name_th))
        if targets:
            national = target_of(indicator)
            total = sum(a.value for a, _ in targets)
            lines.append(f"{code} {indicator.title_th} — {len(targets)} office(s)")
            lines += [f"  {o.name_th}: {thai_format.value_with_unit(a.value, indicator.unit)} ({a.source})"
                      for a, o in targets]
            if indicator.aggregation == "sum" and national is not None and national.value is not None:
                lines.append(f"  sum {thai_format.value_with_unit(total, indicator.unit)} of the national "
                             f"{thai_format.value_with_unit(national.value, indicator.unit)}")
        for a, o, _ in items:
            if a.round:
                spec = input_spec(indicator, a.round) or {}
                lines.append(f"{code} round {a.round} input: {spec.get('title_th', '')} = {a.value:g} "
                             f"{spec.get('unit', '')} ({o.name_th}, {a.source})")
    return lines
