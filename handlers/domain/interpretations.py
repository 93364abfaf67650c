"""Every reading the catalogue makes of the seeds, for `catalogue show`: the plan files' own list
(`interpretations`) and what the data itself says was interpreted (scored criteria that differ from the
printed ones, inputs the template never states, criteria scored by steps, each project's inferred area)."""

from __future__ import annotations

from typing import Any

LEVELS = ("50", "75", "100")


def interpretations(plan: dict[str, Any]) -> list[str]:
    """One line per reading of one plan (a plan of catalogue_json)."""
    lines = [f"{item['about']}: {item['reading']}" for item in (plan.get("details") or {}).get("interpretations", [])]
    for indicator in plan.get("indicators", []):
        lines += _indicator_readings(indicator)
    for goal in plan.get("goals", []):
        for project in goal.get("projects", []):
            if project.get("applies_to") and project["applies_to"] != ["all"]:
                lines.append(f"goal {goal['code']} project {project['number']} usual area: "
                             f"{', '.join(project['applies_to'])} (inferred from its name; any office may report it)")
    return lines


def _indicator_readings(indicator: dict[str, Any]) -> list[str]:
    details = indicator.get("details") or {}
    code = indicator["code"]
    lines = []
    for round_key, printed in (details.get("criteria_printed") or {}).items():
        scored = (indicator.get("criteria") or {}).get(round_key) or {}
        lines.append(f"{code} {round_key.replace('round', 'round ')}: scored "
                     f"{' / '.join(_figure(scored.get(lv)) for lv in LEVELS)}; the seed prints "
                     f"{' / '.join(_figure(printed.get(lv)) for lv in LEVELS)}")
    for round_key, spec in (details.get("inputs") or {}).items():
        lines.append(f"{code} {round_key.replace('round', 'round ')} needs an input the template does not state: "
                     f"{spec.get('title_th')} ({spec.get('unit')}), loaded with `targets import`")
    steps = details.get("steps")
    if steps:
        levels = "; ".join(f"{step['level']} = {step.get('title_th', step['needs'])}" for step in steps["levels"])
        lines.append(f"{code} scored by criteria steps (reported: {steps['reported'].get('title_th')}): {levels}")
    return lines


def _figure(value: Any) -> str:
    return "-" if value is None else f"{value:g}"
