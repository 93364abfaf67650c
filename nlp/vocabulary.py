"""The words the parser knows by name (indicators, goals, projects, provinces), handed to it by its caller.

nlp/ reads no files of the bot: the caller builds a `Vocabulary` from the plan documents it already parsed
(`Vocabulary.from_plan`) and hands over a loader with `use_vocabulary`, called once, on the first parse that
needs it. Until then the vocabulary is empty: the parser still reads numbers, months and intents, but no
indicator, project or province by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from functools import _lru_cache_wrapper

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator: OPS codes like '2.1.1', DITP codes like 'KPI-3'."""

    code: str
    title_th: str
    unit: str
    value_kind: str
    goal: str | None
    plan: str  # "OPS" or "DITP"
    target: float | None = None  # the plan's target value, in the indicator's unit


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
class Vocabulary:
    """Indicators, goals, the projects figures are reported against (goal 2.1's) and the provinces."""

    indicators: dict[str, IndicatorInfo]
    goals: dict[str, tuple[str, ...]]
    projects: dict[int, ProjectInfo]
    provinces: tuple[ProvinceInfo, ...]
    project_goal: str | None = None  # the goal whose projects a figure names (2.1); None when no goal has them

    @classmethod
    def from_plan(cls, plans: list[Mapping[str, Any]], offices: Mapping[str, Any]) -> Vocabulary:
        """Build from the plan documents (an `issues`/`goals` plan or a `kpis` template) and the office list."""
        indicators: dict[str, IndicatorInfo] = {}
        goals: dict[str, list[str]] = {}
        projects: dict[int, ProjectInfo] = {}
        project_goal: str | None = None
        for plan in plans:
            name = "DITP" if "kpis" in plan else "OPS"
            for issue in plan.get("issues") or ():
                for goal in issue.get("goals") or ():
                    code = str(goal["code"])
                    for ind in goal.get("indicators") or ():
                        target = (ind.get("target") or {}).get("value")
                        info = IndicatorInfo(str(ind["code"]), ind.get("title_th", ""), ind.get("unit", ""),
                                             ind.get("value_kind", ""), code, name,
                                             float(target) if isinstance(target, int | float) else None)
                        indicators[info.code] = info
                        goals.setdefault(code, []).append(info.code)
                    # Only a goal whose indicator is reported per project (by_project) lends its projects'
                    # names to the parser; the other goals' projects are plan items, never named in a report.
                    if any(ind.get("by_project") for ind in goal.get("indicators") or ()):
                        project_goal = code
                        for proj in goal.get("projects") or ():
                            number = int(proj["number"])
                            projects[number] = ProjectInfo(number, proj.get("title_th", ""),
                                                           tuple(proj.get("keywords_th") or ()))
            for kpi in plan.get("kpis") or ():
                info = IndicatorInfo(str(kpi["code"]), kpi.get("title_th", ""), str(kpi.get("unit", "")),
                                     kpi.get("value_kind", ""), None, name)
                indicators[info.code] = info
        provinces = tuple(ProvinceInfo(o["province_th"], o.get("province_en") or "", o.get("abbr_th") or "",
                                       tuple(o.get("aliases_th") or ()))
                          for o in offices.get("offices") or () if o.get("province_th"))
        return cls(indicators, {g: tuple(c) for g, c in goals.items()}, projects, provinces, project_goal)


EMPTY = Vocabulary({}, {}, {}, ())

_loader: Callable[[], Vocabulary] | None = None
_loaded: Vocabulary | None = None
T = TypeVar("T")
# Every table built from the vocabulary (lexicons, indexes): emptied when another vocabulary is handed over.
_derived: list[_lru_cache_wrapper[Any]] = []


def derived(build: Callable[[], T]) -> _lru_cache_wrapper[T]:
    """`functools.cache` for a table built from the vocabulary: built again after the next `use_vocabulary`."""
    table = cache(build)
    _derived.append(table)
    return table


def use_vocabulary(loader: Callable[[], Vocabulary] | None) -> None:
    """Set where the vocabulary comes from; `loader` is called once, when a parse first needs it."""
    global _loader, _loaded
    _loader, _loaded = loader, None
    for table in _derived:
        table.cache_clear()


def vocabulary() -> Vocabulary:
    """The vocabulary in use (empty, with one warning, when no caller handed one over)."""
    global _loaded
    if _loaded is None:
        if _loader is None:
            log.warning("nlp: no vocabulary handed over (use_vocabulary); names of indicators, projects and "
                        "provinces are not read")
            _loaded = EMPTY
        else:
            _loaded = _loader()
    return _loaded
