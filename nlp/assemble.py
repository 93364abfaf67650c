"""The provincial offices' report items (2.1.1 trade value, 2.2.1 satisfaction) and the fields of a question.

Each value is tied to the indicator named nearest to it (money to 2.1.1, percents and scores to 2.2.1 when none is
named); respondent counts go with satisfaction; report words without a value leave an item with value None.
"""

from __future__ import annotations

from decimal import Decimal

from nlp import indicators as ind
from nlp.intents import Intent
from nlp.items import Item, bare_item, nearest, out_of_range, percent_item, to_report
from nlp.merge import merge
from nlp.numbers import MILLION
from nlp.scan import Scan
from nlp.types import Problem, ReportItem
from nlp.values import Value

_PROGRESS = Intent.PROGRESS  # (a plain global: Intent.X is a slow lookup)
_RESPONDENT_UNITS = ("ราย", "คน", "ท่าน", "ชุด", "respondents", "respondent", "people", "persons")
_PROVINCIAL = (ind.TRADE, ind.SATISFACTION)


def reports(sc: Scan, intent: Intent, province: str | None, period: str | None,
            problems: list[Problem]) -> tuple[ReportItem, ...]:
    """The provincial report items the message states, with the province and month it names."""
    hits = sc.indicator_hits
    for code in sc.unknown_codes:
        problems.append(Problem("unknown_indicator", code))
    items, respondents, counts = _read_values(sc, province, problems)
    # Only needed for counts or when nothing was read. sc.codes holds every code the text names; the other hits
    # are implied by a goal ("เป้าหมาย 2.2").
    satisfaction_named = bool(counts or not items) and (ind.SATISFACTION in sc.codes or (bool(sc.implied) and any(
        c == ind.SATISFACTION for _, c in hits)))
    for c in counts:
        if c.unit_word in _RESPONDENT_UNITS and (
                satisfaction_named or any(i.indicator == ind.SATISFACTION for i in items)):
            respondents.append(c)
    if not items and satisfaction_named and respondents:
        items.append(Item(ind.SATISFACTION, None, respondents[0].start, ""))
    if not items and "nil" in sc.tags:
        items.append(_nil_item(sc))
    if not items:
        _nothing_read(sc, intent, counts, items, problems)
    merged = merge(items, sc, problems)
    resp_total = _respondents_for(respondents, problems) if respondents and any(
        item.indicator == ind.SATISFACTION for item, _ in merged) else None
    return tuple(to_report(item, period, province, project,
                           resp_total if item.indicator == ind.SATISFACTION else None) for item, project in merged)


def _read_values(sc: Scan, province: str | None,
                 problems: list[Problem]) -> tuple[list[Item], list[Value], list[Value]]:
    """The items the values make, and the respondent counts and other counts (placed once all are read)."""
    hits = sc.indicator_hits
    low = sc.low
    items: list[Item] = []
    respondents: list[Value] = []
    counts: list[Value] = []
    unknown = sc.unknown_codes
    for v in sc.values:
        kind = v.kind
        if kind == "respondents":
            respondents.append(v)
            continue
        if unknown and nearest(hits, v.start, low, None) == "?":
            items.append(Item(None, _plain_amount(v), v.start, v.text))
            continue
        if kind == "count":
            counts.append(v)
            continue
        item: Item | None = None
        if kind == "money":
            item = _money_item(v, nearest(hits, v.start, low, "money") or ind.TRADE, problems)
        elif kind == "percent" or kind == "score" or kind == "points":
            code = nearest(hits, v.start, low, "percent") or (
                ind.SATISFACTION if not hits or nearest(hits, v.start, low, None) else None)
            item = percent_item(v, code or ind.SATISFACTION, problems)
        elif kind == "bare":
            has_context = bool(hits or "reportverb" in sc.tags or sc.months or province or sc.project_hits)
            item = bare_item(v, nearest(hits, v.start, low, None), has_context, problems)
        if item:
            items.append(item)
    return items, respondents, counts


def _nothing_read(sc: Scan, intent: Intent, counts: list[Value], items: list[Item],
                  problems: list[Problem]) -> None:
    """No value was read: an item without a value for each provincial indicator named, and the problem why."""
    hits = sc.indicator_hits
    named = list(dict.fromkeys(c for _, c in hits if c in _PROVINCIAL))
    if counts and not named:
        problems.append(Problem("unknown_indicator", counts[0].text))
    elif intent is Intent.REPORT:
        keyword = next((sc.norm[s:e] for s, e, cue in sc.cue_spans
                        if ind.TRADE in cue.indicators or ind.SATISFACTION in cue.indicators), "")
        problems.append(Problem("no_value", keyword))
    for code in named:
        items.append(Item(code, None, next(p for p, c in hits if c == code), ""))


def _nil_item(sc: Scan) -> Item:
    """"ไม่มียอดขายเดือนนี้": a figure of 0 for the indicator the phrase names."""
    code, start, end = next((cue.indicators[0], s, e) for s, e, cue in sc.cue_spans if "nil" in cue.tags)
    return Item(code, Decimal(0), start, sc.norm[start:end])


def _plain_amount(v: Value) -> Decimal:
    """A value as read, for an indicator the parser does not know (money in million baht)."""
    if v.kind == "money":
        return v.amount / MILLION
    if v.kind == "score" and v.maximum:
        return v.amount / v.maximum * 100
    return v.amount


def _respondents_for(values: list[Value], problems: list[Problem]) -> int | None:
    """The respondent count as read (0 too: the conversation explains why it cannot be stored)."""
    counts = [v for v in values if v.amount == v.amount.to_integral_value()]
    if not counts:
        return None
    if counts[0].amount < 0:
        out_of_range(counts[0], problems)
    return int(counts[0].amount)


def _money_item(v: Value, code: str, problems: list[Problem]) -> Item:
    """An amount in baht. Spoken ล้านห้า, แสนสอง, สองล้านครึ่ง mean 1,500,000, 120,000, 2,500,000: nobody reports
    1,000,005 baht, so the spoken reading is taken unless บาท is written after it (the card shows the figure)."""
    if v.colloquial is not None and not v.literal_baht:
        return Item(code, v.colloquial / MILLION, v.start, v.text)
    if v.negative:
        out_of_range(v, problems)
    return Item(code, v.amount / MILLION, v.start, v.text)


def indicator_of(sc: Scan, found: tuple[ReportItem, ...]) -> str | None:
    """The one indicator the message is about (named, or of its one report); None when none or several."""
    if sc.explicit_indicators:
        codes = list(dict.fromkeys(sc.explicit_indicators))
    elif found:
        if len(found) == 1:
            return found[0].indicator or None
        codes = list(dict.fromkeys(r.indicator for r in found if r.indicator))
    elif not sc.indicator_hits:
        return None
    else:
        codes = list(dict.fromkeys(c for p, c in sc.indicator_hits if p not in sc.implied and c != "?"))
    return codes[0] if len(codes) == 1 else None


def goal_of(sc: Scan, intent: Intent, indicator: str | None) -> str | None:
    """The goal the message is about: named, of its indicator, or the trade value's (2.1) for a question about money."""
    if sc.goals:
        return sc.goals[0]
    if indicator:
        return ind.goal_of(indicator)
    if intent is _PROGRESS and (sc.target_money or sc.project_hits
                                or any(v.kind == "money" for v in sc.values)):
        return ind.goal_of(ind.TRADE)
    return None
