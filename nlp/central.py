"""Central units' indicators (every OPS indicator but 2.1.1 / 2.2.1, and the DITP KPIs): their values as reported.

A ratio KPI (KPI-2/3/4) is reported as its two figures, numerator and budget, in ล้านบาท ("มูลค่าเจรจาการค้า
175,364.61 งบประมาณ 540.92"), or as the quotient ("KPI 2 ได้ 324.20 เท่า"); the other kinds are one value each.
"""

from __future__ import annotations

from decimal import Decimal

from nlp import indicators as ind
from nlp.indicators import REPORTED
from nlp.items import Item, bare_item, fmt, nearest, out_of_range, percent_item, to_report, value_kind
from nlp.merge import merge
from nlp.numbers import MILLION
from nlp.scan import Scan
from nlp.types import Problem, ReportItem
from nlp.values import Value

_PEOPLE_UNITS = ("ราย", "คน", "ท่าน", "respondents", "respondent", "people", "persons", "person")
_SCORE_MAX = {"3.1.5": Decimal(100), "KPI-8": Decimal(100), "KPI-9": Decimal(500)}
_Figure = tuple[str, Decimal, Value]  # (num / den / quot, amount, value) of a ratio KPI


def central_mode(sc: Scan) -> bool:
    """True when the message is about central units' indicators rather than 2.1.1 / 2.2.1.

    A generic word of the provincial indicators (มูลค่า, ยอด) yields to an explicit code or a ratio KPI."""
    codes = sc.codes
    if codes.isdisjoint(REPORTED):
        return True
    return any(c not in REPORTED and (c in sc.explicit_indicators or value_kind(c) == "ratio") for c in codes)


def central_items(sc: Scan, problems: list[Problem]) -> list[Item] | None:
    """The values of the central indicators a message names (None when it gives none: a question, a name)."""
    if not central_mode(sc):
        return None
    implied = sc.implied
    hits = [(p, c) for p, c in sc.indicator_hits if c not in REPORTED and c != "?" and p not in implied]
    if not hits or not sc.values:
        return None
    items: list[Item] = []
    figures: dict[str, list[_Figure]] = {}  # ratio code → its figures
    coded = [(v, nearest(hits, v.start, sc.low, None)) for v in sc.values]
    # "บรรลุ 33 จาก 40 ตัวชี้วัด คิดเป็นร้อยละ 82.5": with the percent stated, the counts are how it was worked out
    stated = {code for v, code in coded if v.kind == "percent" and code and value_kind(code) == "percent"}
    for v, code in coded:
        if code is None or (code in stated and v.kind == "bare"):
            continue
        if value_kind(code) == "ratio":
            figure = _ratio_figure(sc, code, v)
            if figure:
                figures.setdefault(code, []).append(figure)
            continue
        item = _central_item(v, code, problems)
        if item is not None:
            items.append(item)
    for code, found in figures.items():
        items.append(_ratio_item(code, found, problems))
    if not items:
        return None
    items.sort(key=lambda i: i.position)
    return items


def _ratio_figure(sc: Scan, code: str, v: Value) -> _Figure | None:
    """What one value is to a ratio KPI: its numerator, its denominator (the budget) or the quotient."""
    low = sc.low
    if v.kind == "money":
        return "den" if _denominator_next(sc, code, v.start) else "num", v.amount / MILLION, v
    if v.kind == "bare" or v.kind == "points":
        if low.startswith("เท่า", v.end) or low.startswith(" เท่า", v.end) or not any(
                w in low for w in ind.DENOMINATOR_WORDS):
            return "quot", v.amount, v
        # "มูลค่าเจรจาการค้า 175,364.61 งบประมาณ 540.92": figures in ล้านบาท
        return "den" if _denominator_next(sc, code, v.start) else "num", v.amount, v
    return None


