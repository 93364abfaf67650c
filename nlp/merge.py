"""One item per slot: projects attached to the goal-2.1 values, repeated values dropped, different ones a problem.

A slot is an indicator and its project: "โครงการ 1 ยอดขาย 2 ล้าน / โครงการ 3 ยอดขาย 1.5 ล้าน" are two slots, while
two different values for one slot become a `conflicting_values` problem whose choices are both values.
"""

from __future__ import annotations

from decimal import Decimal

from nlp import indicators as ind
from nlp.items import Item, fmt, nearest, unit_of
from nlp.scan import Scan
from nlp.types import Problem

_Slot = tuple[str | None, int | None]  # (indicator, project)


def merge(items: list[Item], sc: Scan, problems: list[Problem]) -> list[tuple[Item, int | None]]:
    """Attach projects, drop repeated values, turn two different values for one slot into a problem."""
    projects = _projects(sc, problems) if sc.project_hits else []
    if len(items) == 1:  # the common case: one value, nothing to merge
        return [(items[0], _project_of(items[0], projects, sc))]
    if len({n for _, n in projects}) > 1:
        items = _without_grand_total(items, projects, sc, problems)
    keyed: dict[_Slot, list[Item]] = {}
    for item in items:
        keyed.setdefault((item.indicator, _project_of(item, projects, sc)), []).append(item)
    out: list[tuple[Item, int | None]] = []
    for key, group in keyed.items():  # in the order the slots were first named
        known = [i for i in group if i.value is not None]
        distinct = list(dict.fromkeys(i.value for i in known))
        if len(distinct) > 1 and (total := _the_total(known, sc.low)) is not None:
            out.append((total, key[1]))  # parts and their total: the total is the result
        elif len(distinct) > 1:
            unit = unit_of(key[0]) or ""
            choices = tuple(_choice(d, unit) for d in distinct)
            problems.append(Problem("conflicting_values", ", ".join(i.source for i in known), choices))
            out.append((Item(key[0], None, group[0].position, group[0].source, choices=choices), key[1]))
        elif known:
            out.append((known[0], key[1]))
        else:
            out.append((group[0], key[1]))
    out.sort(key=lambda pair: pair[0].position)
    return out


def _project_of(item: Item, projects: list[tuple[int, int]], sc: Scan) -> int | None:
    """The project a value of the projects' goal (2.1) belongs to; None for other indicators or none named."""
    goal = ind.project_goal()
    if projects and item.indicator and goal is not None and ind.goal_of(item.indicator) == goal:
        return _project_for(projects, item.position, sc.low)
    return None


# Words that say the number after them is the total of the figures before it.
_TOTAL_WORDS = ("รวมทั้งสิ้น", "รวมทั้งหมด", "ยอดรวม", "รวม", "ทั้งหมด", "ภาพรวม", "total", "overall", "=")
_GRAND_TOTAL_WORDS = _TOTAL_WORDS[:-1]


def _the_total(known: list[Item], low: str) -> Item | None:
    """The one value a total word introduces (within a few characters before it), when it is the largest of the
    money values or the one overall figure; None when no single value is the total."""
    totals = [i for i in known if _after_total_word(i, low)]
    if len(totals) != 1:
        return None
    total = totals[0]
    if total.value is None or any(i.value is not None and i.value > total.value for i in known
                                  if i.indicator == ind.TRADE):
        return None
    return total


def _without_grand_total(items: list[Item], projects: list[tuple[int, int]], sc: Scan,
                         problems: list[Problem]) -> list[Item]:
    """"โครงการ 1 ได้ 1.2 ล้าน โครงการ 7 ได้ 0.8 ล้าน รวม 2 ล้าน": the total of several projects is no project's
    figure. It is dropped; when it is not the sum of the parts, a problem says so (the card shows the parts)."""
    trade = [i for i in items if i.indicator == ind.TRADE and i.value is not None]
    # "โครงการ 4 = 1.4 ล้าน … รวม 2.65 ล้าน": a total word, not the = every line has
    totals = [i for i in trade if _after_total_word(i, sc.low, _GRAND_TOTAL_WORDS)]
    parts = [i for i in trade if i not in totals]
    if len(totals) != 1 or len({_project_for(projects, i.position, sc.low) for i in parts}) < 2:
        return items
    add_sum_problem(totals[0], parts, problems)
    return [i for i in items if i is not totals[0]]


def add_sum_problem(total: Item, parts: list[Item], problems: list[Problem]) -> None:
    """A `conflicting_values` problem when a stated total is not the sum of its parts (beyond rounding)."""
    whole = sum((i.value for i in parts if i.value is not None), Decimal(0))
    if total.value is not None and abs(whole - total.value) > max(Decimal("0.01"), total.value / 200):
        problems.append(Problem("conflicting_values", f"{total.source} ≠ {fmt(whole)} ล้านบาท"))


def _after_total_word(item: Item, low: str, words: tuple[str, ...] = _TOTAL_WORDS) -> bool:
    return any(w in low[max(0, item.position - 14):item.position] for w in words)


def _choice(value: Decimal, unit: str) -> str:
    if unit == "ร้อยละ":
        return f"ร้อยละ {fmt(value)}"
    return f"{fmt(value)} {unit}".strip()


def _projects(sc: Scan, problems: list[Problem]) -> list[tuple[int, int]]:
    """(position, number) of the goal-2.1 projects named; numbers the catalogue does not have become a problem."""
    out = []
    for position, number, text in sc.project_hits:
        if 1 <= number <= ind.project_count():
            out.append((position, number))
        else:
            problems.append(Problem("unknown_project", text.strip(),
                                    tuple(f"โครงการ {n}" for n in range(1, ind.project_count() + 1))))
    return sorted(out)


def _project_for(projects: list[tuple[int, int]], position: int, text: str) -> int:
    numbers = list(dict.fromkeys(n for _, n in projects))
    if len(numbers) == 1:
        return numbers[0]
    hits = [(p, str(n)) for p, n in projects]
    found = nearest(hits, position, text, None)
    return int(found) if found else numbers[0]
