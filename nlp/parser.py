"""`parse()`: one message in, one frozen `Parse` out. Never raises; what it cannot settle becomes a Problem.

Pipeline on the normalised text (regexes only, no word tokenizer):
  register / whole-message commands → cue words (nlp.cues) → mask codes, phones, dates and ordinals (nlp.codes)
  → provinces → months → scores → numbers typed by their units (nlp.values) → intent (nlp.intent_rules) →
  province and month resolved (nlp.resolve) → reports assembled (nlp.assemble, nlp.central).
Each recogniser masks what it read, so a province (ร้อยเอ็ด), a month, a year, a project number or a phone
number is never read again as an amount.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import cache

from nlp.assemble import goal_of, indicator_of, reports
from nlp.central import central_items, central_reports
from nlp.codes import scan_codes
from nlp.cues import scan_cues
from nlp.indicators import REPORTED, TRADE, money_targets
from nlp.intent_rules import intent_of
from nlp.intents import MAX_COMMAND, Intent, command_intent, register_code
from nlp.items import Item
from nlp.months import find_months
from nlp.numbers import MILLION, blank_non_numbers, unreadable_numbers
from nlp.provinces import find_provinces
from nlp.resolve import resolve_period, resolve_province
from nlp.scan import Scan
from nlp.segments import CONFLICTS, split_reports
from nlp.tables import rewritten
from nlp.text import THAI_LETTER, mask, normalise_lower
from nlp.types import Parse, Problem, ReportItem
from nlp.values import Value, scores_in, values_in

log = logging.getLogger(__name__)

BANGKOK_TZ = timezone(timedelta(hours=7))  # Thailand has no daylight saving time

# Enum members read on every parse, as plain globals (Intent.X is a metaclass lookup, ten times slower).
_REPORT, _CORRECT, _UNKNOWN = Intent.REPORT, Intent.CORRECT, Intent.UNKNOWN
# Intents a central unit's report overrides: "KPI 2 ได้ 324.20 เท่า" is a report, not a KPI-score question.
_CENTRAL_OVERRIDABLE = (_REPORT, _CORRECT, Intent.PROGRESS, Intent.KPI_SCORE, _UNKNOWN)


def bangkok_today() -> date:
    """Today's date in Thailand."""
    return datetime.now(BANGKOK_TZ).date()


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    return {
        "digit": re.compile(r"[0-9]"),
        "latin": re.compile(r"[a-z]"),
        "en_words": re.compile(r"(?<![\w-])[a-z]+(?![\w-])"),  # words, not codes like K7QM-4XPD
        "th_letters": re.compile(rf"[{THAI_LETTER}]"),
    }


def parse(text: str, today: date | None = None) -> Parse:
    """How the bot understands one message; never raises (what it cannot read is a Problem).

    >>> p = parse("รายงานมูลค่าการค้า จ.เชียงใหม่ เดือน ม.ค. 67 โครงการที่ 3 จำนวน 2.5 ล้านบาท", date(2024, 2, 15))
    >>> p.intent, p.reports[0].value, p.reports[0].period, p.reports[0].province, p.reports[0].project
    (<Intent.REPORT: 'report'>, 2.5, '2024-01', 'เชียงใหม่', 3)
    >>> parse("เป้า 835 ล้าน ได้เท่าไหร่แล้ว", date(2024, 2, 15)).goal
    '2.1'
    """
    if not isinstance(text, str):
        text = ""
    if isinstance(today, datetime):
        today = today.date()
    if not isinstance(today, date):
        today = bangkok_today()
    try:
        return understand(text, today)
    except Exception:  # a safety net: a bug must cost one message, not the webhook
        log.exception("nlp.parse failed on a %d-character message", len(text))
        return Parse(intent=Intent.UNKNOWN)


def understand(text: str, today: date, *, whole: bool = False) -> Parse:
    """`parse()` without its safety net: a bug raises here (what tests call), where parse() answers UNKNOWN.

    A message whose results conflict when read whole is read again clause by clause (nlp.segments), unless
    `whole` (how each clause itself is read).
    """
    if "\n" in text and ("\t" in text or "  " in text):
        text = rewritten(text) or text  # a pasted table: each value with its column's words and unit
    norm, low = normalise_lower(text)
    if norm.count("\n") >= 3 and _word_per_line(norm):
        norm, low = norm.replace("\n", " "), low.replace("\n", " ")  # one sentence typed a word per line
    rx = _rx()
    latin = rx["latin"].search(low) is not None
    language = _language(low) if latin else "th"
    if not norm:
        return Parse(intent=Intent.UNKNOWN, language=language)
    code = register_code(norm)
    if code is not None:
        return Parse(intent=Intent.REGISTER, register_code=code, language=language)
    digits = rx["digit"].search(low) is not None
    if not digits and len(low) <= MAX_COMMAND:  # commands are short and have no digits
        command = command_intent(low)
        if command is not None:
            return Parse(intent=command, language=language)
    sc = Scan(norm, low, digits)
    _recognise(sc, today, latin)
    first = _understood(sc, language)
    if (digits or latin) and (first.intent is _REPORT or first.intent is _CORRECT) and (
            unreadable := unreadable_numbers(low)):
        # nothing of a message with an unreadable figure is a value: the bot quotes it and stores nothing
        return replace(first, reports=tuple(replace(r, value=None) for r in first.reports),
                       problems=(*first.problems, *(Problem("unreadable_number", u) for u in unreadable)))
    if whole or (first.intent is not _REPORT and first.intent is not _CORRECT) or not any(
            p.code in CONFLICTS for p in first.problems):
        return first
    return split_reports(first, norm, today, _read_whole) or first