def _central_item(v: Value, code: str, problems: list[Problem]) -> Item | None:
    """One value of a central indicator that is not a ratio, checked against its kind."""
    kind = value_kind(code)
    vk = v.kind
    if kind == "percent":
        if code == "KPI-1" and vk in ("percent", "bare") and abs(v.amount) <= 100:
            return Item(code, v.amount, v.start, v.text)  # export growth may be negative
        if vk in ("percent", "score", "points"):
            return percent_item(v, code, problems)
        if vk == "bare":
            return bare_item(v, code, True, problems)
    elif kind == "score":
        if vk in ("bare", "points", "percent", "score"):
            score = (float(v.amount), float(v.maximum)) if vk == "score" and v.maximum else None
            if v.amount < 0 or v.amount > _SCORE_MAX.get(code, v.amount):
                out_of_range(v, problems)
            return Item(code, v.amount, v.start, v.text, score=score)
    elif kind == "count":
        if vk == "bare" or (vk == "count" and v.unit_word not in _PEOPLE_UNITS):
            if v.amount < 0 or v.amount != v.amount.to_integral_value():
                out_of_range(v, problems)
            return Item(code, v.amount, v.start, v.text)
    elif kind == "level" and (vk in ("bare", "points") or (vk == "count" and v.unit_word not in _PEOPLE_UNITS)):
        if v.amount < 0:
            out_of_range(v, problems)
        return Item(code, v.amount, v.start, v.text)
    return None


def _denominator_next(sc: Scan, code: str, position: int) -> bool:
    """True when a budget word (งบประมาณ) comes before this figure, after the numerator's name (มูลค่าเจรจาการค้า,
    มูลค่า) and after the figure before it."""
    low = sc.low
    word_at = max(low.rfind(w, 0, position) for w in ind.DENOMINATOR_WORDS)
    if word_at < 0:
        return False
    for _, end, cue in sc.cue_spans:
        if word_at < end <= position and (code in cue.indicators or ind.TRADE in cue.indicators):
            return False  # "งบประมาณ … มูลค่า 175,364.61": the name of the numerator is nearer
    return not any(word_at < v.end <= position for v in sc.values)


def _ratio_item(code: str, found: list[_Figure], problems: list[Problem]) -> Item:
    """One ratio KPI from its figures: numerator / denominator, or the quotient as stated."""
    picked = {role: _one_figure(found, role, problems) for role in ("num", "den", "quot")}
    numerator, denominator, quotient = picked["num"], picked["den"], picked["quot"]
    stated = {r for r, _, _ in found}
    names = ind.RATIO_FIGURES.get(code, ("", ""))
    value: Decimal | None = None
    for amount in (numerator, denominator, quotient):
        if amount is not None and amount < 0:
            problems.append(Problem("out_of_range", fmt(amount)))
    if numerator is not None and denominator is not None:
        if denominator == 0:
            problems.append(Problem("out_of_range", fmt(denominator)))
        else:
            value = numerator / denominator
    elif "num" in stated and "den" in stated:
        pass  # a conflict, already a problem
    elif quotient is not None:
        value = quotient
    elif "quot" not in stated:
        if "num" in stated and "den" not in stated:
            problems.append(Problem("no_value", names[1]))
        elif "den" in stated and "num" not in stated:
            problems.append(Problem("no_value", names[0]))
    source = ", ".join(v.text for _, _, v in found)
    return Item(code, value, found[0][2].start, source, numerator=numerator, denominator=denominator)


def _one_figure(found: list[_Figure], role: str, problems: list[Problem]) -> Decimal | None:
    """The one amount stated for a figure; None (a problem) when two different ones are, or none is."""
    known = [(a, v) for r, a, v in found if r == role]
    distinct = list(dict.fromkeys(a for a, _ in known))
    if len(distinct) > 1:
        unit = "เท่า" if role == "quot" else "ล้านบาท"
        choices = tuple(f"{fmt(d)} {unit}" for d in distinct)
        problems.append(Problem("conflicting_values", ", ".join(v.text for _, v in known), choices))
        return None
    return distinct[0] if distinct else None


def central_reports(sc: Scan, items: list[Item], province: str | None, period: str | None,
                    problems: list[Problem]) -> tuple[ReportItem, ...]:
    """Central units' report items: repeated values dropped, two different values for one indicator a problem."""
    plain = [i for i in items if value_kind(i.indicator) != "ratio"]
    ratios = [i for i in items if value_kind(i.indicator) == "ratio"]
    merged = [item for item, _ in merge(plain, sc, problems)] if plain else []
    if ratios:
        merged = sorted(merged + ratios, key=lambda i: i.position)
    return tuple(to_report(item, period, province) for item in merged)
