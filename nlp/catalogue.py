"""The parts of the plan catalogue (bot/data/*.yaml) the parser needs, read once by path.

nlp/ does not import `bot`; it reads the same YAML files the catalogue loader reads. If a file cannot be read,
the parser still works with what it has (the problem is logged, never raised to the caller).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "bot" / "data"

# Enough to keep the two provincially reported indicators working if the YAML is missing.
_FALLBACK_UNITS = {"2.1.1": ("ล้านบาท", "amount_mb"), "2.2.1": ("ร้อยละ", "percent")}


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator: OPS codes like '2.1.1', DITP codes like 'KPI-3'."""

    code: str
    title_th: str
    unit: str
    value_kind: str
    goal: str | None
    plan: str  # "OPS" or "DITP"


@dataclass(frozen=True)
class ProjectInfo:
    """One of the 8 projects of goal 2.1."""

    number: int
    title_th: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ProvinceInfo:
    """One provincial office's province."""

    name_th: str
    name_en: str
    abbr_th: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Indicators, goals, goal 2.1's projects and the 76 provinces."""

    indicators: dict[str, IndicatorInfo]
    goals: dict[str, tuple[str, ...]]
    projects: dict[int, ProjectInfo]
    provinces: tuple[ProvinceInfo, ...]


def _load_yaml(name: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(DATA_DIR / name, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        log.warning("nlp: cannot read %s: %s", DATA_DIR / name, exc)
        return None


@cache
def catalogue() -> Catalogue:
    """The catalogue, read on first use."""
    indicators: dict[str, IndicatorInfo] = {}
    goals: dict[str, list[str]] = {}
    projects: dict[int, ProjectInfo] = {}
    ops = _load_yaml("ops_2567.yaml")
    try:
        for issue in (ops or {}).get("issues", []):
            for goal in issue.get("goals", []):
                code = str(goal["code"])
                for ind in goal.get("indicators", []):
                    info = IndicatorInfo(str(ind["code"]), ind.get("title_th", ""), ind.get("unit", ""),
                                         ind.get("value_kind", ""), code, "OPS")
                    indicators[info.code] = info
                    goals.setdefault(code, []).append(info.code)
                if code == "2.1":
                    for proj in goal.get("projects", []):
                        number = int(proj["number"])
                        projects[number] = ProjectInfo(number, proj.get("title_th", ""),
                                                       tuple(proj.get("keywords_th") or ()))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("nlp: unexpected shape in ops_2567.yaml: %s", exc)
    ditp = _load_yaml("ditp_2567.yaml")
    try:
        for kpi in (ditp or {}).get("kpis", []):
            info = IndicatorInfo(str(kpi["code"]), kpi.get("title_th", ""), str(kpi.get("unit", "")),
                                 kpi.get("value_kind", ""), None, "DITP")
            indicators[info.code] = info
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("nlp: unexpected shape in ditp_2567.yaml: %s", exc)
    for code, (unit, kind) in _FALLBACK_UNITS.items():
        if code not in indicators:
            goal = code.rsplit(".", 1)[0]
            indicators[code] = IndicatorInfo(code, "", unit, kind, goal, "OPS")
            goals.setdefault(goal, []).append(code)
    provinces: list[ProvinceInfo] = []
    offices = _load_yaml("offices.yaml")
    try:
        for office in (offices or {}).get("offices", []):
            if not office.get("province_th"):
                continue
            provinces.append(ProvinceInfo(office["province_th"], office.get("province_en") or "",
                                          office.get("abbr_th") or "", tuple(office.get("aliases_th") or ())))
    except (KeyError, TypeError, AttributeError) as exc:
        log.warning("nlp: unexpected shape in offices.yaml: %s", exc)
    return Catalogue(indicators, {g: tuple(c) for g, c in goals.items()}, projects, tuple(provinces))
