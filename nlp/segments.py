"""Several results in one message: split it into clauses, read each, and carry what is said once across them.

A message that names two months (or two values of one indicator) reads as a conflict when taken whole. Cut into
lines and list items, and a line into its month clauses, each clause is one ordinary report. Clauses without a
number (a header such as "สุรินทร์ ส่งผล 2 เดือน" is dropped for its number, "จ.ตราด ยอดขาย" is kept) are the
shared context every clause is read with; a month or a province stated in one clause carries to the following
clauses that state none ("ม.ค. เชียงใหม่ 2.1 ล้าน, ลำพูน 9 แสน"). A line with one month and several provinces is cut
at each province instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache

from nlp.indicators import TRADE
from nlp.months import find_months, reported
from nlp.number_words import SPOKEN_START
from nlp.provinces import find_provinces
from nlp.types import Parse, Problem, ReportItem

# A clause that states the total of the others ("ภาพรวม 90%", "รวมทั้งสิ้น 2 ล้าน").
TOTAL_WORDS = ("ภาพรวม", "รวมทั้งสิ้น", "รวมทั้งหมด", "ยอดรวม", "รวม", "overall", "total")
# The problems that say "this message holds several results", which splitting can settle.
CONFLICTS = frozenset(("conflicting_months", "conflicting_values"))

Reader = Callable[[str, date], Parse]


@cache
def _rx() -> re.Pattern[str]:
    # New lines, list separators, and commas that are not thousands separators (1,250,000 stays whole).
    return re.compile(r"\n|[ ]/[ ]?|[ ]?/[ ]|;|\||(?<![0-9]),|,(?![0-9]{3})")


def clauses(norm: str, today: date) -> list[tuple[str, bool]]:
    """The message's clauses in order, each (text, is_context): a line's text before its first month is context."""
    out: list[tuple[str, bool]] = []
    for line in _rx().split(norm):
        line = line.strip()
        if not line:
            continue
        low = line.lower()
        starts = [m.start for m in reported(find_months(low, today))]
        if len(starts) < 2:
            starts = _province_starts(low)  # "ม.ค. ยอดขาย พะเยา 0.9 ล้าน น่าน 1.1 ล้าน"
        if len(starts) < 2:
            out.append((line, False))
            continue
        if line[:starts[0]].strip():
            out.append((line[:starts[0]].strip(), True))
        for begin, end in zip(starts, [*starts[1:], len(line)], strict=True):
            out += [(piece, False) for piece in _total_apart(line[begin:end].strip())]
    return out


@cache
def _total_rx() -> re.Pattern[str]:
    # a total word after a number: "ก.พ. 1.5 ล้าน รวม 2.9 ล้าน" is February's figure, then the grand total
    words = "|".join(sorted(TOTAL_WORDS, key=len, reverse=True))
    return re.compile(rf"[0-9][^0-9]*?[ ](?=(?:{words})[ ]?[0-9])", re.IGNORECASE)


def _total_apart(clause: str) -> list[str]:
    """A month clause with the message's total after its own figure, cut in two."""
    found = _total_rx().search(clause)
    if not found:
        return [clause]
    return [clause[:found.end()].strip(), clause[found.end():].strip()]


def _province_starts(low: str) -> list[int]:
    """Where each province of a line with two provinces or more starts (none when it names fewer)."""
    hits = find_provinces(low)
    if len({h.name for h in hits if h.name}) < 2:
        return []
    return [h.start for h in hits if h.name]


def split_reports(whole: Parse, norm: str, today: date, read: Reader) -> Parse | None:
    """The message read clause by clause, or None when splitting does not give two clean results or more."""
    parts = clauses(norm, today)
    if len(parts) < 2:
        return None
    # Clauses without a number are context; one with a number is a result if, read with that context, it gives
    # one (a count or a date gives none; its province, if it names one, is context too).
    context = [text for text, _ in parts if not _has_number(text)]
    shared = " ".join(context)
    numbered = [(text, is_context) for text, is_context in parts if _has_number(text)]
    headers = [text for text, _ in numbered if not any(w in text.lower() for w in TOTAL_WORDS)
               and _is_header(read(f"{shared} {text}" if shared else text, today))]
    context += headers
    shared = " ".join(context)
    valued: list[str] = []
    for text, is_context in numbered:
        if text in headers:
            continue
        alone = read(f"{shared} {text}" if shared else text, today)
        if not is_context and alone.intent is whole.intent and any(r.value is not None for r in alone.reports):
            valued.append(text)
        elif any(r.respondents for r in alone.reports):
            context.append(text)  # "ผู้ตอบ 165 คน" goes with the satisfaction it follows
        elif alone.province:
            context.append(alone.province)
    if len(valued) < 2:
        return None
    shared = " ".join(context)
    found: list[ReportItem] = []
    period = province = None
    valued_items: list[str] = []  # the clause each result came from
    valued, problems = _without_grand_total(valued, shared, today, read)
    for text in valued:
        part = read(f"{shared} {text}" if shared else text, today)
        if part.intent is not whole.intent or not part.reports or any(p.code in CONFLICTS for p in part.problems):
            return None
        for item in part.reports:
            item = replace(item, period=item.period or period, province=item.province or province)
            period, province = item.period, item.province
            found.append(item)
            valued_items.append(text)
        problems += [p for p in part.problems if p not in problems]
    found = _backfilled(found, valued_items)
    found = _one_per_key(found, valued_items)
    if found is None:
        return None
    provinces = {r.province for r in found}
    return replace(whole, reports=tuple(found), period=None, problems=tuple(problems),
                   province=next(iter(provinces)) if len(provinces) == 1 else None)


