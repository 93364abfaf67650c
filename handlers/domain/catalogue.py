"""Load the plan catalogue (handlers/domain/data/*.yaml) into the database, idempotently, and read it back."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.domain.plan_files import OFFICES_FILE, PLAN_FILES
from handlers.domain.plan_files import read as read_plan_file
from models import Goal, Indicator, Office, Plan, Project, Target

log = logging.getLogger(__name__)

# "สพจ." in a responsible-units list means the 76 provincial offices, not one central unit.
PROVINCIAL_UNIT = "สพจ."
# The bot's own keys on an indicator (handlers/domain/indicators.py reads them from Indicator.details).
INDICATOR_FLAGS = ("by_project", "headline", "short_th", "report_word_th")


@dataclass
class LoadReport:
    """How many rows a load created and changed."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, created: bool) -> None:
        """Tally one created or updated row."""
        bucket = self.created if created else self.updated
        bucket[table] = bucket.get(table, 0) + 1

    def summary(self) -> str:
        """One line for the CLI."""
        made = ", ".join(f"{k} {v}" for k, v in sorted(self.created.items())) or "none"
        changed = ", ".join(f"{k} {v}" for k, v in sorted(self.updated.items())) or "none"
        return f"created: {made}; updated: {changed}"


def _upsert(session: Session, report: LoadReport, model: type, key: dict[str, Any], values: dict[str, Any]) -> Any:
    row = session.scalars(select(model).filter_by(**key)).first()
    created = row is None
    if created:
        row = model(**key)
        session.add(row)
    changed = created
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        report.count(model.__tablename__, created)
    session.flush()
    return row


def load_catalogue(session: Session) -> LoadReport:
    """Insert or update offices, plans, goals, indicators, targets and projects from the data files."""
    report = LoadReport()
    _load_offices(session, report)
    for name in PLAN_FILES:
        _load_plan(session, report, read_plan_file(name))
    _load_central_units(session, report)
    return report


def _load_offices(session: Session, report: LoadReport) -> None:
    for item in read_plan_file(OFFICES_FILE)["offices"]:
        _upsert(session, report, Office, {"code": item["code"]}, {
            "kind": "provincial", "name_th": item["name_th"], "province_th": item["province_th"],
            "province_en": item["province_en"], "region": item["region"], "aliases": list(item.get("aliases_th") or []),
        })


def responsible_units(plan_data: dict[str, Any]) -> list[str]:
    """Every central unit named as responsible for an indicator or project of a plan, in order."""
    units: list[str] = []
    for indicator in _plan_indicators(plan_data):
        units.extend(indicator.get("responsible_units") or [])
    for goal in _plan_goals(plan_data):
        for project in goal.get("projects") or []:
            units.extend(project.get("responsible_units") or [])
    if plan_data.get("kind") == "kpi_template" and plan_data.get("owner_abbr"):
        units.append(plan_data["owner_abbr"])
    return [u for u in dict.fromkeys(units) if u != PROVINCIAL_UNIT]


def _load_central_units(session: Session, report: LoadReport) -> None:
    names = {read_plan_file(n).get("owner_abbr"): read_plan_file(n).get("owner_th") for n in PLAN_FILES}
    for name in PLAN_FILES:
        for unit in responsible_units(read_plan_file(name)):
            _upsert(session, report, Office, {"code": unit}, {
                "kind": "central", "name_th": names.get(unit) or unit, "province_th": None, "province_en": None,
                "region": None,
            })


def _plan_goals(plan_data: dict[str, Any]) -> list[dict[str, Any]]:
    return [goal for issue in plan_data.get("issues") or [] for goal in issue.get("goals") or []]


def _plan_indicators(plan_data: dict[str, Any]) -> list[dict[str, Any]]:
    if plan_data.get("kind") == "kpi_template":
        return list(plan_data.get("kpis") or [])
    return [ind for goal in _plan_goals(plan_data) for ind in goal.get("indicators") or []]


