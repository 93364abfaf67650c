"""The catalogue's indicators as the rules and cards need them: windows, targets, projects, names, who reports.

What makes an indicator special is data in the plan files (handlers/domain/data), never its code: `by_project`
(reported per project of its goal), `headline` (the one a progress question means when it names none),
`short_th` (a short name for chips and cards) and `report_word_th` (the word officers start a report with).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain import catalogue_cache, thai_format
from models import Goal, Indicator, Office, Plan, Project, Target


def indicator_by_code(session: Session, code: str) -> Indicator | None:
    """An indicator of either plan by its code (looked up once per session: one event asks many times)."""
    cache: dict[str, Indicator | None] = session.info.setdefault("indicators_by_code", {})
    if code not in cache:
        shared = catalogue_cache.of(session)
        cache[code] = (shared.indicator(session, code) if shared is not None
                       else session.scalars(select(Indicator).where(Indicator.code == code)).first())
    return cache[code]


def target_of(indicator: Indicator) -> Target | None:
    """The plan's own target (round 0); None for DITP KPIs, which have criteria per round."""
    return next((t for t in indicator.targets if t.round == 0), None)


def window_of(indicator: Indicator) -> tuple[date, date]:
    """The months a figure of this indicator may belong to."""
    target = target_of(indicator)
    if target is not None:
        return target.window_start, target.window_end
    return indicator.plan.window_start, indicator.plan.window_end


def periods_in_window(indicator: Indicator) -> list[str]:
    """Every YYYY-MM of the indicator's window, in order."""
    start, end = window_of(indicator)
    return thai_format.months_from(thai_format.period_of(start), thai_format.period_of(end))


def projects_of(session: Session, indicator: Indicator) -> list[Project]:
    """The projects a figure of this indicator is reported against (its goal's, e.g. the 8 of 2.1), else []."""
    if not by_project(indicator) or indicator.goal_id is None:
        return []
    cache: dict[int, list[Project]] = session.info.setdefault("projects_by_goal", {})
    if indicator.goal_id not in cache:
        shared = catalogue_cache.of(session)
        cache[indicator.goal_id] = (shared.projects(session, indicator.goal_id) if shared is not None else list(
            session.scalars(select(Project).where(Project.goal_id == indicator.goal_id).order_by(Project.number))))
    return cache[indicator.goal_id]


def projects_for_office(session: Session, indicator: Indicator, office: Office) -> list[Project]:
    """Every project an office may report, its own area's first (an office may report any project: the region
    mapping in the plan file is a reading of the project names, not a rule of the plan)."""
    projects = projects_of(session, indicator)
    return sorted(projects, key=lambda p: (not in_usual_area(p, office), p.number))


def in_usual_area(project: Project, office: Office) -> bool:
    """True when the plan file's `applies_to` (region codes, province names, or all) covers the office."""
    scope = project.applies_to or []
    return "all" in scope or (office.region or "") in scope or (office.province_th or "") in scope


def usual_area_th(project: Project) -> str:
    """The project's usual area in Thai ("ภาคตะวันออกเฉียงเหนือ, ภาคตะวันออก")."""
    from handlers.domain import plan_files

    regions = {r["code"]: r["name_th"] for r in plan_files.read(plan_files.OFFICES_FILE)["regions"]}
    return ", ".join(regions.get(code, f"จังหวัด{code}") for code in project.applies_to or [])


def may_report(office: Office, indicator: Indicator) -> bool:
    """The catalogue's responsible units decide who reports what."""
    if office.kind == "provincial":
        return indicator.reported_by == "provincial"
    return office.code in (indicator.responsible_units or [])


def goal_code(session: Session, indicator: Indicator) -> str | None:
    """The goal an indicator belongs to, e.g. 2.1."""
    goal = session.get(Goal, indicator.goal_id) if indicator.goal_id else None
    return goal.code if goal else None


def by_project(indicator: Indicator) -> bool:
    """True when a figure of this indicator is reported against one of its goal's projects (2.1.1)."""
    return bool((indicator.details or {}).get("by_project"))


def short_name(indicator: Indicator, default: str | None = None) -> str:
    """A short Thai name for chips and card lines (else `default`, else the full title)."""
    return (indicator.details or {}).get("short_th") or default or indicator.title_th


def report_word(indicator: Indicator) -> str:
    """The word an officer starts a report of this indicator with (ยอดขาย), for reminder chips."""
    return (indicator.details or {}).get("report_word_th") or short_name(indicator)


def headline(session: Session) -> Indicator | None:
    """The indicator a progress question means when it names none (2.1.1)."""
    indicators = session.scalars(select(Indicator).order_by(Indicator.plan_id, Indicator.position)).all()
    return next((i for i in indicators if (i.details or {}).get("headline")), indicators[0] if indicators else None)


def provincial_indicators(session: Session) -> list[Indicator]:
    """The action plan's indicators the provincial offices report, in plan order (2.1.1, 2.2.1)."""
    return list(session.scalars(select(Indicator).join(Plan).where(
        Plan.kind == "action_plan", Indicator.reported_by == "provincial").order_by(Indicator.position)))