@cache
def _spelled() -> re.Pattern[str]:
    return re.compile(SPOKEN_START)


def _has_number(text: str) -> bool:
    """Digits or a number in words ("ม.ค. ห้าแสน"): a clause that may hold a result."""
    return any(ch.isdigit() for ch in text) or _spelled().search(text) is not None


def _is_header(alone: Parse) -> bool:
    """A clause whose numbers are a year or a code ("ม.ค. 67 โครงการ 4" above "ภูเก็ต 1.8 ล้านบาท"): read alone it
    gives no value and no problem but the missing value, so it is context for the clauses under it. (A total line
    is never one: the caller leaves those out.)"""
    return not any(r.value is not None for r in alone.reports) and all(p.code == "no_value" for p in alone.problems)


def _without_grand_total(valued: list[str], shared: str, today: date, read: Reader) -> tuple[list[str], list[Problem]]:
    """"ต.ค. 1.2 ล้าน / พ.ย. 1.5 ล้าน / รวม 2.7 ล้าน", "โครงการ 4 = 1.4 ล้าน / โครงการ 5 = 0.9 ล้าน / รวม 2.3 ล้าน": a
    total line that names no month or project of its own sums the lines above it and is no line's result. It is
    dropped; a problem says so when it is not their sum."""
    totals = [t for t in valued if any(w in t.lower() for w in TOTAL_WORDS) and not find_months(t.lower(), today)
              and not _PROJECT_WORD.search(t.lower())]
    if len(totals) != 1:
        return valued, []
    parts = [t for t in valued if t is not totals[0]]
    readings = [read(f"{shared} {t}" if shared else t, today).reports[:1] for t in parts]
    if len({(r.period, r.project) for reading in readings for r in reading}) < 2:
        return valued, []  # parts of one month and project, and their total: the total is the result
    total = read(f"{shared} {totals[0]}" if shared else totals[0], today).reports[:1]
    values = [r.value for r in total] + [r.value for reading in readings for r in reading]
    problems: list[Problem] = []
    if len(values) == len(valued) and None not in values:
        whole = sum(values[1:])  # type: ignore[arg-type]
        if abs(whole - values[0]) > max(0.01, values[0] / 200):  # type: ignore[operator]
            problems.append(Problem("conflicting_values", f"{totals[0]} ≠ {whole:g}"))
    return parts, problems


_PROJECT_WORD = re.compile(r"โครงการ|คก\.?[ ]?[0-9]|project")
# a project stated after the figures it covers: "ปราจีนบุรี 0.95 ล้าน นครนายก 0.6 ล้าน เดือน ม.ค. 67 โครงการ 6"
_TRAILING_PROJECT = re.compile(r"[0-9].*(?:โครงการ|คก\.?|project)[ ]?(?:ที่[ ]?)?[0-9]")


_ALL_OF_THEM = ("ทั้งสอง", "ทั้งสาม", "ทั้งหมด", "ทั้งคู่", "ทุกเดือน", "ทุกรายการ", "both", "all of")


def _backfilled(found: list[ReportItem], sources: list[str]) -> list[ReportItem]:
    """What a later clause says once applies to the clauses before it too: the one province or month the message
    names ("… ธ.ค. 2.05 ล้าน (สพจ.น่าน)"), and a project said to cover them all ("โครงการ 3 ทั้งสองเดือน") or
    stated after the last figure."""
    provinces = {r.province for r in found if r.province}
    if len(provinces) == 1:
        province = provinces.pop()
        found = [r if r.province else replace(r, province=province) for r in found]
    periods = {r.period for r in found if r.period}
    if len(periods) == 1:  # "… นครนายก 0.6 ล้าน เดือน ม.ค. 67": the one month stated, after the figures
        period = periods.pop()
        found = [r if r.period else replace(r, period=period) for r in found]
    projects = {r.project for r, text in zip(found, sources, strict=True)
                if r.project and (any(word in text.lower() for word in _ALL_OF_THEM) or (
                    text is sources[-1] and _TRAILING_PROJECT.search(text.lower())))}
    if len(projects) == 1 and len({r.project for r in found if r.project}) == 1:
        project = projects.pop()
        found = [r if r.project or r.indicator != TRADE else replace(r, project=project) for r in found]
    return found


def _one_per_key(found: list[ReportItem], sources: list[str]) -> list[ReportItem] | None:
    """One result per indicator, month, province and project: where clauses repeat one, the clause that says it
    is the total wins (parts and their total); with no total the repeat is a real conflict (None: ask)."""
    keys = [(r.indicator, r.period, r.province, r.project) for r in found]
    kept = []
    for index, (item, key) in enumerate(zip(found, keys, strict=True)):
        same = [i for i, k in enumerate(keys) if k == key]
        if len(same) == 1:
            kept.append(item)
            continue
        totals = [i for i in same if any(word in sources[i].lower() for word in TOTAL_WORDS)]
        if len(totals) != 1:
            return None
        if index == totals[0]:
            kept.append(item)
    return kept