def _word_per_line(norm: str) -> bool:
    """"ลำพูน⏎มกราคม⏎2567⏎ยอดขาย⏎1.6⏎ล้านบาท": most lines one short word, so the lines are not clauses."""
    lines = norm.split("\n")
    single = sum(1 for line in lines if " " not in line.strip() and len(line) <= 16)
    return single * 5 >= len(lines) * 4


def _read_whole(text: str, today: date) -> Parse:
    return understand(text, today, whole=True)


def _language(low: str) -> str:
    rx = _rx()
    latin = sum(len(word) for word in rx["en_words"].findall(low))
    if not latin:
        return "th"
    thai = len(low) - len(rx["th_letters"].sub("", low))  # Thai letters, counted without a list of them
    return "en" if latin > thai else "th"


def _recognise(sc: Scan, today: date, latin: bool) -> None:
    """Run the recognisers in order, each masking what it read: cues, codes, provinces, months, scores, values."""
    scan_cues(sc)
    scan_codes(sc)
    work = sc.work
    sc.provinces = provinces = find_provinces(work, latin=latin)
    sc.months = months = find_months(work, today)  # no month spelling occurs inside a province name
    spans = [(h.start, h.end) for h in provinces]
    if months:
        spans += [(m.start, m.end) for m in months]
    scores: list[Value] = []
    if sc.digits:  # "4.6/5", but not the 15/01 of a date
        scores = scores_in(work)
        if scores:
            if spans:
                scores = [v for v in scores if not any(s < v.end and v.start < e for s, e in spans)]
            for value in scores:
                value.text = sc.norm[value.start:value.end]
                spans.append((value.start, value.end))
    blank = blank_non_numbers(work)
    if blank:
        spans += blank
    sc.work = work = mask(work, spans)
    values = values_in(work, sc.norm, latin)
    sc.values = sorted(scores + values, key=_start) if scores else values
    sc.question = "q" in sc.tags or "?" in sc.norm
    if sc.codes and (sc.project_hits or sc.provinces or TRADE in sc.codes):
        _drop_ditp_words(sc)
    if sc.question and sc.values and not sc.target_money:
        _quoted_targets(sc)


def _quoted_targets(sc: Scan) -> None:
    """"เหลืออีกกี่ล้านถึงจะครบ 835": a question quoting a money target of the plan names that goal; the figure
    is the target, not a value."""
    targets = money_targets()
    for v in sc.values:
        amount = v.amount / MILLION if v.kind == "money" else v.amount if v.kind == "bare" else None
        goal = targets.get(float(amount)) if amount is not None else None
        if goal is not None:
            sc.values = [other for other in sc.values if other is not v]
            sc.target_money = True
            if goal not in sc.goals:
                sc.goals += (goal,)
            return


def _drop_ditp_words(sc: Scan) -> None:
    """A province's report (a goal-2.1 project, a province or a sales word is named): words that also name a DITP
    KPI (มูลค่าเจรจาธุรกิจ, เจรจาการค้า) are part of its trade value (the plan counts orders and negotiated sales);
    DITP reports its KPIs itself, with no province. The KPI written as such (KPI 2) still counts."""
    implied = {c for c in sc.codes if c.startswith("KPI-") and c not in sc.explicit_indicators}
    if implied:
        sc.codes -= implied
        sc.indicator_hits[:] = [(p, c) for p, c in sc.indicator_hits if c not in implied]


def _understood(sc: Scan, language: str) -> Parse:
    """The Parse of a scanned message: intent, province, month, report items, and the fields of a question."""
    intent = intent_of(sc)
    central: list[Item] | None = None
    central_problems: list[Problem] = []
    # Central units' indicators (ITA, PMQA, KPI-2 …): only when a value may be there and one of them is named.
    if sc.digits and not sc.question and sc.codes and not sc.codes <= REPORTED and intent in _CENTRAL_OVERRIDABLE:
        central = central_items(sc, central_problems)
        if central:
            intent = _CORRECT if intent is _CORRECT else _REPORT
    problems: list[Problem] = []
    province = resolve_province(sc, intent, problems)
    period = resolve_period(sc, problems) if sc.months else None
    reply_language = "en" if "en_reply" in sc.tags else "th"
    found: tuple[ReportItem, ...] = ()
    if central:
        found = central_reports(sc, central, province, period, central_problems)
        problems += central_problems
    elif intent is _REPORT or intent is _CORRECT:
        found = reports(sc, intent, province, period, problems)
        if intent is _CORRECT and not found:
            problems = [p for p in problems if p.code != "no_value"]
    indicator = indicator_of(sc, found)
    return Parse(intent, found, goal_of(sc, intent, indicator), indicator, province, period, None,
                 tuple(dict.fromkeys(problems)) if problems else (), language, reply_language)


def _start(value: Value) -> int:
    return value.start
