"""One indicator's figure split by province, project and month, and who has reported a month.

Each split reads the same rows as the national figure (figures.filters_for) and combines them the same way
(figures.value_expr), so the rows of a card add up to its headline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.domain import thai_format
from handlers.domain.figures import reported_office_ids, value_expr
from handlers.domain.indicators import projects_of
from models import Indicator, Office, Project, ReportValue

# (the office's value, its own allocated target) → its status against that target
Judge = Callable[[float | None, float], str]


def by_province(session: Session, indicator: Indicator, filters: list[Any], targets: dict[int, float] | None = None,
                judge: Judge | None = None) -> list[dict[str, Any]]:
    """Every provincial office with its figure, national rank and rank within its region; an office with an
    allocated target (`targets import`) also gets its percent and status against that target."""
    values = dict(session.execute(select(ReportValue.office_id, value_expr(indicator)).where(*filters)
                                  .group_by(ReportValue.office_id)).all())
    offices = session.scalars(select(Office).where(Office.kind == "provincial")).all()
    rows = []
    for o in offices:
        row: dict[str, Any] = {"province": o.province_th, "region": o.region, "value": values.get(o.id)}
        own = (targets or {}).get(o.id)
        if own is not None:
            row["target"] = own
            row["percent"] = 100 * (row["value"] or 0) / own if own else None
            row["status"] = judge(row["value"], own) if judge else None
        rows.append(row)
    # Reported offices first, largest figure first; ties and silent offices in Thai dictionary order.
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0), thai_format.sort_key(r["province"] or "")))
    reported = [r for r in rows if r["value"] is not None]
    for row in rows:
        if row["value"] is None:
            row["rank"] = row["region_rank"] = None  # an office that has not reported is not ranked
            continue
        # ties share a rank (five offices at 77.35 are all 1st); the next rank counts everyone above
        row["rank"] = 1 + sum(1 for other in reported if other["value"] > row["value"])
        row["region_rank"] = 1 + sum(1 for other in reported
                                     if other["region"] == row["region"] and other["value"] > row["value"])
    return rows


def by_project(session: Session, indicator: Indicator, filters: list[Any]) -> list[dict[str, Any]]:
    """The indicator's projects with their figure and value per baht of budget (where the seed gives one)."""
    projects = projects_of(session, indicator)
    if not projects:
        return []
    values = dict(session.execute(select(ReportValue.project_id, func.sum(ReportValue.value)).where(*filters)
                                  .group_by(ReportValue.project_id)).all())
    rows = []
    for project in projects:
        value = values.get(project.id)
        budget = _budget(project)
        rows.append({"project": project.number, "title_th": project.title_th, "value": value, "budget_mb": budget,
                     "value_per_budget": (value / budget) if value is not None and budget else None})
    return rows


def _budget(project: Project) -> float | None:
    budgets = project.budget_mb or {}
    return budgets.get("2567") or None


def by_month(session: Session, indicator: Indicator, filters: list[Any]) -> list[dict[str, Any]]:
    """The figure of each window month, with the running total for sum indicators."""
    rows = session.execute(select(ReportValue.period, value_expr(indicator)).where(*filters)
                           .group_by(ReportValue.period).order_by(ReportValue.period)).all()
    running, out = 0.0, []
    for period, value in rows:
        running += value or 0
        item: dict[str, Any] = {"period": period, "value": value}
        if indicator.aggregation == "sum":
            item["cumulative"] = running
        out.append(item)
    return out


def completeness(session: Session, indicator: Indicator, period: str) -> tuple[list[str], list[str]]:
    """Provincial offices that have and have not reported this indicator for the month."""
    if indicator.reported_by != "provincial":
        return [], []
    reported_ids = reported_office_ids(session, indicator, period)
    offices = sorted(session.scalars(select(Office).where(Office.kind == "provincial")).all(),
                     key=lambda o: thai_format.sort_key(o.province_th or ""))
    reported = [o.province_th for o in offices if o.id in reported_ids]
    missing = [o.province_th for o in offices if o.id not in reported_ids]
    return reported, missing  # type: ignore[return-value]