def jsonable(value: Any) -> Any:
    """YAML gives dates as date objects; JSON columns need strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def _window(data: dict[str, Any]) -> tuple[date, date]:
    return data["start"], data["end"]


def _load_plan(session: Session, report: LoadReport, data: dict[str, Any]) -> None:
    if data["kind"] == "kpi_template":
        rounds = data["rounds"]
        window = (min(r["start"] for r in rounds), max(r["end"] for r in rounds))
        details = jsonable({"rounds": rounds, "bases": data["bases"], "source": data.get("source"),
                            "interpretations": data.get("interpretations") or []})
    else:
        window = _window(data["plan_window"])
        details = jsonable({"vision_th": data.get("vision_th"), "fiscal_year_end": data.get("fiscal_year_end"),
                            "total_budget_mb": data.get("total_budget_mb"), "source": data.get("source"),
                            "interpretations": data.get("interpretations") or []})
    plan = _upsert(session, report, Plan, {"code": data["code"]}, {
        "kind": data["kind"], "version": data["version"], "title_th": data["title_th"], "owner_th": data["owner_th"],
        "owner_abbr": data.get("owner_abbr"), "fiscal_year_be": data["fiscal_year_be"],
        "window_start": window[0], "window_end": window[1], "details": details,
    })
    if data["kind"] == "kpi_template":
        for position, kpi in enumerate(data["kpis"], start=1):
            _load_kpi(session, report, plan, kpi, position, data["rounds"])
        return
    position = 0
    for issue in data["issues"]:
        for goal_data in issue["goals"]:
            goal = _upsert(session, report, Goal, {"plan_id": plan.id, "code": goal_data["code"]}, {
                "title_th": goal_data["title_th"], "issue_number": issue["number"], "issue_title_th": issue["title_th"],
                "budget_lines": jsonable(goal_data.get("budget_lines") or []),
            })
            for ind in goal_data.get("indicators") or []:
                position += 1
                _load_indicator(session, report, plan, goal, ind, position)
            for proj in goal_data.get("projects") or []:
                _upsert(session, report, Project, {"goal_id": goal.id, "number": proj["number"]}, {
                    "title_th": proj["title_th"], "keywords": list(proj.get("keywords_th") or []),
                    "applies_to": list(proj.get("applies_to") or []),
                    "responsible_units": list(proj.get("responsible_units") or []),
                    "budget_mb": {str(k): v for k, v in (proj.get("budget_mb") or {}).items()},
                })


def _load_indicator(session: Session, report: LoadReport, plan: Plan, goal: Goal, data: dict[str, Any],
                    position: int) -> None:
    baseline = data.get("baseline") or {}
    indicator = _upsert(session, report, Indicator, {"plan_id": plan.id, "code": data["code"]}, {
        "goal_id": goal.id, "position": position, "title_th": data["title_th"], "unit": data["unit"],
        "value_kind": data["value_kind"], "aggregation": data["aggregation"], "reported_by": data["reported_by"],
        "responsible_units": list(data.get("responsible_units") or []),
        "higher_is_better": data["target"].get("comparison", "at_least") == "at_least",
        "weight": None, "base": None,
        "baselines": jsonable([baseline] if baseline.get("value") is not None else []),
        "details": jsonable({k: data.get(k) for k in ("definition_th", "formula_th", "data_source_th",
                                                      "plausible_max", *INDICATOR_FLAGS) if data.get(k)}),
    })
    start, end = _window(data["window"])
    _upsert(session, report, Target, {"indicator_id": indicator.id, "round": 0, "level": 100}, {
        "value": data["target"]["value"], "comparison": data["target"].get("comparison", "at_least"),
        "window_start": start, "window_end": end,
    })


def _load_kpi(session: Session, report: LoadReport, plan: Plan, data: dict[str, Any], position: int,
              rounds: list[dict[str, Any]]) -> None:
    higher = bool(data.get("higher_is_better", True))
    indicator = _upsert(session, report, Indicator, {"plan_id": plan.id, "code": data["code"]}, {
        "goal_id": None, "position": position, "title_th": data["title_th"], "unit": data["unit"],
        "value_kind": data["value_kind"], "aggregation": "latest", "reported_by": "central",
        "responsible_units": list(data.get("responsible_units") or []) or [plan.owner_abbr],
        "higher_is_better": higher, "weight": float(data["weight"]), "base": data["base"],
        "baselines": jsonable(list(data.get("baseline") or [])),
        "details": jsonable({k: data.get(k) for k in ("category", "ratio", "criteria_note_th", "definition_th",
                                                      "formula_th", "criteria_printed", "round_measures", "inputs",
                                                      "steps", "signed") if data.get(k)}),
    })
    for round_data in rounds:
        criteria = (data.get("criteria") or {}).get(f"round{round_data['number']}") or {}
        for level, value in criteria.items():
            _upsert(session, report, Target, {"indicator_id": indicator.id, "round": round_data["number"],
                                              "level": int(level)}, {
                "value": value, "comparison": "at_least" if higher else "at_most",
                "window_start": round_data["start"], "window_end": round_data["end"],
            })


def catalogue_json(session: Session) -> dict[str, Any]:
    """The loaded catalogue as plain JSON-able data (what `catalogue show --json` prints)."""
    plans = session.scalars(select(Plan).order_by(Plan.id)).all()
    offices = session.scalars(select(Office).order_by(Office.kind.desc(), Office.code)).all()
    return {
        "plans": [_plan_json(plan) for plan in plans],
        "offices": [
            {"code": o.code, "kind": o.kind, "name_th": o.name_th, "province_th": o.province_th,
             "province_en": o.province_en, "region": o.region, "aliases_th": o.aliases}
            for o in offices
        ],
    }


def _plan_json(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": plan.code, "kind": plan.kind, "version": plan.version, "title_th": plan.title_th,
        "owner_th": plan.owner_th, "owner_abbr": plan.owner_abbr, "fiscal_year_be": plan.fiscal_year_be,
        "window": {"start": plan.window_start.isoformat(), "end": plan.window_end.isoformat()},
        "details": plan.details,
        "indicators": [_indicator_json(ind) for ind in plan.indicators],
    }
    if plan.kind == "kpi_template":
        out["total_weight"] = sum(ind.weight or 0 for ind in plan.indicators)
    out["goals"] = [
        {"code": g.code, "title_th": g.title_th, "issue": {"number": g.issue_number, "title_th": g.issue_title_th},
         "indicators": [ind.code for ind in g.indicators], "budget_lines": g.budget_lines,
         "projects": [{"number": p.number, "title_th": p.title_th, "keywords_th": p.keywords,
                       "applies_to": p.applies_to, "responsible_units": p.responsible_units,
                       "budget_mb": p.budget_mb} for p in g.projects]}
        for g in plan.goals
    ]
    return out


def _indicator_json(ind: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": ind.code, "goal": ind.goal.code if ind.goal else None, "title_th": ind.title_th, "unit": ind.unit,
        "value_kind": ind.value_kind, "aggregation": ind.aggregation, "reported_by": ind.reported_by,
        "responsible_units": ind.responsible_units, "higher_is_better": ind.higher_is_better,
        "baselines": ind.baselines, "details": ind.details,
    }
    plain = [t for t in ind.targets if t.round == 0]
    if plain:
        t = plain[0]
        out["target"] = {"value": t.value, "unit": ind.unit, "comparison": t.comparison,
                         "window": {"start": t.window_start.isoformat(), "end": t.window_end.isoformat()}}
    if ind.weight is not None:
        out["weight"] = ind.weight
        out["base"] = ind.base
        criteria: dict[str, dict[str, float | None]] = {}
        for t in ind.targets:
            if t.round:
                criteria.setdefault(f"round{t.round}", {})[str(t.level)] = t.value
        out["criteria"] = criteria
    return out
