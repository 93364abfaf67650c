"""Report items: a value tied to the indicator named nearest to it, checked against its kind, merged per slot.

Shared by the provincial reports (nlp.assemble) and the central units' (nlp.central): the catalogue's value kind
and unit of each indicator, the nearest indicator to a value, one item per kind of value, and the merge that
attaches projects and turns two different values for one slot into a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nlp import indicators as ind
from nlp.numbers import MILLION
from nlp.types import Problem, ReportItem
from nlp.values import Value
from nlp.vocabulary import derived, vocabulary

MONEY_KINDS = ("amount_mb",)
PERCENT_KINDS = ("percent",)


@dataclass(slots=True)
class Item:
    """One value read for an indicator (value None: a question to ask, e.g. its `choices`)."""

    indicator: str | None
    value: Decimal | None
    position: int
    source: str
    score: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()
    numerator: Decimal | None = None  # the two figures of a ratio KPI, in ล้านบาท
    denominator: Decimal | None = None


@derived
def code_info() -> dict[str, tuple[str, str]]:
    """Indicator code → (value kind: money / percent / …, catalogue unit)."""
    out = {}
    for code, info in vocabulary().indicators.items():
        kind = "money" if info.value_kind in MONEY_KINDS else "percent" if info.value_kind in PERCENT_KINDS else \
            info.value_kind
        out[code] = (kind, info.unit)
    return out


@derived
def _codes_of_kind() -> dict[str, frozenset[str]]:
    """Value kind (money, percent, …) → the indicator codes of that kind."""
    out: dict[str, set[str]] = {}
    for code, (kind, _) in code_info().items():
        out.setdefault(kind, set()).add(code)
    return {kind: frozenset(codes) for kind, codes in out.items()}


def value_kind(code: str | None) -> str:
    """The value kind of an indicator (money, percent, ratio, …), '' for an unknown code."""
    found = code_info().get(code or "")
    return found[0] if found else ""


def unit_of(code: str | None) -> str | None:
    """The catalogue unit of an indicator (ล้านบาท, ร้อยละ, …), None for an unknown code."""
    found = code_info().get(code or "")
    return found[1] if found else None


def nearest(hits: list[tuple[int, str]], position: int, text: str, want: str | None) -> str | None:
    """The indicator named closest before `position` (same line first), else closest after."""
    if not hits:
        return None
    if len(hits) == 1:  # the common case
        code = hits[0][1]
        return code if want is None or code in _codes_of_kind().get(want, ()) else None
    if want is None:
        fitting = hits
    else:
        codes = _codes_of_kind().get(want, ())
        fitting = [(p, c) for p, c in hits if c in codes]
    if len(fitting) < 2:
        return fitting[0][1] if fitting else None
    line_start = text.rfind("\n", 0, position) + 1
    before = [(p, c) for p, c in fitting if p <= position]
    same_line = [(p, c) for p, c in before if p >= line_start]
    if same_line:
        return max(same_line)[1]
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    after_same_line = [(p, c) for p, c in fitting if position < p < line_end]
    if after_same_line:
        return min(after_same_line)[1]
    if before:
        return max(before)[1]
    return min(fitting)[1]


def fmt(number: Decimal) -> str:
    """A number for a choice: thousands separated, no trailing zeros ('1,250,000', '2.5')."""
    return f"{number:,.6f}".rstrip("0").rstrip(".")


def out_of_range(v: Value, problems: list[Problem]) -> None:
    """Note a value the conversation must refuse to store (it is kept as read, so the bot can explain)."""
    problems.append(Problem("out_of_range", v.text))


def percent_item(v: Value, code: str, problems: list[Problem]) -> Item | None:
    """A percent, a score out of a maximum, or points (at most 5: a 5-point mean, shown as such on the card)."""
    if v.kind == "points":
        if 0 < v.amount <= 5 and code == ind.SATISFACTION:
            return five_point(v, code)
        if v.amount <= 5:
            choices = (f"{fmt(v.amount)} จาก 5", f"ร้อยละ {fmt(v.amount)}")
            problems.append(Problem("amount_without_unit", v.text, choices))
            return Item(code, None, v.start, v.text, choices=choices)
        if v.amount > 100:
            out_of_range(v, problems)
        return Item(code, v.amount, v.start, v.text)
    if v.kind == "score":
        assert v.maximum is not None
        score = (float(v.amount), float(v.maximum))
        if v.maximum <= 0:
            out_of_range(v, problems)
            return Item(code, None, v.start, v.text, score=score)
        if v.amount > v.maximum or v.amount < 0:
            out_of_range(v, problems)
        return Item(code, v.amount / v.maximum * 100, v.start, v.text, score=score)
    if v.amount > 100 or v.amount < 0:
        out_of_range(v, problems)
    return Item(code, v.amount, v.start, v.text)


def five_point(v: Value, code: str) -> Item:
    """A satisfaction figure of at most 5 is a 5-point mean (คะแนนเฉลี่ย 4.35 → ร้อยละ 87): no office scores 4%
    satisfaction. The card shows "4.35 จาก 5 = ร้อยละ 87.00", so a misreading is seen before it is stored."""
    return Item(code, v.amount * 20, v.start, v.text, score=(float(v.amount), 5.0))


def bare_item(v: Value, code: str | None, has_context: bool, problems: list[Problem]) -> Item | None:
    """A number with no unit, read by the kind of its indicator; None when nothing says what it is."""
    kind = value_kind(code)
    amount = v.amount
    if kind == "percent":
        if 5 < amount <= 100:
            return Item(code, amount, v.start, v.text)
        if amount > 100 or amount < 0:
            out_of_range(v, problems)
            return Item(code, amount, v.start, v.text)
        if amount > 0 and code == ind.SATISFACTION:
            return five_point(v, code)
        choices = (f"ร้อยละ {v.text}", f"{v.text} จาก 5")
        problems.append(Problem("amount_without_unit", v.text, choices))
        return Item(code, None, v.start, v.text, choices=choices)
    if kind == "money" or (code is None and has_context):
        if abs(amount) >= 1000 or amount == 0:  # 0 needs no unit: 0 ล้านบาท is 0 บาท
            if v.negative:
                out_of_range(v, problems)
            return Item(code or ind.TRADE, amount / MILLION, v.start, v.text)
        if code is None:
            return None
        choices = (f"{v.text} ล้านบาท", f"{v.text} บาท")
        problems.append(Problem("amount_without_unit", v.text, choices))
        return Item(code, None, v.start, v.text, choices=choices)
    return None


def to_report(item: Item, period: str | None, province: str | None, project: int | None = None,
              respondents: int | None = None) -> ReportItem:
    """The ReportItem of one item, with the catalogue's unit."""
    return ReportItem(
        item.indicator,
        float(item.value) if item.value is not None else None,
        unit_of(item.indicator),
        period,
        province,
        project,
        respondents,
        item.source or None,
        item.score,
        float(item.numerator) if item.numerator is not None else None,
        float(item.denominator) if item.denominator is not None else None,
    )
